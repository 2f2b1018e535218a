"""JSON and JSONC parser with positions: JSONC allows // and /* */ comments and trailing commas."""

from __future__ import annotations

import json
import re

from scanner.model import MAPPING, SEQUENCE, KeyPath, Occurrence
from scanner.parsers.interface import MAX_DEPTH, LineIndex, ParseFailure, ParseResult

STRING = re.compile(r'"(?:[^"\\\n]|\\.)*"')
NUMBER = re.compile(r"-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?")
LITERALS = {"true": True, "false": False, "null": None}


def parse(text: str) -> ParseResult:
    return _Parser(text, comments=False).run()


def parse_jsonc(text: str) -> ParseResult:
    return _Parser(text, comments=True).run()


class _Parser:
    def __init__(self, text: str, comments: bool) -> None:
        self.t, self.n, self.comments = text, len(text), comments
        self.lines = LineIndex(text)
        self.result = ParseResult()

    def fail(self, i: int, msg: str) -> ParseFailure:
        line, col = self.lines.position(min(i, self.n))
        return ParseFailure(msg, line, col)

    def skip(self, i: int) -> int:
        t, n = self.t, self.n
        while i < n:
            c = t[i]
            if c in " \t\r\n\ufeff":
                i += 1
            elif c == "/" and i + 1 < n and t[i + 1] in "/*":
                if not self.comments:
                    raise self.fail(i, "comments are not allowed in JSON (use format: jsonc)")
                if t[i + 1] == "/":
                    end = t.find("\n", i)
                    i = n if end < 0 else end
                else:
                    end = t.find("*/", i + 2)
                    if end < 0:
                        raise self.fail(i, "unclosed /* comment")
                    i = end + 2
            else:
                break
        return i

    def scalar(self, i: int) -> tuple[object, int]:
        t = self.t
        if t[i] == '"':
            m = STRING.match(t, i)
            if not m:
                raise self.fail(i, "unterminated string")
            try:
                return json.loads(m.group(0)), m.end()
            except ValueError as exc:
                raise self.fail(i, f"invalid string: {exc}") from None
        m = NUMBER.match(t, i)
        if m:
            s = m.group(0)
            try:
                return (float(s) if any(ch in s for ch in ".eE") else int(s)), m.end()
            except ValueError:  # more digits than int() converts (sys.get_int_max_str_digits): keep the text
                return s, m.end()
        for word, val in LITERALS.items():
            if t.startswith(word, i):
                return val, i + len(word)
        raise self.fail(i, f"unexpected character {t[i]!r}")

    def run(self) -> ParseResult:
        try:
            self._run()
        except ParseFailure as exc:
            self.result.errors.append((exc.line, exc.column, exc.message))
        self.result.occurrences.sort(key=lambda o: (o.line, o.column))
        return self.result

    def emit(self, path: KeyPath, ks: int, ke: int, vs: int, ve: int, value: object) -> None:
        (l1, c1), (l2, c2), (vl, vc) = self.lines.position(ks), self.lines.position(ke), self.lines.position(vs)
        self.result.occurrences.append(Occurrence(
            path=path, value=value, line=l1, column=c1, end_line=l2, end_column=c2, value_line=vl,
            value_column=vc, key_span=(ks, ke), value_span=(vs, ve)))

    def _run(self) -> None:
        t = self.t
        i = self.skip(0)
        if i >= self.n:
            raise self.fail(i, "empty document")
        # stack entries: [kind, path, next index, key start, key end, value start, expecting]
        stack: list[list[object]] = []
        pending: tuple[KeyPath, int, int] | None = None  # where the next value goes
        while True:
            i = self.skip(i)
            if i >= self.n:
                raise self.fail(i, "unexpected end of document")
            c = t[i]
            if c in "{[":
                if len(stack) >= MAX_DEPTH:
                    raise self.fail(i, f"nesting deeper than {MAX_DEPTH} levels")
                stack.append([c, pending, i, 0])
                i = self.skip(i + 1)
                if i < self.n and t[i] == ("}" if c == "{" else "]"):
                    pass  # empty container: closed below
                elif c == "{":
                    pending = self._key(i, stack)
                    i = self._after_key
                    continue
                else:
                    pending = ((*self._container_path(stack), 0), i, i)
                    continue
            else:
                if pending is None and stack:
                    raise self.fail(i, "expected a value")
                value, end = self.scalar(i)
                if pending is not None:
                    p, ks, ke = pending
                    self.emit(p, ks, ke if ke > ks else end, i, end, value)
                elif not stack:
                    return
                i = end
            # after a value: close containers or move to the next member
            while True:
                i = self.skip(i)
                if not stack:
                    if self.skip(i) < self.n:
                        raise self.fail(i, "extra data after the document")
                    return
                top = stack[-1]
                closer = "}" if top[0] == "{" else "]"
                if i < self.n and t[i] == ",":
                    i = self.skip(i + 1)
                    if i < self.n and t[i] == closer:
                        if not self.comments:
                            raise self.fail(i, "trailing comma (use format: jsonc)")
                    else:
                        top[3] = int(top[3]) + 1  # type: ignore[call-overload]
                        if top[0] == "{":
                            pending = self._key(i, stack)
                            i = self._after_key
                        else:
                            pending = ((*self._container_path(stack), int(top[3])), i, i)  # type: ignore[call-overload]
                        break
                if i < self.n and t[i] == closer:
                    stack.pop()
                    owner = top[1]
                    if owner is not None:
                        p, ks, ke = owner  # type: ignore[misc]
                        start = int(top[2])  # type: ignore[call-overload]
                        self.emit(p, ks, ke if ke > ks else i + 1, start, i + 1, MAPPING if closer == "}" else SEQUENCE)
                    i += 1
                    continue
                raise self.fail(i, f"expected ',' or {closer!r}")

    def _container_path(self, stack: list[list[object]]) -> KeyPath:
        owner = stack[-1][1]
        return owner[0] if owner is not None else ()  # type: ignore[index]

    _after_key = 0

    def _key(self, i: int, stack: list[list[object]]) -> tuple[KeyPath, int, int]:
        t = self.t
        if i >= self.n or t[i] != '"':
            raise self.fail(i, "expected a quoted key")
        name, end = self.scalar(i)
        j = self.skip(end)
        if j >= self.n or t[j] != ":":
            raise self.fail(j, "expected ':' after the key")
        self._after_key = j + 1
        return (*self._container_path(stack), str(name)), i, end
