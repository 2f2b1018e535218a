"""The inventory as a report: an aligned text table or JSON (schema 1), optionally with every package."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from scanner.inventory.interface import Inventory, Package

COLUMNS = ("product", "version", "kind", "source", "latest")


def render_inventory(inv: Inventory, latest: Mapping[str, str], fmt: str, show_all: bool) -> str:
    rows = inventory_rows(inv, latest, show_all)
    if fmt == "json":
        import json  # the text table, the usual report, needs none

        doc = {"version": 1, "inventory": rows,
               "errors": [{"file": file, "message": message} for file, message in inv.errors]}
        return json.dumps(doc, indent=2) + "\n"
    return _text(rows, inv.errors)


def inventory_rows(inv: Inventory, latest: Mapping[str, str], show_all: bool) -> list[dict[str, Any]]:
    """Products first (in the order given), then with ``show_all`` each other package, once per name."""
    rows = [_row(product, i.version, i.kind, i.source, latest.get(product), i.others)
            for product, i in inv.products.items()]
    if not show_all:
        return rows
    groups: dict[tuple[str, str], list[Package]] = {}
    for package in inv.packages:
        if (package.ecosystem, package.name) not in inv.claimed:
            groups.setdefault((package.ecosystem, package.name), []).append(package)
    for (ecosystem, name), found in groups.items():
        best = found[0]
        others = tuple(dict.fromkeys((p.version, p.source) for p in found[1:]))
        rows.append(_row(name, best.version, best.kind, best.source, latest.get(name), others)
                    | {"ecosystem": ecosystem})
    return rows


def _row(product: str, version: str, kind: str, source: str, latest: str | None,
         others: tuple[tuple[str, str], ...]) -> dict[str, Any]:
    return {"product": product, "version": version, "kind": kind, "source": source, "latest": latest,
            "others": [{"version": v, "source": s} for v, s in others]}


def _text(rows: list[dict[str, Any]], errors: list[tuple[str, str]]) -> str:
    if not rows:
        lines = ["No versions found (give --python PATH or --installed PRODUCT=VERSION)."]
    else:
        table = [[c.upper() for c in COLUMNS]] + [[str(r[c] or "-") for c in COLUMNS] for r in rows]
        widths = [max(len(t[i]) for t in table) for i in range(len(COLUMNS) - 1)]
        lines = []
        for cells, row in zip(table, [{}, *rows], strict=True):
            padded = [c.ljust(w) for c, w in zip(cells, widths, strict=False)]
            lines.append("  ".join([*padded, cells[-1]]))
            disagree = [o for o in row.get("others", []) if o["version"] != row["version"]]
            if disagree:
                lines.append("    also: " + "; ".join(f"{o['version']} from {o['source']}" for o in disagree))
    lines.extend(f"error: {file}: {message}" for file, message in errors)
    return "\n".join(lines) + "\n"
