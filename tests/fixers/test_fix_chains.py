"""A fix never trades one finding for another at the same versions: a fix whose result another rule flags is
followed to the end of the chain in one edit, or left to the user with the reason."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from tests.conftest import Run

MATRIX = Path(__file__).parent / "chainmatrix.yaml"
BASE = ["--matrix", str(MATRIX), "--no-builtin-matrix", "--no-inventory"]
YAML = "app:\n  a: 1   # keep\n  mode: v1\n  old: legacy\n  gone: false\n  keep: 1\n"


def at(installed: str, target: str) -> list[str]:
    return [*BASE, "--installed", f"ch={installed}", "--target", f"ch={target}"]


def rules(cli: Callable[..., Run], tmp: Path, args: list[str]) -> set[str]:
    return {f["rule"] for f in cli("scan", ".", *args, "--format", "json", cwd=tmp).json()["findings"]}


def fix_and_rescan(cli: Callable[..., Run], tmp: Path, args: list[str], *flags: str) -> tuple[Run, set[str], set[str]]:
    before = rules(cli, tmp, args)
    run = cli("fix", ".", *args, *flags, cwd=tmp)
    return run, before, rules(cli, tmp, args)


def test_at_the_first_release_each_fix_applies_alone(cli: Callable[..., Run], tmp_path: Path) -> None:
    (tmp_path / "ch.yaml").write_text(YAML)
    run, before, after = fix_and_rescan(cli, tmp_path, at("1.0", "1.0"))
    assert (tmp_path / "ch.yaml").read_text() == "app:\n  b: 1   # keep\n  mode: v2\n  new: legacy\n  keep: 1\n"
    assert before == {"CH001", "CH003", "CH005", "CH007"} and after == set(), run.err


def test_a_chain_of_renames_is_one_edit_to_its_end(cli: Callable[..., Run], tmp_path: Path) -> None:
    (tmp_path / "ch.yaml").write_text("app:\n  a: 1   # keep\n")
    run, before, after = fix_and_rescan(cli, tmp_path, at("2.0", "2.0"))
    assert (tmp_path / "ch.yaml").read_text() == "app:\n  c: 1   # keep\n"
    assert before == {"CH001"} and after == set()
    assert "fixed 1 finding in 1 file; 0 not fixed" in run.err


def test_a_chain_that_ends_without_a_fix_is_left_to_the_user(cli: Callable[..., Run], tmp_path: Path) -> None:
    (tmp_path / "ch.yaml").write_text(YAML)
    run, before, after = fix_and_rescan(cli, tmp_path, at("2.0", "3.0"))
    text = (tmp_path / "ch.yaml").read_text()
    assert "mode: v1" in text and "  c: 1   # keep" in text
    assert ("ch.yaml:3: CH003 app.mode: not fixed: the fix would set app.mode to v2, which CH004 flags too "
            "(removed in ch 3.0) and has no automatic fix; change it by hand (cfgscan explain CH004)") in run.err
    assert after <= before and "CH003" in after


def test_an_unsafe_link_needs_unsafe_fixes_and_a_move_takes_the_new_value(
        cli: Callable[..., Run], tmp_path: Path) -> None:
    (tmp_path / "ch.yaml").write_text("app:\n  old: legacy  # c\n  keep: 1\n")
    run, before, after = fix_and_rescan(cli, tmp_path, at("2.0", "2.0"))
    assert "old: legacy" in (tmp_path / "ch.yaml").read_text()
    assert ("CH005 app.old: not fixed: the fix would move app.old to app.new, which CH006 flags too (deprecated "
            "in ch 2.0); its fix is unsafe (use --unsafe-fixes)") in run.err
    assert after == before == {"CH005"}
    run, before, after = fix_and_rescan(cli, tmp_path, at("2.0", "2.0"), "--unsafe-fixes")
    assert (tmp_path / "ch.yaml").read_text() == "app:\n  new: modern  # c\n  keep: 1\n"
    assert after == set(), run.err


@pytest.mark.parametrize(("installed", "fixed"), [("2.0", True), ("1.0", False)])
def test_a_deletion_that_makes_a_changed_default_fire_is_left_to_the_user(
        cli: Callable[..., Run], tmp_path: Path, installed: str, fixed: bool) -> None:
    (tmp_path / "ch.yaml").write_text("app:\n  gone: false\n  keep: 1\n")
    run, before, after = fix_and_rescan(cli, tmp_path, at(installed, "2.0"))
    assert ("gone" not in (tmp_path / "ch.yaml").read_text()) is fixed
    assert after <= before
    if not fixed:
        assert ("CH007 app.gone: not fixed: the fix would remove app.gone, and then CH008 fires (its default "
                "changes in ch 2.0); change it by hand (cfgscan explain CH008)") in run.err


def test_a_move_then_a_deletion_is_a_deletion(cli: Callable[..., Run], tmp_path: Path) -> None:
    """Moving x into [tool.ch.lint] and deleting it there would fail on the dotted key the move leaves."""
    (tmp_path / "ch.toml").write_text("[tool.ch]\nx = 1\ny = 2\n")
    run, before, after = fix_and_rescan(cli, tmp_path, at("2.0", "2.0"))
    assert (tmp_path / "ch.toml").read_text() == "[tool.ch]\ny = 2\n"
    assert before == {"CH009"} and after == set(), run.err
    (tmp_path / "ch.toml").write_text("[tool.ch]\nx = 1\ny = 2\n")
    fix_and_rescan(cli, tmp_path, at("1.0", "1.0"))
    assert (tmp_path / "ch.toml").read_text() == "[tool.ch]\nlint.x = 1\ny = 2\n"


def test_kubernetes_psp_is_not_traded_for_a_removed_api(cli: Callable[..., Run], tmp_path: Path) -> None:
    """extensions/v1beta1 PodSecurityPolicy: policy/v1beta1 is right from 1.16 to 1.20, flagged from 1.21 (and
    gone in 1.25) with no successor API at all."""
    psp = "apiVersion: extensions/v1beta1\nkind: PodSecurityPolicy\nmetadata:\n  name: p\n"
    args = ["--no-inventory", "--installed", "kubernetes=1.15"]
    (tmp_path / "psp.yaml").write_text(psp)
    cli("fix", ".", *args, "--target", "kubernetes=1.16", cwd=tmp_path)
    assert (tmp_path / "psp.yaml").read_text() == psp.replace("extensions/v1beta1", "policy/v1beta1")
    (tmp_path / "psp.yaml").write_text(psp)
    run = cli("fix", ".", *args, "--target", "kubernetes=1.25", cwd=tmp_path)
    assert (tmp_path / "psp.yaml").read_text() == psp
    assert ("K8S012 apiVersion: not fixed: the fix would set apiVersion to policy/v1beta1, which K8S065 flags too "
            "(removed in kubernetes 1.25) and has no automatic fix") in run.err


def test_airflow_max_threads_moves_straight_to_the_dag_processor(cli: Callable[..., Run], tmp_path: Path) -> None:
    """[scheduler] max_threads → parsing_processes (an alias since 1.10.14) → [dag_processor] (3.0)."""
    (tmp_path / "airflow.cfg").write_text("[scheduler]\nmax_threads = 4\n\n[dag_processor]\nrefresh_interval = 5\n")
    cli("fix", ".", "--no-inventory", "--installed", "airflow=3.0", cwd=tmp_path)
    assert (tmp_path / "airflow.cfg").read_text() == (
        "[scheduler]\n\n[dag_processor]\nrefresh_interval = 5\nparsing_processes = 4\n")
