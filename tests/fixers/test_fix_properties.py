"""Property tests: generated documents, one fix applied, re-parsed: exactly the intended key changed."""

from __future__ import annotations

import json
from collections import Counter

from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from packaging.version import Version

from scanner.discover import Claim
from scanner.fixers.engine import fix_text
from scanner.match import RuleIndex, Versions
from scanner.matrix import merge_matrices, read_matrix_file
from scanner.model import value_text
from scanner.parsers import get_parser

NAMES = st.text(alphabet="abcdefghij_", min_size=1, max_size=6).filter(lambda s: s not in ("old", "new"))
SCALARS = st.one_of(st.integers(-1000, 1000), st.booleans(), st.text(alphabet="abcxyz 0123", max_size=8))


def _matrix(fmt: str, action: str) -> tuple[dict[tuple[str, str], RuleIndex], tuple[Claim, ...], dict[str, Versions]]:
    key = "sec.old" if fmt == "ini" else "old"
    fix = {
        "rename": "{action: rename, to: %s}" % ("sec.new" if fmt == "ini" else "new"),
        "delete": "{action: delete}",
        "set-value": "{action: set-value, to: 42}",
    }[action]
    # a set-value rule names the values it replaces; one that also matched 42 would never be cleared
    only = ", value_regex: '^(?!42$)'" if action == "set-value" else ""
    text = f"""schema: 1
product: pp
title: P
releases: [{{version: "1.0"}}]
files: {{f: {{format: {fmt}, include: ["**/x"]}}}}
rules:
  - {{id: PP001, file: f, key: {key}{only}, deprecated: "1.0", message: m, fix: {fix}, source: https://example.invalid/}}
"""
    m = merge_matrices([(read_matrix_file("pp.yaml", text), "cli")])
    product = m.products["pp"]
    index = {("pp", "f"): RuleIndex(product.rules)}
    return (
        index,
        (Claim("pp", product.files["f"]),),
        {"pp": Versions(Version("1.0"), "1.0", None, Version("1.0"), "1.0")},
    )


def render(fmt: str, items: list[tuple[str, object]]) -> str:
    if fmt == "json":
        return json.dumps(dict(items), indent=2) + "\n"
    if fmt == "yaml":
        return "".join(f"{k}: {json.dumps(v)}  # c\n" for k, v in items)
    if fmt == "toml":
        return "".join(f"{k} = {json.dumps(v) if not isinstance(v, bool) else str(v).lower()}\n" for k, v in items)
    if fmt == "ini":
        return "[sec]\n" + "".join(f"{k} = {value_text(v)}\n" for k, v in items)
    return "".join(f"{k}={value_text(v)}\n" for k, v in items)  # dotenv


def sig(fmt: str, text: str) -> Counter[tuple[object, ...]]:
    result = get_parser(fmt)(text)
    assert not result.errors
    return Counter((o.path, value_text(o.value)) for o in result.occurrences)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    fmt=st.sampled_from(["json", "yaml", "toml", "ini", "dotenv"]),
    action=st.sampled_from(["rename", "delete", "set-value"]),
    others=st.lists(st.tuples(NAMES, SCALARS), max_size=6, unique_by=lambda t: t[0]),
    position=st.integers(0, 6),
    value=SCALARS,
)
def test_exactly_the_intended_key_changes(
    fmt: str, action: str, others: list[tuple[str, object]], position: int, value: object
) -> None:
    if fmt in ("ini", "dotenv"):
        others = [(k, str(value_text(v)).replace(" ", "_") or "v") for k, v in others]
        value = str(value_text(value)).replace(" ", "_") or "v"
    assume(action != "set-value" or value_text(value) != "42")
    items = list(others)
    items.insert(min(position, len(items)), ("old", value))
    text = render(fmt, items)
    index, claims, versions = _matrix(fmt, action)
    out = fix_text(text, claims, index, versions, False, False, set())
    assert out.applied, out.refused
    before, after = sig(fmt, text), sig(fmt, out.text)
    prefix = ("sec",) if fmt == "ini" else ()
    old_key = ((*prefix, "old"), value_text(value))
    assert before[old_key] >= 1
    expected = before.copy()
    expected[old_key] -= 1
    if action == "rename":
        expected[((*prefix, "new"), value_text(value))] += 1
    elif action == "set-value":
        expected[((*prefix, "old"), "42")] += 1
    if fmt == "ini":  # the multi-line item occurrences are not part of this property
        expected = Counter({k: n for k, n in expected.items() if len(k[0]) <= 2})
        after = Counter({k: n for k, n in after.items() if len(k[0]) <= 2})
    assert +expected == +after
    again = fix_text(out.text, claims, index, versions, False, False, set())
    assert again.text == out.text
