"""Which bundled file specs claim the names real projects give their config files, and which names they leave."""

from __future__ import annotations

from pathlib import Path

import pytest

from scanner.discover import ClaimIndex, compile_glob
from scanner.matrix import Matrix
from scanner.matrix_sources import load_all
from scanner.options import Options
from scanner.scan import run_scan


@pytest.fixture(scope="module")
def bundled() -> Matrix:
    return load_all(plugins=False)


@pytest.fixture(scope="module")
def index(bundled: Matrix) -> ClaimIndex:
    return ClaimIndex(bundled)


# (path relative to the project root, the product:spec claims it must get among those products)
NAMES: list[tuple[str, set[str]]] = [
    ("tsconfig.json", {"typescript:tsconfig"}),
    ("tsconfig-base.json", {"typescript:tsconfig"}),
    ("web/tsconfig.app.json", {"typescript:tsconfig"}),
    ("web/tsconfig_build.json", {"typescript:tsconfig"}),
    ("jsconfig.json", {"typescript:tsconfig"}),
    ("web/base-tsconfig.json", set()),
    ("tsconfig.json5", set()),
    ("mysite/settings.py", {"django:settings", "celery:django", "flask:config"}),
    ("mysite/settings_dev.py", {"django:settings", "celery:django"}),
    ("mysite/local_settings.py", {"django:settings", "celery:django"}),
    ("mysite/sample_local_settings.py", {"django:settings", "celery:django"}),
    ("config/settings/production.py", {"django:settings", "celery:django", "flask:config"}),
    ("server/settings/environments/development.py", {"django:settings", "celery:django"}),
    ("config/django/base.py", {"django:settings", "celery:django"}),
    ("mysite/settingsx.py", set()),
    ("mysite/my-settings.py", set()),
    ("conf/flask.py", {"flask:config"}),
    ("instance/application.cfg", {"flask:config"}),
    ("flask_config.py", {"flask:config"}),
    ("worker/celery_config.py", {"celery:celeryconfig"}),
    ("docker-compose-dev.yml", {"docker-compose:compose", "airflow:compose"}),
    ("deploy/docker-compose_prod.yaml", {"docker-compose:compose", "airflow:compose"}),
    ("compose.override.yaml", {"docker-compose:compose", "airflow:compose"}),
    ("compose-notes.yaml", {"airflow:compose"}),
    (".pytest.ini", {"pytest:pytest_ini"}),
    (".mypy.ini", {"mypy:ini"}),
    (".ruff.toml", {"ruff:ruff_toml"}),
    ("docs/source/conf.py", {"sphinx:conf"}),
    (".github/workflows/ci.yaml", {"github-actions:workflow"}),
    (".github/workflows/sub/ci.yml", set()),
    ("src/module_1.py", set()),
]
PRODUCTS = ("typescript", "django", "celery", "flask", "docker-compose", "airflow", "pytest", "mypy", "ruff", "sphinx",
            "github-actions")


@pytest.mark.parametrize(("rel", "expected"), NAMES, ids=[rel for rel, _ in NAMES])
def test_real_project_names_are_claimed(index: ClaimIndex, rel: str, expected: set[str]) -> None:
    got = {f"{c.product}:{c.spec.name}" for c in index.claims(rel) if c.product in PRODUCTS}
    assert got == expected


@pytest.mark.parametrize(("glob", "rel", "matches"), [
    ("**/tsconfig*.json", "tsconfig.json", True),
    ("**/tsconfig*.json", "a/b/tsconfig-base.json", True),
    ("**/tsconfig*.json", "a/mytsconfig.json", False),
    ("**/tsconfig*.json", "tsconfig/x.json", False),
    ("**/settings/**/*.py", "settings/base.py", True),
    ("**/settings/**/*.py", "a/settings/env/dev.py", True),
    ("**/settings/**/*.py", "a/mysettings/dev.py", False),
    ("**/settings_*.py", "a/settings_dev.py", True),
    ("**/settings_*.py", "a/settings.py", False),
])
def test_glob_matching(glob: str, rel: str, matches: bool) -> None:
    assert bool(compile_glob(glob).match(rel)) is matches


def _scan(folder: Path, monkeypatch: pytest.MonkeyPatch, bundled: Matrix) -> list[str]:
    monkeypatch.chdir(folder)
    options = Options(paths=(".",), installed=(("django", "4.2"),), targets=(("django", "5.0"),), fail_on="never",
                      project_root=str(folder), use_inventory=False)
    result = run_scan(options, bundled, {})
    assert not result.errors
    return sorted(f"{f.rule} {f.file}" for f in result.findings if f.product == "django")


def test_default_changes_only_where_the_whole_configuration_is(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, bundled: Matrix) -> None:
    """USE_TZ's 5.0 default change: reported on a module setting INSTALLED_APPS or ROOT_URLCONF (and without a
    star import), not on an overlay such as local_settings.py that leaves the setting to the module importing it."""
    (tmp_path / "settings.py").write_text('INSTALLED_APPS = ["shop"]\ntry:\n    from local_settings import *\n'
                                          "except ImportError:\n    pass\n")
    (tmp_path / "base_settings.py").write_text('ROOT_URLCONF = "shop.urls"\n')
    (tmp_path / "local_settings.py").write_text('DATABASES = {"default": {"ENGINE": "django.db.backends.sqlite3"}}\n')
    assert _scan(tmp_path, monkeypatch, bundled) == ["DJ046 base_settings.py"]
    (tmp_path / "local_settings.py").write_text('DATABASES = {"default": {"ENGINE": "django.db.backends.sqlite3"}}\n'
                                                "INSTALLED_APPS = []\n")
    assert _scan(tmp_path, monkeypatch, bundled) == ["DJ046 base_settings.py", "DJ046 local_settings.py"]
