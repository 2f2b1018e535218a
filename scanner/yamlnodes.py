"""Safe YAML loading for cfgscan's own files, with a fallback that maps field paths to line numbers."""

from __future__ import annotations

import functools
from typing import Any

import yaml

try:
    SafeLoader: Any = yaml.CSafeLoader
except AttributeError:  # pragma: no cover - PyYAML built without libyaml
    SafeLoader = yaml.SafeLoader


def load_yaml(text: str) -> Any:
    """Parse one YAML document with the safe (C when available) loader."""
    return yaml.load(text, Loader=SafeLoader)


def first_alias(text: str) -> int | None:
    """The 1-based line of the first alias (``*name``) in a YAML text, or None; the text is parsed, not loaded."""
    if "*" not in text:
        return None
    for event in yaml.parse(text, Loader=SafeLoader):
        if isinstance(event, yaml.AliasEvent):
            return event.start_mark.line + 1 if event.start_mark is not None else 1
    return None


@functools.lru_cache(maxsize=4)
def _composed(text: str) -> Any:
    """The node tree of a text, composed once for all the problems of a file (not once per problem)."""
    try:
        return yaml.compose(text, Loader=SafeLoader)
    except yaml.YAMLError:
        return False


def line_of(text: str, field_path: tuple[str | int, ...]) -> int | None:
    """The 1-based line of the node at ``field_path`` (or its nearest existing parent)."""
    node = _composed(text)
    if node is False:
        return None
    best = node.start_mark.line + 1 if node is not None else None
    for seg in field_path:
        if isinstance(node, yaml.MappingNode):
            nxt = None
            for k, v in node.value:
                if isinstance(k, yaml.ScalarNode) and k.value == seg:
                    nxt, best = v, k.start_mark.line + 1
                    break
            node = nxt
        elif isinstance(node, yaml.SequenceNode) and isinstance(seg, int) and seg < len(node.value):
            node = node.value[seg]
            best = node.start_mark.line + 1
        else:
            break
        if node is None:
            break
    return best
