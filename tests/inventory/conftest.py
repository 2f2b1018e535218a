"""Inventory test helpers: a project folder from a table of files, and sources read relative to it."""

from __future__ import annotations

import textwrap
from collections.abc import Callable
from pathlib import Path

import pytest

from scanner.inventory.interface import Context, Found, Package

Files = dict[str, str]


@pytest.fixture(autouse=True)
def _no_active_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("VIRTUAL_ENV", raising=False)


def write_files(root: Path, files: Files) -> Path:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
    return root


@pytest.fixture
def read(tmp_path: Path) -> Callable[[Callable[[Context], Found], Files], Found]:
    """Write ``files`` into a fresh project and run one source over it."""

    def run(source: Callable[[Context], Found], files: Files) -> Found:
        write_files(tmp_path, files)
        return source(Context(tmp_path, str(tmp_path)))

    return run


def triples(packages: list[Package]) -> list[tuple[str, str, str]]:
    """(name, version, source) of each package, the shape most tables below expect."""
    return [(p.name, p.version, p.source) for p in packages]
