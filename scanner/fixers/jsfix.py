"""JavaScript/TypeScript config fixes as exact text edits: rename a key, delete a member, set a literal."""

from __future__ import annotations

import json
import re

from scanner.fixers.blocks import delete_member
from scanner.fixers.interface import Edit, FixContext, NotFixable
from scanner.model import KeyPath

IDENT = re.compile(r"^[A-Za-z_$][A-Za-z0-9_$]*$")


def delete(ctx: FixContext) -> list[Edit]:
    if isinstance(ctx.occ.path[-1], int):
        raise NotFixable("array items are removed by hand")
    start, end = delete_member(ctx, "//")
    return [Edit(start, end, "")]


def rename(ctx: FixContext, target: KeyPath) -> list[Edit]:
    occ = ctx.occ
    ks = occ.key_span
    if ks is None or target[:-1] != occ.path[:-1]:
        raise NotFixable("moving a key into another object is done by hand")
    original = ctx.text[ks[0]:ks[1]]
    new = str(target[-1])
    if original[:1] in "\"'":
        q = original[0]
        return [Edit(ks[0], ks[1], q + new.replace(q, "\\" + q) + q)]
    return [Edit(ks[0], ks[1], new if IDENT.match(new) else json.dumps(new))]


def set_value(ctx: FixContext, value: object) -> list[Edit]:
    vs = ctx.occ.value_span
    if vs is None:
        raise NotFixable("no position for the value")
    original = ctx.text[vs[0]:vs[1]]
    if isinstance(value, str) and original[:1] == "'":
        return [Edit(vs[0], vs[1], "'" + value.replace("'", "\\'") + "'")]
    return [Edit(vs[0], vs[1], json.dumps(value))]
