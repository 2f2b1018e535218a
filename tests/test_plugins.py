"""Matrix sources end to end: installed packages (entry points), [tool.cfgscan] matrix, --matrix, and conflicts.

Installed packages are faked with a ``*.dist-info`` folder on ``sys.path`` (importlib.metadata reads its
``entry_points.txt``), so nothing is installed; the example package in examples/matrix-plugin is tested
the same way, and its own tests are run as a separate pytest process.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

import scanner
from scanner.errors import MatrixError
from scanner.matrix_sources import ENTRY_POINT_GROUP, load_all
from tests.conftest import ACME, ACME_MATRIX, Run, write_tree

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

EXAMPLE = Path(__file__).resolve().parent.parent / "examples" / "matrix-plugin"
SCAN = ["--installed", "acme=2.5", "--target", "acme=3.0", "--format", "json", "--fail-on", "never", "--no-inventory"]
ACME_TEXT = ACME_MATRIX.read_text(encoding="utf-8")
EXTRA_RULE = """\
schema: 1
product: acme
rules:
  - {id: ACMEX01, file: yamlconf, key: server.colour, deprecated: "2.0", message: house rule,
     source: https://example.invalid/house}
"""

Installer = Callable[..., Path]


def fake_dist(site: Path, name: str, entry_points: dict[str, str], files: dict[str, str]) -> None:
    """Write an importable package tree and a dist-info declaring ``cfgscan.matrix`` entry points."""
    write_tree(site, files)
    dist = site / f"{name.replace('-', '_')}-1.0.dist-info"
    dist.mkdir(parents=True)
    (dist / "METADATA").write_text(f"Metadata-Version: 2.1\nName: {name}\nVersion: 1.0\n", encoding="utf-8")
    eps = "".join(f"{k} = {v}\n" for k, v in entry_points.items())
    (dist / "entry_points.txt").write_text(f"[{ENTRY_POINT_GROUP}]\n{eps}", encoding="utf-8")


@pytest.fixture
def install(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Installer]:
    """Fake-install packages into a site folder on sys.path; forget their modules afterwards."""
    site = tmp_path / "site"
    site.mkdir()
    monkeypatch.syspath_prepend(str(site))
    modules: list[str] = []

    def run(name: str, entry_points: dict[str, str], files: dict[str, str]) -> Path:
        fake_dist(site, name, entry_points, files)
        modules.extend(v.split(":")[0] for v in entry_points.values())
        return site

    yield run
    for module in modules:
        sys.modules.pop(module, None)


@pytest.fixture
def acme_plugin(install: Installer) -> Path:
    return install(
        "acme-matrix", {"acme": "acme_matrix"}, {"acme_matrix/__init__.py": "", "acme_matrix/acme.yaml": ACME_TEXT}
    )


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    shutil.copytree(ACME / "repo", tmp_path / "repo")
    return tmp_path / "repo"


def acme_findings(run: Run) -> list[str]:
    return sorted(f["rule"] for f in run.json()["findings"] if f["product"] == "acme")


ALL_ACME = [f"ACME00{i}" for i in range(1, 8)]


def test_an_installed_package_contributes_its_rules_with_no_flags(acme_plugin: Path) -> None:
    matrix = load_all()
    acme = matrix.products["acme"]
    assert (acme.source, acme.origin) == ("plugin:acme", "acme_matrix/acme.yaml")
    assert [r.id for r in acme.rules] == ALL_ACME
    assert matrix.products["django"].source == "bundled"


def test_scan_reports_the_plugin_rules(cli: Callable[..., Run], acme_plugin: Path, repo: Path) -> None:
    run = cli("scan", ".", *SCAN, cwd=repo)
    assert run.code == 0, run.err
    assert acme_findings(run) == ALL_ACME


@pytest.mark.parametrize(
    ("builtin", "plugins", "expected"),
    [
        (True, True, {"acme", "django"}),
        (False, True, {"acme"}),
        (True, False, {"django"}),
        (False, False, set()),
    ],
)
def test_sources_can_be_switched_off(acme_plugin: Path, builtin: bool, plugins: bool, expected: set[str]) -> None:
    products = set(load_all(builtin=builtin, plugins=plugins).products)
    assert products & {"acme", "django"} == expected


def test_no_plugin_matrix_flag(cli: Callable[..., Run], acme_plugin: Path, repo: Path) -> None:
    run = cli("scan", ".", *SCAN, "--no-plugin-matrix", cwd=repo)
    assert run.code == 2 and "unknown product 'acme'" in run.err


@pytest.mark.parametrize(
    "config",
    [
        ("pyproject.toml", '[tool.cfgscan]\nmatrix = ["ci/matrix"]\n'),
        (".cfgscan.toml", 'matrix = ["ci/matrix/acme.yaml"]\n'),
    ],
)
def test_a_matrix_named_in_tool_config(
    cli: Callable[..., Run], tmp_path: Path, repo: Path, config: tuple[str, str]
) -> None:
    write_tree(repo, {"ci/matrix/acme.yaml": ACME_TEXT, config[0]: config[1]})
    run = cli("scan", ".", *SCAN, cwd=repo)
    assert acme_findings(run) == ALL_ACME
    # paths are relative to the config file, not to the current directory
    run = cli("scan", "repo", *SCAN, cwd=tmp_path)
    assert acme_findings(run) == ALL_ACME


def test_explicit_config_file(cli: Callable[..., Run], tmp_path: Path, repo: Path) -> None:
    write_tree(tmp_path, {"settings/cfg.toml": 'matrix = ["m/acme.yaml"]\n', "settings/m/acme.yaml": ACME_TEXT})
    run = cli("scan", ".", *SCAN, "--config", str(tmp_path / "settings" / "cfg.toml"), cwd=repo)
    assert acme_findings(run) == ALL_ACME


def test_merge_order_plugin_then_config_then_cli(acme_plugin: Path, tmp_path: Path) -> None:
    write_tree(
        tmp_path,
        {
            "house.yaml": EXTRA_RULE,
            "newer.yaml": ACME_TEXT.replace("releases:\n", 'extends: acme\nreleases:\n  - {version: "0.9"}\n').replace(
                "ACME00", "ACMEN0"
            ),
        },
    )
    matrix = load_all(config_paths=[tmp_path / "house.yaml"], cli_paths=[tmp_path / "newer.yaml"])
    acme = matrix.products["acme"]
    assert acme.source == "cli" and acme.releases[0].version == "0.9"
    assert [r.id for r in acme.rules] == [*ALL_ACME, "ACMEX01", *(f"ACMEN0{i}" for i in range(1, 8))]
    assert matrix.rules["ACMEX01"].origin == str(tmp_path / "house.yaml")


def test_redefining_a_plugin_product_needs_extends(acme_plugin: Path, tmp_path: Path) -> None:
    write_tree(tmp_path, {"acme2.yaml": ACME_TEXT.replace("ACME00", "ACMEY0")})
    with pytest.raises(MatrixError) as exc:
        load_all(cli_paths=[tmp_path / "acme2.yaml"])
    assert "already defined by acme_matrix/acme.yaml" in str(exc.value) and "extends: acme" in str(exc.value)


@pytest.mark.parametrize(
    "text",
    [
        pytest.param(EXTRA_RULE.replace("ACMEX01", "ACME003"), id="rules-only"),
        pytest.param(ACME_TEXT, id="whole-product"),
    ],
)
def test_duplicate_ids_fail_naming_both_files(
    cli: Callable[..., Run], acme_plugin: Path, repo: Path, text: str
) -> None:
    write_tree(repo.parent, {"other.yaml": text})
    run = cli("scan", ".", *SCAN, "--matrix", "../other.yaml", cwd=repo)
    assert run.code == 2
    dup = [line for line in run.err.splitlines() if "duplicate rule id ACME003" in line]
    assert dup and "../other.yaml" in dup[0] and "acme_matrix/acme.yaml" in dup[0]
    assert "Traceback" not in run.err


@pytest.mark.parametrize(
    ("entry", "files", "message"),
    [
        ("missing_pkg", {}, "cannot import"),
        ("broken_pkg", {"broken_pkg/__init__.py": "import not_a_module_anywhere\n"}, "cannot import"),
        (
            "raising_pkg",
            {"raising_pkg/__init__.py": "raise ImportError('needs a C extension')\n"},
            "cannot import: needs a C extension",
        ),
        ("bad_pkg", {"bad_pkg/__init__.py": "", "bad_pkg/m.yaml": "schema: 1\nproduct: Bad\n"}, "bad_pkg/m.yaml"),
    ],
)
def test_a_broken_plugin_is_a_clear_error(
    cli: Callable[..., Run], install: Installer, repo: Path, entry: str, files: dict[str, str], message: str
) -> None:
    install("broken", {"broken": entry}, files)
    run = cli("scan", ".", *SCAN, cwd=repo)
    assert run.code == 2 and message in run.err
    assert "Traceback" not in run.err + run.out and "internal error" not in run.err
    assert cli("scan", ".", "--no-plugin-matrix", "--no-inventory", "--fail-on", "never", cwd=repo).code == 0


def test_matrix_list_shows_the_plugin(cli: Callable[..., Run], acme_plugin: Path) -> None:
    items = {p["product"]: p for p in cli("matrix", "list", "--format", "json").json()["products"]}
    assert items["acme"]["source"] == "plugin:acme" and items["acme"]["rules"] == 7
    assert items["django"]["source"] == "bundled"
    assert list(items).index("django") < list(items).index("acme")  # in merge order: bundled first


# --- the example package in examples/matrix-plugin ---------------------------------------------


def _example_entry_points() -> dict[str, str]:
    project = tomllib.loads((EXAMPLE / "pyproject.toml").read_text(encoding="utf-8"))
    return dict(project["project"]["entry-points"][ENTRY_POINT_GROUP])


@pytest.fixture
def example_site(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    site = tmp_path / "site"
    fake_dist(site, "cfgscan-matrix-example", _example_entry_points(), {})
    monkeypatch.syspath_prepend(str(EXAMPLE))
    monkeypatch.syspath_prepend(str(site))
    yield site
    sys.modules.pop("cfgscan_matrix_example", None)


def test_the_example_package_is_picked_up(example_site: Path) -> None:
    product = load_all().products["widgetlib"]
    assert product.source == "plugin:widgetlib"
    assert [r.id for r in product.rules] == ["WL001", "WL002", "WL003", "WL004", "WL005"]


def test_the_example_package_tests_pass(example_site: Path) -> None:
    project_root = Path(scanner.__file__).resolve().parent.parent
    path = os.pathsep.join([str(example_site), str(EXAMPLE), str(project_root), os.environ.get("PYTHONPATH", "")])
    proc = subprocess.run(
        [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-rs"],
        cwd=EXAMPLE,
        env={**os.environ, "PYTHONPATH": path},
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert " passed" in proc.stdout and "skipped" not in proc.stdout


def test_the_fast_entry_point_scan_agrees_with_importlib_metadata(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from scanner.matrix_sources import _entry_points_by_metadata, matrix_entry_points

    dist = tmp_path / "demo_matrix-1.0.dist-info"
    dist.mkdir()
    (dist / "METADATA").write_text("Metadata-Version: 2.1\nName: demo-matrix\nVersion: 1.0\n")
    (dist / "entry_points.txt").write_text(
        "[console_scripts]\nx = y:z\n\n[cfgscan.matrix]\ndemo = demo_matrix\n# a comment\nother = other_pkg\n"
    )
    monkeypatch.syspath_prepend(str(tmp_path))
    fast = matrix_entry_points()
    assert ("demo", "demo_matrix") in fast and ("other", "other_pkg") in fast and ("x", "y:z") not in fast
    assert fast == _entry_points_by_metadata()
