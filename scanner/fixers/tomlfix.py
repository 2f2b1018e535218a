"""TOML fixes as exact text edits: rename or move a key (between tables too), delete it, set its value."""

from __future__ import annotations

import json
import re

from scanner.fixers.blocks import delete_member, entry_lines
from scanner.fixers.interface import Edit, FixContext, NotFixable
from scanner.model import MAPPING, KeyPath

BARE = re.compile(r"^[A-Za-z0-9_-]+$")


def key_text(name: object) -> str:
    s = str(name)
    return s if BARE.match(s) else json.dumps(s)


def dotted(path: KeyPath) -> str:
    return ".".join(key_text(p) for p in path)


def _is_header(ctx: FixContext) -> bool:
    ks = ctx.occ.key_span
    ls, _ = ctx.line_bounds(ks[0] if ks else 0)
    return ctx.text[ls:].lstrip().startswith("[")


def _pair_bounds(ctx: FixContext) -> tuple[int, int]:
    """The whole lines of a `key = value` pair (multi-line values included)."""
    if isinstance(ctx.occ.path[-1], int):
        raise NotFixable("only keys of tables can be changed automatically")
    return entry_lines(ctx, "a dotted key or an inline table: fix it by hand",
                       "the pair shares its line with other content (an inline table?): fix it by hand")


def delete(ctx: FixContext) -> list[Edit]:
    if isinstance(ctx.occ.path[-1], int):  # an array item, with its comma (its whole line when alone on it)
        start, end = delete_member(ctx, "#")
        return [Edit(start, end, "")]
    if _is_header(ctx):
        raise NotFixable("removing a whole table is done by hand")
    start, end = _pair_bounds(ctx)
    return [Edit(start, end, "")]


def _headers(ctx: FixContext) -> list[tuple[KeyPath, int]]:
    out = []
    for o in ctx.occurrences:
        if o.key_span is None or o.value is not MAPPING:
            continue
        ls, _ = ctx.line_bounds(o.key_span[0])
        line = ctx.text[ls:].lstrip()
        if line.startswith("[") and ctx.text[ls : o.key_span[0]].lstrip().startswith("["):
            out.append((o.path, ls))
    return out


def rename(ctx: FixContext, target: KeyPath) -> list[Edit]:
    occ = ctx.occ
    ks = occ.key_span
    if ks is None:
        raise NotFixable("no position for the key")
    if _is_header(ctx):
        ls, le = ctx.line_bounds(ks[0])
        line = ctx.text[ls:le]
        inner = re.match(r"(\s*)(\[\[?)([^\]]*)(\]\]?)(.*)", line, re.S)
        if inner is None or any(isinstance(p, int) for p in target):
            raise NotFixable("an unusual table header: fix it by hand")
        return [Edit(ls, le, f"{inner.group(1)}{inner.group(2)}{dotted(target)}{inner.group(4)}{inner.group(5)}")]
    if target[:-1] == occ.path[:-1]:
        return [Edit(ks[0], ks[1], key_text(target[-1]))]
    start, end = _pair_bounds(ctx)
    entry = ctx.text[ks[1]:end]  # ' = value  # comment\n'
    parent = target[:-1]
    for path, header_start in _headers(ctx):
        if path == parent:
            _, after_header = ctx.line_bounds(header_start)
            return [Edit(start, end, ""), Edit(after_header, after_header, key_text(target[-1]) + entry)]
    if not parent:  # a top-level key goes before the first table header
        first = min((ls for _, ls in _headers(ctx)), default=0)
        return [Edit(start, end, ""), Edit(first, first, key_text(target[-1]) + entry.rstrip() + ctx.newline)]
    table = occ.path[:-1]
    if target[: len(table)] == table and len(target) > len(table) + 1:
        return [Edit(ks[0], ks[1], dotted(target[len(table):]))]
    newline = ctx.newline
    sep = "" if ctx.text.endswith("\n") or not ctx.text else newline
    block = f"{sep}{newline}[{dotted(parent)}]{newline}{key_text(target[-1])}{entry.rstrip()}{newline}"
    return [Edit(start, end, ""), Edit(len(ctx.text), len(ctx.text), block)]


def set_value(ctx: FixContext, value: object) -> list[Edit]:
    vs = ctx.occ.value_span
    if vs is None:
        raise NotFixable("no position for the value")
    original = ctx.text[vs[0]:vs[1]]
    if isinstance(value, bool):
        new = "true" if value else "false"
    elif isinstance(value, (int, float)):
        new = repr(value)
    elif original.startswith("'") and "'" not in str(value) and "\n" not in str(value):
        new = f"'{value}'"
    else:
        new = json.dumps(str(value))
    return [Edit(vs[0], vs[1], new)]
