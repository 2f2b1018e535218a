"""Browsing the matrix: matrix list / matrix show / explain in text and JSON, suggestions, and examples that fire."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from scanner.browse import example_snippet, explain_rule, list_products, regex_sample, show_product
from scanner.errors import UsageError
from scanner.keypath import match_path
from scanner.match import RuleIndex, match_occurrences
from scanner.matrix import Matrix, Rule, merge_matrices, read_matrix_file
from scanner.matrix_sources import load_all
from scanner.parsers import get_parser
from tests.conftest import ACME_MATRIX, Run

ONLY_ACME = ["--matrix", str(ACME_MATRIX), "--no-builtin-matrix", "--no-plugin-matrix"]


@pytest.fixture(scope="module")
def acme() -> Matrix:
    return load_all(cli_paths=[ACME_MATRIX], builtin=False, plugins=False)


@pytest.fixture(scope="module")
def bundled() -> Matrix:
    return load_all(plugins=False)


def test_list_json(acme: Matrix) -> None:
    assert json.loads(list_products(acme, "json")) == {"version": 1, "products": [{
        "product": "acme", "title": "Acme Server", "source": "cli", "origin": str(ACME_MATRIX), "rules": 7,
        "releases": {"first": "1.0", "latest": "3.0", "count": 4}, "versions_from": {"pypi": "acme-server"},
        "rule_origins": [str(ACME_MATRIX)],
    }]}


def test_list_text(acme: Matrix) -> None:
    assert list_products(acme).splitlines() == [
        "PRODUCT  TITLE        SOURCE  RULES  RELEASES",
        "acme     Acme Server  cli         7  1.0 … 3.0 (4)",
        "1 product, 7 rules (sources: cli)",
    ]


def test_list_orders_by_source_and_names_every_rule_origin(tmp_path: Path) -> None:
    (tmp_path / "house.yaml").write_text(
        "schema: 1\nproduct: django\nrules:\n  - {id: HOUSE1, file: settings, key: X, deprecated: \"4.2\", "
        "message: no X here, source: https://example.invalid/}\n", encoding="utf-8")
    matrix = load_all(cli_paths=[ACME_MATRIX, tmp_path / "house.yaml"], plugins=False)
    items = json.loads(list_products(matrix, "json"))["products"]
    assert [i["source"] for i in items][-1] == "cli" and items[-1]["product"] == "acme"
    django = next(i for i in items if i["product"] == "django")
    assert django["rule_origins"] == ["<bundled>/django.yaml", str(tmp_path / "house.yaml")]
    assert f"django: rules from <bundled>/django.yaml, {tmp_path / 'house.yaml'}" in list_products(matrix)


def test_show_json(acme: Matrix) -> None:
    data = json.loads(show_product(acme, "acme", "json"))
    assert data["version"] == 1 and data["product"] == "acme"
    assert data["releases"][0] == {"version": "1.0", "lts": False, "requires": {}}
    assert data["upgrade"] == {"step": "each", "stops": []}
    assert data["files"]["iniconf"] == {"format": "ini", "include": ["**/acme.ini"], "exclude": [], "contains": [],
                                     "complete_when": []}
    assert [r["id"] for r in data["rules"]] == [f"ACME00{i}" for i in range(1, 8)]
    assert data["rules"][3]["fix"] == {"action": "rename", "to": "database.sql_conn", "safe": True}


def test_show_text(acme: Matrix) -> None:
    text = show_product(acme, "acme")
    assert text.startswith("acme — Acme Server\n")
    for line in ("upgrade:   step each; stops: none", "releases:  1.0, 2.0, 2.5, 3.0",
                 "  iniconf   ini     **/acme.ini", "rules (7):"):
        assert line in text.splitlines()
    row = next(line for line in text.splitlines() if line.strip().startswith("ACME004"))
    assert row.split()[:3] == ["ACME004", "iniconf", "core.sql_conn"]
    assert "deprecated 2.5 → removed 3.0" in row and "rename" in row


def test_show_releases_with_lts_and_requires(bundled: Matrix) -> None:
    django = json.loads(show_product(bundled, "django", "json"))
    lts = [r for r in django["releases"] if r["lts"]]
    assert lts and all(r["requires"].get("python") for r in lts)
    assert "4.2 (LTS, python>=3.8)" in show_product(bundled, "django").replace("\n           ", " ")


def test_explain_text(acme: Matrix) -> None:
    text = explain_rule(acme, "ACME004")
    assert text.startswith("ACME004: sql_conn moved to the database section.\n")
    for line in ("key:         core.sql_conn", "versions:    deprecated 2.5 → removed 3.0",
                 "replacement: database.sql_conn", "fix:         rename → 'database.sql_conn' (safe)",
                 "source:      https://example.invalid/acme/changelog", "files:       iniconf: ini, **/acme.ini",
                 "example, in acme.ini:", "  [core]", "  sql_conn = ..."):
        assert line in text.splitlines()


def test_explain_json(acme: Matrix) -> None:
    data = json.loads(explain_rule(acme, "acme002", "json"))  # ids are matched case-insensitively
    assert data["id"] == "ACME002" and data["value"] == "spdy" and data["deprecated"] == "2.5"
    assert data["file_spec"]["include"] == ["**/acme.yaml"]
    assert data["example"] == {"format": "yaml", "filename": "acme.yaml", "text": "listeners:\n- proto: spdy\n"}


def test_explain_a_default_changed_rule(bundled: Matrix) -> None:
    rule = next(r for r in bundled.rules.values() if r.kind == "default-changed")
    text = explain_rule(bundled, rule.id)
    assert f"default {rule.default_old!r} → {rule.default_new!r}" in text
    assert f"the rule fires while {rule.key} is absent" in text


@pytest.mark.parametrize(("call", "word", "hint"), [
    (show_product, "acm", "did you mean acme?"),
    (show_product, "kubernetis", "did you mean kubernetes?"),
    (show_product, "zzz", "`cfgscan matrix list` shows every product"),
    (explain_rule, "ACME01", "did you mean ACME001 or"),
    (explain_rule, "DJ9999", "(`cfgscan matrix show django` lists a product's rules)"),
    (explain_rule, "QQQ", "`cfgscan matrix show PRODUCT` lists a product's rules"),
])
def test_unknown_names_suggest(bundled: Matrix, acme: Matrix, call: Callable[[Matrix, str, str], str], word: str,
                               hint: str) -> None:
    matrix = Matrix({**bundled.products, **acme.products}, {**bundled.rules, **acme.rules})
    with pytest.raises(UsageError, match=f"unknown (product|rule) '{word}'") as exc:
        call(matrix, word, "text")
    assert hint in str(exc.value)
    assert "did you mean" not in str(exc.value) or word not in ("zzz", "QQQ")


@pytest.mark.parametrize("call", [list_products, show_product, explain_rule])
def test_only_text_and_json(acme: Matrix, call: Callable[..., str]) -> None:
    args = {"list_products": (), "show_product": ("acme",), "explain_rule": ("ACME001",)}[call.__name__]
    with pytest.raises(UsageError, match="choose one of text, json"):
        call(acme, *args, "sarif")


# --- examples: generated from the key path and the format -----------------------------------------

def make_rule(fmt: str, key: str, **extra: Any) -> Rule:
    fields = {"id": "EX001", "file": "f", "key": key, "deprecated": "1.0", "message": "m",
              "source": "https://example.invalid/", **extra}
    rule_yaml = json.dumps(fields)
    text = (f'schema: 1\nproduct: ex\ntitle: Ex\nreleases: [{{version: "1.0"}}]\n'
            f'files: {{f: {{format: {fmt}, include: ["**/x"]}}}}\nrules:\n  - {rule_yaml}\n')
    return merge_matrices([(read_matrix_file("ex.yaml", text), "cli")]).rules["EX001"]


EXAMPLES = [
    ("yaml", "server.old_port", {}, "server:\n  old_port: '...'\n"),
    ("yaml", "[].stages[]", {"value": "commit"}, "- stages:\n  - commit\n"),
    ("yaml", "apiVersion", {"value": "extensions/v1beta1", "where": {"kind": "Ingress"}},
     "apiVersion: extensions/v1beta1\nkind: Ingress\n"),
    ("yaml", "**.environment.AIRFLOW__STATSD_*", {}, "environment:\n  AIRFLOW__STATSD_EXAMPLE: '...'\n"),
    ("toml", "tool.acme.legacy_mode", {}, '[tool.acme]\nlegacy_mode = "..."\n'),
    ("toml", "tool.mypy.overrides[].strict_concatenate", {"value": True},
     "[[tool.mypy.overrides]]\nstrict_concatenate = true\n"),
    ("toml", "tool.ruff.lint.*select[]", {"value_regex": "^(ANN101|ANN102)$"},
     '[tool.ruff.lint]\nselect = ["ANN101"]\n'),
    ("toml", 'tool."my.tool".x', {}, '[tool."my.tool"]\nx = "..."\n'),
    ("ini", "core.sql_conn", {}, "[core]\nsql_conn = ...\n"),
    ("ini", "testenv*.deps[]", {"value": "pytest"}, "[testenv]\ndeps =\n    pytest\n"),
    ("ini", "mypy-*.strict_concatenate", {}, "[mypy-example]\nstrict_concatenate = ...\n"),
    ("json", "compilerOptions.target", {"value_regex": "(?i)^es3$"},
     '{\n  "compilerOptions": {\n    "target": "es3"\n  }\n}\n'),
    ("python", "CACHES.*.BACKEND", {"value": "x.Memcached"},
     'CACHES = {\n    "example": {\n        "BACKEND": "x.Memcached",\n    },\n}\n'),
    ("python", "USE_L10N", {"value": True}, "USE_L10N = True\n"),
    ("python", "PASSWORD_HASHERS[]", {}, 'PASSWORD_HASHERS = ["..."]\n'),
    ("dotenv", "AIRFLOW__CORE__EXECUTOR", {"value": "SequentialExecutor"},
     "AIRFLOW__CORE__EXECUTOR=SequentialExecutor\n"),
    ("javascript", "compilerOptions.old-flag", {"value": False},
     'module.exports = {\n    compilerOptions: {\n        "old-flag": false,\n    },\n};\n'),
]


@pytest.mark.parametrize(("fmt", "key", "extra", "expected"), EXAMPLES, ids=[f"{e[0]}:{e[1]}" for e in EXAMPLES])
def test_example_snippet(fmt: str, key: str, extra: dict[str, Any], expected: str) -> None:
    rule = make_rule(fmt, key, **extra)
    snippet = example_snippet(rule, fmt)
    assert snippet == expected
    assert _fires(rule, fmt, snippet)


def _fires(rule: Rule, fmt: str, snippet: str) -> bool:
    parsed = get_parser(fmt)(snippet)
    assert not parsed.errors, parsed.errors
    if rule.kind == "default-changed":  # shows the key set explicitly (to keep the old default)
        return any(match_path(rule.parts, o.path) for o in parsed.occurrences)
    return bool(match_occurrences(RuleIndex([rule]), parsed.occurrences, check_absent=False))


def _products() -> list[str]:
    return sorted(load_all(plugins=False).products)


@pytest.mark.parametrize("pid", _products())
def test_every_bundled_example_parses_and_fires(bundled: Matrix, pid: str) -> None:
    product = bundled.products[pid]
    failing = [r.id for r in product.rules
               if not _fires(r, product.files[r.file].format, example_snippet(r, product.files[r.file].format))]
    assert failing == []


@pytest.mark.parametrize(("pattern", "sample"), [
    ("^actions/cache@v[12](\\.|$)", "actions/cache@v1"),
    ("(^|\\s)--pastebin(=|\\s|$)", "--pastebin"),
    ("(?m)^\\s*License :: ", "License :: example"),
    ("^3\\.[4-6]$", "3.4"),
    ("(?i)^\\s*(1|true|yes|on)\\s*$", "1"),
    ("\\S", "a"),
    ("^macos-13(-large|-xlarge)?$", "macos-13-large"),
])
def test_regex_sample(pattern: str, sample: str) -> None:
    import re

    assert regex_sample(re.compile(pattern)) == sample


# --- the commands (cli.py wires them to scanner.browse) -----------------------------------------

def test_cli_matrix_list(cli: Callable[..., Run]) -> None:
    run = cli("matrix", "list", *ONLY_ACME)
    assert run.code == 0 and run.out.splitlines()[1].split()[:2] == ["acme", "Acme"]
    data = cli("matrix", "list", "--format", "json", *ONLY_ACME).json()
    assert [p["product"] for p in data["products"]] == ["acme"]


def test_cli_matrix_show_and_explain(cli: Callable[..., Run]) -> None:
    run = cli("matrix", "show", "acme", *ONLY_ACME)
    assert run.code == 0 and "ACME004" in run.out
    assert cli("matrix", "show", "acme", "--format", "json", *ONLY_ACME).json()["rules"][0]["id"] == "ACME001"
    run = cli("explain", "ACME004", *ONLY_ACME)
    assert run.code == 0 and "database.sql_conn" in run.out
    assert cli("explain", "ACME004", "-f", "json", *ONLY_ACME).json()["replacement"] == "database.sql_conn"


@pytest.mark.parametrize(("args", "message"), [
    (("matrix", "show", "acm"), "unknown product 'acm'; did you mean acme?"),
    (("explain", "ACME08"), "unknown rule 'ACME08'; did you mean"),
    (("matrix", "list", "--format", "sarif"), "choose one of text, json"),
    (("matrix", "list", "--matrix", "nowhere.yaml"), "nowhere.yaml: matrix file not found"),
])
def test_cli_errors_exit_2(cli: Callable[..., Run], args: tuple[str, ...], message: str) -> None:
    run = cli(*args, *ONLY_ACME)
    assert run.code == 2 and message in run.err and run.out == ""


def test_cli_uses_the_tool_config_matrix(cli: Callable[..., Run], tmp_path: Path) -> None:
    (tmp_path / "m").mkdir()
    (tmp_path / "m" / "acme.yaml").write_text(ACME_MATRIX.read_text(encoding="utf-8"), encoding="utf-8")
    (tmp_path / "pyproject.toml").write_text('[tool.cfgscan]\nmatrix = ["m"]\n', encoding="utf-8")
    run = cli("explain", "ACME001", "--no-builtin-matrix", "--no-plugin-matrix", cwd=tmp_path)
    assert run.code == 0 and "matrix:      m/acme.yaml (config)" in run.out
