"""Entry point for ``python -m scanner``."""

from __future__ import annotations

from scanner.quickcli import console

if __name__ == "__main__":
    console()
