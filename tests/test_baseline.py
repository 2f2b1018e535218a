"""Baselines: stale entries reported once per scan, only for what the scan could judge; `baseline --prune`."""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.conftest import ACME, ACME_MATRIX, Run, write_tree

VERSIONS = ["--installed", "acme=2.5", "--target", "acme=3.0"]
MATRIX = ["--matrix", str(ACME_MATRIX), "--no-builtin-matrix", "--no-inventory"]
CLI = Callable[..., Run]


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    shutil.copytree(ACME / "repo", tmp_path / "repo")
    (tmp_path / "repo" / ".git").mkdir()  # the project root
    return tmp_path / "repo"


def scan(cli: CLI, repo: Path, *args: str) -> Run:
    return cli("scan", *(args or (".",)), *MATRIX, *VERSIONS, "--format", "json", "--baseline", "base.json", cwd=repo)


def record(cli: CLI, repo: Path) -> list[dict[str, str]]:
    made = cli("baseline", ".", *MATRIX, *VERSIONS, "-o", "base.json", cwd=repo)
    assert made.code == 0 and made.err == "cfgscan: recorded 7 findings in base.json\n"
    entries: list[dict[str, str]] = json.loads((repo / "base.json").read_text())["findings"]
    return entries


def retire_two_findings(repo: Path) -> None:
    """ACME001 goes from acme.yaml (the line is fixed), and acme.ini with ACME004 is deleted."""
    yaml = repo / "acme.yaml"
    yaml.write_text(yaml.read_text().replace("old_port", "port"))
    (repo / "acme.ini").unlink()


STALE_TWO = "baseline base.json: 2 entries no longer match; run `cfgscan baseline --prune` to drop them"


def test_the_baseline_records_files_relative_to_the_project_root(cli: CLI, repo: Path) -> None:
    (repo / "sub").mkdir()
    made = cli("baseline", "..", *MATRIX, *VERSIONS, "-o", "../base.json", cwd=repo / "sub")
    assert made.code == 0
    entries = json.loads((repo / "base.json").read_text())["findings"]
    assert {e["file"] for e in entries} == {"acme.yaml", "acme.toml", "acme.ini", "acme.json", ".env"}
    assert scan(cli, repo).json()["warnings"] == []  # from the root, every entry still matches


def test_stale_entries_are_one_warning_per_scan(cli: CLI, repo: Path) -> None:
    record(cli, repo)
    assert scan(cli, repo).json()["warnings"] == []
    retire_two_findings(repo)
    run = scan(cli, repo)
    assert run.code == 0
    assert run.json()["warnings"] == [STALE_TWO]
    text = cli("scan", ".", *MATRIX, *VERSIONS, "--baseline", "base.json", cwd=repo)
    assert text.err.count("no longer match") == 1 and f"warning: {STALE_TWO}" in text.err


def test_a_scan_judges_only_the_entries_it_could_match(cli: CLI, repo: Path) -> None:
    record(cli, repo)
    retire_two_findings(repo)
    assert scan(cli, repo, "acme.toml", "acme.json").json()["warnings"] == []  # a hook run over other files
    one = "baseline base.json: 1 entry no longer matches; run `cfgscan baseline --prune` to drop it"
    assert scan(cli, repo, "acme.yaml").json()["warnings"] == [one]
    assert scan(cli, repo, ".", "--select", "ACME00", "--ignore", "ACME004").json()["warnings"] == [one]
    assert scan(cli, repo, ".", "--select", "ACME002").json()["warnings"] == []
    write_tree(repo, {"sub/acme.yaml": "server:\n  port: 1\n"})
    assert scan(cli, repo, "sub").json()["warnings"] == []


def test_a_file_that_no_longer_parses_keeps_its_entries(cli: CLI, repo: Path) -> None:
    record(cli, repo)
    (repo / "acme.yaml").write_text("server: [unclosed\n")  # its three findings vanish until it parses again
    run = scan(cli, repo)
    assert run.json()["errors"] and run.json()["warnings"] == []


def test_prune_drops_the_stale_entries_and_says_how_many(cli: CLI, repo: Path) -> None:
    before = record(cli, repo)
    retire_two_findings(repo)
    write_tree(repo, {"new/acme.yaml": "server:\n  old_port: 1\n"})  # a new finding is not recorded by a prune
    pruned = cli("baseline", ".", *MATRIX, *VERSIONS, "-o", "base.json", "--prune", cwd=repo)
    assert pruned.code == 0
    assert pruned.err == "cfgscan: pruned 2 stale entries from base.json (5 kept)\n"
    after = json.loads((repo / "base.json").read_text())["findings"]
    assert after == [e for e in before if (e["rule"], e["file"]) not in {("ACME001", "acme.yaml"),
                                                                         ("ACME004", "acme.ini")}]
    run = scan(cli, repo)
    assert run.json()["warnings"] == []
    assert [(f["file"], f["rule"]) for f in run.json()["findings"] if "suppressed" not in f] == [
        ("new/acme.yaml", "ACME001")]
    again = cli("baseline", ".", *MATRIX, *VERSIONS, "-o", "base.json", "--prune", cwd=repo)
    assert again.err == "cfgscan: pruned 0 stale entries from base.json (5 kept)\n"


def test_prune_keeps_bare_fingerprints_and_what_it_did_not_scan(cli: CLI, repo: Path) -> None:
    entries = record(cli, repo)
    (repo / "base.json").write_text(json.dumps({"findings": ["0" * 32, *entries]}))
    retire_two_findings(repo)
    pruned = cli("baseline", "acme.yaml", *MATRIX, *VERSIONS, "-o", "base.json", "--prune", cwd=repo)
    assert pruned.err == "cfgscan: pruned 1 stale entry from base.json (7 kept)\n"
    kept = json.loads((repo / "base.json").read_text())["findings"]
    assert kept[0] == "0" * 32 and {"file": "acme.ini", "rule": "ACME004"}.items() <= next(
        e for e in kept[1:] if e["rule"] == "ACME004").items()


def test_prune_needs_a_baseline(cli: CLI, repo: Path) -> None:
    run = cli("baseline", ".", *MATRIX, "--prune", cwd=repo)
    assert run.code == 2
    assert run.err.startswith("cfgscan: error: .cfgscan-baseline.json: baseline file not found")
    assert not (repo / ".cfgscan-baseline.json").exists()


def test_the_baseline_command_uses_the_configured_file(cli: CLI, repo: Path) -> None:
    (repo / ".cfgscan.toml").write_text('baseline = "ci/base.json"\n')
    (repo / "ci").mkdir()
    made = cli("baseline", ".", *MATRIX, *VERSIONS, cwd=repo)
    assert made.err == "cfgscan: recorded 7 findings in ci/base.json\n"
    retire_two_findings(repo)
    run = cli("scan", ".", *MATRIX, *VERSIONS, "--format", "json", cwd=repo)  # the configured baseline applies
    assert run.code == 0 and run.json()["warnings"] == [STALE_TWO.replace("base.json", "ci/base.json", 1)]
    pruned = cli("baseline", ".", *MATRIX, *VERSIONS, "--prune", cwd=repo)
    assert pruned.err == "cfgscan: pruned 2 stale entries from ci/base.json (5 kept)\n"
