"""Tool config: ``[tool.cfgscan]`` in pyproject.toml or ``.cfgscan.toml``, found from the scanned path up to its
repository's top-level (or the scanned folder itself outside a repository)."""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from scanner.errors import ConfigError
from scanner.excerpt import excerpt

KEYS = {
    "target", "installed", "fail-on", "format", "output", "select", "ignore", "matrix", "exclude", "baseline",
    "show-future", "ignore-parse-errors", "max-file-size", "respect-gitignore", "builtin-matrix",
    "plugin-matrix", "jobs", "quiet",
}
# the whole-number settings: the least value each takes, and the words that refuse a smaller one (here and on the
# command line). A limit of 0 bytes would skip every file, and a gate that reads nothing passes: it is refused.
COUNTS = {"max-file-size": (1, "a positive number of bytes"),
          "jobs": (0, "0 (one process per usable core) or a positive number of processes")}


@dataclass
class ToolConfig:
    """The raw, validated values of a tool config table and where they came from."""

    path: str | None = None
    root: str | None = None
    values: dict[str, Any] = field(default_factory=dict)


VCS_MARKERS = (".git", ".hg")


def search_bounds(start: str) -> tuple[str, str]:
    """The folder a config search starts from (the scanned path's, symbolic links resolved) and the highest it
    may reach: the repository's top-level (the nearest folder holding ``.git`` or ``.hg``) when start is inside
    one, else the scanned folder itself, so that a ``pyproject.toml`` above an extracted tarball never applies."""
    here = os.path.realpath(start)  # realpath never raises on a symlink loop
    if not os.path.isdir(here):
        here = os.path.dirname(here)
    for folder in _upward(here):
        if any(os.path.exists(os.path.join(folder, marker)) for marker in VCS_MARKERS):
            return here, folder
    return here, here


def find_config(start: str, bounds: tuple[str, str] | None = None) -> str | None:
    """The first ``.cfgscan.toml``, or ``pyproject.toml`` with a ``[tool.cfgscan]`` table, from start upward
    to the top of ``search_bounds`` (never above it)."""
    here, top = bounds or search_bounds(start)
    for folder in _upward(here):
        dot = os.path.join(folder, ".cfgscan.toml")
        if os.path.isfile(dot):
            return dot
        py = os.path.join(folder, "pyproject.toml")
        if os.path.isfile(py):
            try:
                with open(py, encoding="utf-8", errors="replace") as f:
                    text = f.read()
            except OSError:
                text = ""  # unreadable: not our config, and the search still stops at the top
            if "[tool.cfgscan" in text or "tool.cfgscan" in text:
                return py
        if folder == top:
            return None
    return None


def describe_config(config_file: str | None, bounds: tuple[str, str], explicit: bool) -> str:
    """--verbose: which config a run used, or the folders searched for one."""
    def shown(path: str) -> str:
        rel = os.path.relpath(path)
        return path if rel.startswith("..") else rel

    if config_file is None:
        here, top = bounds
        searched = shown(here) + (f" up to {shown(top)}" if top != here else "")
        return f"cfgscan: config: none found (searched {searched})"
    table = " [tool.cfgscan]" if os.path.basename(config_file) == "pyproject.toml" else ""
    return f"cfgscan: config: {shown(config_file)}{table}" + (" (--config)" if explicit else "")


def _upward(folder: str) -> Iterator[str]:
    """A normalized absolute folder and each of its parents, up to the root."""
    while True:
        yield folder
        parent = os.path.dirname(folder)
        if parent == folder:
            return
        folder = parent


def load_config(path: str) -> ToolConfig:
    """The validated table of a config file (a normalized path: ``find_config``'s, or ``str(Path(...))``)."""
    if sys.version_info >= (3, 11):  # only when a config file is read: most runs have none
        import tomllib
    else:  # pragma: no cover
        import tomli as tomllib

    try:
        with open(path, encoding="utf-8") as f:
            data = tomllib.loads(f.read())
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read: {exc.strerror or exc}") from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: invalid TOML: {exc}") from None
    is_pyproject = os.path.basename(path) == "pyproject.toml"
    table = data.get("tool", {}).get("cfgscan", {}) if is_pyproject else data
    if not isinstance(table, dict):
        raise ConfigError(f"{path}: [tool.cfgscan] must be a table")
    if "python" in table:
        raise ConfigError(f"{path}: python cannot be set in a config file, because a repository must not choose a "
                          "program for cfgscan to run; pass --python PATH on the command line")
    unknown = sorted(set(table) - KEYS)
    if unknown:
        where = "[tool.cfgscan]" if is_pyproject else "the config"
        raise ConfigError(f"{path}: unknown key {excerpt(unknown[0])} in {where} (known: {', '.join(sorted(KEYS))})")
    _check_types(path, table)
    return ToolConfig(path, os.path.dirname(path) or ".", table)


def _check_types(path: str, t: dict[str, Any]) -> None:
    def bad(key: str, want: str) -> ConfigError:
        return ConfigError(f"{path}: {key} must be {want}, got {excerpt(t[key])}")

    for key in ("target", "installed"):
        if key in t and not (isinstance(t[key], dict) or (key == "target" and t[key] == "latest")):
            raise bad(key, 'a table such as {django = "5.1"}' + (' or "latest"' if key == "target" else ""))
    for key in ("select", "matrix", "exclude"):
        if key in t and not (isinstance(t[key], list) and all(isinstance(x, str) for x in t[key])):
            raise bad(key, "a list of strings")
    for key in ("fail-on", "format", "output", "baseline"):
        if key in t and not isinstance(t[key], str):
            raise bad(key, "a string")
    for key in ("show-future", "ignore-parse-errors", "respect-gitignore", "builtin-matrix", "plugin-matrix",
                "quiet"):
        if key in t and not isinstance(t[key], bool):
            raise bad(key, "true or false")
    for key in COUNTS:
        why = count_problem(key, t[key]) if key in t else None
        if why:
            raise ConfigError(f"{path}: {why}")
    if "ignore" in t:
        if not isinstance(t["ignore"], list):
            raise bad("ignore", "a list of rule ids or [[tool.cfgscan.ignore]] tables")
        for entry in t["ignore"]:
            if isinstance(entry, str):
                continue
            if not isinstance(entry, dict) or "rule" not in entry:
                raise ConfigError(f"{path}: each [[tool.cfgscan.ignore]] entry needs a rule")
            extra = set(entry) - {"rule", "path", "reason", "until"}
            if extra:
                raise ConfigError(f"{path}: unknown key {excerpt(sorted(extra)[0])} in an ignore entry")
            until = entry.get("until")
            if until is None:
                continue
            import datetime  # only for an ignore entry with an until date

            if not isinstance(until, (datetime.date, str)):
                raise ConfigError(f"{path}: ignore until must be a date such as 2027-03-31")
            if isinstance(until, str):
                try:
                    datetime.date.fromisoformat(until)
                except ValueError:
                    raise ConfigError(f"{path}: ignore until {excerpt(until)} is not a date such as 2027-03-31"
                                      ) from None



def count_problem(key: str, value: object) -> str | None:
    """Why a max-file-size or jobs value is refused (``KEY must be ..., got VALUE``), or None when it is valid."""
    least, want = COUNTS[key]
    if isinstance(value, int) and not isinstance(value, bool) and value >= least:
        return None
    return f"{key} must be {want}, got {excerpt(value)}"
