"""The pull-request comment: counts in the heading, a table by severity, details folded away."""

from __future__ import annotations

import pytest

from scanner.reporters import markdown
from scanner.reporters.escape import markdown_cell
from scanner.scan import ScanResult
from tests.reporters.conftest import Scan


def table_rows(text: str) -> list[list[str]]:
    main = text.split("<details>")[0]
    return [[c.strip() for c in line.strip("|").split(" | ")] for line in main.splitlines()
            if line.startswith("| ") and not line.startswith("| Severity")]


def test_heading_counts_everything(full: ScanResult) -> None:
    first = markdown.render(full).splitlines()[0]
    assert first == "## cfgscan: 5 findings (3 breaking, 2 deprecated), 1 parse error, 2 suppressed"


def test_table_is_sorted_by_severity_then_place(full: ScanResult) -> None:
    rows = table_rows(markdown.render(full))
    assert [(r[0], r[1].split("]")[0].lstrip("["), r[2]) for r in rows] == [
        ("breaking", "ACME003", "`acme.toml:3`"),
        ("breaking", "ACME001", "`acme.yaml:3`"),
        ("breaking", "ACME007", "`acme.yaml:7`"),
        ("deprecated", "ACME006", "`.env:1`"),
        ("deprecated", "ACME002", "`acme.yaml:12`"),
    ]
    assert rows[1][1] == "[ACME001](https://example.invalid/acme/3.0)"
    assert rows[1][3:] == ["`server.old_port`", "server.old_port is renamed to server.port.",
                           "breaks-at-target; use `server.port`"]


def test_details_hold_parse_errors_and_suppressed_findings(full: ScanResult) -> None:
    text = markdown.render(full)
    folded = text.split("<details>")[1:]
    assert len(folded) == 2
    assert folded[0].startswith("\n<summary>1 parse error</summary>") and "`broken/acme.yaml:2`" in folded[0]
    assert "<summary>2 suppressed findings</summary>" in folded[1]
    assert "| ACME004 | `acme.ini:3` | `core.sql_conn` | moving to [database] in Q3 | inline |" in folded[1]
    assert "tsconfig is generated | config |" in folded[1]
    assert text.count("</details>") == 2


def test_a_clean_scan_says_so(scan: Scan) -> None:
    text = markdown.render(scan(ignore=("ACME",)))
    assert text.splitlines()[0] == "## cfgscan: 0 findings"
    assert "No deprecated or breaking configuration found." in text and "<details>" not in text


@pytest.mark.parametrize(("raw", "as_cell", "as_code"), [
    ("plain", "plain", "`plain`"),
    ("a|b", "a\\|b", "`a\\|b`"),
    ("two\nlines", "two lines", "`two lines`"),
    ("tick`ed", "tick`ed", "`` tick`ed ``"),
    ("esc\x1b[2J", "esc\\\\x1b[2J", "`esc\\\\x1b[2J`"),
])
def test_cells_cannot_break_the_table(raw: str, as_cell: str, as_code: str) -> None:
    assert markdown_cell(raw) == as_cell
    assert markdown.code(raw) == as_code
