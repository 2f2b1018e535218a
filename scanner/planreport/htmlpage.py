"""The plan as one self-contained HTML page: a timeline per product, where each finding falls, checklists."""

from __future__ import annotations

from html import escape

from scanner import __version__
from scanner.model import Finding
from scanner.planreport.interface import PlanReport, ProductPlan
from scanner.planreport.phrases import (
    describe_fix,
    file_link,
    hop_tags,
    path_label,
    plan_counts,
    plan_status,
    requirement_text,
    sections,
)
from scanner.reporters.escape import printable

CSS = """
body{font:15px/1.5 system-ui,-apple-system,"Segoe UI",sans-serif;margin:2rem auto;max-width:72rem;
padding:0 1rem;color:#1d2430;background:#fff}
h1,h2,h3{line-height:1.2}h2{border-top:2px solid #d8dee8;padding-top:1.2rem;margin-top:2.4rem}
table{border-collapse:collapse;margin:.6rem 0 1rem}th,td{border:1px solid #d8dee8;padding:.3rem .55rem;
text-align:left;vertical-align:top}th{background:#f3f5f9}td.n{text-align:right}
code{font:13px ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;background:#f3f5f9;padding:0 .2rem}
.blocked{background:#fdecec;border-left:4px solid #c62828;padding:.5rem .8rem}.note{color:#5a6577}
ol.timeline{display:flex;list-style:none;padding:0;margin:1rem 0;overflow-x:auto}
ol.timeline li{flex:1;min-width:6rem;text-align:center;position:relative;padding-top:1.4rem}
ol.timeline li::before{content:"";position:absolute;top:.55rem;left:0;right:0;height:3px;background:#9aa7ba}
ol.timeline li:first-child::before{left:50%}ol.timeline li:last-child::before{right:50%}
ol.timeline li::after{content:"";position:absolute;top:.2rem;left:calc(50% - .45rem);width:.9rem;height:.9rem;
border-radius:50%;background:#fff;border:3px solid #3b6fb6;box-sizing:border-box}
ol.timeline li.installed::after{background:#3b6fb6}ol.timeline li.blocked::after{border-color:#c62828}
ol.timeline li.target::after{background:#2e7d32;
border-color:#2e7d32}ol.timeline .v{font-weight:600;display:block}
ol.timeline .t{font-size:12px;color:#5a6577;display:block}
table.grid td.mark{text-align:center;font-size:12px;white-space:nowrap}
td.dep{background:#fff3cd}td.window{background:#fffaeb}td.rem{background:#f8d7da;font-weight:600}
td.dflt{background:#d9e8fb}ul.checklist{list-style:none;padding-left:0}ul.checklist li{margin:.25rem 0}
.fix{color:#5a6577;font-size:13px}.legend span{display:inline-block;padding:0 .4rem;margin-right:.4rem}
@media print{body{margin:0;max-width:none}h2{break-before:page}}
"""


def _e(text: object) -> str:
    return escape(printable(text), quote=True)


def _where(f: Finding, link_base: str) -> str:
    return f'<a href="{_e(file_link(link_base, f.file, f.line))}">{_e(f.file)}:{f.line}</a>'


def checklist_item(f: Finding, plan: ProductPlan, link_base: str) -> str:
    note = describe_fix(f, plan)
    fix = "fix by hand"
    if note is not None:
        who = "cfgscan fix" if note.automatic else "by hand"
        fix = f"{who}: {_e(note.change)}; revert: {_e(note.revert)}"
    docs = ""
    if f.docs and f.docs.startswith(("https://", "http://")):
        docs = f' <a href="{_e(f.docs)}">docs</a>'
    return (f"<li><label><input type=\"checkbox\"> {_where(f, link_base)} <code>{_e(f.rule)}</code> "
            f"{_e(f.message)}</label> <span class=\"fix\">— {fix}{docs}</span></li>")


def timeline(plan: ProductPlan) -> list[str]:
    """Installed, each stop and the target as a line of nodes, each with the work it asks for."""
    def node(kind: str, version: str, tag: str, work: str) -> str:
        return (f'<li class="{kind}"><span class="v">{_e(version)}</span><span class="t">{_e(tag)}</span>'
                f'<span class="t">{_e(work)}</span></li>')

    now = len(plan.now_breaking) + len(plan.now_deprecated)
    items = [node("installed", plan.installed or "?", "installed", f"{now} to fix now" if now else "")]
    for i, hop in enumerate(plan.hops, start=1):
        kind = "target" if i == len(plan.hops) else "stop"
        work = ", ".join(f"{n} {what}" for n, what in ((len(hop.breaking), "breaking"),
                         (len(hop.deprecated), "deprecated"), (len(hop.defaults), "default changes")) if n)
        needs = [f"needs {r.product} {r.requires}" for r in hop.requires if r.satisfied is False]
        items.append(node(f"{kind} blocked" if needs else kind, hop.end, ", ".join([kind, *hop_tags(hop), *needs]),
                          work or "nothing to fix"))
    return ['<ol class="timeline">', *items, "</ol>"]


def _cell(col: int, f: Finding, marks: tuple[int | None, int | None], default_changed: bool) -> str:
    dep_at, rem_at = marks
    if col == rem_at:
        kind, text = ("dflt", "default changes") if default_changed else ("rem", "removed")
        return f'<td class="mark {kind}">{text} {_e(f.removed_in)}</td>'
    if col == dep_at:
        return f'<td class="mark dep">deprecated {_e(f.deprecated_in)}</td>'
    if dep_at is not None and dep_at < col and (rem_at is None or col < rem_at):
        return '<td class="mark window">still works</td>'
    return '<td class="mark"></td>'


def finding_grid(plan: ProductPlan, link_base: str) -> list[str]:
    """Where each finding's deprecation and removal fall along the path (columns: installed, each stop)."""
    if not plan.findings:
        return []
    heads = [f"{_e(plan.installed)} (now)", *(_e(h.end) for h in plan.hops)]
    rows = ['<table class="grid"><tr><th>finding</th>' + "".join(f"<th>{h}</th>" for h in heads) + "</tr>"]
    for f in plan.findings:
        marks = plan.marks.get(f.fingerprint, (None, None))
        rule = plan.rules.get(f.rule)
        dflt = rule is not None and rule.kind == "default-changed"
        cells = "".join(_cell(c, f, marks, dflt) for c in range(len(heads)))
        rows.append(f"<tr><td><code>{_e(f.rule)}</code> {_where(f, link_base)} <code>{_e(f.key)}</code></td>"
                    f"{cells}</tr>")
    return [*rows, "</table>"]


def product_section(plan: ProductPlan, link_base: str) -> list[str]:
    out = [f'<section id="{_e(plan.product)}">',
           f"<h2>{_e(plan.product)}: {_e(plan.installed or 'unknown')} → {_e(plan.target)}</h2>",
           f"<p>{_e(plan.title)}, upgrade step <code>{_e(plan.step)}</code>. "
           f"Path: {_e(path_label(plan))}.</p>"]
    out += [f'<p class="blocked"><strong>Blocked:</strong> {_e(plan.product)} {_e(requirement_text(r))}</p>'
            for r in plan.blocked_by]
    out += [f'<p class="note">Note: {_e(n)}</p>' for n in plan.notes]
    if plan.installed is not None:
        out += timeline(plan)
    out += finding_grid(plan, link_base)
    for section in sections(plan):
        out.append(f"<h3>{_e(section.heading)}</h3>")
        if section.requires:
            out.append(f"<p>Requires {_e(section.requires)}.</p>")
        for title, findings in section.lists:
            out += [f"<h4>{_e(title)}</h4>", '<ul class="checklist">',
                    *(checklist_item(f, plan, link_base) for f in findings), "</ul>"]
        if section.fix_command:
            out.append(f"<p>cfgscan can fix {section.fixable} of {section.total}: "
                       f"<code>{_e(section.fix_command)}</code></p>")
    return [*out, "</section>"]


def summary_table(report: PlanReport) -> list[str]:
    heads = ("Product", "Installed", "Target", "Path", "Status", "Now", "Breaking", "Deprecated", "Defaults",
             "cfgscan can fix")
    rows = ["<table><tr>" + "".join(f"<th>{h}</th>" for h in heads) + "</tr>"]
    for plan in report.plans:
        counts = "".join(f'<td class="n">{n}</td>' for n in plan_counts(plan).values())
        rows.append(f'<tr><td><a href="#{_e(plan.product)}">{_e(plan.product)}</a></td>'
                    f"<td>{_e(plan.installed or 'unknown')}</td><td>{_e(plan.target)}</td>"
                    f"<td>{_e(path_label(plan))}</td><td>{_e(plan_status(plan))}</td>{counts}</tr>")
    return [*rows, "</table>"]


def render(report: PlanReport, link_base: str = "") -> str:
    body = ["<h1>Upgrade plan</h1>",
            f"<p>Generated by cfgscan {_e(__version__)}. Each hop lists what to fix before moving to it.</p>"]
    if report.plans:
        body += summary_table(report)
    body += [f'<p class="note">Note: {_e(n)}</p>' for n in report.notes]
    for plan in report.plans:
        body += product_section(plan, link_base)
    if report.errors:
        body += ["<h2>Files that could not be read</h2>", "<ul>"]
        body += [f"<li>{_e(e.file)}{f':{e.line}' if e.line else ''}: {_e(e.message)}</li>"
                 for e in report.errors]
        body.append("</ul>")
    head = ('<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
            '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
            f"<title>cfgscan upgrade plan</title>\n<style>{CSS}</style>\n</head>\n<body>")
    return "\n".join([head, *body, "</body>\n</html>"]) + "\n"
