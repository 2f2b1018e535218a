"""Scanned Python and JavaScript are read, never run; scan, plan and fix never touch the network."""

from __future__ import annotations

import os
import socket
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, NoReturn

import pytest

from tests.conftest import Run
from tests.hardening.harness import BASE, MATRIX, copy_corpus

SCRIPTS = ["case-settings.py", "case-config.js"]


def forbid(what: str) -> Callable[..., NoReturn]:
    def refuse(*args: Any, **kwargs: Any) -> NoReturn:
        raise AssertionError(f"cfgscan called {what} while scanning")

    return refuse


@pytest.fixture
def scripts(tmp_path: Path) -> Path:
    return copy_corpus(tmp_path / "tree", tuple(SCRIPTS))


_WATCHED: list[tuple[str, list[str]]] = []  # (folder, what was done to code inside it) while a test watches


def _audit(event: str, args: tuple[Any, ...]) -> None:
    """Record any execution, import or compilation of a scanned file, and any process started."""
    if not _WATCHED:
        return
    root, seen = _WATCHED[-1]
    if event == "exec":
        name = str(getattr(args[0], "co_filename", ""))
    elif event in ("compile", "import", "runpy.run_path"):
        name = str(args[1] if event != "runpy.run_path" else args[0])
    elif event in ("subprocess.Popen", "os.system", "os.exec", "os.posix_spawn", "os.spawn", "os.fork"):
        seen.append(f"{event} {args[:2]!r}")
        return
    else:
        return
    if name.startswith(root):
        seen.append(f"{event} {name}")


sys.addaudithook(_audit)  # audit hooks cannot be removed; this one is idle unless a test watches


@pytest.fixture
def no_execution(scripts: Path) -> Iterator[list[str]]:
    seen: list[str] = []
    _WATCHED.append((str(scripts.resolve()), seen))
    try:
        yield seen
    finally:
        _WATCHED.pop()


@pytest.fixture
def no_network(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("socket", "create_connection", "getaddrinfo", "gethostbyname", "create_server"):
        monkeypatch.setattr(socket, name, forbid(f"socket.{name}"))


def executed(*folders: Path) -> list[Path]:
    return [p for folder in folders for p in folder.rglob("EXECUTED*")]


def test_scanning_never_runs_python_or_javascript(
        cli: Callable[..., Run], scripts: Path, no_execution: list[str]) -> None:
    run = cli("scan", ".", *BASE, "--format", "json", cwd=scripts)
    assert run.code == 1, run.err
    assert {(f["file"], f["rule"]) for f in run.json()["findings"]} == {
        ("case-settings.py", "HARD002"), ("case-config.js", "HARD006")}
    assert executed(scripts, scripts.parent) == []
    assert no_execution == []


def test_fixing_never_runs_them_either(cli: Callable[..., Run], scripts: Path, no_execution: list[str]) -> None:
    (scripts / "case-ok-settings.py").write_text("import os\nOLD_SETTING = os.system('touch EXECUTED')\n")
    run = cli("fix", ".", *BASE, cwd=scripts)
    assert run.code == 1 and "Traceback" not in run.err
    assert "OLD_SETTING" not in (scripts / "case-ok-settings.py").read_text(encoding="utf-8")
    assert executed(scripts, scripts.parent) == []
    assert no_execution == []


def test_the_watch_would_see_an_execution(scripts: Path, no_execution: list[str]) -> None:
    source = (scripts / "case-settings.py").read_text(encoding="utf-8").split("def broken")[0]
    code = compile(source, str(scripts.resolve() / "case-settings.py"), "exec")
    cwd = Path.cwd()
    os.chdir(scripts)
    try:
        exec(code, {})
    finally:
        os.chdir(cwd)
    assert executed(scripts)  # the corpus file really does create files when run
    assert any(e.startswith("exec ") for e in no_execution) and any(e.startswith("os.system") for e in no_execution)


@pytest.fixture
def project(tmp_path: Path) -> Path:
    return copy_corpus(tmp_path / "tree")


# the inventory is on here (no --no-inventory): reading installed versions must not use the network either
NET = ["--matrix", str(MATRIX), "--no-builtin-matrix", "--installed", "hard=1.0"]


@pytest.mark.usefixtures("no_network")
def test_scan_without_network(cli: Callable[..., Run], project: Path) -> None:
    run = cli("scan", ".", *NET, "--format", "json", cwd=project)
    assert run.code == 1 and "socket" not in run.err, run.err
    assert len(run.json()["findings"]) >= 10


@pytest.mark.usefixtures("no_network")
def test_plan_without_network(cli: Callable[..., Run], project: Path) -> None:
    pytest.importorskip("scanner.plan")
    run = cli("plan", ".", *NET, "--target", "hard=1.0", cwd=project)
    assert run.code in (0, 1) and "socket" not in run.err, run.err + run.out


@pytest.mark.usefixtures("no_network")
def test_fix_without_network(cli: Callable[..., Run], project: Path) -> None:
    run = cli("fix", ".", *NET, cwd=project)
    assert run.code == 1 and "socket" not in run.err, run.err
    assert "old_port" not in (project / "case-good.yaml").read_text(encoding="utf-8")


def test_a_scanned_repository_cannot_choose_a_program_to_run(cli: Callable[..., Run], tmp_path: Path) -> None:
    repo = copy_corpus(tmp_path / "repo", ("case-good.yaml",))
    script = repo / "evil.sh"
    script.write_text("#!/bin/sh\ntouch EXECUTED-python-from-config\n", encoding="utf-8")
    script.chmod(0o755)
    (repo / "pyproject.toml").write_text('[tool.cfgscan]\npython = "./evil.sh"\n', encoding="utf-8")
    cli("scan", ".", *NET, cwd=repo)
    assert executed(repo) == []


def test_a_scanned_repository_cannot_choose_where_the_report_is_written(
        cli: Callable[..., Run], tmp_path: Path) -> None:
    repo = copy_corpus(tmp_path / "repo", ("case-good.yaml",))
    victim = tmp_path / "victim.txt"
    victim.write_text("precious\n", encoding="utf-8")
    (repo / "pyproject.toml").write_text(f'[tool.cfgscan]\noutput = "{victim}"\n', encoding="utf-8")
    cli("scan", ".", *BASE, cwd=repo)
    assert victim.read_text(encoding="utf-8") == "precious\n"


def test_python_m_scanner_never_loads_a_plugin_declared_in_the_scanned_folder(tmp_path: Path) -> None:
    """``python -m`` puts the working folder first on sys.path; a scanned repository that is the working folder
    must not pass for an installed plugin whose entry point cfgscan imports."""
    import subprocess

    (tmp_path / "evil-1.0.dist-info").mkdir()
    (tmp_path / "evil-1.0.dist-info" / "METADATA").write_text("Metadata-Version: 2.1\nName: evil\nVersion: 1.0\n")
    (tmp_path / "evil-1.0.dist-info" / "entry_points.txt").write_text("[cfgscan.matrix]\nevil = evilpkg\n")
    (tmp_path / "evilpkg").mkdir()
    (tmp_path / "evilpkg" / "__init__.py").write_text("open('PWNED', 'w').write('ran')\n")
    (tmp_path / "evilpkg" / "m.yaml").write_text("schema: 1\n")
    env = {**os.environ, "CFGSCAN_NO_CACHE": "1"}
    env.pop("VIRTUAL_ENV", None)
    env.pop("PYTHONSAFEPATH", None)
    for command in (["scan", ".", "--no-inventory"], ["matrix", "list"]):
        run = subprocess.run([sys.executable, "-m", "scanner", *command], cwd=tmp_path, env=env, capture_output=True,
                             text=True, timeout=120)
        assert not (tmp_path / "PWNED").exists(), run.stderr
        assert "evil" not in run.stdout + run.stderr
        assert run.returncode in (0, 1), run.stderr
