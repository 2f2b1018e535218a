"""Tool config: ``[tool.cfgscan]`` in pyproject.toml or ``.cfgscan.toml``, found from the scanned path up."""

from __future__ import annotations

import datetime
import os
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from scanner.errors import ConfigError

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

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


def find_config(start: str) -> Path | None:
    """The first ``.cfgscan.toml``, or ``pyproject.toml`` with a ``[tool.cfgscan]`` table, from start upward."""
    here = Path(os.path.realpath(start))  # realpath never raises on a symlink loop
    if not here.is_dir():
        here = here.parent
    for folder in (here, *here.parents):
        dot = folder / ".cfgscan.toml"
        if dot.is_file():
            return dot
        py = folder / "pyproject.toml"
        if py.is_file():
            try:
                text = py.read_text(encoding="utf-8", errors="replace")
            except OSError:
                continue
            if "[tool.cfgscan" in text or "tool.cfgscan" in text:
                return py
        if (folder / ".git").exists():
            return None
    return None


def load_config(path: Path) -> ToolConfig:
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read: {exc.strerror or exc}") from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: invalid TOML: {exc}") from None
    table = data.get("tool", {}).get("cfgscan", {}) if path.name == "pyproject.toml" else data
    if not isinstance(table, dict):
        raise ConfigError(f"{path}: [tool.cfgscan] must be a table")
    if "python" in table:
        raise ConfigError(f"{path}: python cannot be set in a config file, because a repository must not choose a "
                          "program for cfgscan to run; pass --python PATH on the command line")
    unknown = sorted(set(table) - KEYS)
    if unknown:
        where = "[tool.cfgscan]" if path.name == "pyproject.toml" else "the config"
        raise ConfigError(f"{path}: unknown key {unknown[0]!r} in {where} (known: {', '.join(sorted(KEYS))})")
    _check_types(path, table)
    return ToolConfig(str(path), str(path.parent), table)


def _check_types(path: Path, t: dict[str, Any]) -> None:
    def bad(key: str, want: str) -> ConfigError:
        return ConfigError(f"{path}: {key} must be {want}, got {t[key]!r}")

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
                raise ConfigError(f"{path}: unknown key {sorted(extra)[0]!r} in an ignore entry")
            until = entry.get("until")
            if until is not None and not isinstance(until, (datetime.date, str)):
                raise ConfigError(f"{path}: ignore until must be a date such as 2027-03-31")
            if isinstance(until, str):
                try:
                    datetime.date.fromisoformat(until)
                except ValueError:
                    raise ConfigError(f"{path}: ignore until {until!r} is not a date such as 2027-03-31") from None
