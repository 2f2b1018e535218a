"""Collecting the inventory: every source in precedence order, then each product's version chosen."""

from __future__ import annotations

import fnmatch
import importlib
import os
import time
from collections.abc import Mapping

from scanner.inventory import inputs
from scanner.inventory.interface import LOWER_BOUND, Context, Found, Inventory, Package, Source, canonical_name
from scanner.model import Installed

ENVIRONMENT, LOCK, PIN, BOUND, RUNTIME_PIN, RUNTIME_BOUND = range(6)
ALWAYS_INVENTORIED = ("python", "node")  # runtimes shown whenever a source names them


class LazySource:
    """A source whose module is imported only when the project root holds a file it reads: a project with none
    of them (most pre-commit runs) imports none of them, and pnpm_lock alone would import yaml."""

    def __init__(self, module: str, function: str, reads: tuple[str, ...]) -> None:
        self.module, self.function, self.reads = module, function, reads

    def __call__(self, ctx: Context) -> Found:
        found: Found = getattr(importlib.import_module(f"scanner.inventory.{self.module}"), self.function)(ctx)
        return found

    def wanted(self, root: RootFiles) -> bool:
        return any(root.may_hold(pattern) for pattern in self.reads)


class RootFiles:
    """Answers "may the project root hold a file matching this pattern?" with stats and listings made once;
    it may say yes for a file the source then finds absent (case, a folder, an error), never no for one there."""

    def __init__(self, root: str) -> None:
        self.root = root
        self._listings: dict[str, list[str] | None] = {}

    def may_hold(self, pattern: str) -> bool:
        if not any(ch in pattern for ch in "*?["):
            try:
                os.stat(os.path.join(self.root, pattern))
            except FileNotFoundError:
                return False
            except (OSError, ValueError):
                return True  # the source meets (and reports) the same error
            return True
        return self._match(self.root, pattern.lower().split("/"))

    def _match(self, folder: str, parts: list[str]) -> bool:
        names = self._listing(folder)
        if names is None:
            return True
        return any(_glob_match(name.lower(), parts[0])  # case-blind: never misses what a glob finds
                   and (len(parts) == 1 or self._match(os.path.join(folder, name), parts[1:])) for name in names)

    def _listing(self, folder: str) -> list[str] | None:
        if folder not in self._listings:
            try:
                self._listings[folder] = os.listdir(folder)
            except NotADirectoryError:
                self._listings[folder] = []
            except OSError:
                self._listings[folder] = None  # unknown: run the source
        return self._listings[folder]


def _glob_match(name: str, pattern: str) -> bool:
    """fnmatch, without compiling a regex for each pattern when ``*`` is its only wildcard."""
    if "?" in pattern or "[" in pattern:
        return fnmatch.fnmatchcase(name, pattern)
    if "*" not in pattern:
        return name == pattern
    first, *middle, last = pattern.split("*")
    if len(name) < len(first) + len(last) or not name.startswith(first) or not name.endswith(last):
        return False
    pos, end = len(first), len(name) - len(last)
    for part in middle:
        pos = name.find(part, pos, end)
        if pos < 0:
            return False
        pos += len(part)
    return True


def _environment(ctx: Context) -> Found:
    if ctx.python:
        from scanner.inventory.interpreter import read_interpreter

        return read_interpreter(ctx)
    if not os.environ.get("VIRTUAL_ENV") and not any(RootFiles(ctx.root).may_hold(n) for n in inputs.VENV_FOLDERS):
        return Found()
    from scanner.inventory.environment import read_environment

    return read_environment(ctx)


# Precedence, highest first: the environment (--python, $VIRTUAL_ENV, .venv), lock files, exact pins,
# lower bounds, runtime pins (.python-version, .tool-versions, runtime.txt, Dockerfile), runtime lower
# bounds (requires-python, engines.node). The first candidate wins; the others are kept on the product.
SOURCES: tuple[tuple[int, Source], ...] = (
    (ENVIRONMENT, _environment),
    (LOCK, LazySource("toml_locks", "read_toml_locks", inputs.TOML_LOCKS)),
    (LOCK, LazySource("json_locks", "read_json_locks", inputs.JSON_LOCKS)),
    (LOCK, LazySource("pnpm_lock", "read_pnpm_lock", (inputs.PNPM_LOCK,))),
    (LOCK, LazySource("yarn_lock", "read_yarn_lock", (inputs.YARN_LOCK,))),
    (PIN, LazySource("requirements", "read_requirements", inputs.REQUIREMENTS)),
    (PIN, LazySource("pyproject", "read_pyproject", (inputs.PYPROJECT,))),
    (PIN, LazySource("package_json", "read_package_json", (inputs.PACKAGE_JSON,))),
    (RUNTIME_PIN, LazySource("runtimes", "read_runtimes", inputs.RUNTIME_PINS)),
    (RUNTIME_PIN, LazySource("dockerfile", "read_dockerfiles", inputs.DOCKERFILES)),
)


def _name(source: Source) -> str:
    """The source's module, as an error names it."""
    return source.module if isinstance(source, LazySource) else source.__module__.rsplit(".", 1)[-1]


def collect_inventory(root: str, products: Mapping[str, Mapping[str, object]], python: str | None = None,
                      cwd: str | None = None) -> Inventory:
    """root: project root folder; products: product id -> its versions_from mapping; python: --python;
    cwd: for display of source paths (relative to cwd with '/'; default os.getcwd())."""
    ctx = Context(root, os.path.abspath(cwd or os.getcwd()), python)
    files = RootFiles(root)
    ranked: list[tuple[int, Package]] = []
    errors: list[tuple[str, str]] = []
    for category, source in SOURCES:
        if isinstance(source, LazySource) and not source.wanted(files):
            continue
        try:
            found = source(ctx)
        except Exception as exc:  # a source's bad day is a report entry, never a traceback
            errors.append((ctx.display(root), f"{_name(source)}: {type(exc).__name__}: {exc}"))
            continue
        ranked.extend((_rank(category, p), p) for p in found.packages)
        errors.extend(found.errors)
    packages = [p for _, p in sorted(ranked, key=lambda r: r[0])]
    inventory = Inventory({}, packages, errors)
    wanted = dict(products)
    for runtime in ALWAYS_INVENTORIED:
        if runtime not in wanted and not any(_names(vf, "runtime") & {runtime} for vf in products.values()):
            wanted[runtime] = {"runtime": runtime}
    for product, versions_from in wanted.items():
        installed = choose_version(product, versions_from, packages, inventory.claimed)
        if installed:
            inventory.products[product] = installed
    return inventory


def _rank(category: int, package: Package) -> int:
    if category == PIN and package.kind == LOWER_BOUND:
        return RUNTIME_BOUND if package.ecosystem == "runtime" else BOUND
    return category


def choose_version(product: str, versions_from: Mapping[str, object], packages: list[Package],
                   claimed: set[tuple[str, str]]) -> Installed | None:
    """The first (highest-precedence) package the product's ``versions_from`` names, the rest as others."""
    if versions_from.get("calendar") is True:
        return Installed(product, time.strftime("%Y.%m.%d"), "today's date", "assumed")
    wanted: set[tuple[str, str]] = {("pypi", canonical_name(n)) for n in _names(versions_from, "pypi")}
    wanted |= {("npm", n) for n in _names(versions_from, "npm")}
    wanted |= {("runtime", n) for n in _names(versions_from, "runtime")}
    wanted |= {("docker", _image_name(n)) for n in _names(versions_from, "docker")}
    claimed |= wanted
    matches = [p for p in packages if (p.ecosystem, p.name) in wanted]
    if not matches:
        return None
    best = matches[0]
    others = tuple(dict.fromkeys((p.version, p.source) for p in matches[1:] if p != best))
    return Installed(product, best.version, best.source, best.kind, others)


def _names(versions_from: Mapping[str, object], key: str) -> set[str]:
    value = versions_from.get(key)
    values = value if isinstance(value, list) else [value]
    return {v for v in values if isinstance(v, str) and v}


def _image_name(name: str) -> str:
    from scanner.inventory.dockerfile import parse_image  # only for a product with docker images

    parsed = parse_image(f"{name}:0")
    return parsed[0] if parsed else name
