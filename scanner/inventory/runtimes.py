"""Runtime pins: .python-version, .tool-versions (python, nodejs), runtime.txt, .nvmrc and .node-version."""

from __future__ import annotations

import os
import re

from scanner.inventory.interface import EXACT, Context, Found, Package
from scanner.inventory.sourcetext import read_source

_VERSION = re.compile(r"^v?(\d+(?:\.\d+)*)(?:[-+.]?[A-Za-z0-9.+-]*)?$")
TOOL_NAMES = {"python": "python", "nodejs": "node", "node": "node"}


def read_runtimes(ctx: Context) -> Found:
    """In precedence order: .python-version, .nvmrc, .node-version, .tool-versions, runtime.txt."""
    found = Found()
    for filename, product in ((".python-version", "python"), (".nvmrc", "node"), (".node-version", "node")):
        for number, line in _lines(ctx.path(filename), ctx, found):
            found.packages.extend(_pin(ctx, filename, number, product, line.removeprefix("cpython-")))
            break  # the first version listed is the one in use
    for number, line in _lines(ctx.path(".tool-versions"), ctx, found):
        tool, *versions = line.split()
        if tool in TOOL_NAMES and versions:
            found.packages.extend(_pin(ctx, ".tool-versions", number, TOOL_NAMES[tool], versions[0]))
    for number, line in _lines(ctx.path("runtime.txt"), ctx, found):
        if line.startswith("python-"):
            found.packages.extend(_pin(ctx, "runtime.txt", number, "python", line.removeprefix("python-")))
        break
    return found


def _lines(path: str, ctx: Context, found: Found) -> list[tuple[int, str]]:
    """Non-empty, non-comment lines with their numbers; nothing when the file is absent."""
    if not os.path.isfile(path):
        return []
    text = read_source(path, ctx, found, max_bytes=1024 * 1024)
    if text is None:
        return []
    return [(n, line.split("#")[0].strip()) for n, line in enumerate(text.splitlines(), 1)
            if line.split("#")[0].strip()]


def _pin(ctx: Context, filename: str, number: int, product: str, text: str) -> list[Package]:
    """``3.11.4``, ``v20.1.0``, ``3.12-dev`` -> the numeric version; ``system``, ``lts/*`` -> nothing."""
    m = _VERSION.match(text.strip())
    if not m:
        return []
    return [Package(product, "runtime", m.group(1), EXACT, ctx.where(ctx.path(filename), number))]
