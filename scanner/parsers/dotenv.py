"""dotenv parser: ``KEY=value`` lines, ``export`` prefixes, quotes and comments, one segment per key."""

from __future__ import annotations

import re

from scanner.model import Occurrence
from scanner.parsers.interface import ParseResult

ASSIGN = re.compile(r"(?P<indent>\s*)(?:export\s+)?(?P<key>[A-Za-z_][A-Za-z0-9_.-]*)\s*=\s*(?P<value>.*)$")


def _unquote(raw: str) -> tuple[str, int]:
    """The value of a dotenv right-hand side and its length in the line (comments dropped)."""
    if raw and raw[0] in "\"'":
        q = raw[0]
        end = 1
        while end < len(raw) and raw[end] != q:
            end += 2 if (q == '"' and raw[end] == "\\") else 1
        inner = raw[1:end]
        if q == '"':
            inner = inner.replace('\\"', '"').replace("\\n", "\n").replace("\\\\", "\\")
        return inner, min(end + 1, len(raw))
    m = re.search(r"\s#", raw)
    value = raw[: m.start()] if m else raw
    return value.rstrip(), len(value.rstrip())


def parse(text: str) -> ParseResult:
    result = ParseResult()
    offset = 0
    for lineno, raw in enumerate(text.split("\n"), start=1):
        start, offset = offset, offset + len(raw) + 1
        line = raw.rstrip("\r")
        stripped = line.strip()
        if not stripped or stripped.startswith("#"):
            continue
        m = ASSIGN.match(line)
        if m is None:
            result.errors.append((lineno, 1, f"not a KEY=value line: {stripped[:60]!r}"))
            continue
        key = m.group("key")
        value, vlen = _unquote(m.group("value"))
        col, vcol = m.start("key") + 1, m.start("value") + 1
        result.occurrences.append(Occurrence(
            path=(key,), value=value, line=lineno, column=col, end_line=lineno, end_column=col + len(key),
            value_line=lineno, value_column=vcol, key_span=(start + col - 1, start + col - 1 + len(key)),
            value_span=(start + vcol - 1, start + vcol - 1 + vlen)))
    return result
