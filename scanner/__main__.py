"""Entry point for ``python -m scanner``."""

from __future__ import annotations

import sys

from scanner.quickcli import main

if __name__ == "__main__":
    sys.exit(main())
