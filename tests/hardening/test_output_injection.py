"""File names from the scanned tree are escaped in every report: a name holding a newline cannot start a GitHub
workflow command in a CI log, an ESC cannot drive the terminal, and JUnit and SARIF stay valid for any name."""

from __future__ import annotations

import json
import os
import re
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import pytest

from scanner.cli import main
from tests.hardening.harness import BASE

# Linux allows every byte in a name but / and NUL
HOSTILE = [b"case-x\n::error::pwned.yaml", b"case-\x1b[2J\x1b[31mred.yaml", b"case-\r\x07bel.yaml",
           "case-\u202egnp.yaml".encode(), "case-\u2028sep.yaml".encode(), "case-\x9bc1.yaml".encode(),
           b"case-\xff\xfe.yaml", b"case-\x01\x02\x7f.yaml", b"case-%0A::warning::x.yaml", b"case-a,b:c=d.yaml",
           b"case-\ttab.yaml"]
BROKEN = b"case-bad\n::error::\x1b.yaml"  # a parse error names its file too
FINDING = b"server:\n  old_port: 1\n"
# a character no report may carry raw: C0 but newline, DEL, C1, bidi controls, separators, lone surrogates
RAW = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069\ud800-\udfff]")
SCHEMA = next((p / "shared" / "reference" / "sarif-schema-2.1.0.json" for p in Path(__file__).resolve().parents
               if (p / "shared" / "reference" / "sarif-schema-2.1.0.json").is_file()), None)


@pytest.fixture(scope="module")
def tree(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("hostile")
    (root / ".git").mkdir()
    for name in HOSTILE:
        with open(os.path.join(os.fsencode(root), name), "wb") as f:
            f.write(FINDING)
    with open(os.path.join(os.fsencode(root), BROKEN), "wb") as f:
        f.write(b"a: [\n")
    return root


def report(tree: Path, fmt: str) -> str:
    out = tree.parent / f"{tree.name}.{fmt}"
    old = os.getcwd()
    os.chdir(tree)
    try:
        code = main(["scan", ".", "--format", fmt, "--output", str(out), *BASE])
    finally:
        os.chdir(old)
    assert code == 1
    return out.read_bytes().decode("utf-8")  # strict: no undecodable byte of a name gets through


@pytest.mark.parametrize("fmt", ["text", "json", "sarif", "junit", "markdown", "github"])
def test_no_raw_control_character_reaches_any_format(tree: Path, fmt: str) -> None:
    text = report(tree, fmt)
    assert not RAW.search(text), repr(RAW.search(text))
    assert not any(line.startswith(("::error::pwned", "::warning::x")) for line in text.splitlines())


def test_text_shows_each_name_escaped_on_one_line(tree: Path) -> None:
    lines = report(tree, "text").splitlines()
    assert len(lines) == len(HOSTILE) + 1  # a finding per file, and the parse error
    assert "case-x\\n::error::pwned.yaml:2:3: HARD001 old_port is deprecated." in lines[0] or any(
        line.startswith("case-x\\n::error::pwned.yaml:2:3: HARD001") for line in lines)
    assert any(line.startswith("case-\\x1b[2J\\x1b[31mred.yaml:2:3:") for line in lines)
    assert any(line.startswith("case-\\xff\\xfe.yaml:2:3:") for line in lines)
    assert any(line.startswith("case-\\u202egnp.yaml:2:3:") for line in lines)


def test_github_annotations_keep_one_line_each(tree: Path) -> None:
    lines = report(tree, "github").splitlines()
    annotations = [line for line in lines if line.startswith("::")]
    assert len(annotations) == len(HOSTILE) + 1 and len(lines) == len(annotations) + 1
    assert any("file=case-x%0A%3A%3Aerror%3A%3Apwned.yaml," in a for a in annotations)  # the runner's own escape
    assert any("file=case-%250A%3A%3Awarning%3A%3Ax.yaml," in a for a in annotations)
    assert any("file=case-a%2Cb%3Ac=d.yaml," in a for a in annotations)


def test_json_keeps_the_names_exactly(tree: Path) -> None:
    doc = json.loads(report(tree, "json"))
    assert {f["file"] for f in doc["findings"]} == {os.fsdecode(n) for n in HOSTILE}
    assert [e["file"] for e in doc["errors"]] == [os.fsdecode(BROKEN)]


def test_junit_parses_and_names_each_file(tree: Path) -> None:
    root = ET.fromstring(report(tree, "junit"))
    files = {case.get("file") for case in root.iter("testcase")}
    assert "case-x\\n::error::pwned.yaml" in files and "case-\\xff\\xfe.yaml" in files
    assert len(files) == len(HOSTILE) + 1


def test_sarif_is_valid_and_points_at_the_real_bytes(tree: Path) -> None:
    doc: dict[str, Any] = json.loads(report(tree, "sarif"))
    uris = {r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in doc["runs"][0]["results"]}
    assert "case-%FF%FE.yaml" in uris and "case-x%0A%3A%3Aerror%3A%3Apwned.yaml" in uris
    if SCHEMA is None:
        pytest.skip("the SARIF schema is not in shared/reference above this checkout")
    jsonschema = pytest.importorskip("jsonschema")
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    errors = list(jsonschema.validators.validator_for(schema)(schema).iter_errors(doc))
    assert errors == [], errors[0].message if errors else ""


@pytest.mark.parametrize("fmt", ["text", "json", "markdown", "html"])
def test_the_plan_escapes_names_in_every_format(tree: Path, fmt: str) -> None:
    out = tree.parent / f"{tree.name}-plan.{fmt}"
    old = os.getcwd()
    os.chdir(tree)
    try:
        main(["plan", ".", "--format", fmt, "--output", str(out), "--target", "hard=1.0", *BASE])
    finally:
        os.chdir(old)
    text = out.read_bytes().decode("utf-8")
    assert "pwned" in text  # the findings are there
    assert not RAW.search(text), repr(RAW.search(text))
    assert not any(line.startswith("::error::pwned") for line in text.splitlines())
