"""A finding whose product's installed version is unknown says so, and what it was judged at, in every format."""

from __future__ import annotations

import json

from scanner.reporters import render
from tests.reporters.conftest import Scan

NOTE = "acme version unknown, judged against 3.0"


def test_every_format_says_the_version_is_unknown(scan: Scan) -> None:
    result = scan(installed=(), targets=())
    assert {f.status for f in result.findings} == {"breaks-at-target", "deprecated-at-target"}
    doc = json.loads(render(result, "json"))
    assert all(f["installed"] is None and f["target"] == "3.0" for f in doc["findings"])
    sarif = json.loads(render(result, "sarif"))["runs"][0]["results"]
    assert all(f"[breaks-at-target; {NOTE}" in r["message"]["text"] or f"[deprecated-at-target; {NOTE}"
               in r["message"]["text"] for r in sarif)
    assert all(r["properties"]["target"] == "3.0" and "installed" not in r["properties"] for r in sarif)
    for fmt in ("text", "markdown", "github", "junit"):
        out = render(result, fmt)
        assert out.count(NOTE) + out.count("installed unknown, target 3.0") >= len(result.findings), fmt


def test_a_known_version_is_not_called_unknown(scan: Scan) -> None:
    result = scan()
    for fmt in ("text", "markdown", "github", "sarif"):
        assert "version unknown" not in render(result, fmt), fmt
