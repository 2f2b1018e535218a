"""The plan report's data: per product the path, its hops with their findings, and what blocks it."""

from __future__ import annotations

from dataclasses import dataclass, field

from scanner.matrix import Rule
from scanner.model import FileError, Finding


@dataclass(frozen=True)
class Requirement:
    """A release's prerequisite (``requires: {python: ">=3.10"}``) checked against what is installed."""

    product: str
    requires: str
    release: str
    installed: str | None
    source: str | None
    satisfied: bool | None  # None: the prerequisite's installed version is unknown
    unblocked_by: str | None  # the lowest release of the prerequisite that satisfies it, if in the matrix


@dataclass
class Hop:
    """One step of the path (from, to]: what breaks, what starts being deprecated, what defaults change."""

    start: str
    end: str
    lts: bool = False
    stop: bool = False
    breaking: list[Finding] = field(default_factory=list)
    deprecated: list[Finding] = field(default_factory=list)
    defaults: list[Finding] = field(default_factory=list)
    requires: list[Requirement] = field(default_factory=list)

    def findings(self) -> list[Finding]:
        seen: dict[str, Finding] = {}
        for f in (*self.breaking, *self.deprecated, *self.defaults):
            seen.setdefault(f.fingerprint, f)
        return list(seen.values())

    def fixable(self) -> int:
        return sum(1 for f in self.findings() if can_fix(f))


@dataclass
class ProductPlan:
    """The plan of one product; ``marks`` places each finding's deprecation and removal on the path."""

    product: str
    title: str
    step: str
    installed: str | None
    installed_source: str | None
    target: str
    path: list[str] = field(default_factory=list)
    hops: list[Hop] = field(default_factory=list)
    now_breaking: list[Finding] = field(default_factory=list)
    now_deprecated: list[Finding] = field(default_factory=list)
    blocked_by: list[Requirement] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    rules: dict[str, Rule] = field(default_factory=dict)
    formats: dict[str, str] = field(default_factory=dict)  # rule id -> format of its file (python, yaml...)
    findings: list[Finding] = field(default_factory=list)
    marks: dict[str, tuple[int | None, int | None]] = field(default_factory=dict)  # 0: now, i: hop i


@dataclass
class PlanReport:
    plans: list[ProductPlan]
    errors: list[FileError] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def can_fix(f: Finding) -> bool:
    """cfgscan can apply this finding's fix itself (a safe fix with an action)."""
    return f.fix_action != "none" and f.fix_safe
