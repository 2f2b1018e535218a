"""Python config-module fixes as exact text edits: rename a setting or dict key, delete it, set a literal."""

from __future__ import annotations

import re

from scanner.fixers.blocks import delete_member, entry_lines
from scanner.fixers.interface import Edit, FixContext, NotFixable
from scanner.model import KeyPath

IDENT = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
ASSIGN_AFTER = re.compile(r"\s*(?::[^=\n]*)?(?:[-+*/|&%@^]|//|\*\*|<<|>>)?=(?!=)")


def _literal(value: object, original: str) -> str:
    if isinstance(value, str):
        quote = original[:1] if original[:1] in "\"'" else '"'
        escaped = value.replace("\\", "\\\\").replace(quote, "\\" + quote).replace("\n", "\\n")
        return f"{quote}{escaped}{quote}"
    return repr(value)


def _statement(ctx: FixContext) -> tuple[int, int]:
    ks = ctx.occ.key_span
    plain = ks is not None and ASSIGN_AFTER.match(ctx.text, ks[1]) is not None
    return entry_lines(ctx, "a chained, tuple or subscript assignment: fix it by hand",
                       "the statement shares its line with other code: fix it by hand", plain)


def delete(ctx: FixContext) -> list[Edit]:
    if isinstance(ctx.occ.path[-1], int):
        raise NotFixable("list items are removed by hand")
    if len(ctx.occ.path) == 1:
        start, end = _statement(ctx)
    else:
        start, end = delete_member(ctx, "#")
    return [Edit(start, end, "")]


def rename(ctx: FixContext, target: KeyPath) -> list[Edit]:
    occ = ctx.occ
    ks = occ.key_span
    if ks is None or target[:-1] != occ.path[:-1]:
        raise NotFixable("moving a setting into another structure is done by hand")
    original = ctx.text[ks[0]:ks[1]]
    new = str(target[-1])
    if len(occ.path) == 1:
        if not IDENT.match(original) or not IDENT.match(new):
            raise NotFixable("only plain NAME = value settings are renamed automatically")
        return [Edit(ks[0], ks[1], new)]
    if original[:1] not in "\"'":
        raise NotFixable("only string dict keys are renamed automatically")
    return [Edit(ks[0], ks[1], _literal(new, original))]


def set_value(ctx: FixContext, value: object) -> list[Edit]:
    vs = ctx.occ.value_span
    if vs is None:
        raise NotFixable("no position for the value")
    original = ctx.text[vs[0]:vs[1]]
    return [Edit(vs[0], vs[1], _literal(value, original))]
