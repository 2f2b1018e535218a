"""matrix/schema.json agrees with the loader: same fields and enums, every bundled matrix valid, and the
same verdict on a table of invalid (and valid) examples; what only the loader can check is listed too."""

from __future__ import annotations

import copy
import json
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st
from jsonschema import Draft202012Validator, FormatChecker
from packaging.version import InvalidVersion, Version

from scanner import matrix as loader
from scanner.errors import MatrixError
from scanner.keypath import KeyPathError, parse_pattern
from scanner.matrix import Matrix, MatrixFile, merge_matrices, read_matrix_file
from scanner.matrix_sources import bundled_files
from scanner.yamlnodes import load_yaml

SCHEMA_PATH = Path(__file__).resolve().parent.parent / "matrix" / "schema.json"
SCHEMA: dict[str, Any] = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
VALIDATOR = Draft202012Validator(SCHEMA, format_checker=FormatChecker())
DEFS = SCHEMA["$defs"]

GOOD: dict[str, Any] = {
    "schema": 1, "product": "demo", "title": "Demo", "versions_from": {"pypi": "demo"},
    "releases": [{"version": "1.0", "lts": True}, {"version": "2.0", "requires": {"python": ">=3.10"}}],
    "upgrade": {"step": "each", "stops": []},
    "files": {"conf": {"format": "yaml", "include": ["**/demo.yaml"]}},
    "rules": [{"id": "DM001", "file": "conf", "key": "a.b", "deprecated": "1.0", "removed": "2.0",
               "message": "gone", "fix": {"action": "rename", "to": "a.c"}, "source": "https://example.invalid/"}],
}
BASE = yaml.safe_dump(GOOD, sort_keys=False)


def schema_errors(data: Any) -> list[str]:
    return [e.message for e in VALIDATOR.iter_errors(data)]


def loader_errors(data: Any, with_base: bool = False) -> list[str]:
    files = [(read_matrix_file("base.yaml", BASE), "bundled")] if with_base else []
    try:
        files.append((MatrixFile("demo.yaml", yaml.safe_dump(data, sort_keys=False), data), "plugin:demo"))
        merge_matrices(files)
    except MatrixError as exc:
        return exc.problems
    return []


def mutate(change: Callable[[dict[str, Any]], object]) -> dict[str, Any]:
    data = copy.deepcopy(GOOD)
    change(data)
    return data


def rule(**fields: Any) -> Callable[[dict[str, Any]], object]:
    """Set fields of the first rule; the value '<del>' deletes the field."""
    def change(d: dict[str, Any]) -> None:
        for k, v in fields.items():
            if v == "<del>":
                d["rules"][0].pop(k, None)
            else:
                d["rules"][0][k] = v
    return change


DEFAULT_CHANGED = {"kind": "default-changed", "changed": "2.0", "when": "absent", "default": {"old": 1, "new": 2},
                   "deprecated": "<del>", "removed": "<del>", "fix": "<del>"}

# Each is refused by both the JSON Schema and the loader.
INVALID: list[tuple[str, Callable[[dict[str, Any]], object]]] = [
    ("unknown top-level field", lambda d: d.update(colour="red")),
    ("unknown rule field", rule(colour="red")),
    ("unknown release field", lambda d: d["releases"][0].update(codename="x")),
    ("unknown file field", lambda d: d["files"]["conf"].update(pattern="x")),
    ("unknown upgrade field", lambda d: d["upgrade"].update(skip=True)),
    ("unknown fix field", rule(fix={"action": "delete", "colour": "red"})),
    ("schema 2", lambda d: d.update(schema=2)),
    ("missing schema", lambda d: d.pop("schema")),
    ("upper-case product", lambda d: d.update(product="Demo")),
    ("missing product", lambda d: d.pop("product")),
    ("new product without title", lambda d: d.pop("title")),
    ("empty title", lambda d: d.update(title="")),
    ("extends another id syntax", lambda d: d.update(extends="Not An Id")),
    ("unknown version source", lambda d: d.update(versions_from={"maven": "demo"})),
    ("version source not a name", lambda d: d.update(versions_from={"pypi": 3})),
    ("releases not a list", lambda d: d.update(releases={"version": "1.0"})),
    ("release without version", lambda d: d["releases"].append({"lts": True})),
    ("release version as a number", lambda d: d["releases"][0].update(version=1.1)),
    ("release version that does not parse", lambda d: d["releases"][0].update(version="one")),
    ("requires without an operator", lambda d: d["releases"][1].update(requires={"python": "3.10"})),
    ("requires not a mapping", lambda d: d["releases"][1].update(requires=[">=3.10"])),
    ("bad step", lambda d: d["upgrade"].update(step="sometimes")),
    ("upgrade not a mapping", lambda d: d.update(upgrade="each")),
    ("bad format", lambda d: d["files"]["conf"].update(format="xml")),
    ("missing format", lambda d: d["files"]["conf"].pop("format")),
    ("empty include", lambda d: d["files"]["conf"].update(include=[])),
    ("missing include", lambda d: d["files"]["conf"].pop("include")),
    ("broad include without contains", lambda d: d["files"]["conf"].update(include=["**/*.yaml"])),
    ("broad include with empty contains", lambda d: d["files"]["conf"].update(include="*.yaml", contains=[])),
    ("contains not text", lambda d: d["files"]["conf"].update(contains=5)),
    ("file spec not a mapping", lambda d: d["files"].update(conf="**/demo.yaml")),
    ("rules not a list", lambda d: d.update(rules={"id": "DM001"})),
    ("rule not a mapping", lambda d: d["rules"].append("DM002")),
    ("missing id", rule(id="<del>")),
    ("id not a word", rule(id="1-demo")),
    ("id a number", rule(id=1)),
    ("missing file", rule(file="<del>")),
    ("missing key", rule(key="<del>")),
    ("missing message", rule(message="<del>")),
    ("empty message", rule(message="")),
    ("missing source", rule(source="<del>")),
    ("source not a URL", rule(source="see the changelog")),
    ("docs not a URL", rule(docs="the release notes")),
    ("version as a number", rule(deprecated=1.1)),
    ("version that does not parse", rule(deprecated="one")),
    ("no deprecated nor removed", rule(deprecated="<del>", removed="<del>")),
    ("unknown kind", rule(kind="removed")),
    ("changed on a deprecation rule", rule(changed="2.0")),
    ("when on a deprecation rule", rule(when="absent")),
    ("default-changed without changed", rule(**{**DEFAULT_CHANGED, "changed": "<del>"})),
    ("default-changed without when", rule(**{**DEFAULT_CHANGED, "when": "<del>"})),
    ("default-changed with when present", rule(**{**DEFAULT_CHANGED, "when": "present"})),
    ("default-changed without default", rule(**{**DEFAULT_CHANGED, "default": "<del>"})),
    ("default-changed with a partial default", rule(**{**DEFAULT_CHANGED, "default": {"old": 1}})),
    ("default-changed with deprecated", rule(**{**DEFAULT_CHANGED, "deprecated": "1.0"})),
    ("value and value_regex together", rule(value="x", value_regex="^x$")),
    ("value a mapping", rule(value={"a": 1})),
    ("value a list", rule(value=[1, 2])),
    ("invalid value_regex", rule(value_regex="([")),
    ("empty where", rule(where={})),
    ("where not a mapping", rule(where=["kind"])),
    ("where key with bad syntax", rule(where={"a..b": "x"})),
    ("fix not a mapping", rule(fix="delete")),
    ("bad fix action", rule(fix={"action": "drop"})),
    ("rename without to", rule(fix={"action": "rename"})),
    ("set-value with a null to", rule(fix={"action": "set-value", "to": None})),
    ("rename to a bad key path", rule(fix={"action": "rename", "to": "a..c"})),
    ("key with an empty segment", rule(key="a..b")),
    ("key ending with a dot", rule(key="a.b.")),
    ("key with an index", rule(key="a[0].b")),
    ("key with an unclosed quote", rule(key='a."b.c')),
    ("key of blanks", rule(key="   ")),
]


@pytest.mark.parametrize(("name", "change"), INVALID, ids=[n for n, _ in INVALID])
def test_both_refuse(name: str, change: Callable[[dict[str, Any]], object]) -> None:
    data = mutate(change)
    assert schema_errors(data), f"the schema accepts: {name}"
    assert loader_errors(data), f"the loader accepts: {name}"


def _extends(d: dict[str, Any]) -> None:
    d.update(extends="demo", title="Demo 2")
    d["rules"][0]["id"] = "DM101"


def _rules_only(d: dict[str, Any]) -> None:
    for k in ("title", "versions_from", "releases", "upgrade", "files"):
        d.pop(k)
    d["rules"][0]["id"] = "XX001"


# The schema refuses these and so does the loader (it used to coerce or ignore them: a null version made
# a rule with no version, safe: "false" was true).
STRICT_TYPES: list[tuple[str, Callable[[dict[str, Any]], object]]] = [
    ("a null version", rule(deprecated=None)),
    ("safe as a string", rule(fix={"action": "delete", "safe": "false"})),
    ("a null value_regex", rule(value_regex=None)),
    ("exclude not text", lambda d: d["files"]["conf"].update(exclude=5)),
    ("complete_when not text", lambda d: d["files"]["conf"].update(complete_when=[1])),
    ("schema true", lambda d: d.update(schema=True)),
    ("a stop as a number", lambda d: d["upgrade"].update(stops=[2.0])),
    ("a where value that is a mapping", rule(where={"kind": {"a": 1}})),
    ("lts as a string", lambda d: d["releases"][0].update(lts="yes")),
]


@pytest.mark.parametrize(("name", "change"), STRICT_TYPES, ids=[n for n, _ in STRICT_TYPES])
def test_schema_and_loader_refuse_loose_types(name: str, change: Callable[[dict[str, Any]], object]) -> None:
    data = mutate(change)
    assert schema_errors(data)
    assert loader_errors(data)


# Each is accepted by both (the unusual corners of the format).
VALID: list[tuple[str, Callable[[dict[str, Any]], object], bool]] = [
    ("the base example", lambda d: None, False),
    ("default-changed rule", rule(**DEFAULT_CHANGED), False),
    ("removed only, value predicate", rule(deprecated="<del>", value=True), False),
    ("value null", rule(value=None), False),
    ("value_regex and where", rule(value_regex="^v1", where={"kind": "Ingress", "spec.*": "x"}), False),
    ("quoted, glob, list and deep key", rule(key='**.metadata."a.b/c".env*[]', fix="<del>"), False),
    ("key of a top-level list", rule(key="[].repo", fix={"action": "delete", "safe": False}), False),
    ("rename repeating the key's wildcard",
     rule(key="jobs.*.old", fix={"action": "rename", "to": "jobs.*.new"}), False),
    ("set-value to a number", rule(fix={"action": "set-value", "to": 3}), False),
    ("null replacement, docs and removal_planned",
     rule(replacement=None, docs=None, removal_planned=None), False),
    ("include and contains as strings", lambda d: d["files"]["conf"].update(include="*.yaml", contains="demo:"),
     False),
    ("broad include with contains", lambda d: d["files"]["conf"].update(include=["**/*.yml"], contains=["a"]),
     False),
    ("complete_when as a string and a list",
     lambda d: d["files"].update(more={"format": "yaml", "include": ["**/b.yaml"], "complete_when": ["a", "b"]},
                                 conf={**d["files"]["conf"], "complete_when": "a"}), False),
    ("version with pre and post parts", lambda d: d["releases"].append({"version": "v2.1rc1.post2"}), False),
    ("requires with several specifiers", lambda d: d["releases"][1].update(requires={"python": ">=3.9, <4"}),
     False),
    ("versions_from list and true", lambda d: d.update(versions_from={"pypi": ["a", "b"], "runtime": True}), False),
    ("stops null", lambda d: d["upgrade"].update(stops=None), False),
    ("extends redefines a known product", lambda d: _extends(d), True),
    ("rules-only file adding to a known product", lambda d: _rules_only(d), True),
]


@pytest.mark.parametrize(("name", "change", "with_base"), VALID, ids=[n for n, _, _ in VALID])
def test_both_accept(name: str, change: Callable[[dict[str, Any]], object], with_base: bool) -> None:
    data = mutate(change)
    assert schema_errors(data) == []
    assert loader_errors(data, with_base) == []


# Cross-field and cross-file facts a JSON Schema cannot express: `cfgscan matrix check` alone refuses these.
LOADER_ONLY: list[tuple[str, Callable[[dict[str, Any]], object]]] = [
    ("releases out of order", lambda d: d["releases"].reverse()),
    ("removed not after deprecated", rule(deprecated="2.0", removed="1.0")),
    ("a version that is not a listed release", rule(removed="3.0")),
    ("a file that is not declared", rule(file="other")),
    ("extends naming another product", lambda d: d.update(extends="other")),
    ("a rename cycle", rule(fix={"action": "rename", "to": "a.b"})),
    ("a rename target with a new wildcard", rule(fix={"action": "rename", "to": "a.*"})),
    ("a stop that is not a release", lambda d: d["upgrade"].update(stops=["1.5"])),
    ("a duplicate id in one file", lambda d: d["rules"].append(dict(d["rules"][0], key="a.x"))),
]


@pytest.mark.parametrize(("name", "change"), LOADER_ONLY, ids=[n for n, _ in LOADER_ONLY])
def test_loader_only_checks(name: str, change: Callable[[dict[str, Any]], object]) -> None:
    data = mutate(change)
    assert schema_errors(data) == []
    assert loader_errors(data)


def test_the_schema_is_valid_draft_2020_12() -> None:
    Draft202012Validator.check_schema(SCHEMA)
    assert SCHEMA["$schema"] == "https://json-schema.org/draft/2020-12/schema"


@pytest.mark.parametrize(("name", "text"), list(bundled_files()), ids=lambda x: x if x.endswith("yaml") else "")
def test_every_bundled_matrix_is_valid(name: str, text: str) -> None:
    assert schema_errors(load_yaml(text)) == []


def test_the_bundled_matrix_loads(bundled: Matrix) -> None:
    assert bundled.products  # the loader's verdict on the same files


@pytest.fixture(scope="module")
def bundled() -> Matrix:
    from scanner.matrix_sources import load_all

    return load_all(plugins=False)


@pytest.mark.parametrize(("schema_part", "loader_fields"), [
    (SCHEMA, loader.TOP_FIELDS),
    (DEFS["rule"], loader.RULE_FIELDS),
    (DEFS["release"], loader.RELEASE_FIELDS),
    (DEFS["fileSpec"], loader.FILE_FIELDS),
    (SCHEMA["properties"]["upgrade"], loader.UPGRADE_FIELDS),
    (DEFS["fix"], loader.FIX_FIELDS),
], ids=["top", "rule", "release", "file", "upgrade", "fix"])
def test_the_same_fields(schema_part: dict[str, Any], loader_fields: set[str]) -> None:
    assert schema_part["additionalProperties"] is False
    assert set(schema_part["properties"]) == loader_fields


@pytest.mark.parametrize(("enum", "values"), [
    (DEFS["fileSpec"]["properties"]["format"]["enum"], loader.FORMATS),
    (SCHEMA["properties"]["upgrade"]["properties"]["step"]["enum"], loader.STEPS),
    (DEFS["fix"]["properties"]["action"]["enum"], loader.FIX_ACTIONS),
    (DEFS["rule"]["properties"]["kind"]["enum"], loader.KINDS),
    (SCHEMA["properties"]["versions_from"]["propertyNames"]["enum"], loader.VERSION_SOURCES),
], ids=["formats", "steps", "fix-actions", "kinds", "version-sources"])
def test_the_same_enums(enum: list[str], values: tuple[str, ...]) -> None:
    assert enum == list(values)


def test_the_same_id_patterns() -> None:
    assert DEFS["productId"]["pattern"] == loader.PRODUCT_ID.pattern
    assert DEFS["rule"]["properties"]["id"]["pattern"] == loader.RULE_ID.pattern


def _parses_as_version(text: str) -> bool:
    try:
        Version(text)
    except InvalidVersion:
        return False
    return True


def _parses_as_key_path(text: str) -> bool:
    try:
        parse_pattern(text)
    except KeyPathError:
        return False
    return True


VERSION_RE = re.compile(DEFS["version"]["pattern"])
KEYPATH_RE = re.compile(DEFS["keyPath"]["pattern"])


@given(st.one_of(st.text(alphabet="0123456789.!+-_ vVaAbBcrRpPeEoOsStTdDlLhHiw\n", max_size=14),
                 st.from_regex(r"\A[0-9]{1,3}(\.[0-9]{1,3}){0,3}([ab]|rc|\.post|\.dev)?[0-9]?\Z")))
def test_the_version_pattern_is_pep_440(text: str) -> None:
    assert (VERSION_RE.search(text) is not None) == _parses_as_version(text)


@given(st.text(alphabet='ab.[]"*? \n', max_size=12))
def test_the_key_path_pattern_is_the_loader_syntax(text: str) -> None:
    assert (KEYPATH_RE.search(text) is not None) == _parses_as_key_path(text)


@pytest.mark.parametrize("text", ["a.b", '"a.b"', "[]", "a[][]", "**.x", "a.[]", '""', "a.*.b", "testenv*.deps[]"])
def test_key_path_examples(text: str) -> None:
    assert KEYPATH_RE.search(text) and _parses_as_key_path(text)
