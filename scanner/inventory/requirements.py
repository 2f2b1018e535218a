"""requirements*.txt and constraints*.txt: ``==`` pins (and other bounds), following -r/-c includes."""

from __future__ import annotations

import re
from pathlib import Path

from scanner.inventory.inputs import REQUIREMENTS as PATTERNS
from scanner.inventory.interface import Context, Found, Package, first_of_each
from scanner.inventory.sourcetext import read_source
from scanner.inventory.specifiers import requirement_version

_INCLUDE = re.compile(r"^(?:-r|-c|--requirement|--constraint)(?:\s*=\s*|\s+|(?=\S))(\S+)")
_COMMENT = re.compile(r"(^|\s)#.*$")
_OPTIONS = re.compile(r"\s+--?[A-Za-z].*$")
_NOT_A_NAME = re.compile(r"^(?:[\w+.-]+://|\.|/|[A-Za-z]:\\)")  # URLs and paths are not pins


def read_requirements(ctx: Context) -> Found:
    found = Found()
    root = Path(ctx.root)
    files = [p for pattern in PATTERNS for p in sorted(root.glob(pattern)) if p.is_file()]
    seen: set[Path] = set()
    for path in files:
        _read_file(path, ctx, found, seen)
    found.packages = first_of_each(found.packages)
    return found


def logical_lines(text: str) -> list[tuple[int, str]]:
    """(first line number, text) with continuations joined and comments removed."""
    out: list[tuple[int, str]] = []
    pending, start = "", 0
    for number, raw in enumerate(text.splitlines(), 1):
        if not pending:
            start = number
        line = _COMMENT.sub("", raw)
        if line.endswith("\\"):
            pending += line[:-1] + " "
            continue
        pending += line
        if pending.strip():
            out.append((start, pending.strip()))
        pending = ""
    if pending.strip():
        out.append((start, pending.strip()))
    return out


# Backslash continuations, comments, per-requirement options (``--hash``) and markers are understood;
# includes are relative to the including file and each file is read once, so cycles end.
def _read_file(path: Path, ctx: Context, found: Found, seen: set[Path]) -> None:
    resolved = path.resolve()
    if resolved in seen:
        return
    seen.add(resolved)
    text = read_source(path, ctx, found, max_bytes=16 * 1024 * 1024)
    if text is None:
        return
    for number, line in logical_lines(text):
        include = _INCLUDE.match(line)
        if include:
            target = path.parent / include.group(1)
            if target.is_file():
                _read_file(target, ctx, found, seen)
            elif "://" not in include.group(1):
                found.errors.append((ctx.display(path), f"line {number}: included file not found: "
                                     f"{include.group(1)}"))
            continue
        if line.startswith("-") or _NOT_A_NAME.match(line):
            continue  # -e, --index-url, --hash-only lines, URLs and local paths
        requirement = _OPTIONS.sub("", line)
        try:
            pinned = requirement_version(requirement)
        except ValueError as exc:  # packaging.requirements.InvalidRequirement
            if "@" not in requirement:
                found.errors.append((ctx.display(path), f"line {number}: invalid requirement: {exc}"))
            continue
        if pinned:
            found.packages.append(Package(pinned[0], "pypi", pinned[1], pinned[2], ctx.where(path, number)))
