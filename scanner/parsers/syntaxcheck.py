"""Cheap proofs that a file has no parse error, for the files no rule needs parsed in a big tree.

``proves_clean(fmt, text)`` is True only when the format's full parser would report no error for the text;
False means "not proven", and the caller parses the file in full, so an error is always worded (and placed)
by the parser itself. Each proof runs the same library the parser does (libyaml, ``json``, tree-sitter),
without building occurrences, plus a count that bounds how deep the file can nest (the parsers report
nesting past MAX_DEPTH). Formats without a proof (TOML, INI, dotenv) are parsed in full: their parsers
are as cheap as a proof would be.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import cache
from typing import Any

from scanner.parsers.interface import MAX_DEPTH

# a YAML anchor or alias: `&` or `*` and at least one anchor character (neither blank nor a flow indicator)
ANCHOR = re.compile(r"[&*][^\s\[\]{},]")


def proves_clean(fmt: str, text: str) -> bool:
    prove = PROOFS.get(fmt)
    if prove is None:
        return False
    try:
        return prove(text)
    except Exception:  # whatever a library raises, the full parser words it
        return False


@cache
def _libyaml() -> tuple[Any, Callable[[str], str]] | None:
    """libyaml's parser and the YAML parser's template masking, imported once (None: PyYAML without libyaml)."""
    from scanner.parsers.yamlfile import mask_templates

    try:
        from yaml._yaml import CParser
    except ImportError:  # pragma: no cover - PyYAML built without libyaml
        return None
    return CParser, mask_templates


def yaml_clean(text: str) -> bool:
    libyaml = _libyaml()
    if libyaml is None:  # pragma: no cover
        return False
    CParser, mask_templates = libyaml
    if ("&" in text or "*" in text) and ANCHOR.search(text):
        return False  # anchors and aliases: the composer checks them (undefined, duplicate), libyaml does not
    source = mask_templates(text) if "{{" in text or "{%" in text else text
    if _yaml_collections_bound(source) > MAX_DEPTH:
        return False
    CParser(source).raw_parse()  # libyaml's scanner and parser in C, no Python object per event
    return True


def _yaml_collections_bound(text: str) -> int:
    """At least the number of collections in the text (and so their nesting depth), without aliases.

    A block sequence needs a ``-`` and a block mapping a ``:`` or ``?``, followed by a blank or a line end;
    a flow collection needs a ``[`` or ``{``, and a flow sequence's entries may each be a one-pair mapping
    without braces (``[a: [b: c]]``), hence ``[`` twice.
    """
    flow = 2 * text.count("[") + text.count("{")
    rough = text.count(":") + text.count("-") + text.count("?") + flow  # one pass a character: most files stop here
    if rough <= MAX_DEPTH:
        return rough
    blanks = (" ", "\t", "\n", "\r")
    return sum(text.count(ind + b) for ind in ":-?" for b in blanks) + (text[-1:] in (":", "-", "?")) + flow


def json_clean(text: str) -> bool:
    import json

    if text.count("[") + text.count("{") >= MAX_DEPTH:
        return False  # the parser refuses to nest deeper than MAX_DEPTH
    json.loads(text, parse_constant=_reject)  # NaN and Infinity are Python's, not JSON's
    return True  # valid JSON is valid JSONC too


def _reject(name: str) -> object:
    raise ValueError(name)


def python_clean(text: str) -> bool:
    from scanner.parsers.treesitter import get_ts_parser

    # Statement nesting: a clause and its block are two levels behind one `:` (a decorated class adds one
    # more); an assignment chain needs an `=` a link; nested literals and targets need a bracket a level.
    if 2 * text.count(":") + 3 > MAX_DEPTH or text.count("=") >= MAX_DEPTH or _brackets(text, "([{") >= MAX_DEPTH:
        return False
    tree = get_ts_parser("python").parse(text.encode("utf-8", "surrogatepass"))
    return not tree.root_node.has_error


def javascript_clean(text: str) -> bool:
    from scanner.parsers.treesitter import get_ts_parser

    if _brackets(text, "[{") >= MAX_DEPTH:
        return False  # object and array nesting, one bracket a level
    # the parser reads TypeScript first and falls back to JavaScript only when TypeScript has an error
    tree = get_ts_parser("typescript").parse(text.encode("utf-8", "surrogatepass"))
    return not tree.root_node.has_error


def _brackets(text: str, which: str) -> int:
    return sum(text.count(c) for c in which)


PROOFS: dict[str, Callable[[str], bool]] = {
    "yaml": yaml_clean,
    "json": json_clean,
    "jsonc": json_clean,
    "python": python_clean,
    "javascript": javascript_clean,
}
