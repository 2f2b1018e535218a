"""collect_inventory: precedence between sources, disagreements kept, product mapping, bad input."""

from __future__ import annotations

import datetime
import fnmatch
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from scanner.inventory import collect, collect_inventory
from scanner.inventory.interface import Context, Found
from scanner.model import Installed
from tests.inventory.conftest import Files, write_files
from tests.inventory.test_environment import fake_env

ACCEPTANCE = Path("/work/shared/acceptance/fixtures/inventory/repo")
PRODUCTS = {"django": {"pypi": "django"}, "flask": {"pypi": "Flask"}, "typescript": {"npm": "typescript"},
            "pytest": {"pypi": "pytest"}, "python": {"runtime": "python"}, "node": {"runtime": "node"}}

POETRY = '[[package]]\nname = "Django"\nversion = "4.2.7"\n'
UV = '[[package]]\nname = "django"\nversion = "5.0.1"\n'
REQS = "django==4.1.0\n"
PYPROJECT = '[project]\nrequires-python = ">=3.9"\ndependencies = ["django>=4.0"]\n'

PRECEDENCE: list[tuple[str, Files, tuple[str, str, str], tuple[tuple[str, str], ...]]] = [
    ("django", {"poetry.lock": POETRY, "requirements.txt": REQS, "pyproject.toml": PYPROJECT},
     ("4.2.7", "poetry.lock:3", "exact"), (("4.1.0", "requirements.txt:1"), ("4.0", "pyproject.toml:3"))),
    ("django", {"requirements.txt": REQS, "pyproject.toml": PYPROJECT},
     ("4.1.0", "requirements.txt:1", "exact"), (("4.0", "pyproject.toml:3"),)),
    ("django", {"pyproject.toml": PYPROJECT}, ("4.0", "pyproject.toml:3", "lower-bound"), ()),
    ("django", {"uv.lock": UV, "poetry.lock": POETRY},
     ("5.0.1", "uv.lock:3", "exact"), (("4.2.7", "poetry.lock:3"),)),
    ("python", {".python-version": "3.11.4\n", ".tool-versions": "python 3.11.2\n",
                "runtime.txt": "python-3.10.0", "Dockerfile": "FROM python:3.9-slim\n",
                "pyproject.toml": PYPROJECT},
     ("3.11.4", ".python-version:1", "exact"),
     (("3.11.2", ".tool-versions:1"), ("3.10.0", "runtime.txt:1"), ("3.9", "Dockerfile:1"),
      ("3.9", "pyproject.toml:2"))),
    ("python", {"Dockerfile": "FROM python:3.12\n", "pyproject.toml": PYPROJECT},
     ("3.12", "Dockerfile:1", "exact"), (("3.9", "pyproject.toml:2"),)),
    ("python", {"pyproject.toml": PYPROJECT}, ("3.9", "pyproject.toml:2", "lower-bound"), ()),
    ("node", {".nvmrc": "20.10.0\n", ".tool-versions": "nodejs 18.0.0\n", "Dockerfile": "FROM node:16\n",
              "package.json": '{"engines": {"node": ">=14"}}'},
     ("20.10.0", ".nvmrc:1", "exact"),
     (("18.0.0", ".tool-versions:1"), ("16", "Dockerfile:1"), ("14", "package.json:1"))),
    ("typescript", {"package.json": '{\n"devDependencies": {"typescript": "^4.9.0"}\n}',
                    "yarn.lock": "typescript@^4.9.0:\n  version \"4.9.5\"\n"},
     ("4.9.5", "yarn.lock:2", "exact"), (("4.9.0", "package.json:2"),)),
]


@pytest.mark.parametrize(("product", "files", "chosen", "others"), PRECEDENCE)
def test_precedence(tmp_path: Path, product: str, files: Files, chosen: tuple[str, str, str],
                    others: tuple[tuple[str, str], ...]) -> None:
    inv = collect_inventory(str(write_files(tmp_path, files)), PRODUCTS, cwd=str(tmp_path))
    assert inv.products[product] == Installed(product, *chosen, others=others)
    assert inv.errors == []


def test_environment_wins_and_python_is_not_taken_from_it(tmp_path: Path) -> None:
    write_files(tmp_path, {"poetry.lock": POETRY, ".python-version": "3.9.18\n"})
    fake_env(tmp_path / ".venv", {"Django-4.1.13.dist-info": "Name: Django\nVersion: 4.1.13\n"})
    inv = collect_inventory(str(tmp_path), PRODUCTS, cwd=str(tmp_path))
    assert inv.products["django"] == Installed("django", "4.1.13", ".venv (environment)", "exact",
                                               (("4.2.7", "poetry.lock:3"),))
    assert inv.products["python"].source == ".python-version:1"


def test_acceptance_fixture(tmp_path: Path) -> None:
    if not ACCEPTANCE.is_dir():
        pytest.skip("the shared acceptance fixture is not here")
    repo = tmp_path / "repo"
    shutil.copytree(ACCEPTANCE, repo)
    inv = collect_inventory(str(repo), PRODUCTS, cwd=str(repo))
    got = {p: (i.version, i.source, i.kind) for p, i in inv.products.items()}
    assert got == {"django": ("4.2.7", "poetry.lock:13", "exact"),
                   "flask": ("2.2.5", "requirements.txt:2", "exact"),
                   "typescript": ("4.9.5", "package-lock.json:8", "exact"),
                   "pytest": ("7.4", "pyproject.toml:4", "lower-bound"),
                   "python": ("3.9.18", ".python-version:1", "exact")}
    assert inv.errors == []


def test_sources_relative_to_cwd(tmp_path: Path) -> None:
    write_files(tmp_path, {"app/poetry.lock": POETRY})
    inv = collect_inventory(str(tmp_path / "app"), PRODUCTS, cwd=str(tmp_path))
    assert inv.products["django"].source == "app/poetry.lock:3"
    inv = collect_inventory(str(tmp_path / "app"), PRODUCTS, cwd=str(tmp_path / "elsewhere"))
    assert inv.products["django"].source == f"{(tmp_path / 'app').as_posix()}/poetry.lock:3"


@pytest.mark.parametrize(("versions_from", "files", "expected"), [
    ({"pypi": ["psycopg2", "psycopg2-binary"]}, {"requirements.txt": "psycopg2_binary==2.9.9\n"}, "2.9.9"),
    ({"pypi": "Django"}, {"requirements.txt": "DJANGO==4.2\n"}, "4.2"),
    ({"docker": "postgres"}, {"Dockerfile": "FROM docker.io/library/postgres:15.4\n"}, "15.4"),
    ({"docker": "docker.io/library/postgres"}, {"Dockerfile": "FROM postgres:15.4\n"}, "15.4"),
    ({"runtime": "kubernetes"}, {"Dockerfile": "FROM postgres:15.4\n"}, None),
    ({"npm": "typescript"}, {"requirements.txt": "typescript==1.0\n"}, None),
    ({"github": "actions/checkout"}, {}, None),
])
def test_product_mapping(tmp_path: Path, versions_from: dict[str, object], files: Files,
                         expected: str | None) -> None:
    inv = collect_inventory(str(write_files(tmp_path, files)), {"p": versions_from}, cwd=str(tmp_path))
    assert (inv.products["p"].version if "p" in inv.products else None) == expected


def test_calendar_products(tmp_path: Path) -> None:
    inv = collect_inventory(str(tmp_path), {"ubuntu-esm": {"calendar": True}}, cwd=str(tmp_path))
    today = datetime.date.today().strftime("%Y.%m.%d")
    assert inv.products == {"ubuntu-esm": Installed("ubuntu-esm", today, "today's date", "assumed")}


@pytest.mark.parametrize(("products", "expected"), [
    ({}, {"python", "node"}),  # always inventoried when a source names them
    ({"cpython": {"runtime": "python"}}, {"cpython", "node"}),  # not twice
    ({"python": {"pypi": "not-the-runtime"}}, {"node"}),  # the product id is taken
])
def test_runtimes_always_inventoried(tmp_path: Path, products: dict[str, dict[str, object]],
                                     expected: set[str]) -> None:
    write_files(tmp_path, {".python-version": "3.12\n", ".nvmrc": "20\n"})
    assert set(collect_inventory(str(tmp_path), products, cwd=str(tmp_path)).products) == expected


def test_no_runtime_without_a_source(tmp_path: Path) -> None:
    assert collect_inventory(str(tmp_path), {}, cwd=str(tmp_path)).products == {}


def test_packages_in_precedence_order(tmp_path: Path) -> None:
    write_files(tmp_path, {"pyproject.toml": PYPROJECT, "requirements.txt": REQS, "poetry.lock": POETRY})
    inv = collect_inventory(str(tmp_path), {}, cwd=str(tmp_path))
    assert [(p.name, p.source) for p in inv.packages] == [
        ("django", "poetry.lock:3"), ("django", "requirements.txt:1"), ("django", "pyproject.toml:3"),
        ("python", "pyproject.toml:2")]


MALFORMED: list[tuple[Files, str, str]] = [
    ({"poetry.lock": '[[package]]\nname = "x"\nversion = "1\n'}, "poetry.lock", "invalid TOML"),
    ({"uv.lock": "[[package]\nname = 1\n"}, "uv.lock", "invalid TOML"),
    ({"pdm.lock": '[[package]]\nname = "a"\nversion = "1"\n<<<<<<< HEAD\n'}, "pdm.lock", "merge conflict"),
    ({"pylock.toml": "packages = 3\nwhat\n"}, "pylock.toml", "invalid TOML"),
    ({"yarn.lock": 'a@^1:\n<<<<<<< HEAD\n  version "1.0.0"\n=======\n  version "1.1.0"\n>>>>>>> b\n'},
     "yarn.lock", "line 2: unresolved merge conflict"),
    ({"package-lock.json": '{\n<<<<<<< ours\n"x": 1\n'}, "package-lock.json",
     "line 2: unresolved merge conflict"),
    ({"pnpm-lock.yaml": "lockfileVersion: '9.0'\n<<<<<<< ours\n"}, "pnpm-lock.yaml", "merge conflict"),
    ({"Pipfile.lock": "{"}, "Pipfile.lock", "invalid JSON"),
    ({"package-lock.json": "[1, 2]"}, "package-lock.json", "not a JSON object"),
    ({"package-lock.json": "[" * 100_000}, "package-lock.json", "invalid JSON"),
    ({"package.json": "{'single': 'quotes'}"}, "package.json", "invalid JSON"),
    ({"pnpm-lock.yaml": "packages: [\n"}, "pnpm-lock.yaml", "invalid YAML"),
    ({"pnpm-lock.yaml": "- a list\n"}, "pnpm-lock.yaml", "not a YAML mapping"),
    ({"yarn.lock": "typescript@^4:\n  version \"4.9.5\"\ngarbage line\n"}, "yarn.lock", "line 3"),
    ({"pyproject.toml": "[project\n"}, "pyproject.toml", "invalid TOML"),
    ({"requirements.txt": "django=4.2\n"}, "requirements.txt", "line 1: invalid requirement"),
    ({".python-version": b"\xff\xfe\x00\x00garbage".decode("latin-1")}, ".python-version", ""),
]


@pytest.mark.parametrize(("files", "file", "message"), MALFORMED)
def test_malformed_sources_are_errors(tmp_path: Path, files: Files, file: str, message: str) -> None:
    write_files(tmp_path, {**files, "requirements-ok.txt": "flask==3.0.0\n"})
    inv = collect_inventory(str(tmp_path), PRODUCTS, cwd=str(tmp_path))
    assert inv.products["flask"].version == "3.0.0"  # the rest of the inventory goes on
    if message:
        assert any(f == file and message in m for f, m in inv.errors), inv.errors


def test_a_failing_source_is_an_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(ctx: Context) -> Found:
        raise RuntimeError("boom")

    monkeypatch.setattr(collect, "SOURCES", ((collect.LOCK, broken), *collect.SOURCES[1:]))
    write_files(tmp_path, {"requirements.txt": "flask==3.0.0\n"})
    inv = collect_inventory(str(tmp_path), PRODUCTS, cwd=str(tmp_path))
    assert inv.products["flask"].version == "3.0.0"
    assert inv.errors == [(".", "test_collect: RuntimeError: boom")]


def test_binary_and_special_files(tmp_path: Path) -> None:
    (tmp_path / "poetry.lock").write_bytes(b"\x00\x01binary")
    (tmp_path / "requirements.txt").mkdir()  # a folder with a file's name is not read
    inv = collect_inventory(str(tmp_path), PRODUCTS, cwd=str(tmp_path))
    assert inv.errors == [("poetry.lock", "binary content (NUL bytes); not a text config file")]


def test_json_nesting_attack_does_not_crash(tmp_path: Path) -> None:
    deep = '{"dependencies": ' * 5000 + "{}" + "}" * 5000
    write_files(tmp_path, {"package-lock.json": deep})
    inv = collect_inventory(str(tmp_path), PRODUCTS, cwd=str(tmp_path))
    assert inv.errors and json.dumps(inv.errors)


@pytest.mark.parametrize(("files", "pattern", "expected"), [
    ({"poetry.lock": ""}, "poetry.lock", True),
    ({"poetry.lock/x": ""}, "poetry.lock", True),  # a folder of that name: the source decides
    ({}, "poetry.lock", False),
    ({"requirements-dev.txt": ""}, "requirements*.txt", True),
    ({"REQUIREMENTS.TXT": ""}, "requirements*.txt", True),  # case-blind: never misses a file a glob finds
    ({"requirements/base.txt": ""}, "requirements/*.txt", True),
    ({"requirements/base.in": ""}, "requirements/*.txt", False),
    ({"requirements.txt": ""}, "requirements/*.txt", False),
    ({"svc/Dockerfile.prod": ""}, "*/Dockerfile*", True),
    ({"svc/deep/Dockerfile": ""}, "*/Dockerfile*", False),
    ({".hidden/Dockerfile": ""}, "*/Dockerfile*", True),
    ({"app.Dockerfile": ""}, "Dockerfile*", False),
])
def test_root_files(tmp_path: Path, files: Files, pattern: str, expected: bool) -> None:
    write_files(tmp_path, files)
    assert collect.RootFiles(str(tmp_path)).may_hold(pattern) is expected


def test_an_unlistable_root_runs_every_source(tmp_path: Path) -> None:
    assert collect.RootFiles(str(tmp_path / "missing")).may_hold("*/Dockerfile*")


def test_sources_of_absent_files_are_not_imported(tmp_path: Path) -> None:
    """A project without lock files, pins or Dockerfiles imports none of their readers (nor yaml)."""
    write_files(tmp_path, {"requirements.txt": "flask==3.0.0\n"})
    script = ("import sys\nfrom scanner.inventory import collect_inventory\n"
              f"collect_inventory({str(tmp_path)!r}, {{'flask': {{'pypi': 'flask'}}}})\n"
              "print(' '.join(sorted(sys.modules)))")
    env = {k: v for k, v in os.environ.items() if k != "VIRTUAL_ENV"}
    loaded = set(subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True,
                                env=env).stdout.split())
    assert "scanner.inventory.requirements" in loaded
    sources = {s.module for _, s in collect.SOURCES if isinstance(s, collect.LazySource)} - {"requirements"}
    assert not {f"scanner.inventory.{m}" for m in sources} & loaded
    assert not {"yaml", "tomllib", "datetime", "scanner.inventory.environment"} & loaded


def test_glob_match_is_fnmatch() -> None:
    names = ["", "a", "ab", "a.b", "b.a.b", "Dockerfile", "dockerfile.prod", "x.dockerfile", "requirements-dev.txt"]
    patterns = ["*", "a*", "*b", "a*b", "*.*", "a*.*b", "dockerfile*", "*.dockerfile", "requirements*.txt", "a?",
                "[ab]*", "ab", ""]
    for name in names:
        for pattern in patterns:
            assert collect._glob_match(name, pattern) == fnmatch.fnmatchcase(name, pattern), (name, pattern)
