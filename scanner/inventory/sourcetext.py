"""Reading a source file safely into text, and finding the line on which a value is written."""

from __future__ import annotations

import os
import re
import sys
from bisect import bisect_left
from typing import Any

from scanner.inventory.interface import Context, Found
from scanner.textio import SkipFile, Unreadable, decode, read_bytes

LOCK_MAX_BYTES = 256 * 1024 * 1024  # lock files of large monorepos run to tens of megabytes
_NEWLINE = re.compile("\n")


def read_source(
    path: str | os.PathLike[str], ctx: Context, found: Found, max_bytes: int = LOCK_MAX_BYTES
) -> str | None:
    """The file's text, or None after recording why it could not be read as an error of ``found``."""
    try:
        data, _ = read_bytes(os.fspath(path), max_bytes)
        text, _, _ = decode(data)
    except (SkipFile, Unreadable) as exc:
        found.errors.append((ctx.display(path), str(exc)))
        return None
    return text


class LineIndex:
    """1-based line numbers of character offsets in one text, and forward searches that keep a cursor."""

    def __init__(self, text: str) -> None:
        self.text = text
        self._newlines: list[int] | None = None
        self._last = (0, 1)  # (offset, its line): forward lookups count newlines from there
        self.cursor = 0

    def line_at(self, pos: int) -> int:
        last_pos, last_line = self._last
        if pos >= last_pos:
            line = last_line + self.text.count("\n", last_pos, pos)
            self._last = (pos, line)
            return line
        if self._newlines is None:
            self._newlines = [m.start() for m in _NEWLINE.finditer(self.text)]
        return bisect_left(self._newlines, pos) + 1

    def advance(self, needle: str | re.Pattern[str]) -> int | None:
        """Find ``needle`` at or after the cursor; move the cursor past it and return its line."""
        if isinstance(needle, str):
            pos = self.text.find(needle, self.cursor)
            end = pos + len(needle)
        else:
            m = needle.search(self.text, self.cursor)
            pos, end = (m.start(), m.end()) if m else (-1, -1)
        if pos < 0:
            return None
        self.cursor = end
        return self.line_at(pos)


def advance_json_member(index: LineIndex, key: str, value: str) -> int | None:
    """Move past the JSON member ``"key": value`` (``value`` as written, e.g. ``{`` or ``"4.9.5"``)."""
    quoted = json_string(key)
    for sep in (": ", ":"):
        line = index.advance(quoted + sep + value)
        if line:
            return line
    return None


def json_string(value: str) -> str:
    """``value`` as a JSON string literal, the way npm and pipenv write it."""
    if '"' in value or "\\" in value or not value.isprintable():
        import json  # here and below only for a JSON source: pyproject and requirements need none

        return json.dumps(value, ensure_ascii=False)
    return f'"{value}"'


def json_object(text: str, filename: str, ctx: Context, found: Found) -> dict[str, Any] | None:
    """The parsed JSON object, or None after recording why the text is not one."""
    import json

    try:
        data = json.loads(text)
    except (ValueError, RecursionError) as exc:
        found.errors.append((ctx.display(ctx.path(filename)), f"invalid JSON: {exc or 'nested too deeply'}"))
        return None
    if not isinstance(data, dict):
        found.errors.append((ctx.display(ctx.path(filename)), "not a JSON object"))
        return None
    return data


def toml_document(text: str, filename: str, ctx: Context, found: Found) -> dict[str, Any] | None:
    """The parsed TOML document, or None after recording the syntax error."""
    if sys.version_info >= (3, 11):  # imported when a TOML file is parsed, not by every inventory
        import tomllib
    else:  # pragma: no cover
        import tomli as tomllib
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        found.errors.append((ctx.display(ctx.path(filename)), f"invalid TOML: {exc}"))
        return None


def read_root_json(ctx: Context, filename: str, found: Found) -> tuple[str, dict[str, Any]] | None:
    """The text and parsed object of a JSON file at the project root, or None (with the reason in found)."""
    text = read_root_file(ctx, filename, found)
    data = json_object(text, filename, ctx, found) if text is not None else None
    return None if text is None or data is None else (text, data)


def read_root_file(ctx: Context, filename: str, found: Found, max_bytes: int = LOCK_MAX_BYTES) -> str | None:
    """The text of a file at the project root; None when it is absent or unreadable, or when it holds
    merge conflict markers (a lock file's usual breakage): both of those are errors of ``found``."""
    path = ctx.path(filename)
    if not os.path.isfile(path):
        return None
    text = read_source(path, ctx, found, max_bytes)
    pos = -1 if text is None else ("\n" + text).find("\n<<<<<<< ")
    if text is None or pos < 0:
        return text
    line = text.count("\n", 0, pos) + 1
    found.errors.append((ctx.display(path), f"line {line}: unresolved merge conflict"))
    return None
