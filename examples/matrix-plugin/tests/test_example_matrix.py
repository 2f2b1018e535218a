"""The example matrix package: valid, declared as a cfgscan.matrix entry point, and every rule fires on its cases.

Run from this folder with ``pytest`` after ``pip install -e '.[test]'`` (or with this folder on PYTHONPATH).
"""

from __future__ import annotations

import sys
from importlib import metadata, resources
from pathlib import Path
from typing import Any

import pytest
import yaml

from scanner.cli import main
from scanner.matrix import Matrix
from scanner.matrix_sources import ENTRY_POINT_GROUP, load_all
from scanner.options import Options
from scanner.scan import run_scan

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

ROOT = Path(__file__).resolve().parent.parent
CASES = Path(__file__).resolve().parent / "cases"
PACKAGE = "cfgscan_matrix_example"


def matrix_files() -> list[Path]:
    folder = resources.files(PACKAGE)
    return sorted(Path(str(f)) for f in folder.iterdir() if f.name.endswith(".yaml"))


@pytest.fixture(scope="module")
def matrix() -> Matrix:
    # Only this package's files: the bundled matrices are not needed for a new product.
    return load_all(cli_paths=matrix_files(), builtin=False, plugins=False)


def test_matrix_check_passes(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["matrix", "check", *map(str, matrix_files())]) == 0
    assert "all valid" in capsys.readouterr().out


def test_the_entry_point_names_this_package() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    assert project["project"]["entry-points"][ENTRY_POINT_GROUP] == {"widgetlib": PACKAGE}


def test_cfgscan_finds_the_package_when_installed() -> None:
    if not any(ep.value == PACKAGE for ep in metadata.entry_points(group=ENTRY_POINT_GROUP)):
        pytest.skip("the example package is not installed (pip install -e .)")
    product = load_all(builtin=False).products["widgetlib"]
    assert product.source == "plugin:widgetlib"
    assert [r.id for r in product.rules] == ["WL001", "WL002", "WL003", "WL004", "WL005"]


def test_every_rule_is_sourced(matrix: Matrix) -> None:
    for rule in matrix.rules.values():
        assert rule.source.startswith("https://"), rule.id


def _cases() -> list[dict[str, Any]]:
    return list(yaml.safe_load((CASES / "case.yaml").read_text(encoding="utf-8"))["cases"])


@pytest.mark.parametrize("case", _cases(), ids=lambda c: f"{c['dir']}-{c.get('installed')}-{c.get('target')}")
def test_case(matrix: Matrix, case: dict[str, Any], monkeypatch: pytest.MonkeyPatch) -> None:
    folder = CASES / case["dir"]
    monkeypatch.chdir(folder)
    options = Options(paths=(".",), installed=tuple(case.get("installed", {}).items()),
                      targets=tuple(case.get("target", {}).items()), fail_on="never",
                      project_root=str(folder), use_inventory=False)
    result = run_scan(options, matrix, {})
    assert not result.errors
    got = sorted(f"{f.rule} {f.file}:{f.line} {f.status}" for f in result.findings)
    assert got == sorted(case["expect"])


def test_every_rule_fires_in_some_case(matrix: Matrix) -> None:
    fired = {line.split()[0] for case in _cases() for line in case["expect"]}
    assert fired == set(matrix.rules)
