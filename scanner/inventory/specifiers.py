"""What a version constraint says is installed: the pinned version (exact) or its lower bound."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from packaging.version import InvalidVersion, Version

from scanner.inventory.interface import EXACT, LOWER_BOUND, canonical_name
from scanner.lazyregex import LazyRegex

if TYPE_CHECKING:
    from packaging.specifiers import SpecifierSet

_LOWER_OPS = (">=", "~=")
# compiled on first use: a project without poetry or npm ranges never needs them
_RANGE_PART = LazyRegex(r"^(\^|~=|~|>=|==|=|>|<=|<|!=)?v?(\d+(?:\.(?:\d+|[xX*]))*(?:[-+][0-9A-Za-z.+-]*)?)$")
_OP_SPACE = LazyRegex(r"(\^|~=|~|>=|==|=|>|<=|<|!=)\s+")
_WILDCARD = LazyRegex(r"\.?[xX*].*$")


# A clause of plain release numbers (``>=4.2``, ``==4.2.*``, ``~=4.2``, ``< 5``), which every packaging release
# accepts: read here, because compiling packaging.specifiers' regex alone costs a pre-commit run ~5 ms; any
# other clause sends the whole set to packaging, which is the reference (and raises InvalidSpecifier).
_PLAIN_CLAUSE = LazyRegex(r"\s*(?:(==|!=)\s*([0-9]+(?:\.[0-9]+)*(?:\.\*)?)|(~=)\s*([0-9]+(?:\.[0-9]+)+)"
                          r"|(<=|>=|<|>)\s*([0-9]+(?:\.[0-9]+)*))\s*")


def specifier_pairs(text: str) -> list[tuple[str, str]]:
    """(operator, version) of each clause of a PEP 440 specifier set, as packaging's SpecifierSet reads them
    (in the order written); raises InvalidSpecifier, a ValueError, for an invalid set."""
    pairs = []
    for clause in text.split(","):
        if not clause.strip():
            continue
        m = _PLAIN_CLAUSE.fullmatch(clause.strip())
        if m is None:
            from packaging.specifiers import SpecifierSet

            return [(s.operator, s.version) for s in SpecifierSet(text)]
        op, version = (g for g in m.groups() if g is not None)  # one alternative's operator and version
        pairs.append((op, version))
    return pairs


def specifier_version(spec: str | SpecifierSet) -> tuple[str, str] | None:
    """``==4.2.7`` is 4.2.7 exact; ``>=4.2,<5``, ``~=4.2`` and ``==4.2.*`` are 4.2 as a lower bound.
    A string is read by ``specifier_pairs`` (and may raise InvalidSpecifier)."""
    pairs = specifier_pairs(spec) if isinstance(spec, str) else [(s.operator, s.version) for s in spec]
    exact = sorted(v for op, v in pairs if op == "===" or (op == "==" and "*" not in v))
    if exact:
        return exact[0], EXACT
    bounds = [v.removesuffix(".*") for op, v in pairs
              if op in _LOWER_OPS or (op == "==" and v.endswith(".*"))]
    if not bounds:
        return None
    return max(bounds, key=_sort_key), LOWER_BOUND


# ``name[extras] specifiers`` with no marker or URL: read without packaging.requirements, whose import
# (markers, tags, platform) costs more than a whole pre-commit run of cfgscan should
_SIMPLE_REQUIREMENT = LazyRegex(
    r"\s*(?P<name>[A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?)\s*(?:\[[A-Za-z0-9._,\s-]*\])?\s*"
    r"(?P<spec>(?:[<>=!~]=?|===)[^;@]*)?\s*$"
)


def requirement_version(text: str) -> tuple[str, str, str] | None:
    """(canonical name, version, kind) of a PEP 508 requirement; raises ValueError (InvalidRequirement)."""
    simple = _SIMPLE_REQUIREMENT.fullmatch(text)
    if simple is not None:
        spec = (simple.group("spec") or "").strip()
        found = specifier_version(spec.replace("(", "").replace(")", ""))
        return None if found is None else (canonical_name(simple.group("name")), found[0], found[1])
    from packaging.requirements import Requirement  # markers, URLs, parenthesised specifiers

    req = Requirement(text)
    found = specifier_version(req.specifier)
    if found is None:
        return None
    return canonical_name(req.name), found[0], found[1]


# PEP 440 specifiers (requirements, pyproject) go through ``packaging``; poetry and npm ranges share one
# reader because poetry borrowed npm's caret, tilde and wildcard syntax.
def range_version(constraint: str) -> tuple[str, str] | None:
    """A poetry or npm range: ``^4.2``/``~4.2``/``>=4.2 <5``/``4.x`` give 4.2 or 4 as a lower bound,
    a bare or ``=``/``==`` version is exact; of alternatives (``||``) the first one counts."""
    first = constraint.split("||")[0].split("|")[0].strip()
    if " - " in first:  # npm hyphen range: "1.2.3 - 2.3.4"
        first = ">=" + first.split(" - ")[0].strip()
    parts = [p for p in re.split(r"[,\s]+", _OP_SPACE.compiled.sub(r"\1", first)) if p]
    bounds: list[str] = []
    for part in parts:
        m = _RANGE_PART.compiled.match(part)
        if not m:
            return None
        op, version = m.group(1) or "", m.group(2)
        if op in ("", "=", "==") and not _WILDCARD.search(version):
            return version, EXACT
        if op in ("", "=", "==", "^", "~", "~=", ">="):
            bound = _WILDCARD.compiled.sub("", version)
            if bound:
                bounds.append(bound)
    return (bounds[0], LOWER_BOUND) if bounds else None


def _sort_key(version: str) -> Version:
    try:
        return Version(version)
    except InvalidVersion:
        return Version("0")
