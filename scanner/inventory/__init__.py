"""The inventory: which version of each product is in use, and where that fact was read."""

from __future__ import annotations

from scanner.inventory.collect import collect_inventory
from scanner.inventory.interface import Inventory, Package
from scanner.inventory.render import render_inventory

__all__ = ["Inventory", "Package", "collect_inventory", "render_inventory"]
