"""The plan for a terminal: per product the path, then each hop with what to fix before moving."""

from __future__ import annotations

from scanner.model import Finding
from scanner.planreport.interface import PlanReport, ProductPlan
from scanner.planreport.phrases import (
    describe_fix,
    path_label,
    plan_status,
    requirement_text,
    sections,
)
from scanner.reporters.escape import printable

INDENT = "    "


def _finding(f: Finding, plan: ProductPlan) -> str:
    line = f"{INDENT * 3}{printable(f.file)}:{f.line}:{f.column}: {printable(f.rule)} {printable(f.message)}"
    note = describe_fix(f, plan)
    if note is not None:
        who = "cfgscan fix" if note.automatic else "by hand"
        line += f" [{who}: {note.change}; revert: {note.revert}]"
    return line


def render_product(plan: ProductPlan) -> list[str]:
    start = plan.installed or "unknown"
    lines = [f"{plan.product} ({plan.title}): {start} → {plan.target}, step {plan.step}, {plan_status(plan)}"]
    if plan.installed is not None:
        lines.append(f"{INDENT}path: {path_label(plan)}")
    lines.extend(f"{INDENT}BLOCKED: {plan.product} {requirement_text(r)}" for r in plan.blocked_by)
    lines.extend(f"{INDENT}note: {n}" for n in plan.notes)
    for section in sections(plan):
        tail = f", cfgscan can fix {section.fixable} of {section.total}" if section.total else ""
        lines.append(f"{INDENT}{section.heading[0].lower()}{section.heading[1:]}{tail}")
        if section.requires and not section.requires_met:
            lines.append(f"{INDENT * 2}requires {section.requires}")
        for title, findings in section.lists:
            lines += [f"{INDENT * 2}{title.lower()}:", *(_finding(f, plan) for f in findings)]
    return lines


def render(report: PlanReport, link_base: str = "") -> str:
    lines: list[str] = []
    for plan in report.plans:
        lines += [*render_product(plan), ""]
    lines.extend(f"note: {n}" for n in report.notes)
    for e in report.errors:
        where = f"{printable(e.file)}:{e.line}" if e.line else printable(e.file)
        lines.append(f"{where}: error: {printable(e.message)}")
    return "\n".join(lines).rstrip("\n") + "\n"
