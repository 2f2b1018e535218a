"""Fixers, one module per format, each turning a fix action on an occurrence into exact text edits."""

from __future__ import annotations

import importlib
from types import ModuleType

_MODULES = {"yaml": "yamlfix", "toml": "tomlfix", "ini": "inifix", "json": "jsonfix", "jsonc": "jsonfix",
            "dotenv": "dotenvfix", "python": "pythonfix", "javascript": "jsfix"}


def fixer_for(fmt: str) -> ModuleType:
    return importlib.import_module(f"scanner.fixers.{_MODULES[fmt]}")
