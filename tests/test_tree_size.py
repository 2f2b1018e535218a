"""The gate's verdict never depends on how many files the tree holds: a syntax error fails it either side of
the big-tree threshold (where the prefilter starts skipping the parse of files no rule could match)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

import scanner.parallel as parallel
from scanner.matrix_sources import load_all
from scanner.options import Options
from scanner.scan import run_scan
from tests.conftest import Run, write_tree

MANIFEST = "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web-{i}\nspec:\n  replicas: 2\n"
BROKEN = {
    "deploy/broken.yaml": "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: [web\n  labels: {}\n",
    "pyproject.toml": '[tool.ruff]\nline-length = 100\nselect = \n',
    "tox.ini": "[tox]\nenvlist = py311\nthis line is no option\n",
    "tsconfig.json": '{"compilerOptions": {"strict": tru}}\n',
    "shop/settings.py": 'INSTALLED_APPS = ["django.contrib.admin"\nSECRET_KEY = "x"\n',
}
FLAGS = ("--no-inventory", "--target", "latest", "--format", "json")


def tree(root: Path, manifests: int) -> Path:
    write_tree(root, {f"deploy/m{i:04d}.yaml": MANIFEST.format(i=i) for i in range(manifests)})
    return write_tree(root, BROKEN)


@pytest.mark.parametrize("manifests", [50, 2_100])
def test_a_syntax_error_fails_the_gate_at_any_size(cli: Callable[..., Run], tmp_path: Path, manifests: int) -> None:
    run = cli("scan", ".", *FLAGS, cwd=tree(tmp_path, manifests))
    assert run.code == 1
    doc = run.json()
    assert {(e["file"], e["line"]) for e in doc["errors"]} >= {
        ("deploy/broken.yaml", 5), ("pyproject.toml", 3), ("tox.ini", 3), ("tsconfig.json", 1),
        ("shop/settings.py", 1)}
    assert doc["stats"]["files_checked"] == manifests + len(BROKEN)
    assert f"in {manifests + len(BROKEN):,} config files" in run.err


def test_the_errors_are_the_same_either_side_of_the_threshold(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The same tree scanned as a small one (every file parsed) and as a big one (prefiltered, pooled)."""
    monkeypatch.chdir(tree(tmp_path, 60))
    options = Options(paths=(".",), target_all_latest=True, use_inventory=False)
    matrix = load_all(plugins=False)
    small = run_scan(options, matrix, {})
    monkeypatch.setattr(parallel, "PARALLEL_THRESHOLD", 10)
    monkeypatch.setattr(parallel, "CHUNK", 7)
    big = run_scan(options, matrix, {})
    assert small.errors and big.errors == small.errors
    assert (big.files_checked, small.files_checked) == (60 + len(BROKEN), 60 + len(BROKEN))
    assert big.files_parsed < small.files_parsed == small.files_checked


def test_the_summary_says_how_many_files_were_parsed_for_rules(cli: Callable[..., Run], tmp_path: Path,
                                                                monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(parallel, "PARALLEL_THRESHOLD", 10)
    write_tree(tmp_path, {f"deploy/m{i:04d}.yaml": MANIFEST.format(i=i) for i in range(20)})
    write_tree(tmp_path, {"deploy/old.yaml": "apiVersion: extensions/v1beta1\nkind: Deployment\n"})
    run = cli("scan", ".", "--no-inventory", "--target", "latest", cwd=tmp_path)
    assert run.code == 1
    assert "1 finding (1 breaking) in 21 config files checked, 1 parsed for rules (" in run.err
