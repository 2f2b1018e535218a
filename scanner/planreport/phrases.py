"""The sentences every plan format shares: a fix and its revert, a prerequisite, a hop's label."""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from urllib.parse import quote

from scanner.model import Finding, is_scalar, json_value
from scanner.planreport.interface import Hop, ProductPlan, Requirement, can_fix


@dataclass(frozen=True)
class FixNote:
    change: str
    revert: str
    automatic: bool  # cfgscan fix applies it


def _shown(value: object, fmt: str | None) -> str:
    """A value as its config file would write it (Python literals in Python settings, JSON elsewhere)."""
    if not is_scalar(value):
        return "its previous value"
    if fmt == "python":
        return repr(value)
    return json.dumps(json_value(value), ensure_ascii=False)


def describe_fix(f: Finding, plan: ProductPlan) -> FixNote | None:
    """The change and its revert; None when the fix is left to a person (action none, no pin to suggest)."""
    auto, rule, fmt = can_fix(f), plan.rules.get(f.rule), plan.formats.get(f.rule)
    if rule is not None and rule.kind == "default-changed":
        pin = rule.fix_to if f.fix_action == "set-value" else rule.default_old
        return FixNote(f"pin {f.key} = {_shown(pin, fmt)} to keep the old default (the new one is "
                       f"{_shown(rule.default_new, fmt)})", f"delete {f.key} to take the new default", auto)
    to = rule.fix_to if rule is not None else f.replacement
    if f.fix_action == "delete":
        old = f"= {_shown(f.value, fmt)}" if is_scalar(f.value) else "from version control"
        return FixNote(f"delete {f.key}", f"restore {f.key} {old}", auto)
    if f.fix_action == "rename" and to is not None:
        return FixNote(f"rename {f.key} to {to}", f"rename {to} back to {f.key}", auto)
    if f.fix_action == "set-value":
        return FixNote(f"set {f.key} to {_shown(to, fmt)}", f"set {f.key} back to {_shown(f.value, fmt)}",
                       auto)
    return None


def requirement_text(r: Requirement) -> str:
    """One prerequisite and its verdict, e.g. "python >=3.10: installed 3.9 (--installed), upgrade python"."""
    head = f"{r.release} requires {r.product} {r.requires}"
    if r.satisfied is None:
        return f"{head}: the installed {r.product} version is unknown"
    got = f"installed {r.installed} ({r.source})"
    if r.satisfied:
        return f"{head}: {got} satisfies it"
    fix = f"to {r.unblocked_by}" if r.unblocked_by else f"to a version matching {r.requires}"
    return f"{head}: {got} does not; upgrade {r.product} {fix} first"


def requirement_short(r: Requirement) -> str:
    """A hop's prerequisite in a few words: "python >=3.10 (installed 3.9: upgrade python to 3.10 first)"."""
    if r.satisfied is None:
        return f"{r.product} {r.requires} (installed version unknown)"
    if r.satisfied:
        return f"{r.product} {r.requires} (installed {r.installed}: ok)"
    return f"{r.product} {r.requires} (installed {r.installed}: upgrade {r.product} to " \
           f"{r.unblocked_by or 'a matching version'} first)"


def hop_tags(hop: Hop) -> list[str]:
    return [t for t, on in (("LTS", hop.lts), ("bridge stop", hop.stop)) if on]


def landing_label(hop: Hop) -> str:
    """The version a hop lands on, tagged when it is an LTS release or a bridge stop."""
    tags = hop_tags(hop)
    return hop.end + (f" ({', '.join(tags)})" if tags else "")


def hop_label(hop: Hop) -> str:
    return f"{hop.start} → {landing_label(hop)}"


def path_label(plan: ProductPlan) -> str:
    return " → ".join([plan.installed or "?", *(landing_label(h) for h in plan.hops)])


def plan_status(plan: ProductPlan) -> str:
    if plan.installed is None:
        return "installed version unknown"
    if plan.blocked_by:
        return "blocked by " + ", ".join(f"{r.product} {r.requires}" for r in plan.blocked_by)
    return "ready" if plan.hops else "up to date"


def plan_counts(plan: ProductPlan) -> dict[str, int]:
    """How much work a plan holds, for summary tables."""
    return {
        "now": len(plan.now_breaking) + len(plan.now_deprecated),
        "breaking": sum(len(h.breaking) for h in plan.hops),
        "deprecated": sum(len(h.deprecated) for h in plan.hops),
        "defaults": sum(len(h.defaults) for h in plan.hops),
        "fixable": sum(1 for f in plan.findings if can_fix(f)),
    }


def file_link(link_base: str, file: str, line: int) -> str:
    """A link to a line as code hosts write it (``path#L12``), the path percent-encoded."""
    return f"{link_base}{quote(os.fsencode(file), safe='/')}#L{line}"  # the name's bytes, undecodable ones too


@dataclass(frozen=True)
class Section:
    """A part of a product's plan, "now" or one hop, with its non-empty checklists in order."""

    heading: str
    requires: str | None
    lists: tuple[tuple[str, list[Finding]], ...]
    fixable: int = 0
    total: int = 0
    fix_command: str | None = None
    requires_met: bool = True


def sections(plan: ProductPlan) -> list[Section]:
    """What every format shows per product after its header: the work already due, then each hop."""
    out = []
    if plan.now_breaking or plan.now_deprecated:
        now = (("Already broken: fix first", plan.now_breaking), ("Already deprecated", plan.now_deprecated))
        out.append(Section(f"Now, at {plan.installed}", None, tuple(x for x in now if x[1])))
    for i, hop in enumerate(plan.hops, start=1):
        work = hop.findings()
        lists = ((f"Fix before moving to {hop.end} (breaking)", hop.breaking),
                 (f"Deprecated from {hop.end}", hop.deprecated), ("Defaults to pin", hop.defaults))
        requires = ", ".join(requirement_short(r) for r in hop.requires) or None
        command = f"cfgscan fix --target {plan.product}={hop.end}" if hop.fixable() else None
        out.append(Section(f"Hop {i}: {hop_label(hop)}{'' if work else ': nothing to fix'}", requires,
                           tuple(x for x in lists if x[1]), hop.fixable(), len(work), command,
                           all(r.satisfied for r in hop.requires)))
    return out
