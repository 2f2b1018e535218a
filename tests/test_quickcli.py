"""The typer-free path for a plain ``cfgscan scan`` gives the same report and exit code as the typer application."""

from __future__ import annotations

from pathlib import Path

import pytest

from scanner import cli, quickcli

ACME = Path(__file__).parent / "fixtures" / "acme"


@pytest.mark.parametrize("args", [
    ["scan", "a.yaml", "--format", "json", "-t", "acme=3.0", "--installed=acme=2.5", "b.yaml", "--no-inventory"],
    ["scan"],
    ["scan", "--color", "--fail-on", "never", "--max-file-size", "100"],
])
def test_plain_scans_are_parsed_here(args: list[str]) -> None:
    assert quickcli.parse_plain_scan(args) is not None


@pytest.mark.parametrize("args", [
    ["scan", "--fix"], ["scan", "--help"], ["scan", "-h"], ["scan", "--unknown"], ["scan", "--form", "json"],
    ["scan", "--max-file-size", "big"], ["fix", "."], ["matrix", "list"], [], ["--version"],
])
def test_everything_else_goes_to_typer(args: list[str]) -> None:
    assert quickcli.parse_plain_scan(args) is None


def test_same_report_and_exit_code_as_typer(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(ACME / "repo")
    monkeypatch.delenv("VIRTUAL_ENV", raising=False)
    args = ["scan", "acme.yaml", "acme.ini", "--matrix", str(ACME / "acme-matrix.yaml"), "--no-inventory",
            "--installed", "acme=2.5", "--target", "acme=3.0", "--format", "json"]
    fast_code = quickcli.main(args)
    fast = capsys.readouterr()
    full_code = cli.main(args)
    full = capsys.readouterr()
    assert fast_code == full_code == 1
    strip = [line for line in fast.out.splitlines() if '"seconds"' not in line]
    assert strip == [line for line in full.out.splitlines() if '"seconds"' not in line]
    assert fast.err.split("(")[0] == full.err.split("(")[0]


def test_usage_errors_exit_2_with_one_line(capsys: pytest.CaptureFixture[str]) -> None:
    assert quickcli.main(["scan", "--target", "nonsense", "--no-inventory"]) == 2
    assert capsys.readouterr().err.startswith("cfgscan: error: --target 'nonsense'")
