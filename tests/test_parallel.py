"""A big-tree scan (prefiltered, over worker processes) reports exactly what a single-process scan reports."""

from __future__ import annotations

from pathlib import Path

import pytest

import scanner.parallel as parallel
from scanner.matrix_sources import load_all
from scanner.options import Options
from scanner.scan import run_scan

CASES = Path(__file__).parent / "matrix_cases"


def _scan(folder: Path) -> tuple[list[tuple[object, ...]], list[object], list[object], int, set[str]]:
    options = Options(paths=(".",), target_all_latest=True, fail_on="never", project_root=str(folder),
                      use_inventory=False)
    result = run_scan(options, load_all(plugins=False), {})
    return ([(f.rule, f.file, f.line, f.status, f.fingerprint, f.suppressed) for f in result.findings],
            list(result.errors), list(result.skipped), result.files_parsed, set(result.texts))


def test_pool_and_single_process_agree(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(CASES)
    single = _scan(CASES)
    monkeypatch.setattr(parallel, "PARALLEL_THRESHOLD", 0)
    monkeypatch.setattr(parallel, "CHUNK", 3)
    pooled = _scan(CASES)
    assert pooled[:3] == single[:3]
    assert single[0], "the corpus should produce findings"
    assert pooled[3] < single[3], "a big tree is prefiltered: fewer files parsed"
    # Workers send back only the texts a fix or a suppression comment needs.
    assert {str(f[1]) for f in single[0]} <= pooled[4] <= single[4]


def test_small_runs_stay_in_one_process() -> None:
    options = Options(jobs=8)
    assert parallel.worker_count(options, parallel.PARALLEL_THRESHOLD - 1) == 1
    assert parallel.worker_count(options, parallel.PARALLEL_THRESHOLD * 10) >= 1
    assert parallel.worker_count(Options(jobs=1), parallel.PARALLEL_THRESHOLD * 10) == 1
