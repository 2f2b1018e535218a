"""Every bundled fix, on its rule's example file (the one `cfgscan explain` shows), scanned, fixed and scanned
again in-process: at the rule's removal the fix applies and leaves no finding the file did not have and none
of its own rule; at other versions it does that too, or it is left to the user with the reason `cfgscan matrix
check` gives for it, and the file keeps its finding. Rules whose example cannot be made are listed, not skipped."""

from __future__ import annotations

from collections import Counter
from functools import cache
from pathlib import Path

import pytest

from scanner.browse import example_snippet
from scanner.fixers.chaincheck import check_fix_chains
from scanner.fixers.run import plan_fixes
from scanner.matrix import FileSpec, Matrix, Rule, merge_matrices, read_matrix_file
from scanner.matrix_sources import bundled_files
from scanner.options import Options
from scanner.scan import run_scan

COMMENT = {"yaml": "# ", "toml": "# ", "ini": "# ", "python": "# ", "dotenv": "# ", "javascript": "// ",
           "jsonc": "// "}

# Rules whose example file cannot be generated, with the reason; kept small, each checked to still fail.
EXCLUDED: dict[str, str] = {}


class Unexampled(Exception):
    """The rule's example cannot be written as a file its spec claims."""


@cache
def bundled() -> Matrix:
    """The bundled matrix, built without the cache (nothing is written outside the test's folders)."""
    return merge_matrices([(read_matrix_file(label, text), "bundled") for label, text in bundled_files()])


@cache
def left_to_user() -> frozenset[str]:
    """The rules matrix check reports: their fix's chain stops at some versions."""
    return frozenset(report.rule.id for report in check_fix_chains(bundled()))


def fixable() -> list[str]:
    return sorted(r.id for r in bundled().rules.values() if r.fix_action != "none" and r.kind != "default-changed")


def example_file(rule: Rule, spec: FileSpec) -> tuple[str, str]:
    """A path the spec claims and the rule's example text, with a claiming marker in a comment if needed."""
    text = example_snippet(rule, spec.format)
    if spec.contains and not any(marker in text for marker in spec.contains):
        if spec.format not in COMMENT:
            raise Unexampled(f"a {spec.format} file has no comment to carry the marker {spec.contains[0]!r}")
        text = f"{COMMENT[spec.format]}{spec.contains[0]}\n{text}"
    name = spec.include[0].removeprefix("**/").replace("**/", "").replace("*", "example").replace("?", "x")
    if "{" in name or "[" in name:
        raise Unexampled(f"the pattern {spec.include[0]!r} names no single file")
    return name, text


def scan_fix_rescan(tmp: Path, rule: Rule, name: str, text: str, installed: str, target: str
                    ) -> tuple[Counter[str], Counter[str], list[str], str]:
    """Rule ids found before and after `cfgscan fix --unsafe-fixes`, the refusals of the rule, the new text."""
    path = tmp / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    options = Options(paths=(str(tmp),), installed=((rule.product, installed),), targets=((rule.product, target),),
                      use_inventory=False, plugin_matrix=False, project_root=str(tmp))
    result = run_scan(options, bundled(), {})
    before = Counter(f.rule for f in result.findings)
    refused: list[str] = []
    for display, outcome in plan_fixes(result, unsafe=True):
        Path(result.paths[display]).write_text(outcome.text, encoding="utf-8")
        refused += [why for r, _, _, why in outcome.refused if r.id == rule.id]
    after = Counter(f.rule for f in run_scan(options, bundled(), {}).findings)
    return before, after, refused, path.read_text(encoding="utf-8")


@pytest.mark.parametrize("rid", fixable())
def test_a_bundled_fix_trades_no_finding(rid: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    matrix = bundled()
    rule = matrix.rules[rid]
    product = matrix.products[rule.product]
    if rid in EXCLUDED:
        with pytest.raises(Unexampled):
            example_file(rule, product.files[rule.file])
        return
    name, text = example_file(rule, product.files[rule.file])
    monkeypatch.chdir(tmp_path)
    due = str(rule.removed or rule.deprecated)
    oldest, latest = product.releases[0].version, product.releases[-1].version
    for installed, target in dict.fromkeys([(due, due), (oldest, due), (oldest, latest), (latest, latest)]):
        where = f"{rid} at {rule.product} {installed} -> {target}, {name}:\n{text}"
        before, after, refused, fixed = scan_fix_rescan(tmp_path, rule, name, text, installed, target)
        assert before[rid], f"the example does not fire {where}"
        assert not after - before, f"the fix traded for {sorted(after - before)}: {where}{fixed}"
        if (installed, target) == (due, due) or rid not in left_to_user():
            assert not after[rid], f"not fixed ({refused}): {where}"
        elif after[rid]:  # the chain stops here: left to the user, with the reason, the file unchanged
            assert fixed == text and refused and "cfgscan explain" in refused[0], (where, refused)


def test_every_bundled_fix_is_tried_or_listed_with_a_reason() -> None:
    rules = fixable()
    assert len(EXCLUDED) <= 5 and set(EXCLUDED) <= set(rules) and all(EXCLUDED.values())
    tried = [rid for rid in rules if rid not in EXCLUDED]
    assert len(tried) + len(EXCLUDED) == len(rules) > 300
