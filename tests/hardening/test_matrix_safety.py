"""Matrix regexes: an invalid value_regex is a load error naming the rule (exit 2); a catastrophic one
cannot hang a scan on a long value."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from tests.conftest import Run
from tests.hardening.harness import MATRIX, deadline

RULE = """
  - id: HARD099
    file: yamlconf
    key: server.mode
    value_regex: {regex}
    deprecated: "1.0"
    message: this mode is deprecated.
    source: https://example.invalid/hard
"""


def matrix_with(tmp_path: Path, regex: str) -> list[str]:
    path = tmp_path / "matrix.yaml"
    path.write_text(MATRIX.read_text(encoding="utf-8") + RULE.format(regex=regex), encoding="utf-8")
    return ["--matrix", str(path), "--no-builtin-matrix", "--no-inventory", "--installed", "hard=1.0"]


@pytest.mark.parametrize("regex", ["'('", "'[a-'", "'(?P<x>a)(?P<x>b)'", "'a{2,1}'"])
def test_an_invalid_regex_is_exit_2_naming_the_rule(cli: Callable[..., Run], tmp_path: Path, regex: str) -> None:
    args = matrix_with(tmp_path, regex)
    (tmp_path / "case-a.yaml").write_text("server:\n  mode: x\n", encoding="utf-8")
    run = cli("scan", ".", *args, cwd=tmp_path)
    assert run.code == 2
    assert "Traceback" not in run.err
    assert "value_regex" in run.err and "HARD099" in run.err
    assert "matrix.yaml:" in run.err  # the file (and line) of the problem
    check = cli("matrix", "check", str(tmp_path / "matrix.yaml"))
    assert check.code == 2 and "HARD099" in check.out + check.err


def test_a_valid_regex_matches(cli: Callable[..., Run], tmp_path: Path) -> None:
    args = matrix_with(tmp_path, "'^legacy-'")
    (tmp_path / "case-a.yaml").write_text("server:\n  mode: legacy-x\n", encoding="utf-8")
    run = cli("scan", ".", *args, "--format", "json", cwd=tmp_path)
    assert [(f["rule"], f["line"]) for f in run.json()["findings"]] == [("HARD099", 2)]


def test_a_catastrophic_regex_cannot_hang_the_scan(cli: Callable[..., Run], tmp_path: Path) -> None:
    args = matrix_with(tmp_path, "'(a+)+$'")
    (tmp_path / "case-a.yaml").write_text("server:\n  mode: " + "a" * 40 + "b\n", encoding="utf-8")
    with deadline(3):
        run = cli("scan", ".", *args, "--format", "json", cwd=tmp_path)
    # either refused at load, naming the rule, or matched (or not) in bounded time
    assert (run.code == 2 and "HARD099" in run.err) or run.code in (0, 1)


def test_a_long_value_is_matched_in_bounded_time(cli: Callable[..., Run], tmp_path: Path) -> None:
    args = matrix_with(tmp_path, "'(x|y)*z'")  # quadratic on a long run without z, bounded by truncation
    (tmp_path / "case-a.yaml").write_text("server:\n  mode: " + "x" * 200_000 + "\n", encoding="utf-8")
    with deadline(10):
        run = cli("scan", ".", *args, "--format", "json", cwd=tmp_path)
    assert run.code == 0 and run.json()["findings"] == []
