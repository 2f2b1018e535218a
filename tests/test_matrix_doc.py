"""docs/matrix.md is generated from the bundled matrix and must stay in sync with it."""

from __future__ import annotations

import os
from pathlib import Path

from scanner.matrix_sources import load_all
from scanner.matrixdoc import render_matrix_doc

DOC = Path(__file__).parent.parent / "docs" / "matrix.md"


def test_matrix_doc_is_in_sync() -> None:
    text = render_matrix_doc(load_all(plugins=False))
    if os.environ.get("CFGSCAN_REGENERATE") == "1":
        DOC.write_text(text, encoding="utf-8")
    assert DOC.read_text(encoding="utf-8") == text, "run CFGSCAN_REGENERATE=1 python -m pytest tests/test_matrix_doc.py"
