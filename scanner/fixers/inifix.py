"""INI fixes as exact text edits: rename an option, move it to another section, delete it, set it."""

from __future__ import annotations

from scanner.fixers.interface import Edit, FixContext, NotFixable
from scanner.model import MAPPING, KeyPath


def _option_bounds(ctx: FixContext) -> tuple[int, int]:
    ks, vs = ctx.occ.key_span, ctx.occ.value_span
    if ks is None or vs is None or len(ctx.occ.path) != 2:
        raise NotFixable("only whole options can be changed automatically")
    ls, _ = ctx.line_bounds(ks[0])
    _, le = ctx.line_bounds(max(vs[1] - 1, vs[0]))
    return ls, le


def delete(ctx: FixContext) -> list[Edit]:
    start, end = _option_bounds(ctx)
    return [Edit(start, end, "")]


def rename(ctx: FixContext, target: KeyPath) -> list[Edit]:
    occ = ctx.occ
    ks = occ.key_span
    if ks is None or len(target) != 2:
        raise NotFixable("an INI option path is section.option")
    if target[0] == occ.path[0]:
        return [Edit(ks[0], ks[1], str(target[1]))]
    start, end = _option_bounds(ctx)
    entry = str(target[1]) + ctx.text[ks[1]:end]
    if not entry.endswith("\n"):
        entry += ctx.newline
    sections = [o for o in ctx.occurrences if len(o.path) == 1 and o.value is MAPPING and o.key_span]
    for i, sec in enumerate(sections):
        if sec.path[0] != target[0]:
            continue
        if i + 1 < len(sections):
            nxt = sections[i + 1].key_span
            assert nxt is not None
            at, _ = ctx.line_bounds(nxt[0])
            while at > 0:  # keep blank lines and comments that lead the next section with it
                prev_start, _ = ctx.line_bounds(at - 1)
                if ctx.text[prev_start:at].strip() and not ctx.text[prev_start:at].lstrip().startswith(("#", ";")):
                    break
                at = prev_start
        else:
            at = len(ctx.text)
        prefix = "" if at == 0 or ctx.text[at - 1] == "\n" else ctx.newline
        return [Edit(start, end, ""), Edit(at, at, prefix + entry)]
    sep = "" if ctx.text.endswith("\n") else ctx.newline
    block = f"{sep}{ctx.newline}[{target[0]}]{ctx.newline}{entry}"
    return [Edit(start, end, ""), Edit(len(ctx.text), len(ctx.text), block)]


def set_value(ctx: FixContext, value: object) -> list[Edit]:
    vs = ctx.occ.value_span
    if vs is None or len(ctx.occ.path) != 2:
        raise NotFixable("no position for the value")
    text = ("true" if value else "false") if isinstance(value, bool) else str(value)
    return [Edit(vs[0], vs[1], text)]
