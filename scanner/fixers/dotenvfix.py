"""dotenv fixes as exact text edits: rename a variable, delete its line, set its value."""

from __future__ import annotations

import json
import re

from scanner.fixers.interface import Edit, FixContext, NotFixable
from scanner.model import KeyPath

SAFE = re.compile(r"^[A-Za-z0-9_./:@+-]*$")


def delete(ctx: FixContext) -> list[Edit]:
    ks = ctx.occ.key_span
    if ks is None:
        raise NotFixable("no position for the key")
    start, end = ctx.line_bounds(ks[0])
    return [Edit(start, end, "")]


def rename(ctx: FixContext, target: KeyPath) -> list[Edit]:
    ks = ctx.occ.key_span
    if ks is None or len(target) != 1:
        raise NotFixable("a dotenv key is one variable name")
    return [Edit(ks[0], ks[1], str(target[0]))]


def set_value(ctx: FixContext, value: object) -> list[Edit]:
    vs = ctx.occ.value_span
    if vs is None:
        raise NotFixable("no position for the value")
    text = str(value).lower() if isinstance(value, bool) else str(value)
    original = ctx.text[vs[0]:vs[1]]
    if original[:1] == "'" and "'" not in text:
        text = f"'{text}'"
    elif original[:1] == '"' or not SAFE.match(text):
        text = json.dumps(text)
    return [Edit(vs[0], vs[1], text)]
