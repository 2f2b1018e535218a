"""The plan as JSON (``{"version": 1, "plans": [...]}``), findings as in the scan's JSON report."""

from __future__ import annotations

from typing import Any

from scanner import __version__
from scanner.planreport.interface import Hop, PlanReport, ProductPlan, Requirement
from scanner.planreport.phrases import describe_fix
from scanner.reporters.escape import json_text
from scanner.reporters.jsonout import finding_dict


def requirement_dict(r: Requirement) -> dict[str, Any]:
    return {"product": r.product, "requires": r.requires, "release": r.release, "installed": r.installed,
            "source": r.source, "satisfied": r.satisfied, "unblocked_by": r.unblocked_by}


def hop_dict(hop: Hop, plan: ProductPlan) -> dict[str, Any]:
    fixes = []
    for f in hop.findings():
        note = describe_fix(f, plan)
        if note is not None:
            fixes.append({"rule": f.rule, "file": f.file, "line": f.line, "key": f.key, "change": note.change,
                          "revert": note.revert, "automatic": note.automatic})
    return {
        "from": hop.start, "to": hop.end, "lts": hop.lts, "stop": hop.stop,
        "breaking": [finding_dict(f) for f in hop.breaking],
        "deprecated": [finding_dict(f) for f in hop.deprecated],
        "defaults": [finding_dict(f) for f in hop.defaults],
        "requires": [requirement_dict(r) for r in hop.requires],
        "fixable": hop.fixable(), "fixes": fixes,
    }


def plan_dict(plan: ProductPlan) -> dict[str, Any]:
    return {
        "product": plan.product, "title": plan.title, "step": plan.step, "installed": plan.installed,
        "installed_source": plan.installed_source, "target": plan.target, "path": list(plan.path),
        "now": {"breaking": [finding_dict(f) for f in plan.now_breaking],
                "deprecated": [finding_dict(f) for f in plan.now_deprecated]},
        "hops": [hop_dict(h, plan) for h in plan.hops],
        "blocked_by": [requirement_dict(r) for r in plan.blocked_by],
        "notes": list(plan.notes),
    }


def document(report: PlanReport) -> dict[str, Any]:
    return {
        "version": 1,
        "tool": {"name": "cfgscan", "version": __version__},
        "plans": [plan_dict(p) for p in report.plans],
        "errors": [{"file": e.file or None, "line": e.line, "column": e.column, "message": e.message}
                   for e in report.errors],
        "notes": list(report.notes),
    }


def render(report: PlanReport, link_base: str = "") -> str:
    return json_text(document(report))
