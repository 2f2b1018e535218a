"""Entry point for ``python -m scanner``."""

from __future__ import annotations

import os
import sys


def _forget_working_folder() -> None:
    """``python -m`` puts the working folder first on sys.path, and the working folder is often the repository
    being scanned: a ``*.dist-info`` folder in it would pass for an installed plugin, and its entry point would be
    imported. The ``scanner`` package itself is already imported, so nothing of cfgscan is lost."""
    if getattr(sys.flags, "safe_path", False) or not sys.path:  # python -P (3.11, or PYTHONSAFEPATH): nothing added
        return
    first = sys.path[0]
    try:
        here = first in ("", ".") or os.path.samefile(first, os.getcwd())
    except OSError:
        here = False
    if here:
        del sys.path[0]


if __name__ == "__main__":
    _forget_working_folder()
    from scanner.quickcli import console

    console()
