"""The bundled matrix, tested by data: every product's fixtures fire exactly the findings its case.yaml lists.

Each ``tests/matrix_cases/<product>/case.yaml`` has cases of a fixture folder, installed and target
versions, and the exact findings ("RULE path:line [status]"); the union of a product's cases must fire
every one of its rules, and its clean fixture nothing.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from scanner.matrix import Matrix
from scanner.matrix_sources import load_all
from scanner.options import Options
from scanner.scan import run_scan

CASES = Path(__file__).parent / "matrix_cases"


@pytest.fixture(scope="module")
def bundled() -> Matrix:
    return load_all(plugins=False)


def _cases() -> list[tuple[str, int, dict[str, Any]]]:
    out = []
    for case_file in sorted(CASES.glob("*/case.yaml")):
        data = yaml.safe_load(case_file.read_text())
        for i, case in enumerate(data["cases"]):
            out.append((case_file.parent.name, i, case))
    return out


def _scan(matrix: Matrix, folder: Path, case: dict[str, Any], monkeypatch: pytest.MonkeyPatch) -> list[Any]:
    monkeypatch.chdir(folder)
    options = Options(
        paths=(".",),
        installed=tuple((k, str(v)) for k, v in case.get("installed", {}).items()),
        targets=tuple((k, str(v)) for k, v in case.get("target", {}).items()),
        fail_on="never",
        project_root=str(folder),
        use_inventory=False,
    )
    result = run_scan(options, matrix, {})
    assert not result.errors, [(e.file, e.line, e.message) for e in result.errors]
    return result.findings


@pytest.mark.parametrize(
    ("product", "index", "case"), _cases(), ids=lambda x: str(x) if not isinstance(x, dict) else ""
)
def test_case(bundled: Matrix, product: str, index: int, case: dict[str, Any], monkeypatch: pytest.MonkeyPatch) -> None:
    findings = [f for f in _scan(bundled, CASES / product / case["dir"], case, monkeypatch) if f.product == product]
    expected = sorted(" ".join(e.split()[:2]) for e in case.get("expect") or [])
    got = sorted(f"{f.rule} {f.file}:{f.line}" for f in findings)
    assert got == expected
    statuses = {f"{f.rule} {f.file}:{f.line}": f.status for f in findings}
    for entry in case.get("expect") or []:
        parts = entry.split()
        if len(parts) > 2:
            assert statuses[" ".join(parts[:2])] == parts[2], entry


def test_every_rule_of_every_product_fires_somewhere(bundled: Matrix) -> None:
    expected_rules: dict[str, set[str]] = {}
    for product, _, case in _cases():
        for line in case.get("expect") or []:
            expected_rules.setdefault(product, set()).add(line.split()[0])
    missing = []
    for pid, product in bundled.products.items():
        if not product.rules:
            continue
        fired = expected_rules.get(pid, set())
        missing.extend(f"{r.id} ({pid})" for r in product.rules if r.id not in fired)
    assert not missing, f"rules no fixture fires: {missing[:20]}"


def test_every_product_has_a_clean_case(bundled: Matrix) -> None:
    clean = {p for p, _, case in _cases() if not case.get("expect")}
    lacking = [pid for pid, p in bundled.products.items() if p.rules and pid not in clean]
    assert not lacking


def test_every_rule_is_sourced_and_versioned(bundled: Matrix) -> None:
    for product in bundled.products.values():
        releases = {r.version for r in product.releases}
        for rule in product.rules:
            assert rule.source.startswith("https://"), rule.id
            for v in (rule.deprecated, rule.removed, rule.changed):
                assert v is None or v in releases, (rule.id, v)
            assert rule.id[:1].isalpha()


REQUIRED = {
    "django",
    "flask",
    "celery",
    "airflow",
    "pytest",
    "ruff",
    "mypy",
    "tox",
    "pre-commit",
    "setuptools",
    "poetry",
    "sphinx",
    "kubernetes",
    "docker-compose",
    "github-actions",
    "typescript",
    "python",
    "node",
}


def test_the_products_promised_are_bundled(bundled: Matrix) -> None:
    assert set(bundled.products) >= REQUIRED
    assert sum(len(p.rules) for p in bundled.products.values()) >= 250


def test_version_windows_of_every_bundled_rule(bundled: Matrix) -> None:
    """At both sides of each rule's deprecation and removal, the matcher gives the documented status."""
    from packaging.version import Version

    from scanner.match import Versions, judge

    def at(version: Version, target: Version | None = None) -> Versions:
        return Versions(version, str(version), "test", target or version, str(target or version))

    checked = 0
    for product in bundled.products.values():
        releases = [r.parsed for r in product.releases]
        for rule in product.rules:
            if rule.kind == "default-changed":
                c = Version(str(rule.changed))
                before = [v for v in releases if v < c]
                if before:
                    assert judge(rule, at(before[-1], c)) == ("breaking", "default-changes-at-target"), rule.id
                    assert judge(rule, at(before[-1], before[-1])) is None, rule.id
                assert judge(rule, at(c, c)) is None, rule.id
                checked += 1
                continue
            if rule.removed:
                r = Version(rule.removed)
                assert judge(rule, at(r)) == ("breaking", "broken-now"), rule.id
                before = [v for v in releases if v < r]
                if before:
                    assert judge(rule, at(before[-1], r)) == ("breaking", "breaks-at-target"), rule.id
                    assert (judge(rule, at(before[-1])) or ("", ""))[0] != "breaking", rule.id
            if rule.deprecated:
                d = Version(rule.deprecated)
                assert judge(rule, at(d)) == ("deprecated", "deprecated-now"), rule.id
                before = [v for v in releases if v < d]
                if before:
                    assert judge(rule, at(before[-1])) is None, rule.id
                    assert judge(rule, at(before[-1], d)) == ("deprecated", "deprecated-at-target"), rule.id
            checked += 1
    assert checked >= 250
