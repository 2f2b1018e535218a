"""Connects the scan to the inventory: the chosen installed version of each matrix product."""

from __future__ import annotations

from typing import Any

from scanner.model import Installed


def inventory_products(options: Any, matrix: Any) -> dict[str, Installed]:
    from scanner.inventory import collect_inventory  # lazily: --no-inventory never pays for it

    products = {pid: p.versions_from for pid, p in matrix.products.items()}
    inv = collect_inventory(options.project_root, products, python=options.python)
    return dict(inv.products)
