"""Every parser yields the right key paths, values, and 1-based positions; comments and strings never match."""

from __future__ import annotations

import pytest

from scanner.model import MAPPING, OPAQUE, SEQUENCE
from scanner.parsers import get_parser


def occ(fmt: str, text: str) -> dict[tuple[object, ...], tuple[object, int, int]]:
    result = get_parser(fmt)(text)
    assert not result.errors, result.errors
    return {o.path: (o.value, o.line, o.column) for o in result.occurrences}


CASES = [
    # format, text, path, expected (value, line, column)
    ("yaml", "# c\nserver:\n  old_port: 8080  # x\n", ("server", "old_port"), (8080, 3, 3)),
    ("yaml", "a: 1\n---\nb:\n  - x: y\n", ("b", 0, "x"), ("y", 4, 5)),
    ("yaml", "a: 1\n---\nb:\n  - x: y\n", ("b", 0), (MAPPING, 4, 5)),
    ("yaml", "k: 'yes'\nt: yes\nn: ~\n", ("t",), (True, 2, 1)),
    ("yaml", "k: 'yes'\nt: yes\nn: ~\n", ("k",), ("yes", 1, 1)),
    ("yaml", "metadata:\n  annotations:\n    a.io/b.c: x\n", ("metadata", "annotations", "a.io/b.c"), ("x", 3, 5)),
    ("yaml", "x: café\ny: 1\n", ("y",), (1, 2, 1)),
    ("yaml", "a: {b: [1, 2]}\n", ("a", "b", 1), (2, 1, 12)),
    ("toml", "[tool.acme]\nname = 'x'\nlegacy_mode = true\n", ("tool", "acme", "legacy_mode"), (True, 3, 1)),
    ("toml", "[tool.acme]\nname = 'x'\n", ("tool", "acme"), (MAPPING, 1, 7)),
    ("toml", "a.b.c = 1\n", ("a", "b", "c"), (1, 1, 5)),
    ("toml", "[[p]]\nn = 1\n[[p]]\nn = 2\n", ("p", 1, "n"), (2, 4, 1)),
    ("toml", 'x = """\nlegacy = 1\n"""\ny = 2\n', ("y",), (2, 4, 1)),
    ("toml", "t = {a = 1, b = {c = 'd'}}\n", ("t", "b", "c"), ("d", 1, 18)),
    ("toml", "arr = [\n  1, # c\n  2,\n]\n", ("arr", 1), (2, 3, 3)),
    ("toml", '"q.k" = 1\n', ("q.k",), (1, 1, 1)),
    ("ini", "[core]\n# sql_conn = c\nsql_conn = x\n", ("core", "sql_conn"), ("x", 3, 1)),
    ("ini", "[Sec]\nKey: v ; c\n", ("Sec", "key"), ("v", 2, 1)),
    ("ini", "[t]\ndeps =\n    a\n    b\n", ("t", "deps", 1), ("b", 4, 5)),
    ("ini", "[t]\ndeps =\n    a\n    b\n", ("t", "deps"), ("a\nb", 2, 1)),
    ("json", '{\n  "a": {"b": [true, null]}\n}', ("a", "b", 1), (None, 2, 21)),
    ("jsonc", '{\n  // "x": 1\n  "c": {"o": 1,},\n}\n', ("c", "o"), (1, 3, 9)),
    ("jsonc", '{ /* "x": 1 */ "y": "s\\"q" }', ("y",), ('s"q', 1, 16)),
    ("dotenv", "# X=1\nexport A_B=1\nC='x y' # c\n", ("A_B",), ("1", 2, 8)),
    ("dotenv", "# X=1\nexport A_B=1\nC='x y' # c\n", ("C",), ("x y", 3, 1)),
    ("python", 'X = 1\nif a:\n    Y = "s"\n', ("Y",), ("s", 3, 5)),
    ("python", "C = {'d': {'B': 'x'}}\n", ("C", "d", "B"), ("x", 1, 12)),
    ("python", "class P(B):\n    ENV = 'p'\n", ("ENV",), ("p", 2, 5)),
    ("python", "a, b = 1, 2\n", ("b",), (2, 1, 4)),
    ("python", "X: int = 3\nY += [1]\n", ("X",), (3, 1, 1)),
    ("python", "D['k'] = None\n", ("D", "k"), (None, 1, 1)),
    ("python", "L = ['a', f'{x}']\n", ("L", 1), (OPAQUE, 1, 11)),
    ("python", "L = ['a', f'{x}']\n", ("L",), (SEQUENCE, 1, 1)),
    ("python", 'X = (\n    "a "  # c\n    "b"\n)\n', ("X",), ("a b", 1, 1)),
    ("python", "try:\n    import x\nexcept ImportError:\n    Z = True\n", ("Z",), (True, 4, 5)),
    ("javascript", "module.exports = {\n  a: { b: 'x' },\n};\n", ("a", "b"), ("x", 2, 8)),
    ("javascript", "export default defineConfig({ t: { e: `v` } });\n", ("t", "e"), ("v", 1, 36)),
    ("javascript", "const c = { 'q-r': [1, -2] };\nmodule.exports = c;\n", ("q-r", 1), (-2, 1, 24)),
    ("javascript", "export default { s: 1 } satisfies C;\n", ("s",), (1, 1, 18)),
]


@pytest.mark.parametrize(("fmt", "text", "path", "expected"), CASES)
def test_positions(fmt: str, text: str, path: tuple[object, ...], expected: tuple[object, int, int]) -> None:
    found = occ(fmt, text)
    assert path in found, sorted(map(str, found))
    assert found[path] == expected


NEVER = [
    ("yaml", "# old_port: 1\nnote: 'old_port: 2'\n", "old_port"),
    ("toml", "# legacy = 1\nnote = 'legacy = 2'\n", "legacy"),
    ("ini", "[s]\n# legacy = 1\n; legacy = 2\nnote = legacy = 3\n", "legacy"),
    ("jsonc", '{ // "legacy": 1\n "note": "\\"legacy\\": 2" }', "legacy"),
    ("dotenv", "# LEGACY=1\nNOTE='LEGACY=2'\n", "LEGACY"),
    ("python", '"""LEGACY = 1"""\n# LEGACY = 2\nNOTE = "LEGACY = 3"\ndef f():\n    LEGACY = 4\n', "LEGACY"),
    ("javascript", "// legacy: 1\nmodule.exports = { note: 'legacy: 2' };\nfunction f() { return { legacy: 3 }; }\n",
     "legacy"),
]


@pytest.mark.parametrize(("fmt", "text", "key"), NEVER)
def test_comments_strings_and_functions_never_match(fmt: str, text: str, key: str) -> None:
    result = get_parser(fmt)(text)
    assert not any(key in o.path for o in result.occurrences)
    assert result.occurrences  # the real keys were read


ERRORS = [
    ("yaml", "server: [unclosed\n  old_port: 1\n", 2),
    ("toml", "a = \n[[[\n", 1),
    ("ini", "[section\nkey = value\n", 1),
    ("ini", "key = value\n", 1),
    ("json", '{"a": }', 1),
    ("json", '{"a": 1} // c', 1),
    ("jsonc", '{"a": 1', 1),
    ("dotenv", "A=1\nthis is not an assignment\n", 2),
    ("python", "X = 1\ndef broken(:\n    pass\n", 2),
]


@pytest.mark.parametrize(("fmt", "text", "line"), ERRORS)
def test_errors_have_lines(fmt: str, text: str, line: int) -> None:
    result = get_parser(fmt)(text)
    assert result.errors
    assert result.errors[0][0] == line
    assert result.errors[0][2]


def test_python_syntax_error_keeps_other_settings() -> None:
    result = get_parser("python")("import os\nOLD = True\ndef broken(:\n    pass\nNEW = 1\n")
    names = {o.path[0] for o in result.occurrences}
    assert {"OLD", "NEW"} <= names
    assert result.errors and result.errors[0][0] == 3


def test_yaml_alias_bomb_is_not_expanded() -> None:
    lines = ['a: &a ["x","x","x","x","x","x","x","x","x"]']
    for x, y in zip("bcdefghi", "abcdefgh", strict=True):
        lines.append(f"{x}: &{x} [" + ",".join([f"*{y}"] * 9) + "]")
    result = get_parser("yaml")("\n".join(lines) + "\n")
    assert len(result.occurrences) < 200


def test_crlf_lines_are_right() -> None:
    text = "# c\r\nserver:\r\n  host: x\r\n  old_port: 3\r\n"
    for fmt in ("yaml",):
        found = occ(fmt, text)
        assert found[("server", "old_port")][1:] == (4, 3)
    assert occ("ini", "[s]\r\na = 1\r\nb = 2\r\n")[("s", "b")] == ("2", 3, 1)
    assert occ("toml", "[s]\r\na = 1\r\nb = 2\r\n")[("s", "b")] == (2, 3, 1)


def test_dotenv_empty_values() -> None:
    found = occ("dotenv", "EMPTY=\nQ=''\nA=1\n")
    assert found[("EMPTY",)] == ("", 1, 1)
    assert found[("Q",)] == ("", 2, 1)
    assert found[("A",)] == ("1", 3, 1)
