"""YAML parser: every document of a stream, with positions, without expanding aliases."""

from __future__ import annotations

import dataclasses
import operator
import re
from typing import Any

import yaml

from scanner.model import MAPPING, SEQUENCE, KeyPath, Occurrence
from scanner.parsers.interface import MAX_DEPTH, ParseResult, Wanted, report_too_deep
from scanner.yamlnodes import SafeLoader

POSITION = operator.attrgetter("line", "column")
TEMPLATE_OPEN = re.compile(r"\{[{%#]")
TEMPLATE_CLOSE = {"{": "}}", "%": "%}", "#": "#}"}
LIBYAML_DEPTH = 1000  # libyaml refuses deeper flow or block nesting itself
_constructor = yaml.constructor.SafeConstructor()
STR_TAG = "tag:yaml.org,2002:str"
# PyYAML's implicit tags (bool, int, float, null, timestamp, merge, value) by first character, once
WILDCARD = tuple(yaml.resolver.Resolver.yaml_implicit_resolvers.get(None, ()))
IMPLICIT = {first: (*found, *WILDCARD) for first, found in yaml.resolver.Resolver.yaml_implicit_resolvers.items()
            if first is not None}


class _ScanLoader(SafeLoader):  # type: ignore[misc]  # PyYAML is untyped
    """The safe (C) loader with a leaner resolver: same tags, without the bookkeeping for path resolvers
    (none are registered) and with the implicit-tag table merged once instead of per scalar."""

    def descend_resolver(self, current_node: object, current_index: object) -> None:
        pass

    def ascend_resolver(self) -> None:
        pass

    def resolve(self, kind: type, value: str, implicit: tuple[bool, bool]) -> str:
        if kind is yaml.ScalarNode:
            if implicit[0]:
                for tag, regexp in IMPLICIT.get(value[:1], WILDCARD):
                    if regexp.match(value):
                        return str(tag)
            return STR_TAG
        return "tag:yaml.org,2002:seq" if kind is yaml.SequenceNode else "tag:yaml.org,2002:map"


def _scalar(node: yaml.ScalarNode) -> object:
    if node.tag == STR_TAG:
        return node.value  # most values: the constructor would return the same text, 20x slower
    try:
        value = _constructor.construct_object(node, deep=False)
    except Exception:
        return node.value
    if isinstance(value, (str, int, float, bool)) or value is None:
        return value
    return str(value)


def mask_templates(text: str) -> str:
    """Blank out ``{{ }}``/``{% %}``/``{# #}`` template expressions, keeping every character position.

    Linear in the text: an opener whose closer never comes is remembered, so a file of ten thousand
    unclosed ``{{`` is not searched to its end ten thousand times.
    """
    out: list[str] = []
    done, unclosed = 0, set[str]()
    for m in TEMPLATE_OPEN.finditer(text):
        kind = text[m.start() + 1]
        if m.start() < done or kind in unclosed:
            continue
        end = text.find(TEMPLATE_CLOSE[kind], m.end())
        if end < 0:
            unclosed.add(kind)
            continue
        end += 2
        out.append(text[done : m.start()])
        out.append("".join("\n" if ch == "\n" else " " for ch in text[m.start() : end]))
        done = end
    out.append(text[done:])
    return "".join(out)


def parse(text: str, wanted: Wanted | None = None) -> ParseResult:
    """Every key of every document; with ``wanted``, occurrences only for the keys it names."""
    result = ParseResult()
    templated = "{{" in text or "{%" in text
    source = mask_templates(text) if templated else text
    try:
        for doc_index, root in enumerate(yaml.compose_all(source, Loader=_ScanLoader)):
            if root is not None:
                _walk(root, doc_index, result, wanted)
        _keep_inside(text, result)
    except RecursionError:  # the pure-Python reader (no libyaml) recurses per level
        report_too_deep(result, None, None)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        message = " ".join(str(x) for x in (exc.context, exc.problem) if x) or str(exc)
        if "maximum nesting depth" in message:
            message = f"nesting deeper than {LIBYAML_DEPTH} levels; not read"
        elif templated:
            message = f"templated YAML (Helm/Jinja) that does not parse once its expressions are masked: {message}"
        line, column = (mark.line + 1, mark.column + 1) if mark else (None, None)
        if line is not None and line > text.count("\n") + 1:
            line, column = text.count("\n") + 1, len(text) - text.rfind("\n")
        result.errors.append((line, column, message))
    except yaml.YAMLError as exc:
        result.errors.append((None, None, str(exc)))
    return result


def _keep_inside(text: str, result: ParseResult) -> None:
    """libyaml puts the end of a stream on the line after the last one (``?`` alone): move it to the text's end."""
    last, end_col = text.count("\n") + 1, len(text) - text.rfind("\n")

    def clamp(line: int, column: int) -> tuple[int, int]:
        return (line, column) if line <= last else (last, end_col)

    for i, o in enumerate(result.occurrences):
        if max(o.line, o.end_line, o.value_line) > last:
            (line, col), (end_line, end_col2), (vline, vcol) = (
                clamp(o.line, o.column), clamp(o.end_line, o.end_column), clamp(o.value_line, o.value_column))
            result.occurrences[i] = dataclasses.replace(o, line=line, column=col, end_line=end_line,
                                                        end_column=end_col2, value_line=vline, value_column=vcol)


def _walk(root: yaml.Node, doc: int, result: ParseResult, wanted: Wanted | None = None) -> None:
    seen: set[int] = set()
    stack: list[tuple[yaml.Node, KeyPath]] = [(root, ())]
    occ = result.occurrences
    while stack:
        node, path = stack.pop()
        if id(node) in seen:
            continue  # an alias: never expand it again
        seen.add(id(node))
        if len(path) > MAX_DEPTH:
            m = node.start_mark
            report_too_deep(result, m.line + 1, m.column + 1)
            return
        children: list[tuple[yaml.Node, KeyPath]] = []
        if isinstance(node, yaml.MappingNode):
            for key, value in node.value:
                if not isinstance(key, yaml.ScalarNode) or key.value == "<<":
                    continue
                child = (*path, str(key.value))
                if wanted is None or wanted(child):
                    occ.append(_occurrence(child, key, value, doc))
                if not isinstance(value, yaml.ScalarNode):
                    children.append((value, child))
        elif isinstance(node, yaml.SequenceNode):
            for i, item in enumerate(node.value):
                child = (*path, i)
                if wanted is None or wanted(child):
                    occ.append(_occurrence(child, item, item, doc))
                if not isinstance(item, yaml.ScalarNode):
                    children.append((item, child))
        stack.extend(reversed(children))
    occ.sort(key=POSITION)


def _occurrence(path: KeyPath, key: yaml.Node, value: yaml.Node, doc: int) -> Occurrence:
    v: Any
    if isinstance(value, yaml.ScalarNode):
        v = _scalar(value)
    elif isinstance(value, yaml.MappingNode):
        v = MAPPING
    else:
        v = SEQUENCE
    ks, ke, vs, ve = key.start_mark, key.end_mark, value.start_mark, value.end_mark
    # positional: path, value, line, column, end_line, end_column, value_line, value_column, doc, context, spans
    return Occurrence(path, v, ks.line + 1, ks.column + 1, ke.line + 1, ke.column + 1, vs.line + 1, vs.column + 1,
                      doc, None, (ks.index, ke.index), (vs.index, ve.index))
