"""Shared test helpers: run the CLI in-process and write small fixture trees."""

from __future__ import annotations

import json
import textwrap
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from scanner.cli import main

ACME = Path(__file__).parent / "fixtures" / "acme"
ACME_MATRIX = ACME / "acme-matrix.yaml"


class Run:
    def __init__(self, code: int, out: str, err: str) -> None:
        self.code, self.out, self.err = code, out, err

    def json(self) -> Any:
        return json.loads(self.out)


@pytest.fixture
def cli(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> Callable[..., Run]:
    monkeypatch.delenv("VIRTUAL_ENV", raising=False)

    def run(*args: str, cwd: Path | None = None) -> Run:
        if cwd is not None:
            monkeypatch.chdir(cwd)
        code = main(list(args))
        captured = capsys.readouterr()
        return Run(code, captured.out, captured.err)

    return run


def write_tree(root: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text).lstrip("\n") if not text.startswith("\x00") else text, encoding="utf-8")
    return root


@pytest.fixture(autouse=True)
def _private_matrix_cache(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    """Tests never write to the user's cache folder."""
    monkeypatch.setenv("CFGSCAN_CACHE_DIR", str(tmp_path_factory.getbasetemp() / "cfgscan-cache"))
