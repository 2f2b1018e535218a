"""Apply fixes to one file's text, one verified edit at a time: re-parse, check that exactly the
intended key changed, and keep the edit only then; anything unsure is reported, never written."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from scanner.discover import Claim
from scanner.fixers import fixer_for
from scanner.fixers.interface import FixContext, NotFixable, apply_edits
from scanner.keypath import parse_pattern, render_path
from scanner.match import RuleIndex, Versions, judge, match_occurrences
from scanner.matrix import Rule
from scanner.model import KeyPath, Occurrence, value_text
from scanner.parsers import get_parser
from scanner.suppress import _inline_markers

MAX_ROUNDS = 200


@dataclass
class FileFix:
    """What fixing one file did: the new text, the fixes applied, and the ones refused with a reason."""

    text: str
    applied: list[tuple[Rule, str, int]] = field(default_factory=list)  # rule, key, line
    refused: list[tuple[Rule, str, int, str]] = field(default_factory=list)  # rule, key, line, reason


def _sig(o: Occurrence) -> tuple[int, KeyPath, str]:
    text = value_text(o.value)
    return o.doc, o.path, text if text is not None else repr(o.value)


def rename_target(rule: Rule, path: KeyPath) -> KeyPath:
    """The rename target, with wildcards filled from the matched path at the same positions."""
    parts = parse_pattern(str(rule.fix_to))
    out: list[str | int] = []
    for i, part in enumerate(parts):
        out.append(part.text if part.kind == "lit" else path[i])
    if len(parts) == 1 and len(path) > 1:  # a bare name renames in place
        return (*path[:-1], out[0])
    return tuple(out)


def verify(fmt: str, before: list[Occurrence], new_text: str, rule: Rule, occ: Occurrence,
           target: KeyPath | None) -> str | None:
    """None when the new text parses and differs from the old exactly by the intended change."""
    result = get_parser(fmt)(new_text)
    if result.errors:
        return f"the fixed file would not parse ({result.errors[0][2]})"
    path, doc = occ.path, occ.doc
    expected: Counter[tuple[int, KeyPath, str]] = Counter()
    lo = occ.key_span[0] if occ.key_span else 0
    hi = max(occ.value_span[1] if occ.value_span else 0, occ.key_span[1] if occ.key_span else 0)
    for o in before:
        d, p, v = _sig(o)
        inside = o.key_span is None or lo <= o.key_span[0] <= hi
        if d == doc and p[: len(path)] == path and inside:
            if rule.fix_action == "delete":
                continue
            if rule.fix_action == "rename" and target is not None:
                p = target + p[len(path):]
            elif rule.fix_action == "set-value" and p == path:
                v = str(value_text(rule.fix_to))
        expected[(d, p, v)] += 1
    got = Counter(_sig(o) for o in result.occurrences)

    def keep(item: tuple[int, KeyPath, str]) -> bool:
        d, p, _ = item  # parents of the changed key may be created or emptied: not compared
        return d != doc or not any(len(p) < len(a) and a[: len(p)] == p for a in (path, target or path))

    expected = Counter({k: n for k, n in expected.items() if keep(k)})
    got = Counter({k: n for k, n in got.items() if keep(k)})
    if expected != got:
        extra = sorted(set(got) - set(expected), key=str)[:1]
        missing = sorted(set(expected) - set(got), key=str)[:1]
        detail = (f"unexpected {render_path(extra[0][1])}" if extra
                  else f"lost {render_path(missing[0][1])}" if missing else "counts")
        return f"the edit would change more than the intended key ({detail})"
    return None


def fix_text(
    text: str,
    claims: tuple[Claim, ...],
    indexes: dict[tuple[str, str], RuleIndex],
    versions: dict[str, Versions],
    show_future: bool,
    unsafe: bool,
    skip: set[tuple[str, str]],
) -> FileFix:
    """Fix every reported, fixable, unsuppressed finding of one file; skip holds (rule, key) suppressed."""
    out = FileFix(text)
    attempted: set[tuple[str, int, KeyPath]] = set()
    newline = "\r\n" if "\r\n" in text else "\n"
    for _ in range(MAX_ROUNDS):
        step = _next_fix(out, claims, indexes, versions, show_future, attempted)
        if step is None:
            return out
        rule, occ, occurrences, fmt = step
        attempted.add((rule.id, occ.doc, occ.path))
        key = render_path(occ.path)
        if (rule.id, key) in skip:
            continue
        markers = _inline_markers(out.text)
        if any(m is not None and (m[0] is None or any(rule.id.startswith(i) for i in m[0]))
               for m in (markers.get(occ.line), markers.get(occ.line - 1))):
            continue
        if not rule.fix_safe and not unsafe:
            out.refused.append((rule, key, occ.line, "the fix is marked unsafe (use --unsafe-fixes)"))
            continue
        ctx = FixContext(out.text, occ, tuple(occurrences), newline)
        target = None
        try:
            fixer = fixer_for(fmt)
            if rule.fix_action == "delete":
                edits = fixer.delete(ctx)
            elif rule.fix_action == "set-value":
                edits = fixer.set_value(ctx, rule.fix_to)
            else:
                target = rename_target(rule, occ.path)
                if ctx.find(target) is not None:
                    raise NotFixable(f"conflict: {render_path(target)} already exists; merge them by hand")
                edits = fixer.rename(ctx, target)
            new_text = apply_edits(out.text, edits)
        except NotFixable as exc:
            out.refused.append((rule, key, occ.line, str(exc)))
            continue
        problem = verify(fmt, list(occurrences), new_text, rule, occ, target)
        if problem:
            out.refused.append((rule, key, occ.line, problem))
            continue
        out.text = new_text
        out.applied.append((rule, key, occ.line))
    return out


def _next_fix(
    out: FileFix,
    claims: tuple[Claim, ...],
    indexes: dict[tuple[str, str], RuleIndex],
    versions: dict[str, Versions],
    show_future: bool,
    attempted: set[tuple[str, int, KeyPath]],
) -> tuple[Rule, Occurrence, list[Occurrence], str] | None:
    parsed: dict[str, list[Occurrence]] = {}
    for claim in claims:
        fmt = claim.spec.format
        if fmt not in parsed:
            result = get_parser(fmt)(out.text)
            parsed[fmt] = result.occurrences
        v = versions.get(claim.product)
        if v is None:
            continue
        for rule, occ in match_occurrences(indexes[(claim.product, claim.spec.name)], parsed[fmt]):
            if occ is None or rule.kind == "default-changed" or rule.fix_action == "none":
                continue
            if (rule.id, occ.doc, occ.path) in attempted or judge(rule, v, show_future) is None:
                continue
            return rule, occ, parsed[fmt], fmt
    return None
