"""TOML fixes the bundled rules need: dropping an item from an array (ruff rule codes that were removed) and
moving a key to the top level (Poetry 2's system-git-client), each edit exactly the intended one."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from tests.conftest import Run

ARGS = ["--no-inventory", "--installed", "ruff=0.8", "--installed", "poetry=2.0"]

ARRAYS = [
    ('select = ["E", "ANN101", "F"]\n', 'select = ["E", "F"]\n'),
    ('select = ["ANN101", "F"]\n', 'select = ["F"]\n'),
    ('select = ["E", "ANN101"]  # mine\n', 'select = ["E"]  # mine\n'),
    ('select = ["ANN101"]\n', "select = []\n"),
    ('select = ["ANN101", "ANN102", "E"]\n', 'select = ["E"]\n'),
    ('extend-select = [\n  "UP",\n  "ANN102",  # old\n  "E999",\n]\n', 'extend-select = [\n  "UP",\n]\n'),
    ('extend-select = [\n  "UP",\n  "E999"\n]\n', 'extend-select = [\n  "UP"\n]\n'),
]


@pytest.mark.parametrize(("before", "after"), ARRAYS)
def test_a_removed_rule_code_is_dropped_from_its_array(
        cli: Callable[..., Run], tmp_path: Path, before: str, after: str) -> None:
    path = tmp_path / "pyproject.toml"
    path.write_text(f"[tool.ruff.lint]\n{before}ignore = [\"ANN101\"]\n")
    run = cli("fix", ".", *ARGS, cwd=tmp_path)
    assert path.read_text() == f"[tool.ruff.lint]\n{after}ignore = [\"ANN101\"]\n", run.err
    assert "0 not fixed" in run.err
    assert cli("scan", ".", *ARGS, cwd=tmp_path).code == 0


def test_a_key_moves_to_the_top_level_before_the_first_table(cli: Callable[..., Run], tmp_path: Path) -> None:
    """What `poetry config --local --migrate` of Poetry 2.0.0 does, the emptied table aside."""
    path = tmp_path / "poetry.toml"
    path.write_text("# local\n[virtualenvs]\nin-project = true\n\n[experimental]\nsystem-git-client = true  # c\n")
    run = cli("fix", ".", *ARGS, cwd=tmp_path)
    assert path.read_text() == ("# local\nsystem-git-client = true  # c\n[virtualenvs]\nin-project = true\n\n"
                                "[experimental]\n"), run.err
    assert cli("scan", ".", *ARGS, cwd=tmp_path).code == 0
