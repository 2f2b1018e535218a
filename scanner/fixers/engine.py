"""Apply fixes to one file's text, one verified edit at a time: re-parse, check that exactly the
intended key changed and that no rule fires that did not fire before (a fix whose result another rule
flags is followed to the end of the chain, or left to the user); anything unsure is reported, never written."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from scanner.discover import Claim
from scanner.fixers import fixer_for
from scanner.fixers.chains import Hit, Step, resolve
from scanner.fixers.interface import FixContext, NotFixable, apply_edits
from scanner.keypath import render_path
from scanner.match import RuleIndex, Versions, judge, match_occurrences
from scanner.matrix import Rule
from scanner.model import KeyPath, Occurrence, value_text
from scanner.parsers import get_parser
from scanner.scan import STAR_IMPORT
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


def _moved(p: KeyPath, step: Step) -> KeyPath:
    """Where a key outside the changed one ends up: the later items of a list shift up after a deletion."""
    path, n = step.path, len(step.path)
    if step.delete and isinstance(path[-1], int) and len(p) >= n and p[: n - 1] == path[:-1]:
        index = p[n - 1]
        if isinstance(index, int) and index > path[-1]:
            return (*path[:-1], index - 1, *p[n:])
    return p


def verify(before: list[Occurrence], after: list[Occurrence], step: Step, occ: Occurrence) -> str | None:
    """None when the new occurrences differ from the old exactly by the step's change."""
    path, doc, target = step.path, occ.doc, step.target
    expected: Counter[tuple[int, KeyPath, str]] = Counter()
    lo = occ.key_span[0] if occ.key_span else 0
    hi = max(occ.value_span[1] if occ.value_span else 0, occ.key_span[1] if occ.key_span else 0)
    for o in before:
        d, p, v = _sig(o)
        inside = o.key_span is None or lo <= o.key_span[0] <= hi
        if d == doc and p[: len(path)] == path and inside:
            if step.delete:
                continue
            if step.sets and p == path:
                v = str(value_text(step.value))
            if target is not None:
                p = target + p[len(path):]
        elif d == doc:
            p = _moved(p, step)
        expected[(d, p, v)] += 1
    got = Counter(_sig(o) for o in after)

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


@dataclass
class _Scope:
    """What judging a version of the file needs: its claims, rule indexes, versions."""

    claims: tuple[Claim, ...]
    indexes: dict[tuple[str, str], RuleIndex]
    versions: dict[str, Versions]
    show_future: bool

    def hits(self, text: str, parsed: dict[str, list[Occurrence]]) -> list[Hit]:
        """Every finding of the text at these versions, for every product that claims the file."""
        out: list[Hit] = []
        for claim in self.claims:
            fmt = claim.spec.format
            if fmt not in parsed:
                parsed[fmt] = get_parser(fmt)(text).occurrences
            v = self.versions.get(claim.product)
            if v is None:
                continue
            absent_ok = not (fmt == "python" and STAR_IMPORT.search(text))
            for rule, occ in match_occurrences(self.indexes[(claim.product, claim.spec.name)], parsed[fmt], absent_ok):
                verdict = judge(rule, v, self.show_future)
                if verdict is not None:
                    out.append((rule, occ, verdict[1]))
        return out


@dataclass
class _Attempt:
    """Makes a step on the file's current text, verified; keeps the text of the last step made."""

    scope: _Scope
    text: str
    fmt: str
    occ: Occurrence
    occurrences: list[Occurrence]
    newline: str
    made: str = ""

    def apply(self, step: Step) -> list[Hit]:
        fixer = fixer_for(self.fmt)
        text, occ, occurrences = self.text, self.occ, self.occurrences
        if step.delete:
            text = apply_edits(text, fixer.delete(self._context(text, occ, occurrences)))
        if step.target is not None:
            ctx = self._context(text, occ, occurrences)
            if ctx.find(step.target) is not None:
                raise NotFixable(f"conflict: {render_path(step.target)} already exists; merge them by hand")
            text = apply_edits(text, fixer.rename(ctx, step.target))
            if step.sets:  # then set the value where the key now is
                occurrences = self._parse(text)
                ctx = self._context(text, occ, occurrences)
                moved = ctx.find(step.target)
                if moved is None:
                    raise NotFixable(f"{render_path(step.target)} is not where the move should have put it")
                occ = moved
        if step.sets:
            text = apply_edits(text, fixer.set_value(self._context(text, occ, occurrences), step.value))
        after = self._parse(text)
        problem = verify(self.occurrences, after, step, self.occ)
        if problem:
            raise NotFixable(problem)
        self.made = text
        return self.scope.hits(text, {self.fmt: after})

    def _context(self, text: str, occ: Occurrence, occurrences: list[Occurrence]) -> FixContext:
        return FixContext(text, occ, tuple(occurrences), self.newline)

    def _parse(self, text: str) -> list[Occurrence]:
        result = get_parser(self.fmt)(text)
        if result.errors:
            raise NotFixable(f"the fixed file would not parse ({result.errors[0][2]})")
        return result.occurrences


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
    scope = _Scope(claims, indexes, versions, show_future)
    attempted: set[tuple[str, int, KeyPath]] = set()
    newline = "\r\n" if "\r\n" in text else "\n"
    for _ in range(MAX_ROUNDS):
        step = _next_fix(out.text, scope, attempted)
        if step is None:
            return out
        rule, occ, occurrences, fmt, before = step
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
        attempt = _Attempt(scope, out.text, fmt, occ, occurrences, newline)
        try:
            made = resolve(rule, occ, before, attempt.apply, unsafe)
        except NotFixable as exc:
            out.refused.append((rule, key, occ.line, str(exc)))
            continue
        out.text = attempt.made
        out.applied.append((rule, key, occ.line))
        # the keys passed over may have moved (later list items shift up); a fix never repeats: each one
        # leaves fewer findings than before
        attempted = {(r, d, _moved(p, made) if d == occ.doc else p) for r, d, p in attempted}
        attempted.discard((rule.id, occ.doc, occ.path))
    return out


def _next_fix(
    text: str, scope: _Scope, attempted: set[tuple[str, int, KeyPath]]
) -> tuple[Rule, Occurrence, list[Occurrence], str, list[Hit]] | None:
    """The next finding to fix (with the occurrences of its format and every finding of the text), or None."""
    parsed: dict[str, list[Occurrence]] = {}
    hits = scope.hits(text, parsed)
    formats = {(c.product, c.spec.name): c.spec.format for c in scope.claims}
    for rule, occ, _ in hits:
        if occ is None or rule.kind == "default-changed" or rule.fix_action == "none":
            continue
        if (rule.id, occ.doc, occ.path) not in attempted:
            fmt = formats[(rule.product, rule.file)]
            return rule, occ, parsed[fmt], fmt, hits
    return None
