"""Collecting the inventory: every source in precedence order, then each product's version chosen."""

from __future__ import annotations

import datetime
import os
from collections.abc import Mapping
from pathlib import Path

from scanner.inventory.dockerfile import parse_image, read_dockerfiles
from scanner.inventory.environment import read_environment
from scanner.inventory.interface import Context, Found, Inventory, Package, Source, canonical_name
from scanner.inventory.interpreter import read_interpreter
from scanner.inventory.json_locks import read_json_locks
from scanner.inventory.package_json import read_package_json
from scanner.inventory.pnpm_lock import read_pnpm_lock
from scanner.inventory.pyproject import read_pyproject
from scanner.inventory.requirements import read_requirements
from scanner.inventory.runtimes import read_runtimes
from scanner.inventory.specifiers import LOWER_BOUND
from scanner.inventory.toml_locks import read_toml_locks
from scanner.inventory.yarn_lock import read_yarn_lock
from scanner.model import Installed

ENVIRONMENT, LOCK, PIN, BOUND, RUNTIME_PIN, RUNTIME_BOUND = range(6)
ALWAYS_INVENTORIED = ("python", "node")  # runtimes shown whenever a source names them


def _environment(ctx: Context) -> Found:
    return read_interpreter(ctx) if ctx.python else read_environment(ctx)


# Precedence, highest first: the environment (--python, $VIRTUAL_ENV, .venv), lock files, exact pins,
# lower bounds, runtime pins (.python-version, .tool-versions, runtime.txt, Dockerfile), runtime lower
# bounds (requires-python, engines.node). The first candidate wins; the others are kept on the product.
SOURCES: tuple[tuple[int, Source], ...] = (
    (ENVIRONMENT, _environment),
    (LOCK, read_toml_locks),
    (LOCK, read_json_locks),
    (LOCK, read_pnpm_lock),
    (LOCK, read_yarn_lock),
    (PIN, read_requirements),
    (PIN, read_pyproject),
    (PIN, read_package_json),
    (RUNTIME_PIN, read_runtimes),
    (RUNTIME_PIN, read_dockerfiles),
)


def collect_inventory(root: str, products: Mapping[str, Mapping[str, object]], python: str | None = None,
                      cwd: str | None = None) -> Inventory:
    """root: project root folder; products: product id -> its versions_from mapping; python: --python;
    cwd: for display of source paths (relative to cwd with '/'; default os.getcwd())."""
    ctx = Context(Path(root), os.path.abspath(cwd or os.getcwd()), python)
    ranked: list[tuple[int, Package]] = []
    errors: list[tuple[str, str]] = []
    for category, source in SOURCES:
        try:
            found = source(ctx)
        except Exception as exc:  # a source's bad day is a report entry, never a traceback
            name = source.__module__.rsplit(".", 1)[-1]
            errors.append((ctx.display(root), f"{name}: {type(exc).__name__}: {exc}"))
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
        return Installed(product, datetime.date.today().strftime("%Y.%m.%d"), "today's date", "assumed")
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
    parsed = parse_image(f"{name}:0")
    return parsed[0] if parsed else name
