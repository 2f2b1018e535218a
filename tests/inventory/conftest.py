"""Inventory test helpers: a project folder from a table of files, and sources read relative to it."""

from __future__ import annotations

import textwrap
from collections.abc import Callable
from pathlib import Path

import pytest

from scanner.inventory.collect import SOURCES, LazySource, RootFiles
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
        found = source(Context(str(tmp_path), str(tmp_path)))
        if found.packages or found.errors:  # collect must not skip a project holding what this source read
            lazy = [s for _, s in SOURCES if isinstance(s, LazySource) and s.function == source.__name__]
            assert all(s.wanted(RootFiles(str(tmp_path))) for s in lazy), (source.__name__, files)
        return found

    return run


def triples(packages: list[Package]) -> list[tuple[str, str, str]]:
    """(name, version, source) of each package, the shape most tables below expect."""
    return [(p.name, p.version, p.source) for p in packages]
