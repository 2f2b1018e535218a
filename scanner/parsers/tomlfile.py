"""TOML parser: values from tomllib (strict), positions from a small scanner over the same text."""

from __future__ import annotations

import re
import sys
from collections.abc import Iterator
from typing import Any

from scanner.model import MAPPING, SEQUENCE, KeyPath, Occurrence
from scanner.parsers.interface import (
    MAX_DEPTH,
    TOO_DEEP,
    LineIndex,
    ParseFailure,
    ParseResult,
    Wanted,
    report_too_deep,
)

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

BARE = re.compile(r"[A-Za-z0-9_-]+")
BLANKS = re.compile(r"[ \t]*")
BLANKS_LINES = re.compile(r"(?:[ \t\r\n]+|#[^\n]*)*")
SCALAR = re.compile(r"[^,\]}#\n]*")
AT = re.compile(r"\(at line (\d+), column (\d+)\)")
STRUCTURE = re.compile(r"[\"'#\[\]{}=,\n.]")
STRINGS = {  # (quote, triple) -> the whole string, unterminated ones up to where they stop
    ('"', False): re.compile(r'"(?:[^"\\\n]|\\.)*"?'),
    ("'", False): re.compile(r"'[^'\n]*'?"),
    ('"', True): re.compile(r'"""(?:[^"\\]|\\[\s\S]|"(?!""))*(?:"""|\Z)"{0,2}'),
    ("'", True): re.compile(r"'''[\s\S]*?(?:'''|\Z)'{0,2}"),
}
ESCAPES = {"b": "\b", "t": "\t", "n": "\n", "f": "\f", "r": "\r", '"': '"', "\\": "\\", "e": "\x1b"}


def parse(text: str, wanted: Wanted | None = None) -> ParseResult:
    """Values from tomllib, positions from the scanner; with ``wanted``, occurrences only for the keys it names
    (and no position scan at all when the document holds none of them)."""
    result = ParseResult()
    # nesting needs an opening bracket (or a dot) per level: most files have too few to go past the limit
    few = text.count("[") + text.count("{") <= MAX_DEPTH and text.count(".") <= MAX_DEPTH
    deep = None if few else too_deep_at(text)
    if deep is not None:  # tomllib recurses per bracket and is quadratic in dotted-key length
        result.errors.append((*LineIndex(text).position(deep), TOO_DEEP))
        return result
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        msg = str(exc)
        m = AT.search(msg)
        line, col = (int(m.group(1)), int(m.group(2))) if m else (None, None)
        result.errors.append((line, col, AT.sub("", msg).strip()))
        return result
    except ValueError as exc:  # e.g. an integer longer than int() converts
        result.errors.append((None, None, f"invalid value: {exc}"))
        return result
    except RecursionError:
        report_too_deep(result, None, None)
        return result
    if wanted is not None and not any(wanted.fires(path, value) if wanted.fires else wanted(path)
                                      for path, value in _entries(data)):
        return result
    try:
        _Scanner(text, data, result, wanted).run()
        result.occurrences.sort(key=lambda o: (o.line, o.column))
    except (ParseFailure, RecursionError, IndexError) as exc:
        line = getattr(exc, "line", None)
        result.errors.append((line, None, f"cannot locate keys: {exc}"))
    return result


def too_deep_at(text: str) -> int | None:
    """Offset where brackets, or the segments of one dotted key, go past MAX_DEPTH; strings and comments skipped."""
    depth = dots = i = 0
    n = len(text)
    while i < n:
        m = STRUCTURE.search(text, i)  # jump over bare keys and values at C speed
        if m is None:
            return None
        i = m.start()
        c = text[i]
        if c in "\"'":
            i = STRINGS[c, text.startswith(c * 3, i)].match(text, i).end()  # type: ignore[union-attr]
            continue
        if c == "#":
            i = text.find("\n", i)
            if i < 0:
                return None
            continue
        if c in "[{":
            depth, dots = depth + 1, 0
            if depth > MAX_DEPTH:
                return i
        elif c in "]}=,\n":
            depth, dots = depth - (c in "]}"), 0
        elif c == ".":
            dots += 1
            if dots > MAX_DEPTH:
                return i
        i += 1
    return None


def _end(pattern: re.Pattern[str], text: str, i: int) -> int:
    """Where a run of what the pattern allows (possibly none) ends."""
    m = pattern.match(text, i)
    return m.end() if m else i


def _entries(data: Any) -> Iterator[tuple[KeyPath, object]]:
    """Every key path of a parsed document (list items by index) with its value, as the scanner emits them."""
    stack: list[tuple[Any, KeyPath]] = [(data, ())]
    while stack:
        node, path = stack.pop()
        items = node.items() if isinstance(node, dict) else enumerate(node) if isinstance(node, list) else ()
        for key, value in items:
            child = (*path, key)
            yield child, _value(value)
            if isinstance(value, (dict, list)):
                stack.append((value, child))


def _lookup(data: Any, path: KeyPath) -> object:
    cur = data
    for seg in path:
        try:
            cur = cur[seg]
        except (KeyError, IndexError, TypeError):
            return None
    return _value(cur)


def _value(cur: object) -> object:
    """A value as an occurrence holds it: markers for tables and arrays, dates and times as text."""
    if isinstance(cur, dict):
        return MAPPING
    if isinstance(cur, list):
        return SEQUENCE
    if isinstance(cur, (str, int, float, bool)):
        return cur
    return str(cur)


class _Scanner:
    def __init__(self, text: str, data: Any, result: ParseResult, wanted: Wanted | None = None) -> None:
        self.t, self.data, self.result, self.wanted = text, data, result, wanted
        self.n = len(text)
        self.lines = LineIndex(text)
        self.seen: set[KeyPath] = set()
        self.aot: dict[KeyPath, int] = {}

    # -- emitting ---------------------------------------------------------------------------
    def emit(self, path: KeyPath, ks: int, ke: int, vs: int, ve: int) -> None:
        if path in self.seen or (self.wanted is not None and not self.wanted(path)):
            return
        self.seen.add(path)
        (l1, c1), (l2, c2), (vl, vc) = self.lines.position(ks), self.lines.position(ke), self.lines.position(vs)
        self.result.occurrences.append(
            Occurrence(path, _lookup(self.data, path), l1, c1, l2, c2, vl, vc, 0, None, (ks, ke), (vs, ve)))

    # -- lexing helpers ---------------------------------------------------------------------
    def ws(self, i: int) -> int:
        return _end(BLANKS, self.t, i)

    def ws_nl(self, i: int) -> int:
        return _end(BLANKS_LINES, self.t, i)

    def fail(self, i: int, msg: str) -> ParseFailure:
        line, col = self.lines.position(min(i, self.n))
        return ParseFailure(msg, line, col)

    def key(self, i: int) -> tuple[list[tuple[str, int, int]], int]:
        segs: list[tuple[str, int, int]] = []
        while True:
            i = self.ws(i)
            start = i
            if i < self.n and self.t[i] in "\"'":
                name, i = self.string(i)
            else:
                m = BARE.match(self.t, i)
                if not m:
                    raise self.fail(i, "expected a key")
                name, i = m.group(0), m.end()
            segs.append((name, start, i))
            i = self.ws(i)
            if i < self.n and self.t[i] == ".":
                i += 1
                continue
            return segs, i

    def string(self, i: int) -> tuple[str, int]:
        t = self.t
        q = t[i]
        if t.startswith(q * 3, i):
            end = t.find(q * 3, i + 3)
            if end < 0:
                raise self.fail(i, "unclosed string")
            while end + 3 < self.n and t[end + 3] == q:
                end += 1
            return t[i + 3 : end], end + 3
        j = i + 1
        out: list[str] = []
        while j < self.n and t[j] != q:
            if q == '"' and t[j] == "\\":
                esc = t[j + 1]
                if esc in ESCAPES:
                    out.append(ESCAPES[esc])
                    j += 2
                elif esc in "uU":
                    width = 4 if esc == "u" else 8
                    out.append(chr(int(t[j + 2 : j + 2 + width], 16)))
                    j += 2 + width
                else:
                    out.append(esc)
                    j += 2
                continue
            out.append(t[j])
            j += 1
        return "".join(out), j + 1

    # -- structure --------------------------------------------------------------------------
    def resolve(self, segs: list[str], last_is_aot: bool = False) -> KeyPath:
        path: list[str | int] = []
        for k, seg in enumerate(segs):
            path.append(seg)
            is_last = k == len(segs) - 1
            if tuple(path) in self.aot and not (is_last and last_is_aot):
                path.append(self.aot[tuple(path)] - 1)
        return tuple(path)

    def run(self) -> None:
        i = 0
        table: KeyPath = ()
        t = self.t
        while True:
            i = self.ws_nl(i)
            if i >= self.n:
                return
            if t[i] == "[":
                aot = t.startswith("[[", i)
                hs, i = self.key(i + (2 if aot else 1))
                names = [s[0] for s in hs]
                i = self.ws(i)
                i += 2 if aot else 1
                for k in range(1, len(names) + 1):
                    prefix = self.resolve(names[:k], last_is_aot=aot and k == len(names))
                    _, ks, ke = hs[k - 1]
                    self.emit(prefix, ks, ke, ks, ke)
                if aot:
                    arr = self.resolve(names, last_is_aot=True)
                    self.aot[arr] = self.aot.get(arr, 0) + 1
                    elem = (*arr, self.aot[arr] - 1)
                    _, ks, ke = hs[-1]
                    self.emit(elem, hs[0][1], ke, ks, ke)
                    table = elem
                else:
                    table = self.resolve(names)
            else:
                i = self.pair(i, table, 0)

    def pair(self, i: int, table: KeyPath, depth: int) -> int:
        segs, i = self.key(i)
        if i >= self.n or self.t[i] != "=":
            raise self.fail(i, "expected '='")
        vs = self.ws(i + 1)
        path = table
        for k, (name, ks, ke) in enumerate(segs):
            path = (*path, name)
            if k < len(segs) - 1:
                self.emit(path, ks, ke, vs, vs)
        _, ks, ke = segs[-1]
        ve = self.value(vs, path, depth + 1)
        self.emit(path, ks, ke, vs, ve)
        return ve

    def value(self, i: int, path: KeyPath, depth: int) -> int:
        if depth > MAX_DEPTH:
            raise self.fail(i, f"nesting deeper than {MAX_DEPTH} levels")
        t = self.t
        c = t[i] if i < self.n else ""
        if c in "\"'":
            return self.string(i)[1]
        if c == "[":
            j, k = self.ws_nl(i + 1), 0
            while j < self.n and t[j] != "]":
                item = (*path, k)
                end = self.value(j, item, depth + 1)
                self.emit(item, j, end, j, end)
                k += 1
                j = self.ws_nl(end)
                if j < self.n and t[j] == ",":
                    j = self.ws_nl(j + 1)
            return j + 1
        if c == "{":
            j = self.ws_nl(i + 1)
            while j < self.n and t[j] != "}":
                j = self.ws_nl(self.pair(j, path, depth + 1))
                if j < self.n and t[j] == ",":
                    j = self.ws_nl(j + 1)
            return j + 1
        j = _end(SCALAR, t, i)
        while j > i and t[j - 1] in " \t\r":
            j -= 1
        return j
