"""Python lock files in TOML: uv.lock, poetry.lock, pdm.lock and pylock.toml (PEP 751)."""

from __future__ import annotations

import re

from scanner.inventory.inputs import TOML_LOCKS
from scanner.inventory.interface import EXACT, Context, Found, Package, canonical_name, first_of_each
from scanner.inventory.sourcetext import LineIndex, read_root_file, toml_document

PACKAGE_TABLES = {"pylock.toml": "packages"}  # PEP 751; the others write [[package]]
_KEY = re.compile(r"""(name|version)[ \t]*=[ \t]*(["'])(.*?)\2""")
_INDENTED_KEY = re.compile(r"""^[ \t]*(name|version)[ \t]*=[ \t]*(["'])(.*?)\2""", re.M)


def read_toml_locks(ctx: Context) -> Found:
    found = Found()
    for filename in TOML_LOCKS:
        found.extend(read_toml_lock(ctx, filename, PACKAGE_TABLES.get(filename, "package")))
    return found


def read_toml_lock(ctx: Context, filename: str, table: str) -> Found:
    """Each ``[[package]]``'s name and version, at the line of its ``version =``."""
    found = Found()
    path = ctx.path(filename)
    text = read_root_file(ctx, filename, found)
    if text is None:
        return found
    entries = scan_tables(text, table)
    odd = not entries or any(not name or version == "" for name, version, _ in entries)
    if odd and toml_document(text, filename, ctx, found) is None:  # the parser says what is wrong
        return found
    found.packages = first_of_each([
        Package(canonical_name(name), "pypi", version, EXACT, ctx.where(path, line))
        for name, version, line in entries if name and version])
    return found


# A full TOML parse of a 2,000-package lock costs ~150-250 ms in pure-Python tomllib, too slow for a
# pre-commit hook, so one pass over the lines picks each ``[[package]]`` table's ``name`` and ``version``
# keys; tomllib runs only when that pass finds something odd, to name the syntax error.
def scan_tables(text: str, table: str) -> list[tuple[str | None, str | None, int | None]]:
    """(name, version, line of the version) of each ``[[table]]``, from its own keys only;
    a key that is written but is not a plain string reads as ``""``."""
    index = LineIndex(text)
    starts = _headers(text, table)
    entries: list[tuple[str | None, str | None, int | None]] = []
    for n, start in enumerate(starts):
        end = text.find("\n[", start)  # the next table, whichever it is, ends this one's own keys
        end = len(text) if end < 0 else end
        if n + 1 < len(starts):
            end = min(end, starts[n + 1])
        name, _ = _key(text, "name", start, end)
        version, pos = _key(text, "version", start, end)
        entries.append((name, version, index.line_at(pos) if version else None))
    return entries


def _headers(text: str, table: str) -> list[int]:
    """Offsets just past each ``[[table]]`` header line (str.find first: a regex over the file is slower)."""
    header = f"[[{table}]]"
    starts = []
    pos = text.find(header)
    while pos >= 0:
        if pos == 0 or text[pos - 1] == "\n":
            starts.append(pos + len(header))
        pos = text.find(header, pos + len(header))
    if not starts:
        starts = [m.end() for m in re.finditer(rf"^[ \t]*\[\[[ \t]*{re.escape(table)}[ \t]*\]\]", text, re.M)]
    return starts


def _key(text: str, key: str, start: int, end: int) -> tuple[str | None, int]:
    """The string value of ``key = "..."`` between start and end, and where it is written."""
    pos = text.find(f"\n{key}", start, end)
    m = _KEY.match(text, pos + 1, end) if pos >= 0 else None
    if not (m and m.group(1) == key):  # indented or unusual: the slower search
        m = next((k for k in _INDENTED_KEY.finditer(text, start, end) if k.group(1) == key), None)
    if m:
        return m.group(3), m.start()
    written = re.compile(rf"^[ \t]*{key}[ \t]*=", re.M).search(text, start, end)
    return ("" if written else None), -1  # "": the key is there but its value is not a plain string
