"""Independent re-read of a fixed file: a fix that makes a file stop parsing is not applied."""

from __future__ import annotations

import ast
import configparser
import json
import os
import sys
from collections.abc import Callable

import yaml

_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def _python(text: str) -> None:
    ast.parse(text)  # parses only: scanned code is never executed


def _toml(text: str) -> None:
    if sys.version_info >= (3, 11):
        import tomllib
    else:  # pragma: no cover
        import tomli as tomllib
    try:
        tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ValueError(str(exc)) from exc


def _json(text: str) -> None:
    json.loads(text)  # JSONC (comments, trailing commas) fails before and after and so is not judged here


def _yaml(text: str) -> None:
    for _ in yaml.load_all(text, Loader=_Loader):
        pass


def _ini(text: str) -> None:
    # As the product reads: no interpolation, duplicate keys tolerated (tox.ini and setup.cfg repeat them).
    configparser.ConfigParser(interpolation=None, strict=False).read_string(text)


_READERS: dict[str, Callable[[str], None]] = {
    ".py": _python, ".pyi": _python, ".toml": _toml, ".json": _json,
    ".yaml": _yaml, ".yml": _yaml, ".ini": _ini, ".cfg": _ini,
}


def _reads(reader: Callable[[str], None], text: str) -> str | None:
    try:
        reader(text)
    except (SyntaxError, ValueError, yaml.YAMLError, configparser.Error, RecursionError, MemoryError) as exc:
        return str(exc).splitlines()[0] if str(exc) else type(exc).__name__
    return None


def broken_by_fix(display: str, old: str, new: str) -> str | None:
    """Why the fixed text no longer parses where the original did, else None (JavaScript: tree-sitter only)."""
    reader = _READERS.get(os.path.splitext(display)[1].lower())
    if reader is None or _reads(reader, old) is not None:
        return None
    return _reads(reader, new)
