"""Property tests: every parser, on any text or any decoded bytes, returns occurrences or parse errors and
never raises; positions stay inside the text. The matrix loader, on any YAML document and on mutations of
a valid matrix, returns a Matrix or raises MatrixError, nothing else. Example counts are bounded for CI."""

from __future__ import annotations

import copy
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from scanner.errors import MatrixError
from scanner.matrix import Matrix, merge_matrices, read_matrix_file
from scanner.parsers import _MODULES, get_parser
from scanner.parsers.interface import ParseResult
from scanner.textio import Unreadable, decode
from tests.hardening.harness import MATRIX

FORMATS = sorted(_MODULES)
FUZZ = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])

# characters that steer each grammar into its interesting states, mixed with anything at all
TOKENS = ["\ufeff", "{{", "}}", "{%", "%}", "---", "...", "[[", "]]", '"""', "'''", "//", "/*", "*/",
          "module.exports", "export default", "key", "0x1", "1e9", "true", "null", "&a", "*a", "<<"]
SYNTAX = st.sampled_from([*"{}[]()<>:=,.;#/*'\"\\&*!|>-?%@`$\t\r\n ", *TOKENS])
CONFIG_TEXT = st.one_of(st.text(max_size=400), st.lists(st.one_of(SYNTAX, st.text(max_size=4)), max_size=120).map(
    "".join))


def check_result(result: ParseResult, text: str) -> None:
    assert isinstance(result, ParseResult)
    lines = text.count("\n") + 1
    for occ in result.occurrences:
        assert 1 <= occ.line <= lines and 1 <= occ.end_line <= lines, occ
        assert occ.column >= 1 and occ.end_column >= 1, occ
        if occ.value_line:
            assert 1 <= occ.value_line <= lines, occ
        for span in (occ.key_span, occ.value_span):
            if span is not None:
                assert 0 <= span[0] <= span[1] <= len(text), occ
    for line, column, message in result.errors:
        assert line is None or 1 <= line <= lines, (line, message)
        assert column is None or column >= 1, (column, message)
        assert isinstance(message, str) and message


@pytest.mark.parametrize("fmt", FORMATS)
@FUZZ
@given(text=CONFIG_TEXT)
def test_any_text(fmt: str, text: str) -> None:
    check_result(get_parser(fmt)(text), text)


@pytest.mark.parametrize("fmt", FORMATS)
@FUZZ
@given(data=st.binary(max_size=300))
def test_any_bytes_decoded(fmt: str, data: bytes) -> None:
    try:
        text, _, _ = decode(data)
    except Unreadable as exc:
        assert str(exc)
        return
    check_result(get_parser(fmt)(text), text)


# --- the matrix loader ---------------------------------------------------------------------------------

def load(text: str) -> Matrix | None:
    try:
        return merge_matrices([(read_matrix_file("fuzz.yaml", text), "cli")])
    except MatrixError as exc:
        assert exc.problems and all(isinstance(p, str) and p for p in exc.problems)
        assert all(p.startswith("fuzz.yaml") for p in exc.problems), exc.problems
        return None


SCALARS = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False), st.text(max_size=20),
                    st.sampled_from(["1.0", "2.0", "x", "yaml", "**/*.yaml", "(a+)+$", "[", "delete", "rename"]))
DOCS = st.recursive(SCALARS, lambda inner: st.one_of(
    st.lists(inner, max_size=4), st.dictionaries(st.one_of(st.text(max_size=10), st.sampled_from(
        ["schema", "product", "releases", "rules", "files", "id", "key", "file", "fix", "version"])), inner,
        max_size=4)), max_leaves=20)


@FUZZ
@given(doc=DOCS)
def test_matrix_loader_on_any_yaml_document(doc: Any) -> None:
    load(yaml.safe_dump(doc))


@FUZZ
@given(text=st.text(max_size=300))
def test_matrix_loader_on_any_text(text: str) -> None:
    load(text)


VALID: dict[str, Any] = yaml.safe_load(MATRIX.read_text(encoding="utf-8"))


def paths(node: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    out = [prefix]
    if isinstance(node, dict):
        for k, v in node.items():
            out.extend(paths(v, (*prefix, k)))
    elif isinstance(node, list):
        for i, v in enumerate(node):
            out.extend(paths(v, (*prefix, i)))
    return out


PATHS = paths(VALID)[1:]


@FUZZ
@given(where=st.sampled_from(PATHS), action=st.sampled_from(["set", "drop", "dup"]), value=DOCS)
def test_matrix_loader_on_mutations_of_a_valid_matrix(where: tuple[Any, ...], action: str, value: Any) -> None:
    doc = copy.deepcopy(VALID)
    parent = doc
    for seg in where[:-1]:
        parent = parent[seg]
    last = where[-1]
    if action == "set":
        parent[last] = value
    elif action == "drop":
        del parent[last]
    elif isinstance(parent, list):
        parent.append(copy.deepcopy(parent[last]))  # e.g. a duplicate rule id
    else:
        parent[f"{last}_copy"] = value  # an unknown field
    load(yaml.safe_dump(doc))


def test_the_unmutated_matrix_loads() -> None:
    matrix = load(MATRIX.read_text(encoding="utf-8"))
    assert matrix is not None and len(matrix.rules) == 6
