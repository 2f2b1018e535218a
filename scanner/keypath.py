"""Key paths: parse the matrix's key-path syntax, match it against occurrence paths, and render paths."""

from __future__ import annotations

import fnmatch
from dataclasses import dataclass
from functools import lru_cache

from scanner.lazyregex import LazyRegex
from scanner.model import KeyPath

LITERAL, ANY, DEEP, ITEM, GLOB = "lit", "any", "deep", "item", "glob"


@dataclass(frozen=True, slots=True)
class Part:
    """One element of a key-path pattern."""

    kind: str
    text: str = ""
    regex: LazyRegex | None = None

    def matches(self, segment: str | int, fold: bool) -> bool:
        if self.kind == LITERAL and segment == self.text:  # the usual case first
            return True
        if self.kind == ITEM:
            return isinstance(segment, int)
        if isinstance(segment, int):
            return False
        if self.kind == ANY:
            return True
        if self.kind == LITERAL:
            return segment == self.text or (fold and segment.lower() == self.text.lower())
        assert self.regex is not None
        return self.regex.fullmatch(segment.lower() if fold else segment) is not None


class KeyPathError(ValueError):
    """A key path that does not follow the syntax."""


@lru_cache(maxsize=4096)
def _shown(text: str) -> str:
    from scanner.excerpt import excerpt  # only for an error: a matrix key may be a megabyte long

    return excerpt(text)


def parse_pattern(text: str) -> tuple[Part, ...]:
    """Split ``a."b.c".d[].*`` into parts; raise KeyPathError on bad syntax."""
    if not text or not text.strip():
        raise KeyPathError("empty key path")
    parts: list[Part] = []
    i, n = 0, len(text)
    while i < n:
        if text[i] == '"':
            end = text.find('"', i + 1)
            if end < 0:
                raise KeyPathError(f"unclosed quote in key path {_shown(text)}")
            parts.append(Part(LITERAL, text[i + 1 : end]))
            i = end + 1
        else:
            j = i
            while j < n and text[j] not in '.["':
                j += 1
            seg = text[i:j]
            if seg:
                parts.append(_segment(seg))
            elif j < n and text[j] != "[":
                raise KeyPathError(f"empty segment in key path {_shown(text)}")
            i = j
        while i < n and text[i] == "[":
            if text[i : i + 2] != "[]":
                raise KeyPathError(f"only [] is allowed after a segment in key path {_shown(text)}")
            parts.append(Part(ITEM))
            i += 2
        if i < n:
            if text[i] != ".":
                raise KeyPathError(f"expected '.' at position {i + 1} of key path {_shown(text)}")
            i += 1
            if i == n:
                raise KeyPathError(f"key path {_shown(text)} ends with '.'")
    return tuple(parts)


def _segment(seg: str) -> Part:
    if seg == "*":
        return Part(ANY)
    if seg == "**":
        return Part(DEEP)
    if "*" in seg or "?" in seg:
        return Part(GLOB, seg, LazyRegex(fnmatch.translate(seg)))
    return Part(LITERAL, seg)


def fold_last(parts: tuple[Part, ...]) -> tuple[Part, ...]:
    """Lower-case literal/glob text for case-insensitive (INI option) matching of the last part."""
    if not parts or parts[-1].kind not in (LITERAL, GLOB):
        return parts
    last = parts[-1]
    regex = LazyRegex(fnmatch.translate(last.text.lower())) if last.regex else None
    new = Part(last.kind, last.text.lower(), regex)
    return (*parts[:-1], new)


def match_path(parts: tuple[Part, ...], path: KeyPath, fold: bool = False) -> bool:
    """True when the pattern matches the whole occurrence path."""
    for p in parts:  # plain loops: this runs for every candidate rule of every key of every parsed file
        if p.kind == DEEP:
            return _match_deep(parts, path, 0, 0, fold, {})
    if len(parts) != len(path):
        return False
    last = len(parts) - 1
    for k, p in enumerate(parts):  # noqa: SIM110 - all() over a generator is slower in this hot loop
        if not p.matches(path[k], fold and k == last):
            return False
    return True


def _match_deep(
    parts: tuple[Part, ...], path: KeyPath, i: int, j: int, fold: bool, memo: dict[tuple[int, int], bool]
) -> bool:
    key = (i, j)
    if key in memo:
        return memo[key]
    if i == len(parts):
        result = j == len(path)
    elif parts[i].kind == DEEP:
        result = any(_match_deep(parts, path, i + 1, k, fold, memo) for k in range(j, len(path) + 1))
    else:
        result = j < len(path) and parts[i].matches(path[j], fold and j == len(path) - 1) and _match_deep(
            parts, path, i + 1, j + 1, fold, memo
        )
    memo[key] = result
    return result


def literal_prefix(parts: tuple[Part, ...]) -> tuple[str, ...]:
    """The leading literal segments of a pattern (used to place absent-key findings)."""
    out: list[str] = []
    for p in parts:
        if p.kind != LITERAL:
            break
        out.append(p.text)
    return tuple(out)


def last_literal(parts: tuple[Part, ...]) -> str | None:
    """The final segment when it is a literal (the index key for fast rule lookup)."""
    return parts[-1].text if parts and parts[-1].kind == LITERAL else None


def render_path(path: KeyPath) -> str:
    """``('metadata', 'annotations', 'a.b/c')`` -> ``metadata.annotations."a.b/c"``; list items as [i]."""
    out = ""
    for seg in path:
        if isinstance(seg, int):
            out += f"[{seg}]"
            continue
        text = f'"{seg}"' if ("." in seg or "/" in seg or not seg) else seg
        out += ("." if out else "") + text
    return out
