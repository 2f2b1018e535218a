"""The project's Python environment, read without running anything: $VIRTUAL_ENV or a .venv/venv folder."""

from __future__ import annotations

import os
import re
import sys
from pathlib import Path

from scanner.inventory.inputs import VENV_FOLDERS
from scanner.inventory.interface import EXACT, Context, Found, Package, canonical_name

_DIST_DIR = re.compile(r"^(?P<name>[^-]+?)(?:-(?P<version>[^-]+?))?(?:-py[\w.]+)?\.(?:dist|egg)-info$")
_HEADER_LIMIT = 200  # header lines read at most; the long description follows the first blank line


def read_environment(ctx: Context) -> Found:
    """$VIRTUAL_ENV (unless it is cfgscan's own environment), else a .venv or venv at the project root."""
    for env in _candidates(Path(ctx.root)):
        if (env / "pyvenv.cfg").is_file() or list(site_packages(env)):
            return read_site_packages(env, f"{ctx.display(env)} (environment)")
    return Found()


# Distributions come from ``*.dist-info/METADATA`` and ``*.egg-info/PKG-INFO`` headers in site-packages.
# The --python interpreter is asked instead (see ``interpreter.py``); cfgscan's own environment
# (``sys.prefix``, e.g. pre-commit's hook environment, which pre-commit exports as $VIRTUAL_ENV) is never
# taken for the project's.
def _candidates(root: Path) -> list[Path]:
    found = []
    virtual_env = os.environ.get("VIRTUAL_ENV")
    if virtual_env and not _same_path(virtual_env, sys.prefix):
        found.append(Path(virtual_env))
    found.extend(root / name for name in VENV_FOLDERS)
    return [p for p in found if p.is_dir()]


def _same_path(a: str, b: str) -> bool:
    try:
        return os.path.samefile(a, b)
    except OSError:
        return os.path.realpath(a) == os.path.realpath(b)


def site_packages(env: Path) -> list[Path]:
    """The site-packages folders of an environment (POSIX ``lib/python3.X``, Windows ``Lib``)."""
    folders = [*env.glob("lib/python*/site-packages"), env / "Lib" / "site-packages"]
    return sorted(p for p in folders if p.is_dir())


def read_site_packages(env: Path, source: str) -> Found:
    """Every distribution installed in the environment, in name order."""
    found = Found()
    seen: set[str] = set()
    for folder in site_packages(env):
        try:
            entries = sorted(os.scandir(folder), key=lambda e: e.name)
        except OSError as exc:
            found.errors.append((source, f"cannot list {folder}: {exc.strerror or exc}"))
            continue
        for entry in entries:
            dist = _distribution(entry)
            if dist and dist[0] not in seen:
                seen.add(dist[0])
                found.packages.append(Package(dist[0], "pypi", dist[1], EXACT, source))
    found.packages.sort(key=lambda p: p.name)
    return found


def _distribution(entry: os.DirEntry[str]) -> tuple[str, str] | None:
    """(canonical name, version) from a metadata folder or file; its name is the fallback."""
    m = _DIST_DIR.match(entry.name)
    if not m:
        return None
    if entry.name.endswith(".dist-info"):
        meta = os.path.join(entry.path, "METADATA")
    elif entry.is_dir():
        meta = os.path.join(entry.path, "PKG-INFO")
    else:
        meta = entry.path  # an egg-info file holds the PKG-INFO text itself
    headers = _headers(meta)
    name = headers.get("name") or m.group("name")
    version = headers.get("version") or m.group("version")
    return (canonical_name(name), version) if version else None


def _headers(path: str) -> dict[str, str]:
    headers: dict[str, str] = {}
    try:
        with open(path, encoding="utf-8", errors="replace") as f:
            for _, line in zip(range(_HEADER_LIMIT), f, strict=False):
                if not line.strip():
                    break
                key, sep, value = line.partition(":")
                if sep and key.lower() in ("name", "version"):
                    headers.setdefault(key.lower(), value.strip())
                if len(headers) == 2:
                    break
    except OSError:
        pass
    return headers
