"""The merged matrix cached on disk (a pickle keyed by the matrix files and the code that builds it).

Loading the bundled YAML and validating every rule costs ~0.2 s; unpickling the result costs ~5 ms. The
cache lives in ``$CFGSCAN_CACHE_DIR`` or the user cache folder (``$XDG_CACHE_HOME/cfgscan``), is written
atomically, is ignored when unreadable or stale, and ``CFGSCAN_NO_CACHE=1`` turns it off. Only a valid matrix
is cached: a matrix with problems is rebuilt (and its problems reported) every time.

A matrix file on disk is keyed by its path, size, inode and change times, so a run that hits the cache reads
no matrix text and hashes nothing (a file changed in the last few seconds is keyed by its text instead, as
clocks coarser than a write may leave its times unchanged); any other text is keyed by its SHA-256. The
whole key is stored in the pickle and compared, so the file name only spreads the entries.
"""

from __future__ import annotations

import contextlib
import gc
import os
import pickle
import stat
import sys
import time
import zlib
from collections.abc import Callable, Sequence
from typing import Any

from scanner import __version__
from scanner.keypath import Part
from scanner.matrix import Matrix, Rule

KEEP = 8  # cache files kept; older ones are removed when a new one is written
# The modules whose classes are pickled or that shape the result: a change to any of them is a new key.
BUILDERS = ("matrix.py", "keypath.py", "model.py", "lazyregex.py", "matrix_cache.py", "regexcheck.py", "regexnfa.py")
RECENT_SECONDS = 5.0  # a file written this recently is keyed by its text, not by its times

MatrixTexts = Sequence[tuple[str, str, str]]  # (label, text, source) in merge order


def cache_dir() -> str | None:
    """Where cached matrices go; None when caching is off."""
    if os.environ.get("CFGSCAN_NO_CACHE", "") not in ("", "0"):
        return None
    explicit = os.environ.get("CFGSCAN_CACHE_DIR")
    if explicit:
        return explicit
    if sys.platform == "win32":
        base = os.environ.get("LOCALAPPDATA") or os.path.join(os.path.expanduser("~"), "AppData", "Local")
    elif sys.platform == "darwin":
        base = os.path.join(os.path.expanduser("~"), "Library", "Caches")
    else:
        base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return os.path.join(base, "cfgscan")


def text_key(label: str, text: str, source: str) -> str:
    """The key line of a matrix text: its label, source and SHA-256."""
    import hashlib  # only for texts that are not plain files (plugins in a zip, tests, fresh edits)

    digest = hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()
    return f"text\0{label}\0{source}\0{len(text)}\0{digest}"


def file_key(label: str, path: str, source: str) -> str | None:
    """The key line of a matrix file from its metadata alone; None when it cannot be stat'ed, is not a regular
    file or was changed too recently to trust its times (the caller then reads it and uses ``text_key``)."""
    try:
        st = os.stat(path)
    except (OSError, ValueError):
        return None
    if not stat.S_ISREG(st.st_mode) or time.time() - max(st.st_mtime, st.st_ctime) < RECENT_SECONDS:
        return None
    return (f"file\0{label}\0{source}\0{os.path.abspath(path)}\0{st.st_size}\0{st.st_mtime_ns}\0"
            f"{st.st_ctime_ns}\0{st.st_ino}\0{st.st_dev}")


def cache_key(lines: Sequence[str]) -> str:
    """The whole key: cfgscan's version, the interpreter, the code that builds and pickles, every matrix."""
    import packaging

    head = [__version__, f"{sys.version_info[:2]}", f"packaging {packaging.__version__}"]
    here = os.path.dirname(os.path.abspath(__file__))
    for name in BUILDERS:
        try:
            st = os.stat(os.path.join(here, name))
            head.append(f"{name}\0{st.st_size}\0{st.st_mtime_ns}")
        except OSError:
            head.append(f"{name}\0missing")
    return "\n".join([*head, *lines])


def cached_matrix(texts: MatrixTexts, build: Callable[[MatrixTexts], Matrix]) -> Matrix:
    """The matrix for these texts: from the cache when an entry matches, else built (and cached when valid)."""
    return cached([text_key(label, text, source) for label, text, source in texts], lambda: build(texts))


def cached(key_lines: Sequence[str], build: Callable[[], Matrix]) -> Matrix:
    """The matrix for this key (``text_key`` and ``file_key`` lines in merge order): from the cache when an
    entry matches, else built (and cached when valid)."""
    folder = cache_dir()
    if folder is None:
        return build()
    key = cache_key(key_lines)
    path = os.path.join(folder, f"matrix-{zlib.crc32(key.encode('utf-8', 'surrogatepass')):08x}.pickle")
    matrix = _read(path, key)
    if matrix is not None:
        return matrix
    matrix = build()
    _write(folder, path, key, matrix)
    return matrix


def _read(path: str, key: str) -> Matrix | None:
    gc_was_on = gc.isenabled()
    gc.disable()  # unpickling makes thousands of containers: collecting them meanwhile finds nothing to free
    try:
        with open(path, "rb") as f:
            if pickle.load(f) != key:  # the key is a pickle of its own: a stale entry is not unpickled
                return None
            matrix = pickle.load(f)
    except FileNotFoundError:
        return None
    except Exception:  # a truncated, foreign or outdated pickle is a cache miss, never an error
        return None
    finally:
        if gc_was_on:
            gc.enable()
    return matrix if isinstance(matrix, Matrix) else None


def _write(folder: str, path: str, key: str, matrix: Matrix) -> None:
    try:
        os.makedirs(folder, mode=0o700, exist_ok=True)
        import tempfile  # only when the cache is written

        fd, tmp = tempfile.mkstemp(prefix=".matrix-", suffix=".tmp", dir=folder)
        try:
            with os.fdopen(fd, "wb") as f:
                pickle.dump(key, f, protocol=pickle.HIGHEST_PROTOCOL)
                _MatrixPickler(f, protocol=pickle.HIGHEST_PROTOCOL).dump(matrix)
            os.replace(tmp, path)
        except BaseException:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
            raise
        _prune(folder)
    except Exception:  # a read-only or full disk only costs the next run the full load
        return


def _prune(folder: str) -> None:
    entries = []
    for name in os.listdir(folder):
        if name.startswith("matrix-") and name.endswith(".pickle"):
            with contextlib.suppress(OSError):
                entries.append((os.stat(os.path.join(folder, name)).st_mtime_ns, name))
    for _, old in sorted(entries, reverse=True)[KEEP:]:
        with contextlib.suppress(OSError):
            os.unlink(os.path.join(folder, old))


# Unpickling is most of a cached run's matrix cost. Rules (frozen dataclasses of 25 fields) are written as a
# field-name tuple shared by all and a tuple of values, restored into a fresh __dict__ in one step; key path
# parts (frozen slots dataclasses, restored one field at a time through dataclasses' __setstate__ by default)
# are rebuilt by their constructor, and equal parts and part tuples are written once.


def restore(cls: type[Any], names: tuple[str, ...], values: tuple[Any, ...]) -> Any:
    """A frozen (non-slots) dataclass instance from its field names and values, as pickled by _MatrixPickler."""
    obj = object.__new__(cls)
    object.__setattr__(obj, "__dict__", dict(zip(names, values, strict=True)))
    return obj


class _MatrixPickler(pickle.Pickler):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.names = tuple(Rule.__dataclass_fields__)
        self.parts: dict[Any, Any] = {}

    def reducer_override(self, obj: Any) -> Any:
        cls = type(obj)
        if cls is Part:
            return Part, (obj.kind, obj.text, obj.regex)
        if cls is not Rule:
            return NotImplemented
        values = [getattr(obj, name) for name in self.names]
        values[self.names.index("parts")] = self._shared(obj.parts)
        values[self.names.index("where")] = tuple((self._shared(parts), value) for parts, value in obj.where)
        return restore, (Rule, self.names, tuple(values))

    def _shared(self, parts: tuple[Part, ...]) -> tuple[Part, ...]:
        """One object per distinct part and part tuple (pickle writes an object it has seen as a reference)."""
        shared: tuple[Part, ...] = self.parts.setdefault(parts, tuple(self.parts.setdefault(p, p) for p in parts))
        return shared
