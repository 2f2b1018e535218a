"""The committed sample reports (docs/plan-example.md, .html) match what cfgscan produces today.

Regenerate them with ``CFGSCAN_REGENERATE=1 pytest tests/plan/test_samples.py``. They come from
``examples/legacy-app`` (every installed product to its latest release) once that folder exists, until
then from the acme fixture with a fixed --installed and --target.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from scanner.cli import build_options
from scanner.options import Options
from scanner.plan import build_report
from scanner.planreport import render_plan

ROOT = Path(__file__).resolve().parents[2]
LEGACY = "examples/legacy-app"
SAMPLES = {"markdown": ROOT / "docs" / "plan-example.md", "html": ROOT / "docs" / "plan-example.html"}


def sample_options() -> Options:
    """The options of `cfgscan plan` for the sample, as the command line would build them (run from ROOT)."""
    if (ROOT / LEGACY).is_dir():
        options: Options = build_options([LEGACY])
        return options
    acme: Options = build_options(
        ["tests/fixtures/acme/repo"], matrix=["tests/plan/fixtures/matrix"], no_builtin_matrix=True,
        no_plugin_matrix=True, no_inventory=True, installed=["acme=1.0", "python=3.9"], target=["acme=3.0"])
    return acme


@pytest.mark.parametrize("fmt", sorted(SAMPLES))
def test_sample_is_current(fmt: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    monkeypatch.delenv("VIRTUAL_ENV", raising=False)
    text = render_plan(build_report(sample_options()), fmt, link_base="../")  # the samples live in docs/
    path = SAMPLES[fmt]
    if os.environ.get("CFGSCAN_REGENERATE") == "1":
        path.write_text(text, encoding="utf-8")
    how = f"run CFGSCAN_REGENERATE=1 pytest {Path(__file__).relative_to(ROOT)}"
    assert path.is_file(), f"{path} is missing: {how}"
    assert path.read_text(encoding="utf-8") == text, f"{path} is stale: {how}"
