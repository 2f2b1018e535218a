"""A fix that would leave a file its own format's reader rejects is not applied, but reported for manual fixing."""

from __future__ import annotations

import ast
from collections.abc import Callable
from pathlib import Path

from scanner.fixers.verify import broken_by_fix
from tests.conftest import Run

ONLY_STATEMENT = 'from flask import Flask\n\nclass Config:\n    LOGGER_NAME = "x"\n\n\nDEBUG = True\n'


def test_deleting_the_only_statement_of_a_class_is_refused(cli: Callable[..., Run], tmp_path: Path) -> None:
    path = tmp_path / "config.py"
    path.write_text(ONLY_STATEMENT, encoding="utf-8")
    run = cli("fix", ".", "--no-inventory", "--installed", "flask=1.0", cwd=tmp_path)
    ast.parse(path.read_text(encoding="utf-8"))
    assert path.read_text(encoding="utf-8") == ONLY_STATEMENT
    assert "config.py: not fixed (fix by hand): the fixed file would no longer parse" in run.err


def test_each_reader_judges_only_files_that_parsed_before() -> None:
    assert broken_by_fix("a.toml", "[a]\nx = 1\n", "[a]\nx = \n") is not None
    assert broken_by_fix("a.json", '{"a": 1}', '{"a": }') is not None
    assert broken_by_fix("a.yaml", "a: 1\n", "a: [\n") is not None
    assert broken_by_fix("a.cfg", "[s]\na = 1\n", "a = 1\n") is not None
    assert broken_by_fix("a.json", '{"a": 1,}', '{"a": }') is None  # JSONC: the reader cannot judge it
    assert broken_by_fix("a.py", "x = 1\n", "y = 2\n") is None
