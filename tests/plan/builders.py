"""Small builders for planner tests: products, matrices and findings without matrix files."""

from __future__ import annotations

from packaging.version import Version

from scanner.matrix import Matrix, Product, Release
from scanner.model import Finding

Requires = dict[str, tuple[tuple[str, str], ...]]


def product(pid: str, versions: list[str], step: str = "each", lts: tuple[str, ...] = (),
            stops: tuple[str, ...] = (), requires: Requires | None = None) -> Product:
    releases = [Release(v, Version(v), v in lts, (requires or {}).get(v, ())) for v in versions]
    return Product(id=pid, title=pid.title(), origin="test", source="cli", releases=releases, step=step,
                   stops=stops)


def matrix(*products: Product) -> Matrix:
    return Matrix(products={p.id: p for p in products})


def finding(rule: str, deprecated: str | None = None, removed: str | None = None, *, file: str = "app.yaml",
            key: str = "a.b", value: object = 1, fix: str = "none", safe: bool = True) -> Finding:
    return Finding(
        rule=rule, product="p", severity="breaking", status="breaks-at-target", file=file, line=3, column=1,
        end_line=3, end_column=4, key=key, value=value, message=f"{rule} message", deprecated_in=deprecated,
        removed_in=removed, replacement=None, fix_action=fix, fix_safe=safe, docs=None,
        fingerprint=f"fp-{rule}", installed="1.0", installed_source="--installed", target="3.0")
