"""Text helpers shared by the line-oriented fixers (YAML, TOML, INI, dotenv, Python)."""

from __future__ import annotations

from scanner.fixers.interface import FixContext, NotFixable


def indent_of(line: str) -> int:
    return len(line) - len(line.lstrip(" \t"))


def block_end(ctx: FixContext, key_start: int) -> int:
    """End of an indented block: the key's line plus following lines indented deeper (blank lines inside kept)."""
    text = ctx.text
    ls, le = ctx.line_bounds(key_start)
    base = key_start - ls
    end, pos = le, le
    while pos < len(text):
        nl = text.find("\n", pos)
        line_end = len(text) if nl < 0 else nl + 1
        line = text[pos:line_end].rstrip("\r\n")
        if line.strip() and indent_of(line) <= base:
            break
        if line.strip():
            end = line_end
        pos = line_end
    return end


def entry_lines(ctx: FixContext, starts_badly: str, ends_badly: str, extra_ok: bool = True) -> tuple[int, int]:
    """Whole lines from the key to the end of its value (trailing `#` comment included), or NotFixable.

    ``starts_badly``/``ends_badly`` are the reasons given when other content shares the first/last line.
    """
    ks, vs = ctx.occ.key_span, ctx.occ.value_span
    if ks is None or vs is None:
        raise NotFixable("no position for the entry")
    ls, _ = ctx.line_bounds(ks[0])
    if ctx.text[ls:ks[0]].strip() or not extra_ok:
        raise NotFixable(starts_badly)
    _, le = ctx.line_bounds(max(vs[1] - 1, vs[0]))
    tail = ctx.text[vs[1]:le].strip()
    if tail and not tail.startswith("#"):
        raise NotFixable(ends_badly)
    return ls, le


def require_own_line(ctx: FixContext, key_start: int) -> int:
    """The line start, after checking that only indentation precedes the key on its line."""
    ls, _ = ctx.line_bounds(key_start)
    if ctx.text[ls:key_start].strip():
        raise NotFixable("the key does not start its line (a flow mapping or a list item); fix it by hand")
    return ls


def _skip_back(text: str, pos: int, comment: str) -> int:
    """Index just after the previous significant character before pos (whitespace and comments skipped)."""
    i = pos
    while i > 0:
        ls = text.rfind("\n", 0, i) + 1
        segment = text[ls:i]
        cut = _comment_start(segment, comment)
        if cut is not None:
            segment = segment[:cut]
        stripped = segment.rstrip()
        if stripped:
            return ls + len(stripped)
        i = ls - 1 if ls > 0 else 0
        if ls == 0:
            return 0
    return 0


def _comment_start(segment: str, comment: str) -> int | None:
    """Start of a line comment outside quotes in a line segment, if any."""
    quote = ""
    i = 0
    while i < len(segment):
        c = segment[i]
        if quote:
            if c == "\\":
                i += 2
                continue
            if c == quote:
                quote = ""
        elif c in "\"'`":
            quote = c
        elif segment.startswith(comment, i):
            return i
        i += 1
    return None


def _skip_forward(text: str, pos: int, comment: str) -> int:
    i = pos
    n = len(text)
    while i < n:
        if text[i] in " \t\r\n":
            i += 1
        elif text.startswith(comment, i):
            nl = text.find("\n", i)
            i = n if nl < 0 else nl
        elif comment == "//" and text.startswith("/*", i):
            end = text.find("*/", i + 2)
            i = n if end < 0 else end + 2
        else:
            break
    return i


def delete_member(ctx: FixContext, comment: str) -> tuple[int, int]:
    """Span of a `key: value` member of an object/dict literal with its comma, whole lines where possible."""
    ks, vs = ctx.occ.key_span, ctx.occ.value_span
    if ks is None or vs is None:
        raise NotFixable("no position for the entry")
    text = ctx.text
    start, end = ks[0], vs[1]
    if text[start - 1 : start] in "\"'" and text[start - 1 : start] and text[ks[1] : ks[1] + 1] == text[start - 1]:
        start, end = start - 1, max(end, ks[1] + 1)  # a quoted key whose span excludes the quotes
    after = _skip_forward(text, end, comment)
    if after < len(text) and text[after] == ",":
        end = after + 1
    else:
        before = _skip_back(text, start, comment)
        if before > 0 and text[before - 1] == ",":
            start = before - 1
    ls = text.rfind("\n", 0, start) + 1
    nl = text.find("\n", end)
    le = len(text) if nl < 0 else nl + 1
    tail = text[end:le].strip()
    if not text[ls:start].strip() and (not tail or tail.startswith(comment)):
        return ls, le
    if not text[ls:start].strip() and text[start] != ",":
        return ls, end
    if text[start - 1 : start] in (" ", "\t", "[", "{", "("):  # `[a, old, b]` -> `[a, b]`, not `[a,  b]`
        while end < len(text) and text[end] in " \t":
            end += 1
    return start, end
