"""Matrix files named by a scanned repository's own tool config: regular files inside the project, read with a
size limit and without blocking (the repository is not trusted to name ``/dev/zero``, a FIFO or ``/etc/passwd``)."""

from __future__ import annotations

import os
import stat
from collections.abc import Sequence

from scanner.errors import MatrixError
from scanner.excerpt import name as shown

MAX_BYTES = 1024 * 1024
SUFFIXES = (".yaml", ".yml")
OPEN_FLAGS = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_BINARY", 0)


def confined_files(paths: Sequence[str], root: str) -> tuple[list[tuple[str, str]], list[str]]:
    """(label, real path) of every matrix file the paths name (a folder: its ``*.yaml``/``*.yml``, sorted), and
    a problem for each path that is missing, not a regular file, too large, or (links resolved) outside root."""
    top = os.path.realpath(root)
    found: list[tuple[str, str]] = []
    problems: list[str] = []
    for raw in paths:
        real, given = os.path.realpath(raw), shown(raw, 200)  # a name from the config may hold anything
        if not os.path.isdir(real):
            problem = _problem(given, real, top)
            if problem:
                problems.append(problem)
            else:
                found.append((given, real))
            continue
        if not _inside(real, top):
            problems.append(f"{given}: matrix folder named by the tool config is outside the project ({top}); "
                            "pass it with --matrix to load it")
            continue
        try:
            names = sorted(n for n in os.listdir(real) if n.endswith(SUFFIXES))
        except OSError as exc:
            problems.append(f"{given}: cannot list matrix folder: {exc.strerror or exc}")
            continue
        for name in names:
            label, path = os.path.join(given, shown(name, 200)), os.path.realpath(os.path.join(real, name))
            if os.path.isdir(path):
                continue
            problem = _problem(label, path, top)
            if problem:
                problems.append(problem)
            else:
                found.append((label, path))
    return found, problems


def _inside(path: str, top: str) -> bool:
    return path == top or path.startswith(top.rstrip(os.sep) + os.sep)


def _problem(label: str, real: str, top: str) -> str | None:
    """Why a matrix file named by the tool config is not read, or None."""
    if not _inside(real, top):
        return (f"{label}: matrix file named by the tool config is outside the project ({top}); "
                "pass it with --matrix to load it")
    try:
        st = os.stat(real)
    except FileNotFoundError:
        return f"{label}: matrix file not found"
    except OSError as exc:
        return f"{label}: cannot read matrix: {exc.strerror or exc}"
    if not stat.S_ISREG(st.st_mode):
        return f"{label}: matrix file is not a regular file (a FIFO, socket or device); never opened"
    if st.st_size > MAX_BYTES:
        return f"{label}: matrix file is larger than the {MAX_BYTES // 1024 // 1024} MB limit ({st.st_size} bytes)"
    return None


def read_confined(label: str, path: str) -> str:
    """The UTF-8 text of a file ``confined_files`` accepted: opened without following a link or blocking, checked
    again once open, and never read past the limit."""
    try:
        fd = os.open(path, OPEN_FLAGS)
    except OSError as exc:
        raise MatrixError([f"{label}: cannot read matrix: {exc.strerror or exc}"]) from None
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise MatrixError([f"{label}: matrix file is not a regular file; never read"])
        chunks, total = [], 0
        while total <= MAX_BYTES:
            chunk = os.read(fd, MAX_BYTES + 1 - total)
            if not chunk:
                break
            chunks.append(chunk)
            total += len(chunk)
    except OSError as exc:
        raise MatrixError([f"{label}: cannot read matrix: {exc.strerror or exc}"]) from None
    finally:
        os.close(fd)
    if total > MAX_BYTES:
        raise MatrixError([f"{label}: matrix file grew past the {MAX_BYTES // 1024 // 1024} MB limit while read"])
    try:
        return b"".join(chunks).decode("utf-8")
    except UnicodeDecodeError as exc:
        raise MatrixError([f"{label}: matrix file is not UTF-8 (byte {exc.start + 1})"]) from None
