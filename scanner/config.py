"""Tool config: ``[tool.cfgscan]`` in pyproject.toml or ``.cfgscan.toml``, found from the scanned path up."""

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
    "plugin-matrix", "jobs",
}


@dataclass
class ToolConfig:
    """The raw, validated values of a tool config table and where they came from."""

    path: str | None = None
    root: str | None = None
    values: dict[str, Any] = field(default_factory=dict)


def find_config(start: str) -> str | None:
    """The first ``.cfgscan.toml``, or ``pyproject.toml`` with a ``[tool.cfgscan]`` table, from start upward."""
    here = os.path.realpath(start)  # realpath never raises on a symlink loop
    if not os.path.isdir(here):
        here = os.path.dirname(here)
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
                text = ""  # unreadable: not our config, and the repository root check below still applies
            if "[tool.cfgscan" in text or "tool.cfgscan" in text:
                return py
        if os.path.exists(os.path.join(folder, ".git")):
            return None
    return None


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
    for key in ("show-future", "ignore-parse-errors", "respect-gitignore", "builtin-matrix", "plugin-matrix"):
        if key in t and not isinstance(t[key], bool):
            raise bad(key, "true or false")
    for key in ("max-file-size", "jobs"):
        if key in t and (not isinstance(t[key], int) or isinstance(t[key], bool) or t[key] < 0):
            raise bad(key, "a non-negative integer")
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
