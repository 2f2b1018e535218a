"""Each parser on hostile text: deep nesting is reported (never a RecursionError), alias bombs are not
expanded, inputs that used to take quadratic time finish fast, and oversize literals are read or reported."""

from __future__ import annotations

import pytest

from scanner.parsers import get_parser
from scanner.parsers.interface import MAX_DEPTH
from scanner.parsers.yamlfile import mask_templates
from tests.hardening.harness import DEEP, deadline

N = DEEP
DEEP_CASES = [
    ("yaml", "[" * N + "]" * N),
    ("yaml", "{a: " * N + "1" + "}" * N),
    ("yaml", "- " * N + "x\n"),
    ("yaml", "".join(" " * i + f"k{i}:\n" for i in range(1500))),
    ("json", "[" * N + "]" * N),
    ("json", '{"a":' * N + "1" + "}" * N),
    ("jsonc", "[" * N + "]" * N),
    ("toml", "a = " + "[" * N + "]" * N),
    ("toml", "a = " + "{b=" * N + "1" + "}" * N),
    ("toml", "[" + ".".join(["a"] * N) + "]\n"),
    ("toml", ".".join(["a"] * N) + " = 1\n"),
    ("python", "X = " + "[" * N + "]" * N),
    ("python", "X = " + "{'a': " * N + "1" + "}" * N),
    ("python", "a = " * N + "1\n"),
    ("python", "(" * N + "a" + ",)" * N + " = 1\n"),
    ("python", "if x:\n" + "".join(" " * (i + 1) + "if x:\n" for i in range(300)) + " " * 302 + "A = 1\n"),
    ("javascript", "module.exports = {x: " + "[" * N + "]" * N + "}"),
    ("javascript", "module.exports = " + "{a: " * N + "1" + "}" * N),
]


@pytest.mark.parametrize(("fmt", "text"), DEEP_CASES, ids=[f"{f}-{i}" for i, (f, _) in enumerate(DEEP_CASES)])
def test_deep_nesting_is_reported_not_recursed(fmt: str, text: str) -> None:
    with deadline(10):
        result = get_parser(fmt)(text)
    assert any("nesting deeper than" in m for _, _, m in result.errors), result.errors
    assert all(len(o.path) <= MAX_DEPTH + 2 for o in result.occurrences)


@pytest.mark.parametrize(("fmt", "text"), [
    ("python", "X = " + "(" * N + "1" + ")" * N),
    ("javascript", "module.exports = {a: " + "(" * N + "1" + ")" * N + "}"),
    ("python", "X = " + "-" * N + "1"),
])
def test_deep_parentheses_are_just_a_value(fmt: str, text: str) -> None:
    with deadline(10):
        result = get_parser(fmt)(text)
    assert len(result.occurrences) == 1


def test_an_alias_bomb_is_not_expanded() -> None:
    lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    lines += [f"{x}: &{x} [" + ",".join([f"*{y}"] * 9) + "]" for x, y in zip("bcdefghij", "abcdefghi", strict=True)]
    with deadline(5):
        result = get_parser("yaml")("\n".join(lines) + "\n")
    assert result.errors == []
    assert len(result.occurrences) < 200  # 10 keys, 9 items each; 9**10 if aliases were expanded


@pytest.mark.parametrize(("fmt", "text"), [
    ("yaml", "{{" * 100_000),  # unclosed template openers used to be searched to the end, each one
    ("yaml", "a: " + "{%" * 100_000),
    ("yaml", "a: {{ x }}\n" * 20_000),
    ("ini", "[a]\n" + "a" + " " * 50_000 + "b\n"),  # the option regex used to backtrack quadratically
    ("ini", "[a]\nb = x" + " " * 50_000 + "y\n"),  # so did the inline-comment regex
    ("ini", "[a]\nb = x\n  c" + " " * 50_000 + "y\n"),
    ("toml", "a = 1\n" + ".".join(["a"] * 5_000) + " = 1\n"),  # tomllib is quadratic in dotted keys
    ("dotenv", "export" + " " * 50_000 + "x\n"),
    ("json", '"' + "\\u0041" * 50_000 + '"'),
])
def test_no_quadratic_blow_up(fmt: str, text: str) -> None:
    with deadline(5):
        get_parser(fmt)(text)


@pytest.mark.parametrize(("fmt", "text"), [
    ("json", '{"a": ' + "9" * 5000 + "}"),
    ("toml", "a = " + "9" * 5000),
    ("yaml", "a: " + "9" * 5000),
    ("python", "A = " + "9" * 5000),
    ("javascript", "module.exports = {a: " + "9" * 5000 + "}"),
])
def test_integers_longer_than_python_converts(fmt: str, text: str) -> None:
    result = get_parser(fmt)(text)
    assert result.occurrences or result.errors


def test_templates_are_masked_in_place() -> None:
    text = "a: {{ .Values.a }}\n{{- if x }}\nb: {% raw %}1{# c #}\n{{ unclosed\n"
    masked = mask_templates(text)
    assert len(masked) == len(text) and masked.count("\n") == text.count("\n")
    assert masked.splitlines()[:3] == ["a:" + " " * 16, " " * 11, "b: " + " " * 9 + "1" + " " * 7]
    assert masked.endswith("{{ unclosed\n")


@pytest.mark.parametrize(("fmt", "text", "line", "column"), [
    ("yaml", "a: 1\r\nb:\r\n  old: 2\r\n", 3, 3),
    ("toml", "a = 1\r\n[b]\r\nold = 2\r\n", 3, 1),
    ("ini", "[x]\r\na = 1\r\n[b]\r\nold = 2\r\n", 4, 1),
    ("json", '{"a": 1,\r\n "b": {\r\n  "old": 2}}', 3, 3),
    ("dotenv", "A=1\r\nB=2\r\nOLD=2\r\n", 3, 1),
    ("python", "A = 1\r\nB = 2\r\nold = 2\r\n", 3, 1),
    ("javascript", "module.exports = {\r\n  a: 1,\r\n  old: 2,\r\n};\r\n", 3, 3),
])
def test_crlf_keeps_lines_columns_and_values(fmt: str, text: str, line: int, column: int) -> None:
    result = get_parser(fmt)(text)
    assert result.errors == []
    old = [o for o in result.occurrences if o.path[-1] in ("old", "OLD")]
    assert [(o.line, o.column) for o in old] == [(line, column)]
    assert str(old[0].value) == "2"  # no stray carriage return in the value
