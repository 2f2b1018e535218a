"""Matrix validation: each kind of mistake is refused with the file, the line and the field."""

from __future__ import annotations

from pathlib import Path

import pytest

from scanner.errors import MatrixError
from scanner.matrix import merge_matrices, read_matrix_file
from scanner.matrix_sources import load_all

GOOD = """\
schema: 1
product: demo
title: Demo
versions_from: {pypi: demo}
releases:
  - {version: "1.0"}
  - {version: "2.0", requires: {python: ">=3.10"}}
upgrade: {step: each, stops: []}
files:
  conf: {format: yaml, include: ["**/demo.yaml"]}
rules:
  - id: DM001
    file: conf
    key: a.b
    deprecated: "1.0"
    removed: "2.0"
    message: gone
    fix: {action: rename, to: a.c}
    source: https://example.invalid/
"""


def problems(text: str) -> list[str]:
    try:
        merge_matrices([(read_matrix_file("demo.yaml", text), "bundled")])
    except MatrixError as exc:
        return exc.problems
    return []


def test_good_matrix_loads() -> None:
    m = merge_matrices([(read_matrix_file("demo.yaml", GOOD), "cli")])
    assert m.rules["DM001"].removed == "2.0"
    assert m.products["demo"].releases[1].requires == (("python", ">=3.10"),)


BAD = [
    ('    removed: "2.0"', '    removed: "0.5"', "demo.yaml:16: rules[0].removed", "must be later"),
    ("    key: a.b", "    key: a.b\n    colour: red", "demo.yaml:15: rules[0].colour", "unknown field"),
    ('    deprecated: "1.0"', '    deprecated: "one"', "demo.yaml:15: rules[0].deprecated", "does not parse"),
    ("    file: conf", "    file: other", "demo.yaml:13: rules[0].file", "not declared"),
    ("    key: a.b\n", "    key: a.b\n    value_regex: '(['\n", "demo.yaml:15: rules[0].value_regex", "invalid regex"),
    ("    fix: {action: rename, to: a.c}", "    fix: {action: rename, to: a.b}", "rename cycle", ""),
    ('    deprecated: "1.0"', "    deprecated: 1.10", "rules[0].deprecated", "quoted string"),
    ("    source: https://example.invalid/\n", "", "rules[0].source", "required"),
    ('    removed: "2.0"', '    removed: "3.0"', "not a listed release", ""),
    ("step: each", "step: sometimes", "upgrade.step", "must be one of"),
    ('include: ["**/demo.yaml"]', 'include: ["**/*.yaml"]', "files.conf.contains", "broad pattern"),
]


@pytest.mark.parametrize(("old", "new", "where", "what"), BAD)
def test_bad_matrix(old: str, new: str, where: str, what: str) -> None:
    assert old in GOOD
    found = problems(GOOD.replace(old, new))
    assert found, "the mistake was not detected"
    assert any(where in p and what in p for p in found), found


def test_rename_cycle_across_rules() -> None:
    text = GOOD.replace("    fix: {action: rename, to: a.c}", "    fix: {action: rename, to: a.c}") + """\
  - id: DM002
    file: conf
    key: a.c
    deprecated: "1.0"
    message: back
    fix: {action: rename, to: a.b}
    source: https://example.invalid/
"""
    assert any("rename cycle" in p for p in problems(text))


def test_duplicate_ids_across_files_name_both(tmp_path: Path) -> None:
    (tmp_path / "a.yaml").write_text(GOOD)
    (tmp_path / "b.yaml").write_text(GOOD.replace("releases:\n", "extends: demo\nreleases:\n"))
    with pytest.raises(MatrixError) as exc:
        load_all(cli_paths=[tmp_path / "a.yaml", tmp_path / "b.yaml"], builtin=False, plugins=False)
    text = str(exc.value)
    assert "duplicate rule id DM001" in text and "a.yaml" in text and "b.yaml" in text


def test_redefining_releases_needs_extends(tmp_path: Path) -> None:
    (tmp_path / "a.yaml").write_text(GOOD)
    (tmp_path / "b.yaml").write_text(GOOD.replace("DM001", "DX001"))
    with pytest.raises(MatrixError, match="extends: demo"):
        load_all(cli_paths=[tmp_path / "a.yaml", tmp_path / "b.yaml"], builtin=False, plugins=False)


def test_rules_only_file_extends_a_product(tmp_path: Path) -> None:
    (tmp_path / "a.yaml").write_text(GOOD)
    (tmp_path / "b.yaml").write_text("""\
schema: 1
product: demo
rules:
  - {id: XX001, file: conf, key: z, deprecated: "2.0", message: z, source: https://example.invalid/}
""")
    m = load_all(cli_paths=[tmp_path / "a.yaml", tmp_path / "b.yaml"], builtin=False, plugins=False)
    assert {r.id for r in m.products["demo"].rules} == {"DM001", "XX001"}


def test_yaml_syntax_error_names_file_and_line() -> None:
    with pytest.raises(MatrixError, match=r"demo.yaml:[23]: not valid YAML"):
        read_matrix_file("demo.yaml", "schema: 1\nproduct: [\n")


def test_a_repositorys_own_matrix_may_use_broad_patterns() -> None:
    text = GOOD.replace('include: ["**/demo.yaml"]', 'include: ["**/*.yaml"]')
    merge_matrices([(read_matrix_file("demo.yaml", text), "cli")])
    with pytest.raises(MatrixError, match="broad pattern"):
        merge_matrices([(read_matrix_file("demo.yaml", text), "plugin:x")])
