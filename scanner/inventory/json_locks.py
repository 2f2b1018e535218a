"""Lock files in JSON: Pipfile.lock and package-lock.json (lockfileVersion 1, 2 and 3)."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from scanner.inventory.inputs import JSON_LOCKS
from scanner.inventory.interface import EXACT, Context, Found, Package, canonical_name, first_of_each
from scanner.inventory.sourcetext import LineIndex, advance_json_member, json_string, read_root_json

NODE_MODULES = "node_modules/"
Entry = tuple[str, str, int | None]  # name, version, line
Reader = Callable[[dict[str, Any], LineIndex], list[Entry]]


def read_json_locks(ctx: Context) -> Found:
    found = Found()
    readers: dict[str, tuple[str, Reader]] = {
        "Pipfile.lock": ("pypi", _pipfile),
        "package-lock.json": ("npm", _package_lock),
    }
    for filename in JSON_LOCKS:
        ecosystem, reader = readers[filename]
        found.extend(read_json_lock(ctx, filename, ecosystem, reader))
    return found


def read_json_lock(ctx: Context, filename: str, ecosystem: str, reader: Reader) -> Found:
    found = Found()
    path = ctx.path(filename)
    read = read_root_json(ctx, filename, found)
    if read is None:
        return found
    text, data = read
    found.packages = first_of_each(
        [
            Package(name, ecosystem, version, EXACT, ctx.where(path, line))
            for name, version, line in reader(data, LineIndex(text))
        ]
    )
    return found


def _pipfile(data: dict[str, Any], index: LineIndex) -> list[Entry]:
    """``{"default": {"django": {"version": "==4.2.7"}}, "develop": {...}}``."""
    found: list[Entry] = []
    for section in ("default", "develop"):
        entries = data.get(section)
        if not isinstance(entries, dict):
            continue
        index.advance(json.dumps(section))
        for name, entry in entries.items():
            version = entry.get("version") if isinstance(entry, dict) else None
            if not isinstance(version, str) or not version.startswith("=="):
                continue
            advance_json_member(index, name, "{")
            line = advance_json_member(index, "version", json_string(version))
            found.append((canonical_name(name), version.lstrip("="), line))
    return found


def _package_lock(data: dict[str, Any], index: LineIndex) -> list[Entry]:
    """v2/v3 ``packages`` keyed by ``node_modules/...`` paths (hoisted first), else v1 ``dependencies``."""
    packages = data.get("packages")
    found: list[tuple[int, str, str, int | None]] = []
    if isinstance(packages, dict):
        for key, entry in packages.items():
            if NODE_MODULES not in key or not isinstance(entry, dict):
                continue
            version = entry.get("version")
            name = entry.get("name") or key.rsplit(NODE_MODULES, 1)[1]
            if not isinstance(version, str) or not isinstance(name, str):
                continue
            advance_json_member(index, key, "{")
            line = advance_json_member(index, "version", json_string(version))
            found.append((key.count(NODE_MODULES), name, version, line))
    elif isinstance(data.get("dependencies"), dict):
        _v1_dependencies(data["dependencies"], index, 1, found)
    return [(name, version, line) for _, name, version, line in sorted(found, key=lambda f: f[0])]


def _v1_dependencies(
    deps: dict[str, Any], index: LineIndex, depth: int, out: list[tuple[int, str, str, int | None]]
) -> None:
    for name, entry in deps.items():
        if not isinstance(entry, dict):
            continue
        version = entry.get("version")
        advance_json_member(index, name, "{")
        if isinstance(version, str):
            line = advance_json_member(index, "version", json_string(version))
            out.append((depth, name, version, line))
        nested = entry.get("dependencies")
        if isinstance(nested, dict) and depth < 100:
            _v1_dependencies(nested, index, depth + 1, out)
