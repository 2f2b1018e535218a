"""A scan of the acme fixture with every kind of result a reporter must render."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from scanner.options import IgnoreEntry, Options
from scanner.scan import ScanResult, run_scan
from tests.conftest import ACME, ACME_MATRIX, write_tree

INLINE = "# cfgscan: ignore[ACME004] moving to [database] in Q3\n"
BROKEN = (ACME / "broken" / "acme.yaml").read_text()

Scan = Callable[..., ScanResult]


@pytest.fixture
def scan(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Scan:
    """Scan a copy of the acme repo (plus extra files) at acme 2.5 -> 3.0, from the repo's root."""

    def run(files: dict[str, str] | None = None, **overrides: Any) -> ScanResult:
        root = tmp_path / "repo"
        if not root.exists():
            shutil.copytree(ACME / "repo", root)
        write_tree(root, files or {})
        monkeypatch.chdir(root)
        settings: dict[str, Any] = {
            "paths": (".",), "installed": (("acme", "2.5"),), "targets": (("acme", "3.0"),),
            "matrix_paths": (str(ACME_MATRIX),), "builtin_matrix": False, "plugin_matrix": False,
            "project_root": str(root), "use_inventory": False, **overrides}
        return run_scan(Options(**settings))

    return run


@pytest.fixture
def full(scan: Scan) -> ScanResult:
    """Seven findings, ACME004 suppressed inline, ACME005 in tool config, and one parse error."""
    ini = (ACME / "repo" / "acme.ini").read_text().replace("# sql_conn = in a comment\n", INLINE)
    return scan({"acme.ini": ini, "broken/acme.yaml": BROKEN},
                ignores=(IgnoreEntry("ACME005", reason="tsconfig is generated"),))
