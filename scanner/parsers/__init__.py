"""Config parsers, one module per format, all with the signature ``parse(text) -> ParseResult``."""

from __future__ import annotations

import importlib
from collections.abc import Callable

from scanner.parsers.interface import ParseResult

_MODULES = {
    "yaml": "yamlfile",
    "toml": "tomlfile",
    "ini": "inifile",
    "json": "jsonfile",
    "jsonc": "jsonfile",
    "dotenv": "dotenv",
    "python": "pythonfile",
    "javascript": "javascript",
}

_cache: dict[str, Callable[[str], ParseResult]] = {}


def get_parser(fmt: str) -> Callable[[str], ParseResult]:
    """The parse function for a format, imported on first use (the hook path stays light)."""
    fn = _cache.get(fmt)
    if fn is None:
        module = importlib.import_module(f"scanner.parsers.{_MODULES[fmt]}")
        fn = module.parse_jsonc if fmt == "jsonc" else module.parse
        _cache[fmt] = fn
    return fn
