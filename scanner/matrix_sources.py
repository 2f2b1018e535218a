"""Where matrices come from, in merge order: bundled, installed plugins, tool config, --matrix."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Iterator, Sequence
from functools import partial
from typing import TYPE_CHECKING

from scanner.errors import MatrixError
from scanner.matrix import Matrix, MatrixFile, load_matrix_paths, merge_matrices, read_matrix_file, untrusted

if TYPE_CHECKING:
    from importlib.abc import Traversable
    from pathlib import Path

ENTRY_POINT_GROUP = "cfgscan.matrix"
PACKAGE_DIR = os.path.dirname(os.path.abspath(__file__))

# One matrix file in merge order: label, source, its path when it is a plain file (the cache then keys it by
# its metadata and reads it only on a miss), and how to read its text.
Input = tuple[str, str, str | None, Callable[[], str]]


def bundled_dir() -> str | Traversable:
    """The bundled matrix folder: inside the wheel (``scanner/_matrix``), or the checkout's top-level matrix/
    when editable; found through importlib.resources only when the package is not plain files (a zip)."""
    for folder in (os.path.join(PACKAGE_DIR, "_matrix"), os.path.join(PACKAGE_DIR, os.pardir, "matrix")):
        if os.path.isdir(folder):
            return folder
    from importlib import resources

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


def _bundled_inputs() -> list[Input]:
    folder = bundled_dir()
    if not isinstance(folder, str):
        return [(f"<bundled>/{f.name}", "bundled", None, partial(f.read_text, encoding="utf-8"))
                for f in _yaml_files(folder)]
    files = sorted(name for name in os.listdir(folder)
                   if name.endswith((".yaml", ".yml")) and os.path.isfile(os.path.join(folder, name)))
    return [(f"<bundled>/{name}", "bundled", path, partial(_read_text, path))
            for name in files for path in (os.path.join(folder, name),)]


def _read_text(path: str) -> str:
    with open(path, encoding="utf-8") as f:
        return f.read()


def bundled_files() -> Iterator[tuple[str, str]]:
    for label, _, _, read in _bundled_inputs():
        yield label, read()


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
            if ENTRY_POINT_GROUP not in text:  # most distributions: no need to read it line by line
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


def _plugin_inputs() -> Iterator[Input]:
    """Every ``*.yaml`` in packages named by ``cfgscan.matrix`` entry points."""
    for name, value in matrix_entry_points():
        from importlib import resources  # only when a plugin is installed

        try:
            folder = resources.files(value.split(":")[0].strip())
        except Exception as exc:  # an ImportError raised by the package, a broken package: never a traceback
            message = f"entry point {name} = {value} ({ENTRY_POINT_GROUP}): cannot import: {exc}"
            raise MatrixError([message]) from None
        for f in _yaml_files(folder):
            path = os.fspath(f) if isinstance(f, os.PathLike) else None
            yield f"{value}/{f.name}", f"plugin:{name}", path, partial(f.read_text, encoding="utf-8")


def _read(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise MatrixError([f"{path}: matrix file not found"]) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise MatrixError([f"{path}: cannot read matrix: {exc}"]) from None


def _as_paths(paths: Sequence[str | os.PathLike[str]]) -> list[Path]:
    if not paths:
        return []
    from pathlib import Path  # only with --matrix or matrix files in the tool config

    return [Path(p) for p in paths]


def load_all(
    config_paths: Sequence[str | os.PathLike[str]] = (),
    cli_paths: Sequence[str | os.PathLike[str]] = (),
    builtin: bool = True,
    plugins: bool = True,
    config_root: str | None = None,
) -> Matrix:
    """Read every source in order and merge; every problem of every file is reported together. With a
    ``config_root`` (the tool config came from the scanned tree), the config's matrix files must be regular files
    inside it and are read with a size limit (``scanner.repo_matrix``)."""
    inputs: list[Input] = []
    problems: list[str] = []
    if builtin:
        inputs.extend(_bundled_inputs())
    if plugins:
        try:
            for entry in _plugin_inputs():
                inputs.append(entry)
        except MatrixError as exc:
            problems.extend(exc.problems)
    if config_root is not None and config_paths:
        from scanner.repo_matrix import confined_files, read_confined

        found, refused = confined_files([os.fspath(p) for p in config_paths], config_root)
        problems.extend(refused)
        inputs.extend((label, "config", real, partial(read_confined, label, real)) for label, real in found)
        config_paths = ()
    for source, paths in (("config", config_paths), ("cli", cli_paths)):
        for matrix_path in load_matrix_paths(_as_paths(paths)):
            inputs.append((str(matrix_path), source, os.fspath(matrix_path), partial(_read, matrix_path)))
    from scanner.matrix_cache import cache_dir, cached, file_key, text_key

    if problems or cache_dir() is None:
        return merge_texts(*_read_all(inputs, {}, problems))

    keys: list[str] = []
    texts: dict[int, str] = {}  # read for their key: the matrix is built from the very texts it is keyed by
    for i, (label, source, file, read) in enumerate(inputs):
        key = file_key(label, file, source) if file is not None else None
        if key is None:
            try:
                texts[i] = read()
            except MatrixError:  # reported in input order, with every other problem, by the uncached load
                return merge_texts(*_read_all(inputs, {}, problems))
            key = text_key(label, texts[i], source)
        keys.append(key)
    return cached(keys, lambda: merge_texts(*_read_all(inputs, texts, problems)))


def _read_all(
    inputs: Sequence[Input], texts: dict[int, str], problems: list[str]
) -> tuple[list[tuple[str, str, str]], list[str]]:
    """(label, text, source) of every input that could be read (texts already read are not read again), and
    the problems with those of the inputs that could not."""
    out: list[tuple[str, str, str]] = []
    for i, (label, source, _, read) in enumerate(inputs):
        try:
            out.append((label, texts[i] if i in texts else read(), source))
        except MatrixError as exc:
            problems.extend(exc.problems)
    return out, problems


def merge_texts(texts: Sequence[tuple[str, str, str]], problems: Sequence[str] = ()) -> Matrix:
    """Parse (label, text, source) matrix files and merge them; raise MatrixError with every problem."""
    files: list[tuple[MatrixFile, str]] = []
    found = list(problems)
    for label, text, source in texts:
        try:
            files.append((read_matrix_file(label, text, untrusted(source)), source))
        except MatrixError as exc:
            found.extend(exc.problems)
    if found:
        raise MatrixError(found)
    return merge_matrices(files)
