"""The CLI end to end on fixture folders: findings, statuses, exit codes, errors, tool config."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.conftest import ACME, ACME_MATRIX, Run, write_tree

BASE = ["--matrix", str(ACME_MATRIX), "--no-builtin-matrix", "--no-inventory", "--format", "json"]


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    shutil.copytree(ACME / "repo", tmp_path / "repo")
    return tmp_path / "repo"


def got(run: Run) -> dict[tuple[str, int], tuple[str, str, str]]:
    return {(f["file"], f["line"]): (f["rule"], f["severity"], f["status"]) for f in run.json()["findings"]}


def test_findings_at_both_sides_of_the_target(cli: Callable[..., Run], repo: Path) -> None:
    run = cli("scan", ".", *BASE, "--installed", "acme=2.5", "--target", "acme=3.0", cwd=repo)
    assert run.code == 1
    assert got(run) == {
        ("acme.yaml", 3): ("ACME001", "breaking", "breaks-at-target"),
        ("acme.yaml", 12): ("ACME002", "deprecated", "deprecated-now"),
        ("acme.toml", 3): ("ACME003", "breaking", "broken-now"),
        ("acme.ini", 3): ("ACME004", "breaking", "breaks-at-target"),
        ("acme.json", 4): ("ACME005", "deprecated", "deprecated-now"),
        (".env", 1): ("ACME006", "deprecated", "deprecated-at-target"),
        ("acme.yaml", 7): ("ACME007", "breaking", "breaks-at-target"),
    }
    columns = {f["rule"]: (f["column"], f["end_column"]) for f in run.json()["findings"]}
    assert columns["ACME001"] == (3, 11)  # the key old_port
    assert columns["ACME002"] == (12, 16)  # the value spdy (a value rule points at the value)
    assert "findings: 7" not in run.err and "7 findings" in run.err


def test_earlier_versions(cli: Callable[..., Run], repo: Path) -> None:
    run = cli("scan", ".", *BASE, "--installed", "acme=1.0", "--target", "acme=1.0", "--fail-on", "breaking", cwd=repo)
    assert got(run) == {("acme.toml", 3): ("ACME003", "deprecated", "deprecated-now")}
    assert run.code == 0
    run = cli("scan", ".", *BASE, "--installed", "acme=3.0", cwd=repo)
    statuses = {v[2] for v in got(run).values()}
    assert statuses == {"broken-now", "deprecated-now"}


def test_fail_on_never_and_target_latest(cli: Callable[..., Run], repo: Path) -> None:
    assert cli("scan", ".", *BASE, "--installed", "acme=2.5", "--fail-on", "never", cwd=repo).code == 0
    run = cli("scan", ".", *BASE, "--installed", "acme=2.5", "--target", "latest", cwd=repo)
    assert run.json()["targets"]["acme"] == "3.0"


def test_unknown_installed_is_judged_against_latest_and_says_so(cli: Callable[..., Run], repo: Path) -> None:
    run = cli("scan", ".", *BASE, cwd=repo)
    f = run.json()["findings"][0]
    assert f["installed"] is None and f["target"] == "3.0"
    text = cli("scan", ".", *BASE[:-2], "--format", "text", cwd=repo).out
    assert "acme version unknown, judged against 3.0" in text


def test_a_target_past_the_newest_release_is_judged_at_it(cli: Callable[..., Run], repo: Path) -> None:
    at_newest = cli("scan", ".", *BASE, "--installed", "acme=2.5", "--target", "acme=3.0", cwd=repo)
    run = cli("scan", ".", *BASE, "--installed", "acme=2.5", "--target", "acme=9.0", cwd=repo)
    assert run.code == at_newest.code == 1  # by the findings, not a usage error
    warning = "--target acme=9.0 is newer than the newest acme release cfgscan knows (3.0): judged against 3.0"
    assert run.json()["warnings"] == [warning] and f"cfgscan: warning: {warning}\n" in run.err
    assert run.json()["targets"] == {"acme": "3.0"} and got(run) == got(at_newest)
    assert cli("scan", ".", *BASE, "--installed", "acme=2.5", "--target", "acme=9.0", "--fail-on", "never",
               cwd=repo).code == 0
    text = cli("scan", ".", *BASE[:-2], "--installed", "acme=2.5", "--target", "acme=9.0", cwd=repo)
    assert warning in text.err and warning not in text.out  # a diagnostic, like the summary


LATER = "more findings at the latest releases: run with --target latest"


def test_a_target_read_from_the_pins_says_what_latest_would_add(cli: Callable[..., Run], repo: Path) -> None:
    flags = ["--matrix", str(ACME_MATRIX), "--no-builtin-matrix", "--format", "json"]
    (repo / "requirements.txt").write_text("acme-server==1.0\n")
    at_pins = cli("scan", ".", *flags, cwd=repo)
    assert {f["target"] for f in at_pins.json()["findings"]} == {"1.0"}
    at_latest = cli("scan", ".", *flags, "--target", "latest", cwd=repo)
    more = len(at_latest.json()["findings"]) - len(at_pins.json()["findings"])
    assert more >= 5
    assert at_pins.json()["more_at_latest"] == {"findings": more, "targets": {"acme": "3.0"}}
    assert f"; {more} {LATER}" in at_pins.err.splitlines()[-1]
    # a target that was chosen says nothing more
    assert at_latest.json()["more_at_latest"] == {"findings": 0, "targets": {}} and LATER not in at_latest.err
    chosen = cli("scan", ".", *flags, "--target", "acme=1.0", cwd=repo)
    assert chosen.json()["more_at_latest"]["findings"] == 0 and LATER not in chosen.err
    # what a run at latest would suppress is not counted
    yaml_text = (repo / "acme.yaml").read_text()
    (repo / "acme.yaml").write_text(yaml_text.replace("# renamed in 3.0", "# cfgscan: ignore[ACME001]"))
    assert cli("scan", ".", *flags, cwd=repo).json()["more_at_latest"]["findings"] == more - 1


def test_select_and_ignore(cli: Callable[..., Run], repo: Path) -> None:
    run = cli("scan", ".", *BASE, "--installed", "acme=2.5", "--target", "acme=3.0", "--select", "ACME00",
              "--ignore", "ACME001", cwd=repo)
    rules = {v[0] for v in got(run).values()}
    assert "ACME001" not in rules and len(rules) == 6


def test_explicit_files_are_matched_like_the_hook(cli: Callable[..., Run], repo: Path) -> None:
    run = cli("scan", "acme.yaml", "acme.ini", "README", *BASE, "--installed", "acme=2.5", "--target", "acme=3.0",
              cwd=repo)
    assert {k[0] for k in got(run)} == {"acme.yaml", "acme.ini"}


def test_parse_error_is_reported_not_raised(cli: Callable[..., Run]) -> None:
    run = cli("scan", ".", *BASE, "--installed", "acme=2.5", cwd=ACME / "broken")
    assert run.code == 1
    errors = run.json()["errors"]
    assert errors[0]["file"] == "acme.yaml" and errors[0]["line"] == 2 and errors[0]["message"]
    assert cli("scan", ".", *BASE, "--installed", "acme=2.5", "--ignore-parse-errors", cwd=ACME / "broken").code == 0


def test_invalid_matrix_exits_2_naming_it(cli: Callable[..., Run], repo: Path, tmp_path: Path) -> None:
    bad = tmp_path / "bad-matrix.yaml"
    bad.write_text(ACME_MATRIX.read_text().replace('removed: "2.0"', 'removed: "0.1"'))
    run = cli("scan", ".", "--matrix", str(bad), "--no-builtin-matrix", cwd=repo)
    assert run.code == 2
    assert "bad-matrix.yaml" in run.err and "removed" in run.err and "Traceback" not in run.err


@pytest.mark.parametrize("args", [
    ["--target", "acme=2.2"], ["--target", "acme=0.5"], ["--target", "acme=x!"], ["--target", "nope=1.0"],
    ["--installed", "acme"], ["--fail-on", "sometimes"], ["--format", "xml"], ["--installed", "acme=not.a.version!"],
])
def test_usage_errors_exit_2(cli: Callable[..., Run], repo: Path, args: list[str]) -> None:
    run = cli("scan", ".", "--matrix", str(ACME_MATRIX), "--no-builtin-matrix", *args, cwd=repo)
    assert (run.code == 2 and run.err.startswith("cfgscan: error:")) or "Usage" in run.err


def test_tool_config_supplies_defaults(cli: Callable[..., Run], repo: Path) -> None:
    shutil.copy(ACME_MATRIX, repo / "acme-matrix.yaml")
    (repo / "pyproject.toml").write_text(
        '[tool.cfgscan]\nmatrix = ["acme-matrix.yaml"]\ninstalled = {acme = "2.5"}\ntarget = {acme = "3.0"}\n'
        'fail-on = "breaking"\nexclude = ["acme.ini"]\nbuiltin-matrix = false\n')
    run = cli("scan", ".", "--format", "json", "--no-inventory", cwd=repo)
    rules = {v[0] for v in got(run).values()}
    assert "ACME004" not in rules and "ACME001" in rules
    assert run.json()["targets"]["acme"] == "3.0"


def test_invalid_tool_config_exits_2(cli: Callable[..., Run], repo: Path) -> None:
    (repo / ".cfgscan.toml").write_text('fail-on = "breaking"\ncolour = "red"\n')
    run = cli("scan", ".", cwd=repo)
    assert run.code == 2 and ".cfgscan.toml" in run.err and "colour" in run.err


def test_gitignore_and_vcs_folders_are_skipped(cli: Callable[..., Run], tmp_path: Path) -> None:
    write_tree(tmp_path, {
        "acme.yaml": "server:\n  old_port: 1\n",
        "ignored/acme.yaml": "server:\n  old_port: 1\n",
        ".git/acme.yaml": "server:\n  old_port: 1\n",
        "node_modules/x/acme.yaml": "server:\n  old_port: 1\n",
        ".gitignore": "ignored/\n",
    })
    run = cli("scan", ".", *BASE, "--installed", "acme=2.5", cwd=tmp_path)
    assert {f["file"] for f in run.json()["findings"]} == {"acme.yaml"}


def test_text_report_and_summary(cli: Callable[..., Run], repo: Path) -> None:
    run = cli("scan", ".", "--matrix", str(ACME_MATRIX), "--no-builtin-matrix", "--no-inventory",
              "--installed", "acme=2.5", "--target", "acme=3.0", cwd=repo)
    assert "acme.yaml:3:3: ACME001 server.old_port is renamed to server.port." in run.out
    assert "\033[" not in run.out  # no colour when not on a terminal
    assert run.err.startswith("cfgscan: 7 findings (4 breaking, 3 deprecated)")


def test_bundled_matrices_are_valid(cli: Callable[..., Run]) -> None:
    run = cli("matrix", "check")
    assert run.code == 0, run.out


def test_python_dash_m_works() -> None:
    p = subprocess.run([sys.executable, "-m", "scanner", "--help"], capture_output=True, text=True, timeout=60)
    assert p.returncode == 0 and "scan" in p.stdout


def test_the_command_flushes_everything_and_keeps_the_exit_code(tmp_path: Path) -> None:
    """The console entry ends the process without Python's teardown: nothing written may be lost."""
    for i in range(300):
        (tmp_path / f"m{i}.yaml").write_text("apiVersion: extensions/v1beta1\nkind: Ingress\n", encoding="utf-8")
    p = subprocess.run([sys.executable, "-m", "scanner", "scan", str(tmp_path), "--target", "kubernetes=1.22",
                        "--format", "json"], capture_output=True, text=True, timeout=120)
    assert p.returncode == 1
    assert len(json.loads(p.stdout)["findings"]) == 300  # a 300-finding document, complete
    assert "300 findings" in p.stderr
    out = tmp_path / "report.json"
    p = subprocess.run([sys.executable, "-m", "scanner", "scan", str(tmp_path), "--target", "kubernetes=1.22",
                        "--format", "json", "--output", str(out)], capture_output=True, text=True, timeout=120)
    assert p.returncode == 1 and len(json.loads(out.read_text(encoding="utf-8"))["findings"]) == 300


def test_config_search_stops_at_the_repository_root_even_past_an_unreadable_pyproject(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import builtins

    from scanner.config import find_config

    (tmp_path / ".cfgscan.toml").write_text("fail-on = 'never'\n", encoding="utf-8")  # outside the repository
    repo = tmp_path / "repo"
    (repo / ".git").mkdir(parents=True)
    (repo / "pyproject.toml").write_text("[project]\nname = 'x'\n", encoding="utf-8")
    real_open = builtins.open

    def deny(file: object, *args: object, **kwargs: object) -> object:
        if str(file).endswith("pyproject.toml"):
            raise PermissionError(13, "Permission denied")
        return real_open(file, *args, **kwargs)  # type: ignore[call-overload]

    monkeypatch.setattr(builtins, "open", deny)
    assert find_config(str(repo)) is None
