"""`cfgscan matrix check` reports fixes whose result another rule flags and no fix takes further: an error
for the bundled matrix where the rule is removed, a warning for other matrices, a note at other versions."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

from scanner.fixers.chaincheck import check_fix_chains, render_reports
from scanner.matrix import Matrix, merge_matrices, read_matrix_file
from tests.conftest import Run

CHAINS = Path(__file__).parent / "fixers" / "chainmatrix.yaml"

# WR001's fix gives a value that WR002 flags from the release that removes WR001, and WR002 has no fix;
# WR003 sets a value that WR003 itself still matches.
WRONG = """schema: 1
product: wr
title: W
releases: [{version: "1.0"}, {version: "2.0"}]
files: {f: {format: yaml, include: ["**/wr.yaml"]}}
rules:
  - id: WR001
    file: f
    key: api
    value: v1
    removed: "2.0"
    message: v1 is gone
    fix: {action: set-value, to: v2}
    source: https://example.invalid/
  - {id: WR002, file: f, key: api, value: v2, removed: "2.0", message: v2 is gone, source: https://example.invalid/}
  - {id: WR003, file: f, key: mode, value_regex: "^old", deprecated: "1.0", message: m,
     fix: {action: set-value, to: older}, source: https://example.invalid/}
"""


def load(label: str, text: str) -> Matrix:
    return merge_matrices([(read_matrix_file(label, text), "cli")])


def test_a_user_matrix_gets_warnings_with_file_and_line(cli: Callable[..., Run], tmp_path: Path) -> None:
    path = tmp_path / "wr.yaml"
    path.write_text(WRONG)
    run = cli("matrix", "check", str(path))
    assert run.code == 0
    assert (f"{path}:13: rules[0].fix: warning: WR001: at wr 2.0, the fix would set api to v2, which WR002 flags "
            "too (removed in wr 2.0) and has no automatic fix; point the fix at the final replacement, or make it "
            "action: none") in run.out
    assert f"{path}:17: rules[2].fix: warning: WR003: at wr 1.0, the fix leaves WR003 firing" in run.out
    assert run.out.endswith("cfgscan: 1 products, 3 rules: all valid (2 warnings on fix chains)\n")


def test_the_bundled_matrix_gets_errors() -> None:
    reports = check_fix_chains(load("<bundled>/wr.yaml", WRONG))
    assert [(r.rule.id, r.severity) for r in reports] == [("WR001", "error"), ("WR003", "error")]
    lines = render_reports(reports, {"<bundled>/wr.yaml": WRONG})
    assert lines[0].startswith("<bundled>/wr.yaml:13: rules[0].fix: error: WR001: at wr 2.0, the fix would")


def test_chains_that_stop_only_at_other_versions_are_notes_and_resolved_ones_are_silent() -> None:
    reports = check_fix_chains(load(str(CHAINS), CHAINS.read_text()))
    assert {r.rule.id: (r.severity, r.message) for r in reports} == {
        "CH003": ("note", "CH003: at ch 2.0 and later, the fix would set app.mode to v2, which CH004 flags too "
                          "(deprecated in ch 2.0) and has no automatic fix; cfgscan fix leaves it to the user"),
        "CH007": ("note", "CH007: upgrading from ch 1.0 to 2.0, the fix would remove app.gone, and then CH008 "
                          "fires (its default changes in ch 2.0); cfgscan fix leaves it to the user"),
    }  # CH001 (a→b→c), CH005 (a move with a new value), CH009 (a move then a deletion) resolve


def test_bundled_matrix_has_no_chain_error_and_notes_the_psp_fix(cli: Callable[..., Run]) -> None:
    run = cli("matrix", "check")
    assert run.code == 0 and ": error:" not in run.out
    assert re.search(r"^<bundled>/kubernetes\.yaml:\d+: rules\[\d+\]\.fix: note: K8S012: at kubernetes 1\.21 and "
                     r"later, the fix would set apiVersion to policy/v1beta1, which K8S065 flags too", run.out, re.M)
