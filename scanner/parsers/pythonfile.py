"""Python config modules (settings.py, conf.py, Flask config classes) read with tree-sitter, never run.

Settings are module-level assignments, also inside module-level if/try/with blocks; attributes
assigned in a class body count as the bare name, with the class kept as context. Names bound inside
functions are not settings. Dict-literal keys become further key segments, list items ``[]``.
"""

from __future__ import annotations

from typing import Any

from scanner.model import MAPPING, OPAQUE, SEQUENCE, KeyPath
from scanner.parsers.interface import MAX_DEPTH, ParseResult, report_too_deep
from scanner.parsers.treesitter import Source, get_ts_parser, literal, syntax_errors

SCALARS = {"string", "concatenated_string", "integer", "float", "true", "false", "none", "unary_operator"}
BLOCKS = {"if_statement", "try_statement", "with_statement", "elif_clause", "else_clause", "except_clause",
          "finally_clause", "block", "except_group_clause"}


def parse(text: str) -> ParseResult:
    src = Source(text)
    tree = get_ts_parser("python").parse(src.data)
    result = ParseResult()
    syntax_errors(tree.root_node, src, result)
    _statements(tree.root_node, src, result, None, 0)
    result.occurrences.sort(key=lambda o: (o.line, o.column))
    return result


def _statements(node: Any, src: Source, result: ParseResult, context: str | None, depth: int) -> None:
    if depth > MAX_DEPTH:
        report_too_deep(result, *src.point(node.start_point))
        return
    for child in node.named_children:
        kind = child.type
        if kind == "expression_statement":
            for expr in child.named_children:
                _assignment(expr, src, result, context)
        elif kind in BLOCKS:
            _statements(child, src, result, context, depth + 1)
        elif kind == "class_definition" and context is None:
            name = child.child_by_field_name("name")
            body = child.child_by_field_name("body")
            if body is not None:
                _statements(body, src, result, src.node_text(name) if name else None, depth + 1)
        elif kind == "decorated_definition":
            inner = child.child_by_field_name("definition")
            if inner is not None and inner.type == "class_definition" and context is None:
                _statements(_wrap(inner), src, result, None, depth + 1)


class _wrap:
    """Presents one node as a parent whose only child it is."""

    def __init__(self, node: Any) -> None:
        self.named_children = [node]


def _assignment(expr: Any, src: Source, result: ParseResult, context: str | None) -> None:
    if expr.type not in ("assignment", "augmented_assignment"):
        return
    lefts, node = [], expr
    while True:  # a = b = 1: every target gets the last right-hand side; a loop, never recursion
        lefts.append(node.child_by_field_name("left"))
        right = node.child_by_field_name("right")
        if right is None or right.type != "assignment":
            break
        if len(lefts) > MAX_DEPTH:
            report_too_deep(result, *src.point(right.start_point))
            return
        node = right
    for left in reversed(lefts):
        if left is not None:
            _target(left, right, src, result, context)


def _target(left: Any, right: Any, src: Source, result: ParseResult, context: str | None, depth: int = 0) -> None:
    if depth > MAX_DEPTH:
        report_too_deep(result, *src.point(left.start_point))
    elif left.type == "identifier":
        _bind((src.node_text(left),), left, right, src, result, context)
    elif left.type in ("pattern_list", "tuple_pattern", "list_pattern"):
        names = [n for n in left.named_children]
        values = right.named_children if right is not None and right.type in (
            "expression_list", "tuple", "list") and len(right.named_children) == len(names) else [None] * len(names)
        for name, value in zip(names, values, strict=True):
            _target(name, value, src, result, context, depth + 1)
    elif left.type == "subscript":
        base, sub = left.child_by_field_name("value"), left.child_by_field_name("subscript")
        path: list[str] = []
        while base is not None and sub is not None and sub.type == "string":
            try:
                path.insert(0, str(literal(src.node_text(sub))))
            except ValueError:
                return
            if base.type == "identifier":
                _bind((src.node_text(base), *path), left, right, src, result, context)
                return
            if base.type != "subscript":
                return
            base, sub = base.child_by_field_name("value"), base.child_by_field_name("subscript")


def _bind(path: KeyPath, key: Any, value: Any, src: Source, result: ParseResult, context: str | None) -> None:
    result.occurrences.append(src.occurrence(path, key, value, _value(value, src), context))
    if value is not None:
        _nested(path, value, src, result, context, 0)


def _value(node: Any, src: Source) -> object:
    if node is None:
        return OPAQUE
    while node.type == "parenthesized_expression" and node.named_child_count == 1:
        node = node.named_children[0]
    kind = node.type
    if kind == "dictionary":
        return MAPPING
    if kind in ("list", "tuple", "set"):
        return SEQUENCE
    if kind in SCALARS:
        try:
            v = _concatenation(node, src) if kind == "concatenated_string" else literal(src.node_text(node))
        except ValueError:
            return OPAQUE
        return v if isinstance(v, (str, int, float, bool)) or v is None else OPAQUE
    return OPAQUE


def _concatenation(node: Any, src: Source) -> object:
    """Adjacent string literals joined, piece by piece: ``("a"\n "b")`` spans lines no single literal may."""
    pieces = [literal(src.node_text(c)) for c in node.named_children if c.type == "string"]
    if not all(isinstance(p, str) for p in pieces):
        raise ValueError("not a text literal")  # bytes are not config values (an expression, as before)
    return "".join(str(p) for p in pieces)


def _nested(path: KeyPath, node: Any, src: Source, result: ParseResult, context: str | None, depth: int) -> None:
    if depth > MAX_DEPTH:
        report_too_deep(result, *src.point(node.start_point))
        return
    while node.type == "parenthesized_expression" and node.named_child_count == 1:
        node = node.named_children[0]
    if node.type == "dictionary":
        for pair in node.named_children:
            if pair.type != "pair":
                continue
            k, v = pair.child_by_field_name("key"), pair.child_by_field_name("value")
            if k is None or k.type not in ("string", "concatenated_string", "integer"):
                continue
            try:
                name = str(literal(src.node_text(k)))
            except ValueError:
                continue
            child = (*path, name)
            result.occurrences.append(src.occurrence(child, k, v, _value(v, src), context))
            if v is not None:
                _nested(child, v, src, result, context, depth + 1)
    elif node.type in ("list", "tuple", "set"):
        for i, item in enumerate(c for c in node.named_children if c.type != "comment"):
            child = (*path, i)
            result.occurrences.append(src.occurrence(child, item, item, _value(item, src), context))
            _nested(child, item, src, result, context, depth + 1)
