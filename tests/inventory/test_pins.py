"""Pins and bounds: requirements files, pyproject.toml, package.json, and the constraint readers."""

from __future__ import annotations

import random
from collections.abc import Callable

import pytest
from packaging.specifiers import InvalidSpecifier, SpecifierSet

from scanner.inventory.interface import Context, Found, Package
from scanner.inventory.package_json import read_package_json
from scanner.inventory.pyproject import read_pyproject
from scanner.inventory.requirements import logical_lines, read_requirements
from scanner.inventory.specifiers import range_version, specifier_pairs, specifier_version
from tests.inventory.conftest import Files

Reader = Callable[[Callable[[Context], Found], Files], Found]


def rows(packages: list[Package]) -> list[tuple[str, str, str, str]]:
    return [(p.name, p.version, p.kind, p.source) for p in packages]


@pytest.mark.parametrize(("spec", "expected"), [
    ("==4.2.7", ("4.2.7", "exact")),
    ("===4.2.7-custom", ("4.2.7-custom", "exact")),
    (">=4.2,<5", ("4.2", "lower-bound")),
    ("~=4.2.1", ("4.2.1", "lower-bound")),
    ("==4.2.*", ("4.2", "lower-bound")),
    (">=3.8,>=4.1", ("4.1", "lower-bound")),
    (">=10,>=9", ("10", "lower-bound")),
    ("<5", None),
    (">4.2", None),
    ("!=4.0", None),
    ("", None),
])
def test_specifier_version(spec: str, expected: tuple[str, str] | None) -> None:
    assert specifier_version(SpecifierSet(spec)) == expected
    assert specifier_version(spec) == expected  # read without packaging when every clause is plain


def _packaging_pairs(text: str) -> set[tuple[str, str]] | str:
    try:
        return {(s.operator, s.version) for s in SpecifierSet(text)}
    except InvalidSpecifier:
        return "invalid"


def _pairs(text: str) -> set[tuple[str, str]] | str:
    try:
        return set(specifier_pairs(text))
    except InvalidSpecifier:
        return "invalid"


def test_specifier_pairs_read_sets_as_packaging_does() -> None:
    rng = random.Random(5)
    operators = ["==", "!=", ">=", "<=", "<", ">", "~=", "===", "=", ""]
    versions = ["4", "4.2", "04.2.10", "4.2.*", "4.*", "4.2rc1", "v4.2", "1!4.2", "4.2+local", "4.2.post1", "*", "",
                "4.", ".4", "4..2", "٣.1"]
    space = ["", "", " ", "\t", "\u00a0"]
    cases = ["", ",", " , ", ">=4.2,<5", "== 4.2.7", "~=4", "~=4.2", "<4.2.*", "!=4.*", ">=3.9, <4"]
    for _ in range(20_000):
        clauses = [rng.choice(space) + rng.choice(operators) + rng.choice(space) + rng.choice(versions)
                   + rng.choice(space) for _ in range(rng.randrange(1, 4))]
        cases.append(",".join(clauses))
    for text in cases:
        assert _pairs(text) == _packaging_pairs(text), text


@pytest.mark.parametrize(("constraint", "expected"), [
    ("^4.2", ("4.2", "lower-bound")),
    ("~4.2", ("4.2", "lower-bound")),
    ("~=4.2", ("4.2", "lower-bound")),
    (">=4.2,<5", ("4.2", "lower-bound")),
    (">= 4.2 < 5", ("4.2", "lower-bound")),
    ("4.2.7", ("4.2.7", "exact")),
    ("==4.2.7", ("4.2.7", "exact")),
    ("=4.9.5", ("4.9.5", "exact")),
    ("v4.9.5", ("4.9.5", "exact")),
    ("4.2.*", ("4.2", "lower-bound")),
    ("4.x", ("4", "lower-bound")),
    ("^4.9.0", ("4.9.0", "lower-bound")),
    ("^1.0.0 || ^2.0.0", ("1.0.0", "lower-bound")),
    ("1.2.3 - 2.3.4", ("1.2.3", "lower-bound")),
    ("5.0.0-beta.1", ("5.0.0-beta.1", "exact")),
    ("*", None),
    ("latest", None),
    ("<5", None),
    ("git+https://github.com/x/y.git", None),
    ("file:../local", None),
    ("workspace:*", None),
])
def test_range_version(constraint: str, expected: tuple[str, str] | None) -> None:
    assert range_version(constraint) == expected


@pytest.mark.parametrize(("text", "expected"), [
    ("a==1\n\n# c\nb==2  # pinned\n", [(1, "a==1"), (4, "b==2")]),
    ("Flask==2.2.5 \\\n    --hash=sha256:00 \\\n    --hash=sha256:11\nx==1\n",
     [(1, "Flask==2.2.5      --hash=sha256:00      --hash=sha256:11"), (4, "x==1")]),
    ("https://example.org/pkg.zip#egg=pkg\n", [(1, "https://example.org/pkg.zip#egg=pkg")]),
    ("a==1 \\", [(1, "a==1")]),
])
def test_logical_lines(text: str, expected: list[tuple[int, str]]) -> None:
    assert logical_lines(text) == expected


REQUIREMENTS_CASES: list[tuple[Files, list[tuple[str, str, str, str]], list[tuple[str, str]]]] = [
    ({"requirements.txt": """
        # pinned web deps
        Flask==2.2.5 \\
            --hash=sha256:0000
        celery>=5.2  # not a pin
        django[argon2]==4.2.7 ; python_version >= "3.8"
        requests
        -e git+https://github.com/x/y.git#egg=y
        ./local/package
        pkg @ https://example.org/pkg.whl
        --index-url https://pypi.example/simple
        """},
     [("flask", "2.2.5", "exact", "requirements.txt:2"),
      ("celery", "5.2", "lower-bound", "requirements.txt:4"),
      ("django", "4.2.7", "exact", "requirements.txt:5")], []),
    ({"requirements.txt": "-r requirements/base.txt\n-c constraints.txt\n",
      "requirements/base.txt": "-r ../requirements.txt\ndjango==4.2.7\n",
      "constraints.txt": "--constraint=requirements.txt\nurllib3==2.0.7\n"},
     [("django", "4.2.7", "exact", "requirements/base.txt:2"),
      ("urllib3", "2.0.7", "exact", "constraints.txt:2")],
     []),
    ({"requirements-dev.txt": "pytest==7.4.3\n-rmissing.txt\n", "requirements.txt": "x===1.0\n"},
     [("pytest", "7.4.3", "exact", "requirements-dev.txt:1"), ("x", "1.0", "exact", "requirements.txt:1")],
     [("requirements-dev.txt", "line 2: included file not found: missing.txt")]),
    ({"requirements.txt": "django==4.2.7\nthis is not ( a requirement\nflask==3.0.0\n"},
     [("django", "4.2.7", "exact", "requirements.txt:1"), ("flask", "3.0.0", "exact", "requirements.txt:3")],
     [("requirements.txt", "line 2: invalid requirement")]),
    ({"notes.txt": "django==1.0\n"}, [], []),
]


@pytest.mark.parametrize(("files", "expected", "errors"), REQUIREMENTS_CASES)
def test_requirements(read: Reader, files: Files, expected: list[tuple[str, str, str, str]],
                      errors: list[tuple[str, str]]) -> None:
    found = read(read_requirements, files)
    assert rows(found.packages) == expected
    assert [(f, m[:len(want)]) for (f, m), (_, want) in zip(found.errors, errors, strict=False)] == errors
    assert len(found.errors) == len(errors)


PYPROJECT = """
    [project]
    name = "web"
    requires-python = ">=3.9"
    dependencies = [
        "Django>=4.2,<5",
        "requests",
        'attrs==23.2.0',
    ]

    [project.optional-dependencies]
    test = ["pytest>=7.4,<9"]

    [dependency-groups]
    lint = ["ruff~=0.6.0", {include-group = "test"}]

    [tool.poetry.dependencies]
    python = "^3.10"
    flask = "^2.2"
    celery = {version = "~5.3", extras = ["redis"]}
    numpy = [{version = "^1.24", python = "<3.12"}, {version = "^1.26", python = ">=3.12"}]
    mylib = {path = "../mylib"}

    [tool.poetry.group.dev.dependencies]
    black = "23.12.1"
"""


def test_pyproject(read: Reader) -> None:
    found = read(read_pyproject, {"pyproject.toml": PYPROJECT})
    assert rows(found.packages) == [
        ("django", "4.2", "lower-bound", "pyproject.toml:5"),
        ("attrs", "23.2.0", "exact", "pyproject.toml:7"),
        ("pytest", "7.4", "lower-bound", "pyproject.toml:11"),
        ("ruff", "0.6.0", "lower-bound", "pyproject.toml:14"),
        ("python", "3.10", "lower-bound", "pyproject.toml:17"),
        ("flask", "2.2", "lower-bound", "pyproject.toml:18"),
        ("celery", "5.3", "lower-bound", "pyproject.toml:19"),
        ("numpy", "1.24", "lower-bound", "pyproject.toml:20"),
        ("black", "23.12.1", "exact", "pyproject.toml:24"),
        ("python", "3.9", "lower-bound", "pyproject.toml:3"),
    ]
    assert found.errors == []


@pytest.mark.parametrize(("text", "message"), [
    ("[project\n", "invalid TOML"),
    ('[project]\ndependencies = ["django>=>4"]\n', "invalid requirement"),
    ('[project]\nrequires-python = ">=three"\n', "invalid requires-python"),
])
def test_pyproject_errors(read: Reader, text: str, message: str) -> None:
    found = read(read_pyproject, {"pyproject.toml": text})
    assert found.errors and found.errors[0][0] == "pyproject.toml" and message in found.errors[0][1]


PACKAGE_JSON = """
    {
      "name": "web",
      "version": "1.0.0",
      "engines": {"node": ">=18.17"},
      "dependencies": {
        "react": "^18.2.0",
        "ts": "npm:typescript@^5.3.0",
        "local": "file:../local",
        "left-pad": "1.3.0"
      },
      "devDependencies": {
        "typescript": "~4.9.5",
        "vite": "latest"
      }
    }
"""


def test_package_json(read: Reader) -> None:
    found = read(read_package_json, {"package.json": PACKAGE_JSON})
    assert rows(found.packages) == [
        ("react", "18.2.0", "lower-bound", "package.json:6"),
        ("typescript", "5.3.0", "lower-bound", "package.json:7"),
        ("left-pad", "1.3.0", "exact", "package.json:9"),
        ("typescript", "4.9.5", "lower-bound", "package.json:12"),
        ("node", "18.17", "lower-bound", "package.json:4"),
    ]
    assert [p.ecosystem for p in found.packages] == ["npm"] * 4 + ["runtime"]
