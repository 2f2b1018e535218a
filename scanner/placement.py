"""Where a value rule's match sits in a file: a span of a parsed value mapped back to the text it was read from.

A parsed value is not always its source text: a ``|`` block scalar loses its indentation, an INI value its
continuation indent and comments, a folded or escaped string its line breaks and backslashes. This runs only
for findings, never per occurrence, and stays linear in the value's length.
"""

from __future__ import annotations

PROBE = 200  # characters of a match searched for literally; the rest is compared in place


def locate_match(text: str, span: tuple[int, int], value: str, match: tuple[int, int]) -> tuple[int, int] | None:
    """The span in ``text`` of ``value[match[0]:match[1]]``, where ``text[span[0]:span[1]]`` is the source of ``value``.

    Surrounding blanks of the match are left out, so a ``\\s*`` never moves it to the line before. None when
    the match is the whole of a one-line value (the value's own span, quotes included, says it best), when it
    is only blanks, or when it cannot be found in the source: the caller keeps the value's span then.
    """
    start, end = match
    while start < end and value[start].isspace():
        start += 1
    while end > start and value[end - 1].isspace():
        end -= 1
    lo, hi = span
    one_line = text.find("\n", lo, hi) < 0
    if start == end or (one_line and match == (0, len(value))):
        return None
    raw = text[lo:hi]
    found = None if one_line else _by_lines(raw, value, start, end)
    if found is None:
        found = _by_literal(raw, value, start, end)
    return None if found is None else (lo + found[0], lo + found[1])


def _by_lines(raw: str, value: str, start: int, end: int) -> tuple[int, int] | None:
    """Match lines of the value to lines of the source, in order: a value line is a source line minus its
    indentation (``|`` blocks, multi-line strings) and maybe a trailing comment (INI). None when a line up to the
    match's last is not found that way (folded lines, escapes), or the match's text is not where it should be."""
    first, last = value.count("\n", 0, start), value.count("\n", 0, end)
    vlines = value.split("\n", last + 1)[: last + 1]
    rlines = raw.split("\n")
    vstart = rstart = j = 0  # offsets of the current value line and source line
    out: list[int] = []
    for i, line in enumerate(vlines):
        core = line.strip()
        if core:  # blank value lines take no source line: they are never where a match starts or ends
            while j < len(rlines):
                r = rlines[j]
                # the region's first line may hold an opening quote or a block indicator before the value
                if r.strip().startswith(core) or (j == 0 and core in r):
                    break
                rstart += len(r) + 1
                j += 1
            else:
                return None
            at = rstart + rlines[j].find(core) - (len(line) - len(line.lstrip()))
            if i == first:
                out.append(at + start - vstart)
            if i == last:
                out.append(at + end - vstart)
            rstart += len(rlines[j]) + 1
            j += 1
        vstart += len(line) + 1
    s, e = out
    if not _same(raw, value, start, end, s, e):
        return None
    return s, e


def _ends(value: str, start: int, end: int) -> tuple[str, str]:
    """The first and the last line of the match (the same text for a one-line match)."""
    eol = value.find("\n", start, end)
    return value[start : end if eol < 0 else eol], value[max(start, value.rfind("\n", start, end) + 1) : end]


def _same(raw: str, value: str, start: int, end: int, s: int, e: int) -> bool:
    """Whether the first and last line of the match read the same at the mapped places in the source."""
    head, tail = _ends(value, start, end)
    return raw.startswith(head, s) and raw.startswith(tail, e - len(tail))


def _by_literal(raw: str, value: str, start: int, end: int) -> tuple[int, int] | None:
    """Find the match's first line in the source as the same n-th occurrence it is in the value, and its last
    line after it: right for quoted, escaped and folded text unless the source has the same characters where
    the value does not (a comment)."""
    head, tail = _ends(value, start, end)
    probe = head[:PROBE]
    nth, pos = 0, value.find(probe)
    while 0 <= pos < start:
        nth, pos = nth + 1, value.find(probe, pos + 1)
    pos = raw.find(probe)
    while nth and pos >= 0:
        nth, pos = nth - 1, raw.find(probe, pos + 1)
    if pos < 0 or not raw.startswith(head, pos):
        return None
    if value.find("\n", start, end) < 0:
        return pos, pos + len(head)
    at = raw.find(tail, pos + len(head))
    return pos, (at + len(tail) if at >= 0 else pos + len(head))
