"""GitHub workflow commands: one annotation per unsuppressed finding, escaped as the runner expects."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from scanner.reporters import github
from scanner.reporters.escape import github_data, github_property
from scanner.scan import ScanResult
from tests.reporters.conftest import Scan


@pytest.mark.parametrize(("raw", "data", "prop"), [
    ("plain", "plain", "plain"),
    ("100%", "100%25", "100%25"),
    ("a\nb\r\n", "a%0Ab%0D%0A", "a%0Ab%0D%0A"),
    ("a: b, c", "a: b, c", "a%3A b%2C c"),
    ("%0A", "%250A", "%250A"),  # an escape sequence in the text is not unescaped by the runner
    ("C:\\x,y", "C:\\x,y", "C%3A\\x%2Cy"),
    ("esc\x1b[2J\x9b\u202e", "esc\\x1b[2J\\x9b\\u202e", "esc\\x1b[2J\\x9b\\u202e"),  # shown, never sent
])
def test_escaping(raw: str, data: str, prop: str) -> None:
    assert github_data(raw) == data
    assert github_property(raw) == prop


def test_annotations(full: ScanResult) -> None:
    lines = github.render(full).splitlines()
    annotations = [line for line in lines if line.startswith("::")]
    assert "::error file=acme.yaml,line=3,endLine=3,col=3,endColumn=11,title=ACME001::server.old_port is " \
           "renamed to server.port. [breaks-at-target; use server.port]" in annotations
    assert "::warning file=acme.yaml,line=12,endLine=12,col=12,endColumn=16,title=ACME002::The spdy protocol " \
           "is deprecated. [deprecated-now]" in annotations
    # ACME004 and ACME005 are suppressed: no annotation; the parse error is one
    assert not any("ACME004" in a or "ACME005" in a for a in annotations)
    assert [a for a in annotations if "parse error" in a] == [
        next(a for a in annotations if a.startswith("::error file=broken/acme.yaml,line=2,col="))]
    assert len(annotations) == 6
    assert lines[-1].startswith("cfgscan: 5 findings") and "2 suppressed" in lines[-1]


@pytest.mark.parametrize(("severity", "command"), [("breaking", "error"), ("deprecated", "warning"),
                                                   ("info", "notice")])
def test_command_per_severity(scan: Scan, severity: str, command: str) -> None:
    files = {"acme.yaml": "server:\n  port: 1  # cfgscan: ignore[ACME001] gone\n"} if severity == "info" else {}
    result = scan(files)
    wanted = [f for f in result.findings if f.severity == severity]
    annotations = [line for line in github.render(result).splitlines() if line.startswith("::")]
    assert wanted and len([a for a in annotations if a.startswith(f"::{command} ")]) == len(wanted)


@pytest.mark.parametrize(("end_line", "expected"), [
    (3, "::error file=a.yaml,line=3,endLine=3,col=2,endColumn=9,title=X1::m%0Anext [broken-now]"),
    (5, "::error file=a.yaml,line=3,endLine=5,title=X1::m%0Anext [broken-now]"),  # columns only on one line
])
def test_columns_only_on_single_line_annotations(end_line: int, expected: str) -> None:
    finding: dict[str, Any] = {"rule": "X1", "severity": "breaking", "status": "broken-now", "file": "a.yaml",
                               "line": 3, "column": 2, "end_line": end_line, "end_column": 9, "message": "m\nnext",
                               "replacement": None, "product": "p", "installed": "2.0", "target": "2.0"}
    assert github.annotation(finding) == expected
    unknown = {**finding, "status": "breaks-at-target", "installed": None}
    assert github.annotation(unknown).endswith("::m%0Anext [breaks-at-target; p version unknown, judged against 2.0]")


def test_paths_are_relative_to_the_repository_root(scan: Scan, tmp_path: Path) -> None:
    (tmp_path / ".git").mkdir()
    annotations = github.render(scan({"broken/acme.yaml": "a: [\n"})).splitlines()
    assert any(a.startswith("::error file=repo/acme.yaml,line=3,") for a in annotations)
    assert any(a.startswith("::error file=repo/broken/acme.yaml,line=") for a in annotations)


def test_expired_ignore_is_a_warning_and_a_clean_run_only_summarises(scan: Scan) -> None:
    from scanner.options import IgnoreEntry

    clean = github.render(scan(ignore=("ACME",))).splitlines()
    assert len(clean) == 1 and clean[0].startswith("cfgscan: 0 findings")
    expired = github.render(scan(ignores=(IgnoreEntry("ACME001", until="2001-01-01"),))).splitlines()
    assert any(line.startswith("::warning title=cfgscan::ignore entry for ACME001") for line in expired)
