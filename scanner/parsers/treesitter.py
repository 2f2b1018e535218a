"""Shared tree-sitter plumbing: grammars built once per process, positions, and syntax-error regions."""

from __future__ import annotations

import ast
from functools import cache
from typing import Any

from scanner.model import KeyPath, Occurrence
from scanner.parsers.interface import LineIndex, ParseResult

MAX_LITERAL = 100_000  # longer literals are treated as expressions, not evaluated


@cache
def get_ts_parser(grammar: str) -> Any:
    """A tree-sitter Parser for ``python``, ``javascript`` or ``typescript``, created once per process."""
    from tree_sitter import Language, Parser

    if grammar == "python":
        import tree_sitter_python as mod

        return Parser(Language(mod.language()))
    if grammar == "javascript":
        import tree_sitter_javascript as js

        return Parser(Language(js.language()))
    import tree_sitter_typescript as ts

    return Parser(Language(ts.language_typescript()))


class Source:
    """The text being parsed, with byte-to-character position mapping for tree-sitter nodes."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.data = text.encode("utf-8", "surrogatepass")
        self.ascii = len(self.data) == len(text)
        self.index = LineIndex(text)
        self._byte_lines = self.data.split(b"\n") if not self.ascii else []

    def char_col(self, row: int, bcol: int) -> int:
        if self.ascii:
            return bcol
        return len(self._byte_lines[row][:bcol].decode("utf-8", "replace"))

    def point(self, point: Any) -> tuple[int, int]:
        """1-based (line, column) in characters of a tree-sitter point."""
        return point[0] + 1, self.char_col(point[0], point[1]) + 1

    def offset(self, point: Any) -> int:
        line, col = self.point(point)
        return self.index.offset(line, col)

    def node_text(self, node: Any) -> str:
        return bytes(node.text).decode("utf-8", "replace")

    def occurrence(self, path: KeyPath, key: Any, value: Any, val: object, context: str | None = None) -> Occurrence:
        (l1, c1), (l2, c2) = self.point(key.start_point), self.point(key.end_point)
        vl, vc = self.point(value.start_point) if value is not None else (l1, c1)
        vs = self.offset(value.start_point) if value is not None else None
        ve = self.offset(value.end_point) if value is not None else None
        return Occurrence(
            path=path, value=val, line=l1, column=c1, end_line=l2, end_column=c2, value_line=vl,
            value_column=vc, context=context, key_span=(self.offset(key.start_point), self.offset(key.end_point)),
            value_span=(vs, ve) if vs is not None and ve is not None else None)


def literal(text: str) -> object:
    """Evaluate a literal's source text without executing anything (ast.literal_eval); else raise ValueError."""
    if len(text) > MAX_LITERAL:
        raise ValueError("literal too long")
    try:
        return ast.literal_eval(text)
    except (ValueError, SyntaxError, TypeError, MemoryError, RecursionError) as exc:
        raise ValueError(str(exc)) from None


def syntax_errors(root: Any, src: Source, result: ParseResult, limit: int = 5) -> None:
    """Report ERROR and MISSING nodes (tree-sitter recovered around them) as parse errors."""
    if not root.has_error:
        return
    stack = [root]
    found = 0
    while stack and found < limit:
        node = stack.pop()
        if node.type == "ERROR" or node.is_missing:
            line, col = src.point(node.start_point)
            what = f"missing {node.type!r}" if node.is_missing else "invalid syntax"
            result.errors.append((line, col, f"{what}; tree-sitter recovered, keys in this region are not read"))
            found += 1
            continue
        if node.has_error:
            stack.extend(reversed(node.children))
