"""YAML parser: every document of a stream, with positions, without expanding aliases."""

from __future__ import annotations

import re
from typing import Any

import yaml

from scanner.model import MAPPING, SEQUENCE, KeyPath, Occurrence
from scanner.parsers.interface import MAX_DEPTH, ParseResult
from scanner.yamlnodes import SafeLoader

TEMPLATE = re.compile(r"\{\{.*?\}\}|\{%.*?%\}|\{#.*?#\}", re.S)
_constructor = yaml.constructor.SafeConstructor()


def _scalar(node: yaml.ScalarNode) -> object:
    try:
        value = _constructor.construct_object(node, deep=False)
    except Exception:
        return node.value
    if isinstance(value, (str, int, float, bool)) or value is None:
        return value
    return str(value)


def mask_templates(text: str) -> str:
    """Blank out ``{{ }}``/``{% %}`` template expressions, keeping every character position."""
    return TEMPLATE.sub(lambda m: re.sub(r"[^\n]", " ", m.group(0)), text)


def parse(text: str) -> ParseResult:
    result = ParseResult()
    templated = "{{" in text or "{%" in text
    source = mask_templates(text) if templated else text
    try:
        for doc_index, root in enumerate(yaml.compose_all(source, Loader=SafeLoader)):
            if root is not None:
                _walk(root, doc_index, result)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        message = " ".join(str(x) for x in (exc.context, exc.problem) if x) or str(exc)
        if templated:
            message = f"templated YAML (Helm/Jinja) that does not parse once its expressions are masked: {message}"
        result.errors.append((mark.line + 1 if mark else None, mark.column + 1 if mark else None, message))
    except yaml.YAMLError as exc:
        result.errors.append((None, None, str(exc)))
    return result


def _walk(root: yaml.Node, doc: int, result: ParseResult) -> None:
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
            result.errors.append((m.line + 1, m.column + 1, f"nesting deeper than {MAX_DEPTH} levels; not read"))
            return
        children: list[tuple[yaml.Node, KeyPath]] = []
        if isinstance(node, yaml.MappingNode):
            for key, value in node.value:
                if not isinstance(key, yaml.ScalarNode) or key.value == "<<":
                    continue
                child = (*path, str(key.value))
                occ.append(_occurrence(child, key, value, doc))
                children.append((value, child))
        elif isinstance(node, yaml.SequenceNode):
            for i, item in enumerate(node.value):
                child = (*path, i)
                occ.append(_occurrence(child, item, item, doc))
                children.append((item, child))
        stack.extend(reversed([c for c in children if not isinstance(c[0], yaml.ScalarNode)]))
    occ.sort(key=lambda o: (o.line, o.column))


def _occurrence(path: KeyPath, key: yaml.Node, value: yaml.Node, doc: int) -> Occurrence:
    v: Any
    if isinstance(value, yaml.ScalarNode):
        v = _scalar(value)
    elif isinstance(value, yaml.MappingNode):
        v = MAPPING
    else:
        v = SEQUENCE
    ks, ke, vs, ve = key.start_mark, key.end_mark, value.start_mark, value.end_mark
    return Occurrence(
        path=path, value=v, line=ks.line + 1, column=ks.column + 1, end_line=ke.line + 1,
        end_column=ke.column + 1, value_line=vs.line + 1, value_column=vs.column + 1, doc=doc,
        key_span=(ks.index, ke.index), value_span=(vs.index, ve.index),
    )
