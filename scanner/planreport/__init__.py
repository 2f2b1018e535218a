"""Plan reports, one module per format, all rendering the same PlanReport: ``render_plan(report, fmt)``."""

from __future__ import annotations

import importlib

from scanner.errors import UsageError
from scanner.planreport.interface import PlanReport

MODULES = {"text": "text", "json": "jsonout", "markdown": "markdown", "html": "htmlpage"}


def render_plan(report: PlanReport, fmt: str, link_base: str = "") -> str:
    """The report in ``fmt``; ``link_base`` prefixes the file links of a report kept in another folder."""
    if fmt not in MODULES:
        raise UsageError(f"--format {fmt!r}: plan reports are {', '.join(MODULES)}")
    module = importlib.import_module(f"scanner.planreport.{MODULES[fmt]}")
    return str(module.render(report, link_base))
