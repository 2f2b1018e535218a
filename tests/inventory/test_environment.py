"""Python environments: site-packages read as files, $VIRTUAL_ENV vs cfgscan's own, and --python."""

from __future__ import annotations

import os
import sys
import venv
from pathlib import Path

import pytest

from scanner.inventory import interpreter
from scanner.inventory.environment import read_environment, read_site_packages
from scanner.inventory.interface import Context
from scanner.inventory.interpreter import read_interpreter


def fake_env(root: Path, dists: dict[str, str | None], pyvenv: bool = True) -> Path:
    """An environment folder: each entry a metadata folder or file name and its header text (None: none)."""
    site = root / "lib" / "python3.11" / "site-packages"
    site.mkdir(parents=True)
    if pyvenv:
        (root / "pyvenv.cfg").write_text("home = /usr/bin\nversion = 3.11.7\n")
    for entry, headers in dists.items():
        if entry.endswith(".egg-info") and headers is not None and not headers.startswith("dir:"):
            (site / entry).write_text(headers)
            continue
        folder = site / entry
        folder.mkdir()
        if headers is not None:
            filename = "METADATA" if entry.endswith(".dist-info") else "PKG-INFO"
            (folder / filename).write_text(headers.removeprefix("dir:"))
    return root


DISTS: dict[str, str | None] = {
    "Django-4.1.13.dist-info": "Metadata-Version: 2.1\nName: Django\nVersion: 4.1.13\n\nVersion: 9\n",
    "typing_extensions-4.9.0.dist-info": None,  # no METADATA: the folder name says it
    "six-1.16.0-py3.11.egg-info": "dir:Metadata-Version: 1.1\nName: six\nVersion: 1.16.0\n",
    "legacy-0.1.egg-info": "Metadata-Version: 1.0\nName: Legacy_Pkg\nVersion: 0.1\n",
    "devpkg.egg-info": "dir:Metadata-Version: 1.0\nName: devpkg\nVersion: 0.3.dev0\n",  # setup.py develop
    "nothing.egg-info": "dir:Metadata-Version: 1.0\nName: nothing\n",
    "django": None,  # a package folder, not metadata
}


def test_read_site_packages(tmp_path: Path) -> None:
    env = fake_env(tmp_path / "env", DISTS)
    found = read_site_packages(env, "env (environment)")
    assert [(p.name, p.version, p.kind, p.source) for p in found.packages] == [
        ("devpkg", "0.3.dev0", "exact", "env (environment)"),
        ("django", "4.1.13", "exact", "env (environment)"),
        ("legacy-pkg", "0.1", "exact", "env (environment)"),
        ("six", "1.16.0", "exact", "env (environment)"),
        ("typing-extensions", "4.9.0", "exact", "env (environment)"),
    ]


@pytest.mark.parametrize("folder", [".venv", "venv"])
def test_project_venv(tmp_path: Path, folder: str) -> None:
    fake_env(tmp_path / folder, {"Django-4.1.13.dist-info": "Name: Django\nVersion: 4.1.13\n"})
    found = read_environment(Context(str(tmp_path), str(tmp_path)))
    assert [(p.name, p.source) for p in found.packages] == [("django", f"{folder} (environment)")]


def test_virtual_env_wins_over_project_venv(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    fake_env(tmp_path / "project" / ".venv", {"Django-4.1.13.dist-info": "Name: Django\nVersion: 4.1.13\n"})
    active = fake_env(tmp_path / "active", {"Django-5.0.dist-info": "Name: Django\nVersion: 5.0\n"})
    monkeypatch.setenv("VIRTUAL_ENV", str(active))
    found = read_environment(Context(str(tmp_path / "project"), str(tmp_path / "project")))
    assert [(p.version, p.source) for p in found.packages] == [("5.0", f"{active.as_posix()} (environment)")]


def test_own_environment_is_not_the_project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """pre-commit exports its hook environment as $VIRTUAL_ENV; that is cfgscan's, not the project's."""
    monkeypatch.setenv("VIRTUAL_ENV", sys.prefix)
    assert read_environment(Context(str(tmp_path), str(tmp_path))).packages == []
    fake_env(tmp_path / ".venv", {"Django-4.1.13.dist-info": "Name: Django\nVersion: 4.1.13\n"})
    assert [p.source for p in read_environment(Context(str(tmp_path), str(tmp_path))).packages] == [
        ".venv (environment)"]


def test_folder_named_venv_without_environment(tmp_path: Path) -> None:
    (tmp_path / "venv").mkdir()
    (tmp_path / "venv" / "README").write_text("not an environment")
    assert read_environment(Context(str(tmp_path), str(tmp_path))).packages == []


@pytest.fixture(scope="module")
def real_venv(tmp_path_factory: pytest.TempPathFactory) -> Path:
    env = tmp_path_factory.mktemp("venv") / "env"
    venv.create(env, with_pip=False)
    site = next(env.glob("lib/python*/site-packages"), None) or env / "Lib" / "site-packages"
    dist = site / "Django-4.1.13.dist-info"
    dist.mkdir()
    (dist / "METADATA").write_text("Metadata-Version: 2.1\nName: Django\nVersion: 4.1.13\n")
    # a .pth file runs code at start-up unless -S is given; it must never run
    (site / "evil.pth").write_text(f"import os; open({str(env / 'ran')!r}, 'w').close()\n")
    return env


def interpreter_path(env: Path) -> str:
    return str(env / ("Scripts/python.exe" if os.name == "nt" else "bin/python"))


def test_python_interpreter(real_venv: Path, tmp_path: Path) -> None:
    python = interpreter_path(real_venv)
    found = read_interpreter(Context(str(tmp_path), str(tmp_path), python))
    assert found.errors == []
    by_name = {p.name: p for p in found.packages}
    assert by_name["django"].version == "4.1.13"
    assert by_name["django"].source == f"--python {python}"
    assert by_name["python"].ecosystem == "runtime"
    assert by_name["python"].version == ".".join(map(str, sys.version_info[:3]))
    assert not (real_venv / "ran").exists()


@pytest.mark.parametrize(("python", "message"), [
    ("/nonexistent/bin/python", "cannot run"),
    (sys.executable + "-not-there", "cannot run"),
])
def test_python_interpreter_errors(tmp_path: Path, python: str, message: str) -> None:
    found = read_interpreter(Context(str(tmp_path), str(tmp_path), python))
    assert found.packages == []
    assert found.errors[0][0] == f"--python {python}" and message in found.errors[0][1]


@pytest.mark.parametrize(("script", "message"), [
    ("import sys; sys.exit(3)", "exited with status 3"),
    ("print('hello')", "unexpected output"),
    ("print('{\"python\": 3}')", "unexpected output"),
])
def test_python_interpreter_bad_answers(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, script: str,
                                        message: str) -> None:
    monkeypatch.setattr(interpreter, "SCRIPT", script)
    found = read_interpreter(Context(str(tmp_path), str(tmp_path), sys.executable))
    assert message in found.errors[0][1]


def test_python_interpreter_timeout(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(interpreter, "SCRIPT", "import time; time.sleep(5)")
    monkeypatch.setattr(interpreter, "TIMEOUT_SECONDS", 0.2)
    found = read_interpreter(Context(str(tmp_path), str(tmp_path), sys.executable))
    assert "no answer within" in found.errors[0][1]
