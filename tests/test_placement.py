"""A value rule's finding sits where the match is: its line in a script, its item in a list, in every format."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from packaging.version import Version

from scanner.keypath import parse_pattern
from scanner.lazyregex import LazyRegex
from scanner.match import RuleIndex, Versions, match_occurrences
from scanner.matrix import Product, Rule
from scanner.options import Options
from scanner.placement import locate_match
from scanner.scan import make_finding, parse_text
from tests.conftest import Run, write_tree

Where = tuple[int, int, int, int]  # line, column, end line, end column


def rule(key: str, regex: str | None = None, value: object = None, has_value: bool = False) -> Rule:
    return Rule(id="T001", product="p", file="f", key=key, parts=parse_pattern(key), message="m", source="s",
                origin="o", deprecated="1.0", value=value, has_value=has_value,
                value_regex=LazyRegex(regex) if regex is not None else None)


def where(fmt: str, text: str, r: Rule) -> list[Where]:
    result = parse_text(fmt, text)
    assert not result.errors, result.errors
    versions = Versions(Version("1.0"), "1.0", None, Version("1.0"), "1.0")
    out = []
    for hit, occ in match_occurrences(RuleIndex([r]), result.occurrences):
        f = make_finding(hit, occ, Product("p", "P", "o", "bundled"), versions, "f", text, Options())
        assert f is not None
        out.append((f.line, f.column, f.end_line, f.end_column))
    return out


RUN = ("jobs:\n  build:\n    steps:\n      - run: |\n"
       "          echo hello\n          echo \"::set-output name=foo::bar\"\n")
SET_OUTPUT = r"(?i)::set-output\s"
SET_ENV = r"(?i)::set-env\s"
CASES: list[tuple[str, str, str, Rule, Where]] = [
    # name, format, text, rule, expected (line, column, end line, end column)
    ("issue: run: | block", "yaml", RUN, rule("jobs.*.steps[].run", SET_OUTPUT), (6, 17, 6, 29)),
    ("block |- with a header comment", "yaml", "run: |- # ::set-env notes\n  a\n  ::set-env x\n",
     rule("run", SET_ENV), (3, 3, 3, 12)),
    ("block |2 keeps extra indent", "yaml", "run: |2\n    indented\n  ::set-env x\n", rule("run", SET_ENV),
     (3, 3, 3, 12)),
    ("block |+ nested indentation", "yaml", "run: |+\n  if x; then\n    ::set-env y\n  fi\n\n",
     rule("run", SET_ENV), (3, 5, 3, 14)),
    ("block >- folded", "yaml", "steps:\n  - run: >-\n      echo a\n      echo \"::set-env name=X::1\"\n",
     rule("steps[].run", SET_ENV), (4, 13, 4, 22)),
    ("block, CRLF line ends", "yaml", "run: |\r\n  a\r\n  ::set-env x\r\n", rule("run", SET_ENV), (3, 3, 3, 12)),
    ("block, match over two lines", "yaml", "run: |\n  a\n  echo one\n  echo two\n", rule("run", r"one\necho"),
     (3, 8, 4, 7)),
    ("block, exact value", "yaml", "k: |\n  old\n", rule("k", value="old\n", has_value=True), (2, 3, 2, 6)),
    ("plain multi-line scalar", "yaml", "k: first line\n  second ::set-env x\n", rule("k", SET_ENV),
     (2, 10, 2, 19)),
    ("double-quoted with escapes", "yaml", 'k: "a\\tb\n  ::set-env x"\n', rule("k", SET_ENV), (2, 3, 2, 12)),
    ("single-quoted with ''", "yaml", "k: 'it''s\n  ::add-path::/x'\n", rule("k", r"(?i)::add-path::"),
     (2, 3, 2, 15)),
    ("list item", "yaml", "os:\n  - ubuntu-22.04\n  - macos-12\n", rule("os[]", r"^macos-12$"), (3, 5, 3, 13)),
    ("TOML multi-line basic string", "toml", 'x = """\nfirst\n  ::set-env y\n"""\n', rule("x", SET_ENV),
     (3, 3, 3, 12)),
    ("TOML multi-line literal string", "toml", "x = '''first\n::set-env y'''\n", rule("x", SET_ENV),
     (2, 1, 2, 10)),
    ("TOML line-ending backslash", "toml", 'x = """\\\n   a \\\n   ::set-env y"""\n', rule("x", SET_ENV),
     (3, 4, 3, 13)),
    ("TOML one-line string, part of it", "toml", 'x = "a ::set-env y"\n', rule("x", SET_ENV), (1, 8, 1, 17)),
    ("pyproject classifiers list", "toml",
     '[project]\nclassifiers = [\n    "Programming Language :: Python",\n    "License :: OSI Approved",\n]\n',
     rule("project.classifiers[]", r"^License :: "), (4, 6, 4, 16)),
    ("setup.cfg classifiers", "ini",
     "[metadata]\nclassifiers =\n    Programming Language :: Python\n    License :: OSI Approved :: MIT License\n",
     rule("metadata.classifiers", r"(?m)^\s*License :: "), (4, 5, 4, 15)),
    ("INI comment holding the same text", "ini", "[t]\ndeps =\n    foo  # -U here\n    -U bar\n",
     rule("t.deps", r"(?m)^[ \t]*-U"), (4, 5, 4, 7)),
    ("INI first-line value", "ini", "[s]\nk = a ::set-env\n", rule("s.k", r"::set-env"), (2, 7, 2, 16)),
    ("Python triple-quoted string", "python", 'X = """\nfirst\n  ::set-env y\n"""\n', rule("X", SET_ENV),
     (3, 3, 3, 12)),
    ("Python implicit concatenation", "python", 'X = (\n    "first "\n    "::set-env y"\n)\n',
     rule("X", SET_ENV), (3, 6, 3, 15)),
    ("Python list item", "python", 'L = [\n    "a",\n    "License :: MIT",\n]\n', rule("L[]", r"^License :: "),
     (3, 6, 3, 16)),
    ("JS template literal", "javascript", "module.exports = { s: `a\n  ::set-env y` };\n", rule("s", SET_ENV),
     (2, 3, 2, 12)),
    ("JSON string with escapes", "json", '{"k": "a\\u0041 ::set-env x"}', rule("k", SET_ENV), (1, 16, 1, 25)),
    ("dotenv value", "dotenv", 'K="x ::set-env y"\n', rule("K", SET_ENV), (1, 6, 1, 15)),
]


@pytest.mark.parametrize(("fmt", "text", "r", "expected"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_a_value_finding_sits_at_the_match(fmt: str, text: str, r: Rule, expected: Where) -> None:
    assert where(fmt, text, r) == [expected]


NO_OP: list[tuple[str, str, str, Rule, Where]] = [
    # the whole value, as before: a one-line value matched whole, quotes included; key rules; empty matches
    ("plain whole value", "yaml", "runs-on: ubuntu-18.04\n", rule("runs-on", r"^ubuntu-18\.04$"), (1, 10, 1, 22)),
    ("quoted whole value", "yaml", 'runs-on: "ubuntu-18.04"\n', rule("runs-on", r"^ubuntu-18\.04$"), (1, 10, 1, 24)),
    ("exact value", "toml", 'target = "py37"\n', rule("target", value="py37", has_value=True), (1, 10, 1, 16)),
    ("key rule on a block", "yaml", "run: |\n  ::set-env x\n", rule("run"), (1, 1, 1, 4)),
    ("empty match", "ini", "[s]\nenc = latin-1\n", rule("s.enc", r"^(?!utf-8$)"), (2, 7, 2, 14)),
    ("not found in the source", "yaml", 'k: "\\x3a\\x3aset-env x"\n', rule("k", SET_ENV), (1, 4, 1, 23)),
]


@pytest.mark.parametrize(("fmt", "text", "r", "expected"), [c[1:] for c in NO_OP], ids=[c[0] for c in NO_OP])
def test_a_finding_keeps_the_value_span(fmt: str, text: str, r: Rule, expected: Where) -> None:
    assert where(fmt, text, r) == [expected]


def test_locate_match_is_linear_on_repeated_text() -> None:
    value = "a" * 10_000
    text = f'k: "{value}"\n'
    assert locate_match(text, (3, len(text) - 1), value, (9_000, 9_500)) == (4 + 9_000, 4 + 9_500)


LINE = st.text(st.sampled_from("ab :#'\"\\-"), max_size=12)


@settings(max_examples=200, deadline=None)
@given(lines=st.lists(LINE, min_size=1, max_size=6), style=st.sampled_from(["|", "|-", "|+", ">", "'", '"', ""]),
       data=st.data())
def test_a_located_match_reads_the_same_in_the_source(lines: list[str], style: str, data: st.DataObject) -> None:
    """Whatever the scalar style, a match is either placed where the source has its first and last line, or not
    placed at all (the value's span is kept): never somewhere else."""
    body = "\n".join(f"  {line}" for line in lines)
    text = f"k: {style}\n{body}\n" if style.startswith(("|", ">")) else f"k: {style}x\n{body}{style}\n"
    result = parse_text("yaml", text)
    values = [o for o in result.occurrences if o.path == ("k",) and isinstance(o.value, str)]
    if result.errors or not values:
        return
    occ = values[0]
    value = str(occ.value)
    start = data.draw(st.integers(0, len(value)))
    end = data.draw(st.integers(start, len(value)))
    assert occ.value_span is not None
    found = locate_match(text, occ.value_span, value, (start, end))
    if found is None:
        return
    needle = value[start:end].strip()
    head, tail = needle.split("\n")[0], needle.split("\n")[-1]
    lo, hi = occ.value_span
    assert lo <= found[0] <= found[1] <= hi
    assert text.startswith(head, found[0])
    # the last line where the source has it; only the first line when the last cannot be found after it
    assert text[: found[1]].endswith(tail) or found[1] == found[0] + len(head)


def _findings(cli: Callable[..., Run], root: Path, *args: str) -> list[dict[str, object]]:
    run = cli("scan", str(root), "--format", "json", *args, cwd=root)
    return [f for f in run.json()["findings"] if f["rule"] in ("GHA001", "ST013", "ST014")]


def test_the_issue_example_in_json_sarif_and_baseline(cli: Callable[..., Run], tmp_path: Path) -> None:
    root = write_tree(tmp_path, {".github/workflows/ci.yml": RUN})
    [f] = _findings(cli, root, "--target", "github-actions=latest")
    assert (f["line"], f["column"], f["end_line"], f["end_column"]) == (6, 17, 6, 29)
    sarif = cli("scan", str(root), "--format", "sarif", "--target", "github-actions=latest", cwd=root).json()
    [result] = [r for r in sarif["runs"][0]["results"] if r["ruleId"] == "GHA001"]
    region = result["locations"][0]["physicalLocation"]["region"]
    assert region == {"startLine": 6, "startColumn": 17, "endLine": 6, "endColumn": 29}
    # the fingerprint names rule, file and key path, not the line: a line added above the match keeps it
    (root / ".github/workflows/ci.yml").write_text(RUN.replace("echo hello\n", "echo hello\n          true\n"))
    [moved] = _findings(cli, root, "--target", "github-actions=latest")
    assert moved["line"] == 7 and moved["fingerprint"] == f["fingerprint"]


def test_classifiers_point_at_their_item(cli: Callable[..., Run], tmp_path: Path) -> None:
    root = write_tree(tmp_path, {
        "pyproject.toml": '[build-system]\nbuild-backend = "setuptools.build_meta"\n[project]\nname = "x"\n'
                          'classifiers = [\n'
                          '    "Programming Language :: Python",\n    "License :: OSI Approved :: MIT License",\n]\n',
        "setup.cfg": "[metadata]\nname = x\nclassifiers =\n    Programming Language :: Python\n"
                     "    License :: OSI Approved :: MIT License\n",
    })
    found = {(f["rule"], f["line"], f["column"]) for f in _findings(cli, root, "--target", "setuptools=84.0")}
    assert found == {("ST013", 7, 6), ("ST014", 5, 5)}


SCRIPT = "jobs:\n  b:\n    steps:\n      - run: |{key}\n          true{above}\n          echo ::set-output x{line}\n"
MARKER = "# cfgscan: ignore[GHA001]"


@pytest.mark.parametrize(("at", "suppressed"), [
    ("key", True),     # at the key of the block: as before this change
    ("above", True),   # a shell comment on the line above the match
    ("line", True),    # on the match's line
    ("far", False),    # two lines above the match, below the key: near neither
])
def test_inline_suppression_at_the_match_or_at_its_key(
    cli: Callable[..., Run], tmp_path: Path, at: str, suppressed: bool
) -> None:
    parts = {"key": "", "above": "", "line": ""}
    if at == "far":
        text = SCRIPT.format(**parts).replace("          true", f"          {MARKER}\n          true")
    else:
        parts[at] = f"  {MARKER}" if at != "above" else f"\n          {MARKER}"
        text = SCRIPT.format(**parts)
    root = write_tree(tmp_path, {".github/workflows/ci.yml": text})
    [f] = _findings(cli, root, "--target", "github-actions=latest")
    assert ("suppressed" in f) == suppressed, text
