"""Where matrices come from, in merge order: bundled, installed plugins, tool config, --matrix."""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator, Sequence
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING

from scanner.errors import MatrixError
from scanner.matrix import Matrix, MatrixFile, load_matrix_paths, merge_matrices, read_matrix_file

if TYPE_CHECKING:
    from importlib.abc import Traversable

ENTRY_POINT_GROUP = "cfgscan.matrix"


def bundled_dir() -> Traversable:
    """The bundled matrix folder: inside the wheel, or the checkout's top-level matrix/ when editable."""
    pkg = resources.files("scanner")
    inside = pkg.joinpath("_matrix")
    if inside.is_dir():
        return inside
    return pkg.joinpath("..").joinpath("matrix")


def _yaml_files(folder: Traversable) -> list[Traversable]:
    if not folder.is_dir():
        return []
    return sorted((f for f in folder.iterdir() if f.name.endswith((".yaml", ".yml")) and f.is_file()),
                  key=lambda f: f.name)


def bundled_files() -> Iterator[tuple[str, str]]:
    for f in _yaml_files(bundled_dir()):
        yield f"<bundled>/{f.name}", f.read_text(encoding="utf-8")


def matrix_entry_points() -> list[tuple[str, str]]:
    """(name, value) of every ``cfgscan.matrix`` entry point of the installed distributions.

    A plain look at each ``sys.path`` folder's ``*.dist-info/entry_points.txt`` costs a few milliseconds where
    importing importlib.metadata costs about 40 on every pre-commit run; anything unusual on ``sys.path``
    (a zip file, an egg) falls back to importlib.metadata, which is the reference.
    """
    found: dict[str, str] = {}
    for entry in sys.path:
        folder = entry or "."
        if not os.path.isdir(folder):
            if os.path.exists(folder):
                return _entry_points_by_metadata()
            continue
        try:
            names = os.listdir(folder)
        except OSError:
            continue
        for name in names:
            if name.endswith(".egg") or name.endswith(".egg-link"):
                return _entry_points_by_metadata()
            if not name.endswith((".dist-info", ".egg-info")):
                continue
            try:
                with open(os.path.join(folder, name, "entry_points.txt"), encoding="utf-8") as f:
                    text = f.read()
            except OSError:
                continue
            for ep_name, value in _group(text, ENTRY_POINT_GROUP):
                found.setdefault(ep_name, value)  # the first on sys.path wins, as with imports
    return sorted(found.items())


def _group(text: str, group: str) -> Iterator[tuple[str, str]]:
    """The ``name = value`` lines of one ``[group]`` section of an entry_points.txt file."""
    inside = False
    for raw in text.splitlines():
        line = raw.strip()
        if not line or line.startswith(("#", ";")):
            continue
        if line.startswith("["):
            inside = line.strip("[] \t") == group
        elif inside and "=" in line:
            name, _, value = line.partition("=")
            yield name.strip(), value.strip()


def _entry_points_by_metadata() -> list[tuple[str, str]]:
    from importlib import metadata

    return sorted((ep.name, ep.value) for ep in metadata.entry_points(group=ENTRY_POINT_GROUP))


def plugin_files() -> Iterator[tuple[str, str, str]]:
    """(label, text, plugin name) for every ``*.yaml`` in packages named by ``cfgscan.matrix`` entry points."""
    for name, value in matrix_entry_points():
        try:
            folder = resources.files(value.split(":")[0].strip())
        except Exception as exc:  # an ImportError raised by the package, a broken package: never a traceback
            message = f"entry point {name} = {value} ({ENTRY_POINT_GROUP}): cannot import: {exc}"
            raise MatrixError([message]) from None
        for f in _yaml_files(folder):
            yield f"{value}/{f.name}", f.read_text(encoding="utf-8"), name


def _read(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise MatrixError([f"{path}: matrix file not found"]) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise MatrixError([f"{path}: cannot read matrix: {exc}"]) from None


def load_all(
    config_paths: Sequence[Path] = (),
    cli_paths: Sequence[Path] = (),
    builtin: bool = True,
    plugins: bool = True,
) -> Matrix:
    """Read every source in order and merge; every problem of every file is reported together."""
    texts: list[tuple[str, str, str]] = []
    problems: list[str] = []

    def add(label: str, text: str, source: str) -> None:
        texts.append((label, text, source))

    if builtin:
        for label, text in bundled_files():
            add(label, text, "bundled")
    if plugins:
        try:
            for label, text, name in plugin_files():
                add(label, text, f"plugin:{name}")
        except MatrixError as exc:
            problems.extend(exc.problems)
    for source, paths in (("config", config_paths), ("cli", cli_paths)):
        for path in load_matrix_paths(paths):
            try:
                add(str(path), _read(path), source)
            except MatrixError as exc:
                problems.extend(exc.problems)
    if problems:
        return merge_texts(texts, problems)
    from scanner.matrix_cache import cached_matrix

    return cached_matrix(texts, merge_texts)


def merge_texts(texts: Sequence[tuple[str, str, str]], problems: Sequence[str] = ()) -> Matrix:
    """Parse (label, text, source) matrix files and merge them; raise MatrixError with every problem."""
    files: list[tuple[MatrixFile, str]] = []
    found = list(problems)
    for label, text, source in texts:
        try:
            files.append((read_matrix_file(label, text), source))
        except MatrixError as exc:
            found.extend(exc.problems)
    if found:
        raise MatrixError(found)
    return merge_matrices(files)
