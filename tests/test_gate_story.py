"""The CI-gate story: a pull request that bumps Django in poetry.lock past a removal fails with no flags."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from tests.conftest import Run, write_tree

LOCK = """\
[[package]]
name = "Django"
version = "{version}"
description = "A high-level Python web framework."
optional = false
python-versions = ">=3.8"
files = []

[metadata]
lock-version = "2.0"
python-versions = "^3.10"
content-hash = "0"
"""

SETTINGS = """\
INSTALLED_APPS = ["django.contrib.admin"]
ROOT_URLCONF = "app.urls"
USE_L10N = True
"""


def _usel10n(run: Run) -> list[dict[str, object]]:
    return [f for f in run.json()["findings"] if f["key"] == "USE_L10N" and f["product"] == "django"]


def test_bumping_the_lock_turns_a_deprecation_into_broken_now(cli: Callable[..., Run], tmp_path: Path) -> None:
    write_tree(tmp_path, {"app/settings.py": SETTINGS, "poetry.lock": LOCK.format(version="4.2.16"),
                          "pyproject.toml": "[tool.poetry]\nname = 'app'\n"})
    before = cli("scan", ".", "--format", "json", "--select", "DJ", cwd=tmp_path)
    [finding] = _usel10n(before)
    assert finding["status"] == "deprecated-now"
    assert finding["installed"] == "4.2.16" and str(finding["installed_source"]).startswith("poetry.lock:")
    assert cli("scan", ".", "--select", "DJ", "--fail-on", "breaking", cwd=tmp_path).code == 0

    (tmp_path / "poetry.lock").write_text(LOCK.format(version="5.0.1"))
    after = cli("scan", ".", "--format", "json", "--select", "DJ", cwd=tmp_path)
    [finding] = _usel10n(after)
    assert finding["status"] == "broken-now" and finding["severity"] == "breaking"
    assert cli("scan", ".", "--select", "DJ", "--fail-on", "breaking", cwd=tmp_path).code == 1


def test_installed_flag_overrides_the_lock(cli: Callable[..., Run], tmp_path: Path) -> None:
    write_tree(tmp_path, {"app/settings.py": SETTINGS, "poetry.lock": LOCK.format(version="5.0.1")})
    run = cli("scan", ".", "--format", "json", "--select", "DJ", "--installed", "django=4.1", cwd=tmp_path)
    [finding] = _usel10n(run)
    assert finding["status"] == "deprecated-now" and finding["installed_source"] == "--installed"
