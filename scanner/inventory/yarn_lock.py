"""yarn.lock, classic (v1, ``version "1.2.3"``) and berry (YAML, ``version: 1.2.3``), read line by line."""

from __future__ import annotations

import re

from scanner.inventory.inputs import YARN_LOCK as FILENAME
from scanner.inventory.interface import EXACT, Context, Found, Package, first_of_each
from scanner.inventory.sourcetext import read_root_file

_VERSION = re.compile(r"""^  version:?[ \t]+["']?([^"'\s]+)["']?\s*$""")


def read_yarn_lock(ctx: Context) -> Found:
    found = Found()
    path = ctx.path(FILENAME)
    text = read_root_file(ctx, FILENAME, found)
    if text is None:
        return found
    entries = []
    name: str | None = None
    for number, line in enumerate(text.splitlines(), 1):
        first = line[:1]
        if first == " ":  # most lines: only an entry's own "version" (two spaces in) matters
            m = _VERSION.match(line) if name and line.startswith("  version") else None
        elif first in ("", "#") or not line.strip():
            continue
        elif not line.rstrip().endswith(":"):
            found.errors.append((ctx.display(path), f"line {number}: expected 'name@range:'"))
            return found
        else:
            name = descriptor_name(line)
            continue
        if m and name:
            version = m.group(1)
            if version[:1].isdigit() and not version.startswith("0.0.0-use.local"):
                entries.append(Package(name, "npm", version, EXACT, ctx.where(path, number)))
            name = None
    found.packages = first_of_each(entries)
    return found


def descriptor_name(header: str) -> str | None:
    """``"@babel/core@^7.0.0", "@babel/core@^7.1":`` -> ``@babel/core``; None for workspaces and patches."""
    first = header.rstrip().rstrip(":").split(",")[0].strip().strip("\"'")
    at = first.find("@", 1)
    if at <= 0:
        return None
    rest = first[at + 1:]
    if rest.startswith(("workspace:", "patch:", "link:", "portal:", "file:")):
        return None
    return first[:at]
