"""The inventory's data types: a package found by a source, what one source returns, and the result."""

from __future__ import annotations

import os
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache

from scanner.model import Installed

EXACT = "exact"
LOWER_BOUND = "lower-bound"
_SEPARATORS = re.compile(r"[-_.]+")


def canonical_name(name: str) -> str:
    """A distribution name normalised as PEP 503 says (importing packaging.utils would pull in packaging.tags,
    a cost every pre-commit run would pay)."""
    return _SEPARATORS.sub("-", name).lower()


@dataclass(frozen=True)
class Package:
    """One package or runtime version found, with where it was written and how sure it is."""

    name: str  # canonical name (pypi canonicalized; npm as is; "python"/"node" runtimes)
    ecosystem: str  # "pypi" | "npm" | "runtime" | "docker"
    version: str
    kind: str  # exact | lower-bound | assumed
    source: str  # "poetry.lock:13", ".python-version:1", "/path/venv (environment)", "--python /x/bin/python"


@dataclass
class Inventory:
    """The chosen version of each matrix product, every package found, and the sources that failed."""

    products: dict[str, Installed]
    packages: list[Package]  # highest precedence first
    errors: list[tuple[str, str]]
    claimed: set[tuple[str, str]] = field(default_factory=set)  # (ecosystem, name) read as a product


@dataclass
class Found:
    """What one source returns: packages in its own precedence order, and (file, message) errors."""

    packages: list[Package] = field(default_factory=list)
    errors: list[tuple[str, str]] = field(default_factory=list)

    def extend(self, other: Found) -> None:
        self.packages.extend(other.packages)
        self.errors.extend(other.errors)


@dataclass(frozen=True)
class Context:
    """What every source needs: the project root, the --python option, and how to display a path."""

    root: str
    cwd: str
    python: str | None = None

    def path(self, name: str) -> str:
        """A file at the project root."""
        return os.path.join(self.root, name)

    def display(self, path: str | os.PathLike[str]) -> str:
        """A path relative to the current directory with '/' separators, or absolute when outside it."""
        return _display(os.fspath(path), self.cwd)

    def where(self, path: str | os.PathLike[str], line: int | None) -> str:
        """The source text of a file position: ``poetry.lock:13`` (no line when it is not known)."""
        shown = self.display(path)
        return f"{shown}:{line}" if line else shown


Source = Callable[[Context], Found]


@lru_cache(maxsize=4096)
def _display(path: str, cwd: str) -> str:
    full = os.path.abspath(path)
    try:
        rel = os.path.relpath(full, cwd)
    except ValueError:
        return full.replace(os.sep, "/")
    if rel == os.pardir or rel.startswith(os.pardir + os.sep):
        return full.replace(os.sep, "/")
    return rel.replace(os.sep, "/")


def first_of_each(packages: list[Package]) -> list[Package]:
    """One file may name a package version twice (peer variants, patches): keep the first mention."""
    seen: set[tuple[str, str, str]] = set()
    kept = []
    for p in packages:
        key = (p.ecosystem, p.name, p.version)
        if key not in seen:
            seen.add(key)
            kept.append(p)
    return kept

