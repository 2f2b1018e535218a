"""JSON/JSONC fixes as exact text edits: rename or move a member, delete it with its comma, set a value."""

from __future__ import annotations

import json

from scanner.fixers.blocks import _skip_forward, delete_member
from scanner.fixers.interface import Edit, FixContext, NotFixable
from scanner.model import MAPPING, KeyPath


def delete(ctx: FixContext) -> list[Edit]:
    if isinstance(ctx.occ.path[-1], int):
        raise NotFixable("list items are removed by hand")
    start, end = delete_member(ctx, "//")
    return [Edit(start, end, "")]


def rename(ctx: FixContext, target: KeyPath) -> list[Edit]:
    occ = ctx.occ
    ks, vs = occ.key_span, occ.value_span
    if ks is None or vs is None or isinstance(occ.path[-1], int):
        raise NotFixable("only object members can be renamed")
    if target[:-1] == occ.path[:-1]:
        return [Edit(ks[0], ks[1], json.dumps(str(target[-1])))]
    parent = ctx.find(target[:-1])
    if parent is None or parent.value is not MAPPING or parent.value_span is None:
        raise NotFixable("the new parent object does not exist; move it by hand")
    children = [o for o in ctx.occurrences if o.path[:-1] == parent.path and len(o.path) == len(parent.path) + 1
                and o.value_span is not None]
    member = json.dumps(str(target[-1])) + ": " + ctx.text[vs[0]:vs[1]]
    start, end = delete_member(ctx, "//")
    if not children:
        at = parent.value_span[0] + 1
        return [Edit(start, end, ""), Edit(at, at, member)]
    last = max(children, key=lambda o: o.value_span[1] if o.value_span else 0)
    assert last.value_span is not None and last.key_span is not None
    ls, _ = ctx.line_bounds(last.key_span[0])
    indent = ctx.text[ls:last.key_span[0]]
    indent = indent if not indent.strip() else " "
    after = _skip_forward(ctx.text, last.value_span[1], "//")
    if after < len(ctx.text) and ctx.text[after] == ",":
        at, insert = after + 1, f"{ctx.newline}{indent}{member},"
    else:
        at, insert = last.value_span[1], f",{ctx.newline}{indent}{member}"
    if start <= at < end:
        raise NotFixable("moving next to itself; fix it by hand")
    return [Edit(start, end, ""), Edit(at, at, insert)]


def set_value(ctx: FixContext, value: object) -> list[Edit]:
    vs = ctx.occ.value_span
    if vs is None:
        raise NotFixable("no position for the value")
    return [Edit(vs[0], vs[1], json.dumps(value))]
