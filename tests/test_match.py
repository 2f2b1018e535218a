"""The severity/status table of PRODUCT.md at both sides of every version boundary."""

from __future__ import annotations

import pytest
from packaging.version import Version

from scanner.keypath import parse_pattern
from scanner.match import Versions, judge
from scanner.matrix import Rule


def rule(**kw: object) -> Rule:
    base: dict[str, object] = dict(id="T001", product="p", file="f", key="k", parts=parse_pattern("k"),
                                   message="m", source="s", origin="o")
    base.update(kw)
    return Rule(**base)  # type: ignore[arg-type]


def v(installed: str | None, target: str) -> Versions:
    return Versions(Version(installed) if installed else None, installed, None, Version(target), target)


DEP_REM = rule(deprecated="2.0", removed="3.0")
CASES = [
    # installed, target, expected
    ("1.9", "1.9", None),
    ("1.9", "2.0", ("deprecated", "deprecated-at-target")),
    ("2.0", "2.0", ("deprecated", "deprecated-now")),
    ("2.9.9", "2.9.9", ("deprecated", "deprecated-now")),
    ("2.5", "3.0", ("breaking", "breaks-at-target")),
    ("1.0", "3.0", ("breaking", "breaks-at-target")),
    ("3.0", "3.0", ("breaking", "broken-now")),
    ("3.0.1", "3.1", ("breaking", "broken-now")),
    ("3.0rc1", "3.0rc1", ("deprecated", "deprecated-now")),
    # installed unknown: nothing is known to be broken or deprecated now
    (None, "1.9", None),
    (None, "2.9", ("deprecated", "deprecated-at-target")),
    (None, "3.0", ("breaking", "breaks-at-target")),
]


@pytest.mark.parametrize(("installed", "target", "expected"), CASES)
def test_deprecated_and_removed(installed: str | None, target: str, expected: tuple[str, str] | None) -> None:
    assert judge(DEP_REM, v(installed, target)) == expected


def test_removed_only_rule() -> None:
    r = rule(removed="2.0")
    assert judge(r, v("1.0", "1.9")) is None
    assert judge(r, v("1.0", "2.0")) == ("breaking", "breaks-at-target")
    assert judge(r, v("2.0", "2.0")) == ("breaking", "broken-now")


def test_deprecated_only_rule_never_breaks() -> None:
    r = rule(deprecated="2.0")
    assert judge(r, v("9.0", "9.0")) == ("deprecated", "deprecated-now")


@pytest.mark.parametrize(("installed", "target", "expected"), [
    ("1.0", "1.9", None),
    ("1.0", "2.0", ("breaking", "default-changes-at-target")),
    ("1.5", "3.0", ("breaking", "default-changes-at-target")),
    ("2.0", "3.0", None),
    (None, "3.0", None),
])
def test_default_changed(installed: str | None, target: str, expected: tuple[str, str] | None) -> None:
    r = rule(kind="default-changed", changed="2.0", default_old=False, default_new=True)
    assert judge(r, v(installed, target)) == expected


def test_show_future() -> None:
    assert judge(DEP_REM, v("1.0", "1.5"), show_future=True) == ("info", "future")
    assert judge(DEP_REM, v("1.0", "1.5"), show_future=False) is None


def test_where_reads_siblings_or_the_document_root() -> None:
    from scanner.match import RuleIndex, match_occurrences
    from scanner.parsers import get_parser

    text = (
        "kind: Ingress\nmetadata:\n  annotations:\n    kubernetes.io/ingress.class: nginx\n---\n"
        "kind: IngressRoute\nmetadata:\n  annotations:\n    kubernetes.io/ingress.class: traefik\n"
    )
    key = 'metadata.annotations."kubernetes.io/ingress.class"'
    rooted = rule(key=key, parts=parse_pattern(key), deprecated="1.18", where=((parse_pattern("/kind"), "Ingress"),))
    sibling = rule(id="T002", key=key, parts=parse_pattern(key), deprecated="1.18",
                   where=((parse_pattern("kind"), "Ingress"),))
    occurrences = get_parser("yaml")(text).occurrences
    hits = match_occurrences(RuleIndex([rooted, sibling]), occurrences)
    assert [(r.id, o.line if o else None) for r, o in hits] == [("T001", 4)]
