"""The merged matrix cached on disk (a pickle keyed by the matrix texts and the code that builds it).

Loading the bundled YAML and validating every rule costs ~0.2 s; unpickling the result costs ~0.02 s. The
cache lives in ``$CFGSCAN_CACHE_DIR`` or the user cache folder (``$XDG_CACHE_HOME/cfgscan``), is written
atomically, is ignored when unreadable or stale, and ``CFGSCAN_NO_CACHE=1`` turns it off. Only a valid matrix
is cached: a matrix with problems is rebuilt (and its problems reported) every time.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import pickle
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

from scanner import __version__
from scanner.matrix import Matrix

KEEP = 8  # cache files kept; older ones are removed when a new one is written
# The modules whose classes are pickled or that shape the result: a change to any of them is a new key.
BUILDERS = ("matrix.py", "keypath.py", "model.py", "matrix_cache.py")

MatrixTexts = Sequence[tuple[str, str, str]]  # (label, text, source) in merge order


def cache_dir() -> Path | None:
    """Where cached matrices go; None when caching is off."""
    if os.environ.get("CFGSCAN_NO_CACHE", "") not in ("", "0"):
        return None
    explicit = os.environ.get("CFGSCAN_CACHE_DIR")
    if explicit:
        return Path(explicit)
    if sys.platform == "win32":
        base = os.environ.get("LOCALAPPDATA") or str(Path.home() / "AppData" / "Local")
    elif sys.platform == "darwin":
        base = str(Path.home() / "Library" / "Caches")
    else:
        base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "cfgscan"


def cache_key(texts: MatrixTexts) -> str:
    digest = hashlib.sha256(f"{__version__}\0{sys.version_info[:2]}\0".encode())
    here = Path(__file__).parent
    for name in BUILDERS:
        try:
            st = (here / name).stat()
            digest.update(f"{name}\0{st.st_size}\0{st.st_mtime_ns}\0".encode())
        except OSError:
            digest.update(f"{name}\0missing\0".encode())
    for label, text, source in texts:
        digest.update(f"{label}\0{source}\0{len(text)}\0".encode())
        digest.update(text.encode("utf-8", "surrogatepass"))
    return digest.hexdigest()[:40]


def cached_matrix(texts: MatrixTexts, build: Callable[[MatrixTexts], Matrix]) -> Matrix:
    """The matrix for these texts: from the cache when an entry matches, else built (and cached when valid)."""
    folder = cache_dir()
    if folder is None:
        return build(texts)
    key = cache_key(texts)
    path = folder / f"matrix-{key}.pickle"
    matrix = _read(path, key)
    if matrix is not None:
        return matrix
    matrix = build(texts)
    _write(folder, path, key, matrix)
    return matrix


def _read(path: Path, key: str) -> Matrix | None:
    try:
        with open(path, "rb") as f:
            stored_key, matrix = pickle.load(f)
    except FileNotFoundError:
        return None
    except Exception:  # a truncated, foreign or outdated pickle is a cache miss, never an error
        return None
    return matrix if stored_key == key and isinstance(matrix, Matrix) else None


def _write(folder: Path, path: Path, key: str, matrix: Matrix) -> None:
    try:
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        import tempfile  # only when the cache is written

        fd, tmp = tempfile.mkstemp(prefix=".matrix-", suffix=".tmp", dir=folder)
        try:
            with os.fdopen(fd, "wb") as f:
                pickle.dump((key, matrix), f, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(tmp, path)
        except BaseException:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
            raise
        _prune(folder)
    except Exception:  # a read-only or full disk only costs the next run the full load
        return


def _prune(folder: Path) -> None:
    entries = sorted(folder.glob("matrix-*.pickle"), key=lambda p: p.stat().st_mtime_ns, reverse=True)
    for old in entries[KEEP:]:
        with contextlib.suppress(OSError):
            old.unlink()
