"""`cfgscan fix` writes safely: atomically (a crash leaves the original and no temporary file), keeping
mode and ownership, never forcing a read-only file, never overwriting a file changed since it was read,
and never writing through a symbolic link that leaves the scanned tree."""

from __future__ import annotations

import os
import stat
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from scanner.fixers.engine import fix_text
from tests.conftest import Run
from tests.hardening.harness import BASE

ORIGINAL = "# keep this comment\nserver:\n  old_port: 1\n"
FIXED = "# keep this comment\nserver:\n  port: 1\n"
as_root = hasattr(os, "geteuid") and os.geteuid() == 0


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    root = tmp_path / "tree"
    root.mkdir()
    (root / "case-a.yaml").write_text(ORIGINAL, encoding="utf-8")
    return root


def leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.rglob("*") if p.name.startswith(".cfgscan-") or p.suffix == ".tmp")


def test_the_plain_fix_works(cli: Callable[..., Run], tree: Path) -> None:
    run = cli("fix", ".", *BASE, cwd=tree)
    assert run.code == 1
    assert (tree / "case-a.yaml").read_text(encoding="utf-8") == FIXED
    assert leftovers(tree) == []


@pytest.mark.parametrize("crash", [OSError(28, "No space left on device"), KeyboardInterrupt()])
def test_a_crash_between_write_and_replace_leaves_the_original(
        cli: Callable[..., Run], tree: Path, monkeypatch: pytest.MonkeyPatch, crash: BaseException) -> None:
    def replace(src: Any, dst: Any) -> None:
        assert Path(src).read_text(encoding="utf-8") == FIXED  # the new text was fully written first
        raise crash

    monkeypatch.setattr(os, "replace", replace)  # the fixer calls os.replace
    run = cli("fix", ".", *BASE, cwd=tree)
    assert run.code in (1, 2, 130)
    assert (tree / "case-a.yaml").read_text(encoding="utf-8") == ORIGINAL
    assert leftovers(tree) == []
    assert "Traceback" not in run.err


def test_mode_is_kept(cli: Callable[..., Run], tree: Path) -> None:
    path = tree / "case-a.yaml"
    path.chmod(0o751)
    cli("fix", ".", *BASE, cwd=tree)
    assert path.read_text(encoding="utf-8") == FIXED
    assert stat.S_IMODE(path.stat().st_mode) == 0o751


@pytest.mark.skipif(not as_root, reason="only root can give a file to another user")
def test_ownership_is_kept(cli: Callable[..., Run], tree: Path) -> None:
    path = tree / "case-a.yaml"
    os.chown(path, 4321, 4322)
    cli("fix", ".", *BASE, cwd=tree)
    assert path.read_text(encoding="utf-8") == FIXED
    assert (path.stat().st_uid, path.stat().st_gid) == (4321, 4322)


def check_not_forced(run: Run, path: Path) -> None:
    assert path.read_text(encoding="utf-8") == ORIGINAL
    assert "case-a.yaml: not written: read-only for this user" in run.err
    assert leftovers(path.parent) == []


def test_read_only_is_reported_not_forced_simulated(
        cli: Callable[..., Run], tree: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    real_access = os.access

    def access(path: Any, mode: int, *args: Any, **kwargs: Any) -> bool:
        if mode & os.W_OK and str(path).endswith("case-a.yaml"):
            return False
        return real_access(path, mode, *args, **kwargs)

    monkeypatch.setattr(os, "access", access)
    check_not_forced(cli("fix", ".", *BASE, cwd=tree), tree / "case-a.yaml")


@pytest.mark.skipif(as_root, reason="root may write a read-only file")
def test_read_only_is_reported_not_forced(cli: Callable[..., Run], tree: Path) -> None:
    (tree / "case-a.yaml").chmod(0o444)
    check_not_forced(cli("fix", ".", *BASE, cwd=tree), tree / "case-a.yaml")


def test_a_file_changed_since_it_was_read_is_left_alone(
        cli: Callable[..., Run], tree: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tree / "case-a.yaml"
    edited = ORIGINAL + "# someone saved the file in an editor meanwhile\n"
    def fix_text_then_edit(*args: Any, **kwargs: Any) -> Any:
        outcome = fix_text(*args, **kwargs)
        path.write_text(edited, encoding="utf-8")
        return outcome

    monkeypatch.setattr("scanner.fixers.run.fix_text", fix_text_then_edit)
    run = cli("fix", ".", *BASE, cwd=tree)
    assert path.read_text(encoding="utf-8") == edited
    assert "changed on disk since it was read" in run.err


def test_a_symlink_that_leaves_the_tree_is_not_written_through(cli: Callable[..., Run], tree: Path) -> None:
    outside = tree.parent / "outside.yaml"
    outside.write_text(ORIGINAL, encoding="utf-8")
    os.symlink(outside, tree / "case-link.yaml")
    run = cli("fix", ".", *BASE, cwd=tree)
    assert outside.read_text(encoding="utf-8") == ORIGINAL
    assert "case-link.yaml: not written: reached through a symbolic link that leaves the scanned path" in run.err
    assert (tree / "case-a.yaml").read_text(encoding="utf-8") == FIXED  # the rest is still fixed


def test_a_symlink_inside_the_tree_stays_a_symlink(cli: Callable[..., Run], tree: Path) -> None:
    (tree / "real").mkdir()
    (tree / "real" / "case-b.yaml").write_text(ORIGINAL, encoding="utf-8")
    os.symlink("real/case-b.yaml", tree / "case-link.yaml")
    cli("fix", ".", *BASE, cwd=tree)
    assert (tree / "case-link.yaml").is_symlink()
    assert (tree / "real" / "case-b.yaml").read_text(encoding="utf-8") == FIXED


def test_a_folder_symlink_that_leaves_the_tree_is_not_written_through(cli: Callable[..., Run], tree: Path) -> None:
    (tree.parent / "elsewhere").mkdir()
    target = tree.parent / "elsewhere" / "case-c.yaml"
    target.write_text(ORIGINAL, encoding="utf-8")
    os.symlink(tree.parent / "elsewhere", tree / "via")
    cli("fix", ".", *BASE, cwd=tree)
    assert target.read_text(encoding="utf-8") == ORIGINAL


def test_a_file_argument_is_judged_by_itself(cli: Callable[..., Run], tree: Path) -> None:
    (tree.parent / "elsewhere").mkdir()
    target = tree.parent / "elsewhere" / "case-c.yaml"
    target.write_text(ORIGINAL, encoding="utf-8")
    os.symlink(tree.parent / "elsewhere", tree / "via")
    cli("fix", "via/case-c.yaml", *BASE, cwd=tree)
    assert target.read_text(encoding="utf-8") == FIXED  # named on the command line: the file itself is the bound


def test_a_config_outside_does_not_widen_the_bound(cli: Callable[..., Run], tmp_path: Path) -> None:
    (tmp_path / "victim").mkdir()
    victim = tmp_path / "victim" / "case-v.yaml"
    victim.write_text(ORIGINAL, encoding="utf-8")
    (tmp_path / "trusted.toml").write_text("exclude = []\n", encoding="utf-8")
    project = tmp_path / "project"
    project.mkdir()
    (project / "case-a.yaml").write_text(ORIGINAL, encoding="utf-8")
    os.symlink("../victim/case-v.yaml", project / "case-link.yaml")
    run = cli("fix", ".", "--config", "../trusted.toml", *BASE, cwd=project)
    assert victim.read_text(encoding="utf-8") == ORIGINAL, run.err
    assert (project / "case-a.yaml").read_text(encoding="utf-8") == FIXED


def test_a_markerless_tree_scanned_from_elsewhere(cli: Callable[..., Run], tmp_path: Path) -> None:
    work = tmp_path / "work"
    work.mkdir()
    mine = work / "case-w.yaml"
    mine.write_text(ORIGINAL, encoding="utf-8")
    tarball = tmp_path / "extracted"
    tarball.mkdir()
    (tarball / "case-a.yaml").write_text(ORIGINAL, encoding="utf-8")
    os.symlink(mine, tarball / "case-link.yaml")
    run = cli("fix", str(tarball), *BASE, cwd=work)
    assert (tarball / "case-a.yaml").read_text(encoding="utf-8") == FIXED, run.err
    assert mine.read_text(encoding="utf-8") == ORIGINAL
    assert "leaves the scanned path" in run.err


def test_a_latin1_file_is_fixed_in_latin1(cli: Callable[..., Run], tree: Path) -> None:
    path = tree / "case-a.yaml"
    path.write_bytes(b"# caf\xe9\nserver:\n  old_port: 1\n")
    cli("fix", ".", *BASE, cwd=tree)
    assert path.read_bytes() == b"# caf\xe9\nserver:\n  port: 1\n"


@pytest.mark.parametrize("bom", ["utf-8-sig", "utf-16"])
def test_a_bom_file_keeps_its_bom_and_line_endings(cli: Callable[..., Run], tree: Path, bom: str) -> None:
    path = tree / "case-a.yaml"
    path.write_bytes(ORIGINAL.replace("\n", "\r\n").encode(bom))
    cli("fix", ".", *BASE, cwd=tree)
    assert path.read_bytes() == FIXED.replace("\n", "\r\n").encode(bom)
