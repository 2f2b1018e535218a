"""JavaScript/TypeScript config modules read with tree-sitter, never run: the exported object literal.

Recognised exports: ``module.exports = {...}``, ``export default {...}``, ``export default
defineConfig({...})`` (any wrapping call), and an identifier bound to such an object elsewhere in the
module (``const config = {...}; module.exports = config``). Nested object keys become key segments.
"""

from __future__ import annotations

from typing import Any

from scanner.model import MAPPING, OPAQUE, SEQUENCE, KeyPath
from scanner.parsers.interface import MAX_DEPTH, ParseResult, report_too_deep
from scanner.parsers.treesitter import Source, get_ts_parser, literal, syntax_errors

WRAPPERS = ("satisfies_expression", "as_expression", "parenthesized_expression", "non_null_expression")


def parse(text: str) -> ParseResult:
    src = Source(text)
    tree = get_ts_parser("typescript").parse(src.data)
    if tree.root_node.has_error:  # plain JavaScript the TypeScript grammar rejects (JSX, legacy casts)
        js = get_ts_parser("javascript").parse(src.data)
        if not js.root_node.has_error:
            tree = js
    result = ParseResult()
    syntax_errors(tree.root_node, src, result)
    bindings: dict[str, Any] = {}
    exported: list[Any] = []
    for stmt in tree.root_node.named_children:
        _collect(stmt, src, bindings, exported)
    seen: set[int] = set()
    for node in exported:
        obj = _object(node, bindings, src, 0)
        if obj is not None and obj.id not in seen:
            seen.add(obj.id)
            _members((), obj, src, result, 0)
    result.occurrences.sort(key=lambda o: (o.line, o.column))
    return result


def _collect(stmt: Any, src: Source, bindings: dict[str, Any], exported: list[Any]) -> None:
    kind = stmt.type
    if kind in ("lexical_declaration", "variable_declaration"):
        for decl in stmt.named_children:
            if decl.type == "variable_declarator":
                name, value = decl.child_by_field_name("name"), decl.child_by_field_name("value")
                if name is not None and value is not None and name.type == "identifier":
                    bindings[src.node_text(name)] = value
    elif kind == "export_statement":
        value = stmt.child_by_field_name("value")
        decl = stmt.child_by_field_name("declaration")
        if value is not None and any(c.type == "default" for c in stmt.children):
            exported.append(value)
        elif decl is not None:
            _collect(decl, src, bindings, exported)
    elif kind == "expression_statement":
        expr = stmt.named_children[0] if stmt.named_child_count else None
        if expr is not None and expr.type == "assignment_expression":
            left, right = expr.child_by_field_name("left"), expr.child_by_field_name("right")
            if left is not None and right is not None and src.node_text(left).replace(" ", "") in (
                    "module.exports", "exports.default", "module.exports.default"):
                exported.append(right)


def _object(node: Any, bindings: dict[str, Any], src: Source, depth: int) -> Any:
    """Follow wrappers, calls and identifiers to the object literal being exported."""
    if node is None or depth > 20:
        return None
    kind = node.type
    if kind == "object":
        return node
    if kind in WRAPPERS:
        return _object(node.named_children[0] if node.named_child_count else None, bindings, src, depth + 1)
    if kind == "identifier":
        return _object(bindings.get(src.node_text(node)), bindings, src, depth + 1)
    if kind == "call_expression":
        args = node.child_by_field_name("arguments")
        first = args.named_children[0] if args is not None and args.named_child_count else None
        return _object(first, bindings, src, depth + 1)
    if kind == "arrow_function":
        return _object(node.child_by_field_name("body"), bindings, src, depth + 1)
    return None


def _key_name(key: Any, src: Source) -> str | None:
    if key.type in ("property_identifier", "identifier"):
        return src.node_text(key)
    if key.type == "string":
        return "".join(src.node_text(c) for c in key.named_children if c.type == "string_fragment")
    if key.type == "number":
        return src.node_text(key)
    return None


def _value(node: Any, src: Source) -> object:
    while node.type in WRAPPERS and node.named_child_count:  # a loop: ((((1)))) must not recurse
        node = node.named_children[0]
    kind = node.type
    if kind == "object":
        return MAPPING
    if kind == "array":
        return SEQUENCE
    if kind in ("true", "false"):
        return kind == "true"
    if kind in ("null", "undefined"):
        return None
    if kind == "string":
        return "".join(src.node_text(c) for c in node.named_children if c.type in ("string_fragment",
                                                                                    "escape_sequence"))
    if kind == "template_string":
        if any(c.type == "template_substitution" for c in node.named_children):
            return OPAQUE
        return "".join(src.node_text(c) for c in node.named_children if c.type == "string_fragment")
    if kind in ("number", "unary_expression"):
        try:
            v = literal(src.node_text(node).replace("_", ""))
        except ValueError:
            return OPAQUE
        return v if isinstance(v, (int, float)) else OPAQUE
    return OPAQUE


def _members(path: KeyPath, obj: Any, src: Source, result: ParseResult, depth: int) -> None:
    if depth > MAX_DEPTH:
        report_too_deep(result, *src.point(obj.start_point))
        return
    for member in obj.named_children:
        if member.type == "pair":
            key, value = member.child_by_field_name("key"), member.child_by_field_name("value")
            name = _key_name(key, src) if key is not None else None
            if name is None or value is None:
                continue
            child = (*path, name)
            result.occurrences.append(src.occurrence(child, key, value, _value(value, src)))
            _nested(child, value, src, result, depth + 1)
        elif member.type == "shorthand_property_identifier":
            result.occurrences.append(src.occurrence((*path, src.node_text(member)), member, member, OPAQUE))


def _nested(path: KeyPath, value: Any, src: Source, result: ParseResult, depth: int) -> None:
    while value.type in WRAPPERS and value.named_child_count:
        value = value.named_children[0]
    if depth > MAX_DEPTH:
        report_too_deep(result, *src.point(value.start_point))
        return
    if value.type == "object":
        _members(path, value, src, result, depth)
    elif value.type == "array":
        for i, item in enumerate(c for c in value.named_children if c.type != "comment"):
            child = (*path, i)
            result.occurrences.append(src.occurrence(child, item, item, _value(item, src)))
            _nested(child, item, src, result, depth + 1)
