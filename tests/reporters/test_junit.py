"""JUnit XML: a suite per product, a case per finding, skipped suppressions, parse errors, right counts."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest

from scanner.reporters import junit
from scanner.reporters.escape import printable
from scanner.scan import ScanResult
from tests.reporters.conftest import Scan

COUNTS = ("tests", "failures", "errors", "skipped")


def parse(result: ScanResult) -> ET.Element:
    return ET.fromstring(junit.render(result))


def counts(element: ET.Element) -> tuple[int, ...]:
    return tuple(int(element.get(k, "-1")) for k in COUNTS)


def test_suites_and_counts(full: ScanResult) -> None:
    root = parse(full)
    suites = {s.get("name", ""): s for s in root.findall("testsuite")}
    assert sorted(suites) == ["acme", "cfgscan"]
    # 7 findings: 5 fail, ACME004 (inline) and ACME005 (tool config) are skipped; the parse error is an error
    assert counts(suites["acme"]) == (7, 5, 0, 2)
    assert counts(suites["cfgscan"]) == (1, 0, 1, 0)
    assert counts(root) == (8, 5, 1, 2)
    for suite in suites.values():
        cases = suite.findall("testcase")
        assert int(suite.get("tests", "0")) == len(cases)
        assert int(suite.get("failures", "0")) == sum(c.find("failure") is not None for c in cases)


def test_a_failing_case_names_rule_file_and_line(full: ScanResult) -> None:
    case = parse(full).find(".//testcase[@name='ACME001 acme.yaml:3']")
    assert case is not None and case.get("classname") == "acme"
    failure = case.find("failure")
    assert failure is not None
    assert failure.get("type") == "breaking" and failure.get("message") == "server.old_port is renamed to server.port."
    body = failure.text or ""
    assert "acme.yaml:3:3: ACME001" in body and "breaks-at-target" in body and "Use server.port instead." in body
    assert "https://example.invalid/acme/3.0" in body


@pytest.mark.parametrize(("name", "message"), [
    ("ACME004 acme.ini:3", "suppressed (inline): moving to [database] in Q3"),
    ("ACME005 acme.json:4", "suppressed (config): tsconfig is generated"),
])
def test_suppressed_findings_are_skipped_with_the_reason(full: ScanResult, name: str, message: str) -> None:
    skipped = parse(full).find(f".//testcase[@name='{name}']/skipped")
    assert skipped is not None and skipped.get("message") == message


def test_parse_errors_are_error_cases(full: ScanResult, scan: Scan) -> None:
    case = parse(full).find(".//testsuite[@name='cfgscan']/testcase")
    assert case is not None and case.get("name") == "parse error broken/acme.yaml:2"
    error = case.find("error")
    assert error is not None and error.get("type") == "parse-error" and error.get("message")


@pytest.mark.parametrize(("fail_on", "failures"), [("breaking", 4), ("deprecated", 7), ("info", 7), ("never", 0)])
def test_only_findings_that_fail_the_gate_are_failures(scan: Scan, fail_on: str, failures: int) -> None:
    root = parse(scan(fail_on=fail_on))
    assert counts(root) == (7, failures, 0, 0)


def test_a_clean_scan_is_one_passing_case(scan: Scan) -> None:
    root = parse(scan(ignore=("ACME",)))
    assert counts(root) == (1, 0, 0, 0)
    assert root.find("testsuite/testcase") is not None


@pytest.mark.parametrize(("raw", "clean"), [("ok", "ok"), ("tab\tand\nline", "tab\\tand\\nline"),
                                            ("bell\x07", "bell\\x07"), ("nul\x00", "nul\\x00"), ("é 🙂", "é 🙂"),
                                            ("cr\r", "cr\\r"), ("bad\udcff", "bad\\xff"), ("\ufffe", "\\ufffe")])
def test_text_that_xml_cannot_hold_is_escaped(raw: str, clean: str) -> None:
    assert printable(raw) == clean
    ET.fromstring(f"<a b='{clean}'>{clean}</a>")  # XML 1.0 holds it
