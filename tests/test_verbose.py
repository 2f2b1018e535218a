"""``cfgscan scan -v``: which spec claimed each path or why it was skipped, on stderr only, the same either way in."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest

import scanner.parallel as parallel
from scanner import cli, quickcli
from scanner.matrix_sources import load_all
from scanner.options import Options
from scanner.scan import run_scan
from tests.conftest import ACME_MATRIX, write_tree

MARKED = """schema: 1
product: marked
title: Marked
releases: [{version: "1.0"}, {version: "2.0"}]
upgrade: {step: each, stops: []}
files:
  conf: {format: yaml, include: ["**/marked.yaml"], contains: ["marked:"]}
rules: []
"""
ACME_OLD = "server:\n  old_port: 1\n"
ENTRY_POINTS = {"typer": cli.main, "fast path": quickcli.main}


@pytest.fixture
def tree(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("VIRTUAL_ENV", raising=False)
    (tmp_path / ".git").mkdir()
    (tmp_path / "marked-matrix.yaml").write_text(MARKED, encoding="utf-8")
    return write_tree(tmp_path, {
        "acme.yaml": ACME_OLD,
        "app/marked.yaml": "name: x\n",  # claimed by its name, but the marker is not in it
        "app/other/marked.yaml": "marked: yes\n",
        "build/acme.yaml": ACME_OLD,
        "cfg/local.acme.yaml": ACME_OLD,
        "sub/acme.yaml": ACME_OLD,
        "sub/.gitignore": "acme.yaml\n",
        ".gitignore": "# generated\nbuild/\n",
        "node_modules/x/acme.yaml": ACME_OLD,
        "env/pyvenv.cfg": "home = /usr\n",
        "env/acme.yaml": ACME_OLD,
        "notes.txt": "not a config\n",
        "README.md": "# x\n",
    })


def _scan(main: Callable[[list[str]], int], capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(["scan", *args, "--matrix", str(ACME_MATRIX), "--matrix", "marked-matrix.yaml", "--no-builtin-matrix",
                 "--no-inventory", "--installed", "acme=2.5", "--target", "acme=3.0"])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


@pytest.mark.parametrize("entry", list(ENTRY_POINTS))
def test_every_decision_is_said_on_stderr(entry: str, tree: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = _scan(ENTRY_POINTS[entry], capsys, "-v", "--format", "json")
    assert code == 1
    assert {f["file"] for f in json.loads(out)["findings"]} == {"acme.yaml"}  # stdout stays a JSON document
    lines = err.splitlines()
    assert lines[:-1] == [
        "cfgscan: config: none found (searched .)",
        "cfgscan: acme.yaml: claimed by acme:yamlconf",
        "cfgscan: app/marked.yaml: skipped (markers absent: marked:conf needs 'marked:')",
        "cfgscan: app/other/marked.yaml: claimed by marked:conf",
        "cfgscan: build/: skipped (ignored by .gitignore:2: build/)",
        "cfgscan: env/: skipped (a virtual environment: holds pyvenv.cfg)",
        "cfgscan: sub/acme.yaml: skipped (ignored by sub/.gitignore:1: acme.yaml)",
        "cfgscan: .: walked 10 files in 5 folders; 4 named as a config file (each listed), 6 others not listed "
        "(no product claims their names); never entered: .git, node_modules",
    ]
    assert lines[-1].startswith("cfgscan: 1 finding")


@pytest.mark.parametrize("entry", list(ENTRY_POINTS))
def test_a_named_file_nothing_claims_is_mentioned_even_when_the_report_goes_to_a_file(
    entry: str, tree: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = _scan(ENTRY_POINTS[entry], capsys, "--verbose", "notes.txt", "acme.yaml", "-o", "report.txt")
    assert code == 1 and out == ""
    assert "cfgscan: notes.txt: skipped (no product claims this name)" in err.splitlines()
    assert "cfgscan: acme.yaml: claimed by acme:yamlconf" in err.splitlines()
    assert "acme.yaml:2:3: ACME001" in (tree / "report.txt").read_text(encoding="utf-8")


@pytest.mark.parametrize("entry", list(ENTRY_POINTS))
def test_without_the_flag_nothing_is_said(entry: str, tree: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = _scan(ENTRY_POINTS[entry], capsys, "notes.txt", ".")
    assert code == 1
    assert len(err.splitlines()) == 1 and err.startswith("cfgscan: 1 finding")


def _decisions(tree: Path, **changes: object) -> dict[str, str]:
    options = Options(paths=(".",), installed=(("acme", "2.5"),), targets=(("acme", "3.0"),), fail_on="never",
                      project_root=str(tree), use_inventory=False, verbose=True, **changes)  # type: ignore[arg-type]
    matrix = load_all(cli_paths=[ACME_MATRIX, tree / "marked-matrix.yaml"], builtin=False, plugins=False)
    result = run_scan(options, matrix, {})
    return {d.file: f"{d.verdict}: {d.detail}" for d in result.decisions}


def test_too_big_unreadable_and_excluded_files_say_why(tree: Path) -> None:
    (tree / "acme.yaml").write_bytes(b"\x00\x01binary")
    (tree / "app" / "other" / "marked.yaml").write_text("marked: yes\n" * 100, encoding="utf-8")
    got = _decisions(tree, max_file_size=100, exclude=("cfg/",))
    assert got["acme.yaml"] == "skipped: unreadable: binary content (NUL bytes); not a text config file"
    assert got["app/other/marked.yaml"].startswith("skipped: larger than the 100 bytes limit")
    assert got["cfg/"] == "skipped: excluded by the exclude pattern 'cfg/'"


def test_a_scan_that_is_not_verbose_records_no_decision(tree: Path) -> None:
    options = Options(paths=("notes.txt", "."), fail_on="never", project_root=str(tree), use_inventory=False)
    matrix = load_all(cli_paths=[ACME_MATRIX], builtin=False, plugins=False)
    assert run_scan(options, matrix, {}).decisions == []


def test_worker_processes_send_their_decisions_back(tree: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    single = _decisions(tree)
    monkeypatch.setattr(parallel, "PARALLEL_THRESHOLD", 0)
    monkeypatch.setattr(parallel, "CHUNK", 1)
    assert _decisions(tree) == single
    assert single["app/other/marked.yaml"] == "claimed: marked:conf"

