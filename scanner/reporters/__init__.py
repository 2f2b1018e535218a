"""Reporters, one module per output format, all rendering the same ScanResult: ``render(result) -> str``."""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from scanner.scan import ScanResult

_MODULES = {"text": "text", "json": "jsonout", "sarif": "sarif", "junit": "junit", "github": "github",
            "markdown": "markdown"}


def render(result: ScanResult, fmt: str, color: bool = False) -> str:
    module = importlib.import_module(f"scanner.reporters.{_MODULES[fmt]}")
    if fmt == "text":
        return str(module.render(result, color=color))
    return str(module.render(result))
