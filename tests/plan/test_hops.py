"""Per-hop grouping and prerequisites: each finding under the hop that breaks it, blockers named."""

from __future__ import annotations

import pytest

from scanner.errors import UsageError
from scanner.model import Installed
from scanner.plan import build_plan
from tests.plan.builders import finding, matrix, product

VERSIONS = ["1.0", "1.2", "2.0", "2.2", "3.0"]


def installed(**versions: str) -> dict[str, Installed]:
    return {pid: Installed(pid, v, "--installed") for pid, v in versions.items()}


def rules_by_hop(plan: object, attr: str) -> dict[str, list[str]]:
    return {h.end: [f.rule for f in getattr(h, attr)] for h in plan.hops}  # type: ignore[attr-defined]


@pytest.mark.parametrize(("removed", "hop"), [
    ("1.2", "1.2"),  # right at the first stop
    ("2.0", "2.2"),  # a skipped release: the hop that crosses it
    ("2.2", "2.2"),  # the upper bound of a hop belongs to it
    ("3.0", "3.0"),
])
def test_breaking_findings_sit_under_the_hop_that_breaks_them(removed: str, hop: str) -> None:
    p = product("p", VERSIONS, "lts", lts=("1.2", "2.2"))
    plan = build_plan(p, matrix(p), installed(p="1.0"), "3.0", [finding("R1", removed=removed)])
    assert plan.path == ["1.2", "2.2", "3.0"]
    assert rules_by_hop(plan, "breaking") == {h: (["R1"] if h == hop else []) for h in plan.path}
    assert plan.now_breaking == []


def test_breaking_and_deprecation_in_separate_hops_and_now() -> None:
    p = product("p", VERSIONS, "each")
    findings = [finding("OLD", deprecated="1.0", removed="2.0"), finding("GONE", removed="1.0"),
                finding("SOFT", deprecated="2.2"), finding("BOTH", deprecated="1.2", removed="1.2")]
    plan = build_plan(p, matrix(p), installed(p="1.0"), "2.2", findings)
    assert [f.rule for f in plan.now_breaking] == ["GONE"]
    assert [f.rule for f in plan.now_deprecated] == ["OLD"]
    assert rules_by_hop(plan, "breaking") == {"1.2": ["BOTH"], "2.0": ["OLD"], "2.2": []}
    assert rules_by_hop(plan, "deprecated") == {"1.2": [], "2.0": [], "2.2": ["SOFT"]}  # BOTH only breaks
    assert plan.marks["fp-OLD"] == (0, 2) and plan.marks["fp-SOFT"] == (3, None)
    hop = plan.hops[1]
    assert (hop.breaking[0].status, hop.breaking[0].target) == ("breaks-at-target", "2.0")


def test_the_first_hop_starts_at_the_installed_patch() -> None:
    p = product("p", ["4.2", "5.0"], "each")
    plan = build_plan(p, matrix(p), installed(p="4.2.7"), "5.0",
                      [finding("PATCH", removed="4.2.5"), finding("NEXT", removed="5.0")])
    assert [(h.start, h.end) for h in plan.hops] == [("4.2.7", "5.0")]
    assert [f.rule for f in plan.now_breaking] == ["PATCH"]
    assert [f.rule for f in plan.hops[0].breaking] == ["NEXT"]


def test_fixable_counts_safe_fixes_with_an_action() -> None:
    p = product("p", VERSIONS, "any")
    findings = [finding("A", removed="3.0", fix="delete"), finding("C", removed="3.0"),
                finding("B", removed="3.0", fix="delete", safe=False),
                finding("D", deprecated="2.0", fix="rename")]
    plan = build_plan(p, matrix(p), installed(p="1.0"), "3.0", findings)
    assert plan.hops[0].fixable() == 2


@pytest.mark.parametrize(("python", "blocked", "unblocked_by"), [
    ("3.9", True, "3.10"),
    ("3.9.18", True, "3.10"),
    ("3.10", False, None),
    ("3.12", False, None),
])
def test_a_prerequisite_blocks_below_its_specifier(python: str, blocked: bool, unblocked_by: str | None,
                                                    ) -> None:
    acme = product("acme", VERSIONS, "each", requires={"3.0": (("python", ">=3.10"),)})
    py = product("python", ["3.8", "3.9", "3.10", "3.11"], "any")
    plan = build_plan(acme, matrix(acme, py), installed(acme="1.0", python=python), "3.0", [])
    assert bool(plan.blocked_by) is blocked
    if blocked:
        (req,) = plan.blocked_by
        assert (req.product, req.requires, req.installed, req.release) == ("python", ">=3.10", python, "3.0")
        assert req.unblocked_by == unblocked_by
    assert plan.hops[-1].requires[0].satisfied is not blocked


def test_a_prerequisite_outside_the_matrix_has_no_release_to_suggest() -> None:
    acme = product("acme", VERSIONS, "each", requires={"2.0": (("node", ">=18"),)})
    plan = build_plan(acme, matrix(acme), installed(acme="1.0", node="16.20.0"), "2.0", [])
    assert [(r.product, r.unblocked_by) for r in plan.blocked_by] == [("node", None)]


def test_an_unknown_prerequisite_is_noted_not_blocking() -> None:
    acme = product("acme", VERSIONS, "each", requires={"3.0": (("python", ">=3.10"),)})
    plan = build_plan(acme, matrix(acme), installed(acme="1.0"), "3.0", [])
    assert plan.blocked_by == []
    assert plan.hops[-1].requires[0].satisfied is None
    assert any("python" in n and "unknown" in n for n in plan.notes)


def test_a_skipped_release_does_not_impose_its_requirement() -> None:
    acme = product("acme", VERSIONS, "any", requires={"2.0": (("python", ">=3.12"),)})
    plan = build_plan(acme, matrix(acme), installed(acme="1.0", python="3.9"), "3.0", [])
    assert plan.blocked_by == []


def test_downgrade_and_unknown_target_are_refused() -> None:
    p = product("p", VERSIONS)
    with pytest.raises(UsageError, match="downgrade"):
        build_plan(p, matrix(p), installed(p="2.2"), "2.0", [])
    with pytest.raises(UsageError, match=r"known: 1\.0, 1\.2, 2\.0, 2\.2, 3\.0"):
        build_plan(p, matrix(p), installed(p="1.0"), "9.9", [])


def test_newer_than_latest_is_only_noted_for_an_implicit_target() -> None:
    p = product("p", VERSIONS)
    plan = build_plan(p, matrix(p), installed(p="4.0"), "latest", [finding("R", removed="2.0")], explicit=False)
    assert plan.hops == [] and "newer than the latest" in plan.notes[0]
    assert [f.rule for f in plan.now_breaking] == ["R"]  # still shown, not dropped


def test_unknown_installed_version_gives_a_note_and_no_path() -> None:
    p = product("p", VERSIONS)
    plan = build_plan(p, matrix(p), {}, "latest", [])
    assert (plan.installed, plan.target, plan.path) == (None, "3.0", [])
    assert "--installed p=VERSION" in plan.notes[0]
