"""Issue 16, second round: the tool config stays inside the scanned tree, rule ids are checked, baselines
follow the configured path and survive inserted list items, and fix --check/--diff exit 0 with nothing to fix."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

from tests.conftest import Run, write_tree

FIXMATRIX = Path(__file__).parent.parent / "fixers" / "fixmatrix.yaml"
FX = ["--matrix", str(FIXMATRIX), "--no-builtin-matrix", "--no-inventory", "--installed", "fx=1.0"]


def test_fix_check_and_diff_exit_0_when_nothing_is_left_to_fix(cli: Callable[..., Run], tmp_path: Path) -> None:
    # risky (an unsafe fix) and clash (a conflict) stay reported after `fix`: findings, but nothing to fix
    (tmp_path / "fx.yaml").write_text("app:\n  old_name: 1\n  risky: 1\n  clash: 1\n  taken: 2\n")
    assert cli("fix", ".", *FX, cwd=tmp_path).code == 1
    before = (tmp_path / "fx.yaml").read_text()
    check = cli("fix", ".", *FX, "--check", cwd=tmp_path)
    assert check.code == 0, check.err
    diff = cli("fix", ".", *FX, "--diff", cwd=tmp_path)
    assert diff.code == 0 and diff.out == ""
    assert (tmp_path / "fx.yaml").read_text() == before
    assert cli("scan", ".", *FX, cwd=tmp_path).code == 1, "the findings are still there for the gate"


def test_baseline_writes_to_the_configured_path(cli: Callable[..., Run], tmp_path: Path) -> None:
    write_tree(tmp_path, {
        "pyproject.toml": '[tool.cfgscan]\nbaseline = "ci/cfgscan-baseline.json"\n',
        "fx.yaml": "app:\n  old_name: 1\n",
    })
    (tmp_path / "ci").mkdir()
    run = cli("baseline", ".", *FX, cwd=tmp_path)
    assert run.code == 0, run.err
    written = tmp_path / "ci" / "cfgscan-baseline.json"
    assert json.loads(written.read_text())["findings"], "nothing recorded at the configured path"
    assert not (tmp_path / ".cfgscan-baseline.json").exists()
    assert "in ci/cfgscan-baseline.json" in run.err
    assert cli("scan", ".", *FX, cwd=tmp_path).code == 0, "the configured baseline suppresses what it recorded"


def test_configured_baseline_outside_the_config_folder_is_refused(cli: Callable[..., Run], tmp_path: Path) -> None:
    write_tree(tmp_path, {"repo/.cfgscan.toml": 'baseline = "../elsewhere.json"\n', "repo/fx.yaml": "app:\n  a: 1\n"})
    run = cli("baseline", ".", *FX, cwd=tmp_path / "repo")
    assert run.code == 2 and "use -o to write there" in run.err
    assert not (tmp_path / "elsewhere.json").exists()


def _quick(args: list[str], cwd: Path) -> subprocess.CompletedProcess[str]:
    """The hook fast path (scanner.quickcli) in its own process, as pre-commit runs it."""
    code = "import sys; from scanner.quickcli import main; sys.exit(main(sys.argv[1:]))"
    return subprocess.run([sys.executable, "-c", code, *args], cwd=cwd, capture_output=True, text=True, timeout=60)


def test_unknown_select_or_ignore_is_exit_2_with_a_suggestion(cli: Callable[..., Run], tmp_path: Path) -> None:
    (tmp_path / "fx.yaml").write_text("app:\n  old_name: 1\n")
    cases = [("--select", "fy", "--select fy matches no rule; did you mean FY?"),
             ("--ignore", "NOPE123", "--ignore NOPE123 matches no rule")]
    for flag, value, message in cases:
        typer_run = cli("scan", ".", *FX, flag, value, "--fix", cwd=tmp_path)  # --fix: the typer path
        assert typer_run.code == 2 and message in typer_run.err, typer_run.err
        quick = _quick(["scan", ".", *FX, flag, value], tmp_path)
        assert quick.returncode == 2 and message in quick.stderr, quick.stderr
        assert quick.stderr.strip().splitlines()[-1] == typer_run.err.strip().splitlines()[-1]
    assert cli("scan", ".", *FX, "--select", "FY", cwd=tmp_path).code == 1, "a real prefix still selects"
    assert cli("scan", ".", *FX, "--ignore", "FY001", cwd=tmp_path).code == 0


def test_unknown_select_in_the_tool_config_names_the_file(cli: Callable[..., Run], tmp_path: Path) -> None:
    write_tree(tmp_path, {".cfgscan.toml": 'select = ["FY0", "k8s"]\n', "fx.yaml": "app:\n  old_name: 1\n"})
    run = cli("scan", ".", *FX, cwd=tmp_path)
    assert run.code == 2 and ".cfgscan.toml: select k8s matches no rule" in run.err, run.err
    (tmp_path / ".cfgscan.toml").write_text('[[ignore]]\nrule = "FY99"\n')
    run = cli("scan", ".", *FX, cwd=tmp_path)
    assert run.code == 2 and ".cfgscan.toml: ignore entry rule FY99 matches no rule" in run.err, run.err


def test_config_above_a_tree_without_git_is_not_used(cli: Callable[..., Run], tmp_path: Path) -> None:
    write_tree(tmp_path, {
        "pyproject.toml": '[tool.cfgscan]\nfail-on = "never"\n',  # /tmp/pyproject.toml of the report
        "extracted/fx.yaml": "app:\n  old_name: 1\n",
        "elsewhere/keep": "",
    })
    for cwd, path, shown in ((tmp_path / "elsewhere", str(tmp_path / "extracted"), str(tmp_path / "extracted")),
                             (tmp_path / "extracted", ".", ".")):
        run = cli("scan", path, *FX, "-v", cwd=cwd)
        assert run.code == 1, f"the parent folder's fail-on = never applied: {run.err}"
        assert f"cfgscan: config: none found (searched {shown})\n" in run.err, run.err
    quick = _quick(["scan", str(tmp_path / "extracted"), *FX], tmp_path / "elsewhere")
    assert quick.returncode == 1, quick.stderr


def test_config_in_the_scanned_tree_without_git_is_used_and_named(cli: Callable[..., Run], tmp_path: Path) -> None:
    write_tree(tmp_path, {
        "tree/.cfgscan.toml": 'fail-on = "never"\n',
        "tree/deploy/fx.yaml": "app:\n  old_name: 1\n",
        "elsewhere/keep": "",
    })
    run = cli("scan", str(tmp_path / "tree"), *FX, "-v", cwd=tmp_path / "elsewhere")
    assert run.code == 0 and f"cfgscan: config: {tmp_path / 'tree' / '.cfgscan.toml'}" in run.err, run.err
    # scanning a subfolder of a tree without .git: the subfolder is the whole tree, the config above is not read
    run = cli("scan", "deploy", *FX, "-v", cwd=tmp_path / "tree")
    assert run.code == 1 and "cfgscan: config: none found (searched deploy)" in run.err, run.err


def test_config_search_in_a_repository_climbs_to_its_top_level(cli: Callable[..., Run], tmp_path: Path) -> None:
    write_tree(tmp_path, {
        ".cfgscan.toml": 'fail-on = "never"\n',  # above the repository: never applies
        "repo/pyproject.toml": '[project]\nname = "x"\n\n[tool.cfgscan]\nfail-on = "breaking"\n',
        "repo/deploy/fx.yaml": "app:\n  old_name: 1\n",  # FY001 is a deprecation: not failed at breaking
        "other/keep": "",
    })
    (tmp_path / "repo" / ".git").mkdir()
    run = cli("scan", str(tmp_path / "repo" / "deploy"), *FX, "-v", cwd=tmp_path / "other")
    assert run.code == 0, run.err
    assert f"cfgscan: config: {tmp_path / 'repo' / 'pyproject.toml'} [tool.cfgscan]" in run.err, run.err
    (tmp_path / "repo" / "pyproject.toml").write_text('[project]\nname = "x"\n')
    run = cli("scan", "deploy", *FX, "-v", cwd=tmp_path / "repo")
    assert run.code == 1, "the .cfgscan.toml above the repository applied"
    assert "cfgscan: config: none found (searched deploy up to .)" in run.err, run.err


WORKFLOW = """\
on: push
jobs:
  build:
    runs-on: ubuntu-latest
    steps:
{steps}"""
FLAGGED = "      - run: echo '::set-output name=x::1'\n"
PLAIN = "      - run: make\n"
GHA = ["--no-inventory", "--select", "GHA001"]


def _workflow(root: Path, *steps: str) -> None:
    path = root / ".github" / "workflows" / "ci.yml"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(WORKFLOW.format(steps="".join(steps)))


def test_a_baseline_survives_a_step_inserted_before_a_flagged_step(cli: Callable[..., Run], tmp_path: Path) -> None:
    _workflow(tmp_path, FLAGGED)
    assert cli("scan", ".", *GHA, cwd=tmp_path).code == 1
    assert cli("baseline", ".", *GHA, "-o", "base.json", cwd=tmp_path).code == 0
    _workflow(tmp_path, PLAIN, FLAGGED.replace("x::1", "y::2"), FLAGGED)  # steps[0] is now steps[2]
    run = cli("scan", ".", *GHA, "--baseline", "base.json", "--format", "json", cwd=tmp_path)
    active = [f for f in run.json()["findings"] if not f.get("suppressed")]
    assert [f["line"] for f in active] == [7], "only the inserted flagged step is new"
    assert run.code == 1


def test_identical_flagged_steps_stay_distinct_baseline_entries(cli: Callable[..., Run], tmp_path: Path) -> None:
    _workflow(tmp_path, FLAGGED, PLAIN, FLAGGED)
    cli("baseline", ".", *GHA, "-o", "base.json", cwd=tmp_path)
    doc = json.loads((tmp_path / "base.json").read_text())
    assert doc["version"] == 2 and len({f["fingerprint"] for f in doc["findings"]}) == 2
    assert cli("scan", ".", *GHA, "--baseline", "base.json", cwd=tmp_path).code == 0
    _workflow(tmp_path, PLAIN, FLAGGED, FLAGGED, FLAGGED)  # one more of the same: exactly one new finding
    run = cli("scan", ".", *GHA, "--baseline", "base.json", "--format", "json", cwd=tmp_path)
    assert run.code == 1 and len([f for f in run.json()["findings"] if not f.get("suppressed")]) == 1


def test_a_format_1_baseline_still_suppresses_what_it_recorded(cli: Callable[..., Run], tmp_path: Path) -> None:
    from scanner.match import fingerprint  # cfgscan 0.1's, unchanged: rule, file, key path with positions

    _workflow(tmp_path, PLAIN, FLAGGED)
    old = fingerprint("GHA001", ".github/workflows/ci.yml", "jobs.build.steps[1].run")
    (tmp_path / "base.json").write_text(json.dumps(
        {"version": 1, "tool": "cfgscan", "findings": [{"fingerprint": old, "rule": "GHA001"}]}))
    assert cli("scan", ".", *GHA, cwd=tmp_path).code == 1
    assert cli("scan", ".", *GHA, "--baseline", "base.json", cwd=tmp_path).code == 0
