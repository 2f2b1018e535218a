"""A regular expression as an automaton of character positions, for ``scanner.regexcheck`` to prove it safe.

The automaton over-approximates what ``re`` does: under IGNORECASE a character stands for every character of its
case group, a word boundary or lookaround lets everything through, and a repeat bounded above 20 counts as
unbounded. More characters and more ways through can only make a
pattern look slower than it is, never faster, so a pattern found safe here is safe in ``re``.
"""

from __future__ import annotations

import bisect
import functools
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

try:
    import re._parser as sre  # type: ignore[import-not-found,unused-ignore]
except ImportError:  # pragma: no cover - Python 3.10
    import sre_parse as sre  # type: ignore[no-redef,unused-ignore]

MAX_CHAR = 0x10FFFF
NEWLINE = 10
UNROLL = 20  # a repeat bounded above this counts as unbounded (x{0,1000} as x*)
MAX_NODES = 5_000

Charset = tuple[tuple[int, int], ...]  # sorted, disjoint, inclusive code point ranges
ALL: Charset = ((0, MAX_CHAR),)
CATEGORIES = {"CATEGORY_DIGIT": r"\d", "CATEGORY_SPACE": r"\s", "CATEGORY_WORD": r"\w"}
# labels of zero-width steps: at the start of the text, of a line, at a line end, at the very end, a lookaround
BOS, BOL, EOL, EOS, LOOK = "bos", "bol", "eol", "eos", "look"


class Refused(Exception):
    """The pattern uses something the check does not accept (a backreference), or is too big to check."""


def normalize(ranges: Iterable[tuple[int, int]]) -> Charset:
    out: list[tuple[int, int]] = []
    for lo, hi in sorted(ranges):
        if out and lo <= out[-1][1] + 1:
            out[-1] = (out[-1][0], max(out[-1][1], hi))
        else:
            out.append((lo, hi))
    return tuple(out)


def complement(cs: Charset) -> Charset:
    out, start = [], 0
    for lo, hi in cs:
        if lo > start:
            out.append((start, lo - 1))
        start = hi + 1
    if start <= MAX_CHAR:
        out.append((start, MAX_CHAR))
    return tuple(out)


def contains(cs: Charset, ch: int) -> bool:
    i = bisect.bisect_right(cs, (ch, MAX_CHAR)) - 1
    return i >= 0 and cs[i][0] <= ch <= cs[i][1]


@functools.cache
def _case_groups() -> tuple[list[int], dict[int, tuple[int, ...]]]:
    """Every cased character (sorted), and for each the characters ``re`` may take for it under IGNORECASE."""
    import _sre  # type: ignore[import-not-found,unused-ignore]

    try:
        from re._casefix import _EXTRA_CASES as extra  # type: ignore[import-not-found,unused-ignore]
    except ImportError:  # pragma: no cover - Python 3.10
        from sre_compile import _ignorecase_fixes as extra  # type: ignore[attr-defined,no-redef,unused-ignore]
    parent: dict[int, int] = {}

    def find(x: int) -> int:
        while parent.get(x, x) != x:
            x = parent[x]
        return x

    def union(a: int, b: int) -> None:
        a, b = find(a), find(b)
        if a != b:
            parent[a] = b

    cased = [ch for ch in range(0x20000) if _sre.unicode_iscased(ch)]  # none above U+1E943
    for ch in cased:
        union(ch, _sre.unicode_tolower(ch))
        upper = chr(ch).upper()
        if len(upper) == 1:
            union(ch, ord(upper))
    for ch, others in extra.items():
        for other in others:
            union(ch, other)
    members: dict[int, list[int]] = {}
    for ch in {*cased, *parent}:
        members.setdefault(find(ch), []).append(ch)
    return sorted(cased), {ch: tuple(members[find(ch)]) for ch in cased}


def fold(cs: Charset) -> Charset:
    """A charset with every case variant ``re`` may match under IGNORECASE."""
    cased, group = _case_groups()
    extra: list[tuple[int, int]] = []
    for lo, hi in cs:
        for ch in cased[bisect.bisect_left(cased, lo):bisect.bisect_right(cased, hi)]:
            extra.extend((other, other) for other in group[ch])
    return normalize((*cs, *extra)) if extra else cs


def category(name: str, ascii_only: bool) -> Charset:
    """The exact characters of ``\\d``, ``\\s`` or ``\\w`` (or their negations), as ``re`` itself finds them."""
    escape = CATEGORIES.get(name.replace("_NOT_", "_"))
    if escape is None:
        raise Refused(f"it uses the character category {name}, which the check does not know")
    found = _categories(ascii_only)[escape]
    return complement(found) if "_NOT_" in name else found


@functools.cache
def _categories(ascii_only: bool) -> dict[str, Charset]:
    every = "".join(map(chr, range(MAX_CHAR + 1)))  # ~0.15 s once, and only for a pattern with \d, \s or \w
    flags = re.ASCII if ascii_only else 0
    return {escape: tuple((m.start(), m.end() - 1) for m in re.finditer(escape + "+", every, flags))
            for escape in CATEGORIES.values()}


def _item_set(op: str, av: Any, ascii_only: bool) -> Charset:
    if op == "LITERAL":
        return ((av, av),)
    if op == "RANGE":
        return ((av[0], av[1]),)
    if op == "CATEGORY":
        return category(str(av), ascii_only)
    raise Refused(f"it uses {op} in a character class, which the check does not know")


def class_charset(items: Sequence[tuple[Any, Any]], flags: int) -> Charset:
    """The characters a ``[...]`` class (or ``\\d``, ``\\w``, ...) may match."""
    negate = bool(items) and str(items[0][0]) == "NEGATE"
    union = normalize(r for op, av in (items[1:] if negate else items)
                      for r in _item_set(str(op), av, bool(flags & re.ASCII)))
    if negate:  # case variants only shrink a negated class: the complement of its members is wide enough
        return complement(union)
    return fold(union) if flags & re.IGNORECASE else union


@dataclass
class Lookaround:
    """A lookahead or lookbehind: checked on its own, and a free step in the pattern around it."""

    node: int
    items: Any
    flags: int


@dataclass
class Nfa:
    """Nodes are either character positions (``cls[n]`` set, one successor ``out[n]``) or free steps (``eps[n]``:
    successors, each with a label that limits where the step may be taken, or None)."""

    cls: list[Charset | None] = field(default_factory=list)
    out: list[int] = field(default_factory=list)
    eps: list[list[tuple[int, str | None]]] = field(default_factory=list)
    lookarounds: list[Lookaround] = field(default_factory=list)
    entry: int = 0
    final: int = 0

    def node(self, cls: Charset | None = None) -> int:
        if len(self.cls) >= MAX_NODES:
            raise Refused(f"it is too large to check (over {MAX_NODES} positions once repeats are unrolled)")
        self.cls.append(cls)
        self.out.append(-1)
        self.eps.append([])
        return len(self.cls) - 1

    def link(self, a: int, b: int, label: str | None = None) -> None:
        self.eps[a].append((b, label))


def build(items: Any, flags: int) -> Nfa:
    """The automaton of a parsed pattern (``sre.parse(...)`` or the body of a lookaround)."""
    nfa = Nfa()
    nfa.entry, nfa.final = _sequence(nfa, items, flags)
    return nfa


def parse(pattern: str) -> tuple[Any, int]:
    tree = sre.parse(pattern)
    return tree, int(tree.state.flags)


def _sequence(nfa: Nfa, items: Iterable[tuple[Any, Any]], flags: int) -> tuple[int, int]:
    start = end = nfa.node()
    for op, av in items:
        entry, exit_ = _piece(nfa, str(op), av, flags)
        nfa.link(end, entry)
        end = exit_
    return start, end


def _char(nfa: Nfa, cls: Charset) -> tuple[int, int]:
    node, exit_ = nfa.node(cls), nfa.node()
    nfa.out[node] = exit_
    return node, exit_


def _piece(nfa: Nfa, op: str, av: Any, flags: int) -> tuple[int, int]:
    ignorecase = bool(flags & re.IGNORECASE)
    if op == "LITERAL":
        return _char(nfa, fold(((av, av),)) if ignorecase else ((av, av),))
    if op == "NOT_LITERAL":
        return _char(nfa, complement(((av, av),)))
    if op == "ANY":
        return _char(nfa, ALL if flags & re.DOTALL else complement(((NEWLINE, NEWLINE),)))
    if op == "IN":
        return _char(nfa, class_charset(av, flags))
    if op == "FAILURE":
        return _char(nfa, ())
    if op == "SUBPATTERN":
        add, remove = av[1] or 0, av[2] or 0
        return _sequence(nfa, av[-1], (flags | add) & ~remove)
    if op == "ATOMIC_GROUP":  # no backtracking into it in re; checked as if there were
        return _sequence(nfa, av, flags)
    if op == "BRANCH":
        entry, exit_ = nfa.node(), nfa.node()
        for alternative in av[1]:
            a, b = _sequence(nfa, alternative, flags)
            nfa.link(entry, a)
            nfa.link(b, exit_)
        return entry, exit_
    if op in ("MAX_REPEAT", "MIN_REPEAT", "POSSESSIVE_REPEAT"):
        return _repeat(nfa, av, flags)
    if op == "AT":
        return _anchor(nfa, str(av), flags)
    if op in ("ASSERT", "ASSERT_NOT"):
        entry, exit_ = nfa.node(), nfa.node()
        nfa.link(entry, exit_, LOOK)
        nfa.lookarounds.append(Lookaround(entry, av[1], flags))
        return entry, exit_
    if op.startswith("GROUPREF"):
        raise Refused("it uses a backreference or a conditional group, which can take exponential time")
    raise Refused(f"it uses {op}, which the check does not know")


def _anchor(nfa: Nfa, code: str, flags: int) -> tuple[int, int]:
    multiline = bool(flags & re.MULTILINE)
    label = {
        "AT_BEGINNING": BOL if multiline else BOS, "AT_BEGINNING_STRING": BOS,
        "AT_END": EOL, "AT_END_STRING": EOS,  # $ also matches before a last newline: EOL over-approximates
    }.get(code)  # word boundaries: a free step (it may only make the pattern look slower)
    entry, exit_ = nfa.node(), nfa.node()
    nfa.link(entry, exit_, label)
    return entry, exit_


def _repeat(nfa: Nfa, av: Any, flags: int) -> tuple[int, int]:
    lo, hi, body = av
    unbounded = hi == sre.MAXREPEAT or hi > UNROLL
    start = end = nfa.node()
    for _ in range(min(lo, UNROLL)):
        a, b = _sequence(nfa, body, flags)
        nfa.link(end, a)
        end = b
    if unbounded:  # a loop: take the body again or leave
        head, exit_ = nfa.node(), nfa.node()
        a, b = _sequence(nfa, body, flags)
        if _nullable(nfa, a, b):
            raise Refused("a repeated part can match empty text (like (a?)*), which can take exponential time")
        nfa.link(end, head)
        nfa.link(head, a)
        nfa.link(b, head)
        nfa.link(head, exit_)
        return start, exit_
    exit_ = nfa.node()
    for _ in range(hi - lo):  # nested optional copies, x{0,2} as (x(x)?)?: one way through for each count
        nfa.link(end, exit_)
        a, b = _sequence(nfa, body, flags)
        nfa.link(end, a)
        end = b
    nfa.link(end, exit_)
    return start, exit_


def _nullable(nfa: Nfa, start: int, end: int) -> bool:
    """Whether free steps alone (of any label) lead from start to end."""
    seen, todo = {start}, [start]
    while todo:
        n = todo.pop()
        if n == end:
            return True
        for t, _ in nfa.eps[n]:
            if t not in seen:
                seen.add(t)
                todo.append(t)
    return False
