"""Unreadable files and folders, and symbolic-link loops: reported with a reason, the scan goes on.

chmod 000 does not stop root, and CI runs as root: the real-permission tests skip there, and the same
outcomes are also checked by simulating the OS error with monkeypatch.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import Run
from tests.hardening.harness import BASE, deadline

as_root = hasattr(os, "geteuid") and os.geteuid() == 0
needs_non_root = pytest.mark.skipif(as_root, reason="root reads files whatever their mode")
GOOD = "server:\n  old_port: 1\n"


@pytest.fixture
def tree(tmp_path: Path) -> Iterator[Path]:
    (tmp_path / "case-good.yaml").write_text(GOOD, encoding="utf-8")
    (tmp_path / "case-locked.yaml").write_text(GOOD, encoding="utf-8")
    (tmp_path / "locked").mkdir()
    (tmp_path / "locked" / "case-inside.yaml").write_text(GOOD, encoding="utf-8")
    yield tmp_path
    (tmp_path / "locked").chmod(0o755)  # let pytest clean up
    (tmp_path / "case-locked.yaml").chmod(0o644)


def scan(cli: Callable[..., Run], root: Path) -> Any:
    with deadline(30):
        run = cli("scan", ".", *BASE, "--format", "json", cwd=root)
    assert run.code == 1 and "Traceback" not in run.err
    return run.json()


def check(doc: Any) -> None:
    errors = {e["file"]: e["message"] for e in doc["errors"]}
    assert errors["case-locked.yaml"] == "permission denied"
    assert errors["locked"].startswith("cannot list folder: Permission denied")
    assert [(f["file"], f["line"]) for f in doc["findings"]] == [("case-good.yaml", 2)]


@needs_non_root
def test_chmod_000_file_and_folder(cli: Callable[..., Run], tree: Path) -> None:
    (tree / "case-locked.yaml").chmod(0)
    (tree / "locked").chmod(0)
    check(scan(cli, tree))


def test_unreadable_file_and_folder_simulated(
        cli: Callable[..., Run], tree: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    real_open, real_scandir = os.open, os.scandir

    def deny_open(path: Any, flags: int, *args: Any, **kwargs: Any) -> int:
        if str(path).endswith("case-locked.yaml"):
            raise PermissionError(13, "Permission denied", str(path))
        return real_open(path, flags, *args, **kwargs)

    def deny_scandir(path: Any = ".") -> Any:
        if str(path).endswith("locked"):
            raise PermissionError(13, "Permission denied", str(path))
        return real_scandir(path)

    monkeypatch.setattr("scanner.textio.os.open", deny_open)
    monkeypatch.setattr("scanner.discover.os.scandir", deny_scandir)
    check(scan(cli, tree))


def test_symlink_loops_and_dangling_links(cli: Callable[..., Run], tmp_path: Path) -> None:
    (tmp_path / "case-good.yaml").write_text(GOOD, encoding="utf-8")
    os.symlink("case-a.yaml", tmp_path / "case-b.yaml")
    os.symlink("case-b.yaml", tmp_path / "case-a.yaml")  # a two-link loop
    os.symlink(".", tmp_path / "here")  # a folder loop
    (tmp_path / "deep" / "er").mkdir(parents=True)
    os.symlink("../..", tmp_path / "deep" / "er" / "back")
    os.symlink("gone.yaml", tmp_path / "case-dangling.yaml")
    doc = scan(cli, tmp_path)
    errors = {e["file"]: e["message"] for e in doc["errors"]}
    assert set(errors) == {"case-a.yaml", "case-b.yaml"}
    assert all("Too many levels of symbolic links" in m for m in errors.values())
    assert {s["file"]: s["reason"] for s in doc["skipped"]} == {"case-dangling.yaml": "dangling symbolic link"}
    assert [(f["file"], f["line"]) for f in doc["findings"]] == [("case-good.yaml", 2)]


def test_a_folder_given_as_a_symlink_loop_on_the_command_line(cli: Callable[..., Run], tmp_path: Path) -> None:
    os.symlink("loop", tmp_path / "loop")
    with deadline(30):
        run = cli("scan", "loop", *BASE, "--format", "json", cwd=tmp_path)
    assert run.code == 0 and "Traceback" not in run.err
