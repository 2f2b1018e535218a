"""SARIF 2.1.0: valid against the official schema, rules with metadata, locations, fingerprints, suppressions."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from scanner.reporters import sarif
from scanner.reporters.jsonout import document
from scanner.scan import ScanResult
from tests.reporters.conftest import Scan

SCHEMA = next((p / "shared" / "reference" / "sarif-schema-2.1.0.json" for p in Path(__file__).resolve().parents
               if (p / "shared" / "reference" / "sarif-schema-2.1.0.json").is_file()), Path("sarif-schema-2.1.0.json"))


def render(result: ScanResult) -> dict[str, Any]:
    out: dict[str, Any] = json.loads(sarif.render(result))
    return out


def results_by_rule(doc: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {r["ruleId"]: r for r in doc["runs"][0]["results"]}


@pytest.mark.parametrize("case", ["full", "clean", "errors only"])
def test_valid_against_the_official_schema(scan: Scan, full: ScanResult, case: str) -> None:
    if not SCHEMA.is_file():
        pytest.skip(f"the SARIF schema is not at {SCHEMA}")
    jsonschema = pytest.importorskip("jsonschema")
    result = {"full": lambda: full, "clean": lambda: scan(ignore=("ACME",)),
              "errors only": lambda: scan({"acme.yaml": "a: [\n"}, targets=(), installed=(("acme", "1.0"),))}[case]()
    schema = json.loads(SCHEMA.read_text())
    errors = list(jsonschema.validators.validator_for(schema)(schema).iter_errors(render(result)))
    assert errors == [], errors[0].message if errors else ""


def test_driver_and_rules_carry_the_matrix_metadata(full: ScanResult) -> None:
    run = render(full)["runs"][0]
    driver = run["tool"]["driver"]
    assert (driver["name"], driver["version"]) == ("cfgscan", document(full)["tool"]["version"])
    assert driver["informationUri"].startswith("https://")
    rules = {r["id"]: r for r in driver["rules"]}
    assert sorted(rules) == [f"ACME00{i}" for i in range(1, 8)]
    acme001 = rules["ACME001"]
    assert acme001["shortDescription"]["text"] == "server.old_port is renamed to server.port."
    assert "Deprecated in acme 2.0; removed in acme 3.0. Use server.port instead." in acme001["fullDescription"]["text"]
    assert acme001["helpUri"] == "https://example.invalid/acme/3.0"
    assert acme001["properties"]["product"] == "acme"
    assert acme001["properties"]["source"] == "https://example.invalid/acme/changelog"
    assert "helpUri" not in rules["ACME002"]  # no docs in the matrix: no made-up link
    for result in run["results"]:
        assert driver["rules"][result["ruleIndex"]]["id"] == result["ruleId"]


@pytest.mark.parametrize(("rule", "level", "region"), [
    ("ACME001", "error", (3, 3, 3, 11)),  # breaking
    ("ACME002", "warning", (12, 12, 12, 16)),  # deprecated, a value rule points at the value
    ("ACME006", "warning", (1, 1, 1, 15)),
])
def test_results_levels_and_regions(full: ScanResult, rule: str, level: str, region: tuple[int, ...]) -> None:
    r = results_by_rule(render(full))[rule]
    assert r["level"] == level
    got = r["locations"][0]["physicalLocation"]["region"]
    assert (got["startLine"], got["startColumn"], got["endLine"], got["endColumn"]) == region


def test_info_findings_are_notes(scan: Scan) -> None:
    result = scan({"acme.yaml": "server:\n  port: 1  # cfgscan: ignore[ACME001] nothing here\n"})
    assert results_by_rule(render(result))["CFG001"]["level"] == "note"


@pytest.mark.parametrize("checkout", [".git", ".hg"])
def test_locations_are_relative_to_the_repository_root(scan: Scan, tmp_path: Path, checkout: str) -> None:
    (tmp_path / checkout).mkdir()  # the project (with its tool config) is a folder of a larger repository
    doc = render(scan())
    run = doc["runs"][0]
    artifact = results_by_rule(doc)["ACME001"]["locations"][0]["physicalLocation"]["artifactLocation"]
    assert artifact == {"uri": "repo/acme.yaml", "uriBaseId": "%SRCROOT%"}
    assert run["originalUriBaseIds"]["%SRCROOT%"]["uri"] == tmp_path.resolve().as_uri() + "/"
    assert run["columnKind"] == "unicodeCodePoints"


def test_fingerprints_survive_inserted_lines(scan: Scan) -> None:
    before = {k: r["partialFingerprints"] for k, r in results_by_rule(render(scan())).items()}
    text = Path("acme.yaml").read_text()
    after_result = scan({"acme.yaml": "# a new first line\n\n" + text})
    after = {k: r["partialFingerprints"] for k, r in results_by_rule(render(after_result)).items()}
    assert before == after and all(set(fp) == {"cfgscan/v1"} for fp in after.values())
    assert results_by_rule(render(after_result))["ACME001"]["locations"][0]["physicalLocation"]["region"][
        "startLine"] == 5


@pytest.mark.parametrize(("rule", "suppressions"), [
    ("ACME004", [{"kind": "inSource", "status": "accepted", "justification": "moving to [database] in Q3"}]),
    ("ACME005", [{"kind": "external", "status": "accepted", "justification": "tsconfig is generated"}]),
    ("ACME001", None),
])
def test_suppressed_findings_stay_with_their_reason(full: ScanResult, rule: str,
                                                    suppressions: list[dict[str, str]] | None) -> None:
    assert results_by_rule(render(full))[rule].get("suppressions") == suppressions


def test_baseline_suppressions_are_external(scan: Scan, tmp_path: Path) -> None:
    from scanner.baseline import baseline_document

    base = tmp_path / "base.json"
    base.write_text(baseline_document(scan().findings))
    results = render(scan(baseline=str(base)))["runs"][0]["results"]
    assert len(results) == 7
    assert all(r["suppressions"] == [{"kind": "external", "status": "accepted", "justification": "in baseline"}]
               for r in results)


def test_parse_errors_are_execution_notifications(full: ScanResult) -> None:
    invocation = render(full)["runs"][0]["invocations"][0]
    assert invocation["executionSuccessful"] is False
    [note] = invocation["toolExecutionNotifications"]
    assert note["level"] == "error" and note["message"]["text"]
    location = note["locations"][0]["physicalLocation"]
    assert location["artifactLocation"]["uri"] == "broken/acme.yaml"
    assert location["region"]["startLine"] == 2


def test_a_clean_run_is_successful_and_empty(scan: Scan) -> None:
    clean = render(scan(ignore=("ACME",)))["runs"][0]
    assert clean["invocations"][0] == {"executionSuccessful": True, "toolExecutionNotifications": []}
    assert clean["results"] == [] and clean["tool"]["driver"]["rules"] == []


def test_expired_ignore_warning_is_a_configuration_notification(scan: Scan) -> None:
    from scanner.options import IgnoreEntry

    result = scan(ignores=(IgnoreEntry("ACME001", reason="later", until="2001-01-01"),))
    notes = render(result)["runs"][0]["invocations"][0]["toolConfigurationNotifications"]
    assert [n["level"] for n in notes] == ["warning"] and "expired" in notes[0]["message"]["text"]


@pytest.mark.parametrize(("finding", "sentence"), [
    ({"product": "acme", "deprecated_in": "2.0", "removed_in": "3.0", "replacement": "b"},
     "Deprecated in acme 2.0; removed in acme 3.0. Use b instead."),
    ({"product": "acme", "deprecated_in": "2.0", "removed_in": None, "replacement": None}, "Deprecated in acme 2.0."),
    ({"product": "acme", "deprecated_in": None, "removed_in": "3.0", "replacement": None}, "Removed in acme 3.0."),
    ({"product": "cfgscan", "deprecated_in": None, "removed_in": None, "replacement": None}, ""),
])
def test_versions_sentence(finding: dict[str, Any], sentence: str) -> None:
    assert sarif.versions_sentence(finding) == sentence
