"""package.json: dependency ranges (``^4.9.0`` is 4.9.0 as a lower bound) and ``engines.node``."""

from __future__ import annotations

from typing import Any

from scanner.inventory.inputs import PACKAGE_JSON as FILENAME
from scanner.inventory.interface import LOWER_BOUND, Context, Found, Package, first_of_each
from scanner.inventory.sourcetext import LineIndex, advance_json_member, json_string, read_root_json
from scanner.inventory.specifiers import range_version

SECTIONS = ("dependencies", "devDependencies", "optionalDependencies")


def read_package_json(ctx: Context) -> Found:
    found = Found()
    path = ctx.path(FILENAME)
    read = read_root_json(ctx, FILENAME, found)
    if read is None:
        return found
    text, data = read
    for section in SECTIONS:  # a fresh index each: its member search moves forward, and sections come in any order
        for name, version, line in _ranges(data.get(section), section, LineIndex(text)):
            found.packages.append(Package(name, "npm", version[0], version[1], ctx.where(path, line)))
    for name, version, line in _ranges(data.get("engines"), "engines", LineIndex(text)):
        if name == "node":
            found.packages.append(Package("node", "runtime", version[0], LOWER_BOUND, ctx.where(path, line)))
    found.packages = first_of_each(found.packages)
    return found


def _ranges(deps: Any, section: str, index: LineIndex) -> list[tuple[str, tuple[str, str], int | None]]:
    if not isinstance(deps, dict):
        return []
    advance_json_member(index, section, "{")
    out = []
    for name, spec in deps.items():
        if not isinstance(spec, str):
            continue
        line = advance_json_member(index, name, json_string(spec))
        if spec.startswith("npm:"):  # an alias: "ts": "npm:typescript@^4.9"
            name, _, spec = spec[4:].rpartition("@")
        version = range_version(spec)
        if version and name:
            out.append((name, version, line))
    return out
