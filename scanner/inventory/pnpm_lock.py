"""pnpm-lock.yaml: keys ``/name/1.2.3`` (v5), ``/name@1.2.3(peer)`` (v6), ``name@1.2.3`` (v9)."""

from __future__ import annotations

import re

import yaml

from scanner.inventory.inputs import PNPM_LOCK as FILENAME
from scanner.inventory.interface import EXACT, Context, Found, Package, first_of_each
from scanner.inventory.sourcetext import read_root_file

_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_TOP_KEY = re.compile(r"""^(?:[\w.-]+|'[^']*'|"[^"]*"):(?:[ \t]+[^\s\[{&*!|>].*)?[ \t]*$""")  # block style
_VERSION = re.compile(r"""^lockfileVersion:[ \t]*['"]?([\d.]+)""", re.M)


def read_pnpm_lock(ctx: Context) -> Found:
    found = Found()
    path = ctx.path(FILENAME)
    text = read_root_file(ctx, FILENAME, found)
    if text is None:
        return found
    version = _VERSION.search(text)
    slash_style = version is not None and _major(version.group(1)) < 6
    entries, odd = scan_packages(text, slash_style)
    problem = _yaml_problem(text) if odd else None
    if problem:
        found.errors.append((ctx.display(path), problem))
        return found
    found.packages = first_of_each([Package(name, "npm", version, EXACT, ctx.where(path, line))
                                    for name, version, line in entries])
    return found


# Even libyaml needs ~150 ms for a 2,000-package lock, so one pass over the lines reads the
# ``packages`` keys; the YAML parser runs only when that pass finds a line it does not expect,
# to say what is wrong.
def scan_packages(text: str, slash_style: bool) -> tuple[list[tuple[str, str, int]], bool]:
    """(name, version, line) of each ``packages`` key, and whether some line was not as pnpm writes it."""
    entries = []
    odd = False
    inside = False
    for number, line in enumerate(text.split("\n"), 1):
        first = line[:1]
        if first == " ":
            if inside and line[2:3] not in (" ", "") and line.startswith("  "):
                key, colon, value = line.strip().partition(": ")
                key = key.removesuffix(":") if not colon else key
                odd = odd or bool(value) or not (colon or line.rstrip().endswith(":"))
                parsed = parse_package_key(key.strip().strip("'\""), slash_style)
                if parsed:
                    entries.append((parsed[0], parsed[1], number))
        elif first not in ("", "#"):
            if not _TOP_KEY.match(line.rstrip("\r")):
                odd = True
            inside = line.rstrip() == "packages:"
    return entries, odd


def parse_package_key(key: str, slash_style: bool) -> tuple[str, str] | None:
    """(name, version) of a ``packages`` key; None for tarball, git and link entries."""
    key = key.split("(")[0].lstrip("/")
    if slash_style:
        name, _, version = key.rpartition("/")
        version = version.split("_")[0]
    else:
        at = key.rfind("@")
        if at <= 0:
            return None
        name, version = key[:at], key[at + 1:]
    if not name or not version[:1].isdigit() or ":" in version or "/" in version:
        return None
    return name, version


def _yaml_problem(text: str) -> str | None:
    try:
        root = yaml.compose(text, Loader=_LOADER)
    except (yaml.YAMLError, RecursionError) as exc:
        return f"invalid YAML: {exc}"
    if root is not None and not isinstance(root, yaml.MappingNode):
        return "not a YAML mapping"
    return None


def _major(version: str) -> int:
    head = version.split(".")[0]
    return int(head) if head.isdigit() else 9
