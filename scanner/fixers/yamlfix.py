"""YAML fixes as exact text edits: rename a key, move it under another mapping, delete it, set a scalar."""

from __future__ import annotations

import json
import re

import yaml

from scanner.fixers.blocks import block_end, indent_of, require_own_line
from scanner.fixers.interface import Edit, FixContext, NotFixable
from scanner.model import MAPPING, SEQUENCE, KeyPath

PLAIN_SAFE = re.compile(r"^[A-Za-z0-9_./-][A-Za-z0-9_./ -]*$")


def _key_text(name: str) -> str:
    if PLAIN_SAFE.match(name) and name.strip() == name and _reads_as(name, name):
        return name
    return json.dumps(name)


def _reads_as(text: str, value: object) -> bool:
    try:
        return bool(yaml.safe_load(f"k: {text}") == {"k": value})
    except yaml.YAMLError:
        return False


def scalar_text(value: object, original: str) -> str:
    """Render a scalar, keeping the original's quote style where it had one."""
    if isinstance(value, str):
        if original[:1] == "'" and "\n" not in value:
            return "'" + value.replace("'", "''") + "'"
        if original[:1] == '"' or not _reads_as(value, value):
            return json.dumps(value)
        return value
    return json.dumps(value)


def delete(ctx: FixContext) -> list[Edit]:
    ks = ctx.occ.key_span
    if ks is None or isinstance(ctx.occ.path[-1], int):
        raise NotFixable("only mapping keys can be deleted automatically")
    return [Edit(require_own_line(ctx, ks[0]), block_end(ctx, ks[0]), "")]


def rename(ctx: FixContext, target: KeyPath) -> list[Edit]:
    occ = ctx.occ
    ks = occ.key_span
    if ks is None:
        raise NotFixable("no position for the key")
    if target[:-1] == occ.path[:-1]:
        return [Edit(ks[0], ks[1], _key_text(str(target[-1])))]
    parent = ctx.find(target[:-1])
    if parent is None or parent.value is not MAPPING:
        where = ".".join(map(str, target[:-1]))
        raise NotFixable(f"the new parent {where} does not exist as a mapping; move it by hand")
    if occ.value in (MAPPING, SEQUENCE):
        raise NotFixable("moving a nested block is not automatic; move it by hand")
    start = require_own_line(ctx, ks[0])
    end = block_end(ctx, ks[0])
    entry = ctx.text[ks[1]:end].rstrip("\r\n")  # ': value  # comment'
    # place it after the parent's last nested line, indented like the parent's first child
    child = next((o for o in ctx.occurrences if o.doc == occ.doc and o.path[:-1] == parent.path and o.key_span
                  and o.path != occ.path), None)
    if child is None or child.key_span is None:
        raise NotFixable("the new parent has no keys to align with; move it by hand")
    ls, _ = ctx.line_bounds(child.key_span[0])
    indent = ctx.text[ls:child.key_span[0]]
    if indent.strip():
        raise NotFixable("the new parent is a flow mapping; move it by hand")
    pstart = parent.key_span[0] if parent.key_span else 0
    insert_at = block_end(ctx, pstart)
    if insert_at > start and insert_at <= end:
        insert_at = start
    new_line = f"{indent}{_key_text(str(target[-1]))}{entry}{ctx.newline}"
    if insert_at == len(ctx.text) and not ctx.text.endswith("\n"):
        new_line = ctx.newline + new_line
    return [Edit(start, end, ""), Edit(insert_at, insert_at, new_line)]


def set_value(ctx: FixContext, value: object) -> list[Edit]:
    vs = ctx.occ.value_span
    if vs is None or ctx.occ.value in (MAPPING, SEQUENCE):
        raise NotFixable("only scalar values can be set automatically")
    original = ctx.text[vs[0]:vs[1]]
    if original.startswith(("|", ">", "&", "*", "!")):
        raise NotFixable("block scalars, anchors and tags are changed by hand")
    return [Edit(vs[0], vs[1], scalar_text(value, original))]


__all__ = ["delete", "indent_of", "rename", "set_value"]
