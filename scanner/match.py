"""The matcher: which rules fire on a file's occurrences, and how severe each is for a target version.

Every version comparison of a scan happens here, through ``packaging``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cached_property

from packaging.version import InvalidVersion, Version

from scanner.errors import UsageError
from scanner.keypath import DEEP, Part, last_literal, literal_prefix, match_path, render_path
from scanner.matrix import Product, Rule
from scanner.model import KeyPath, Occurrence, value_text
from scanner.parsers.interface import Wanted

MAX_REGEX_INPUT = 10_000
SEVERITY_ORDER = {"info": 0, "deprecated": 1, "breaking": 2}


@dataclass(frozen=True)
class Versions:
    """What a product is judged against: installed (maybe unknown), target, and their provenance."""

    installed: Version | None
    installed_text: str | None
    installed_source: str | None
    target: Version
    target_text: str


def parse_version(text: str, what: str) -> Version:
    try:
        return Version(str(text))
    except InvalidVersion:
        raise UsageError(f"{what}: {text!r} is not a version") from None


def known_release(product: Product, text: str) -> Version:
    """Resolve a target (``latest`` or a release, optionally with a patch) against the product's releases."""
    if not product.releases:
        raise UsageError(f"--target {product.id}: the matrix lists no releases")
    if text == "latest":
        return product.releases[-1].parsed
    v = parse_version(text, f"--target {product.id}")
    if product.versions_from.get("calendar"):
        return v  # a date-versioned service: any date is a valid target
    for r in product.releases:
        if v == r.parsed or v.release[: len(r.parsed.release)] == r.parsed.release:
            return v
    known = ", ".join(r.version for r in product.releases)
    what = "newer than every known release" if v > product.releases[-1].parsed else "not a known release"
    raise UsageError(f"--target {product.id}={text}: {what} of {product.id} (known: {known})")


def scan_target(product: Product, text: str) -> tuple[Version, str, str | None]:
    """What a scan judges ``--target P=V`` at, the version as reported, and a warning when there is one.

    A known release (or ``latest``) is itself. A version newer than every known release is judged at the newest
    one, with a warning: the matrix cannot know what a later release removes, but everything removed by the
    newest is certainly gone. Anything else (between or before the releases, not a version) is a usage error.
    """
    try:
        v = known_release(product, text)
    except UsageError:
        asked = parse_version(text, f"--target {product.id}")
        newest = product.releases[-1] if product.releases else None
        if newest is None or asked <= newest.parsed:
            raise
        return newest.parsed, newest.version, (
            f"--target {product.id}={text} is newer than the newest {product.id} release cfgscan knows "
            f"({newest.version}): judged against {newest.version}")
    return v, product.releases[-1].version if text == "latest" else text, None


def judge(rule: Rule, v: Versions, show_future: bool = False) -> tuple[str, str] | None:
    """The (severity, status) of a rule for installed I and target T, per PRODUCT.md's table.

    With I unknown, nothing is known to be broken or deprecated *now*: the statuses are the ``-at-target`` ones.
    """
    target = v.target
    installed = v.installed if v.installed is not None else target
    if rule.kind == "default-changed":
        changed = Version(str(rule.changed))
        if installed < changed <= target:
            return "breaking", "default-changes-at-target"
        if show_future and target < changed:
            return "info", "future"
        return None
    removed = Version(rule.removed) if rule.removed else None
    deprecated = Version(rule.deprecated) if rule.deprecated else None
    known = v.installed is not None
    if removed is not None and removed <= target:
        return "breaking", "broken-now" if known and removed <= installed else "breaks-at-target"
    if deprecated is not None and deprecated <= target:
        return "deprecated", "deprecated-now" if known and deprecated <= installed else "deprecated-at-target"
    first = deprecated or removed
    if show_future and first is not None and target < first:
        return "info", "future"
    return None


def at_or_above(severity: str, fail_on: str) -> bool:
    if fail_on == "never":
        return False
    return SEVERITY_ORDER[severity] >= SEVERITY_ORDER[fail_on]


class RuleIndex:
    """The rules of one file spec, indexed by (last key segment, value) for a fast lookup per occurrence."""

    def __init__(self, rules: Iterable[Rule]) -> None:
        self.by_key_value: dict[tuple[str, str], list[Rule]] = {}
        self.by_key: dict[str, list[Rule]] = {}
        # generic rules (no literal last segment) by the path length they match; `**` rules match any length
        self.generic_by_len: dict[int, list[Rule]] = {}
        self.generic_deep: list[Rule] = []
        self.absent: list[Rule] = []
        for rule in rules:
            if rule.kind == "default-changed":
                self.absent.append(rule)
                continue
            last = last_literal(rule.parts)
            if last is None:
                if any(p.kind == DEEP for p in rule.parts):
                    self.generic_deep.append(rule)
                else:
                    self.generic_by_len.setdefault(len(rule.parts), []).append(rule)
            elif rule.has_value and value_text(rule.value) is not None:
                self.by_key_value.setdefault((last, str(value_text(rule.value))), []).append(rule)
            else:
                self.by_key.setdefault(last, []).append(rule)

    @property
    def generic(self) -> list[Rule]:
        """The rules without a literal last segment."""
        return [*self.generic_deep, *(r for rules in self.generic_by_len.values() for r in rules)]

    @cached_property
    def wanted(self) -> Wanted | None:
        """The keys these rules can match or look up (None: every key, for rules on absent keys or ``**``)."""
        if self.absent or self.generic_deep:
            return None
        keys = set(self.by_key) | {key for key, _ in self.by_key_value}
        for rules in (*self.by_key.values(), *self.by_key_value.values(), *self.generic_by_len.values()):
            for rule in rules:
                for parts, _ in rule.where:
                    _, parts = where_anchor((), parts)
                    last = last_literal(parts)
                    if last is None:
                        return None
                    keys.add(last)
        return Wanted(frozenset(keys), frozenset(self.generic_by_len), self.could_fire)

    def candidates(self, occ: Occurrence) -> list[Rule]:
        return self._candidates(occ.path, occ.value)

    def _candidates(self, path: KeyPath, value: object) -> list[Rule]:
        last = path[-1] if path else None
        out: list[Rule] = [*self.generic_deep, *self.generic_by_len.get(len(path), ())]
        if isinstance(last, str):
            out.extend(self.by_key.get(last, ()))
            text = value_text(value)
            if text is not None and self.by_key_value:
                out.extend(self.by_key_value.get((last, text), ()))
        return out

    def could_fire(self, path: KeyPath, value: object) -> bool:
        """Whether some rule matches this key and value, its ``where`` conditions aside."""
        return any(match_path(r.parts, path) and _value_ok(r, value) for r in self._candidates(path, value))


def _value_ok(rule: Rule, value: object) -> bool:
    if rule.has_value:
        return value_text(value) == value_text(rule.value)
    if rule.value_regex is not None:
        text = value_text(value)
        return text is not None and rule.value_regex.search(text[:MAX_REGEX_INPUT]) is not None
    return True


def value_match(rule: Rule, value: object) -> tuple[int, int] | None:
    """Where in the value's text a value rule matched: the regex's first match, or all of it for ``value:``."""
    text = value_text(value)
    if text is None:
        return None
    if rule.value_regex is not None:
        m = rule.value_regex.search(text[:MAX_REGEX_INPUT])
        return m.span() if m else None
    return (0, len(text)) if rule.has_value else None


def where_anchor(parent: KeyPath, parts: tuple[Part, ...]) -> tuple[KeyPath, tuple[Part, ...]]:
    """A ``where`` key is relative to the matched key's parent, or to the document root when it starts
    with ``/`` (``/kind``: the kind of the manifest an annotation sits in)."""
    if parts and parts[0].kind == "lit" and parts[0].text.startswith("/"):
        first = parts[0].text[1:]
        return (), ((Part("lit", first), *parts[1:]) if first else parts[1:])
    return parent, parts


def _where_ok(rule: Rule, occ: Occurrence, lookup: dict[tuple[int, KeyPath], Occurrence]) -> bool:
    for parts, expected in rule.where:
        parent, parts = where_anchor(occ.path[:-1], parts)
        if all(p.kind == "lit" for p in parts):
            other = lookup.get((occ.doc, (*parent, *(p.text for p in parts))))
            if other is None or value_text(other.value) != expected:
                return False
            continue
        ok = any(doc == occ.doc and path[: len(parent)] == parent and match_path(parts, path[len(parent):])
                 and value_text(other.value) == expected for (doc, path), other in lookup.items())
        if not ok:
            return False
    return True


def match_occurrences(
    index: RuleIndex, occurrences: Sequence[Occurrence], check_absent: bool = True
) -> list[tuple[Rule, Occurrence | None]]:
    """Every (rule, occurrence) that fires, plus (rule, anchor) for default-changed rules whose key is absent.

    ``check_absent`` is False where a key may be set elsewhere (a settings module with a star import).
    """
    hits: list[tuple[Rule, Occurrence | None]] = []
    lookup: dict[tuple[int, KeyPath], Occurrence] | None = None
    for occ in occurrences:
        for rule in index.candidates(occ):
            if not match_path(rule.parts, occ.path) or not _value_ok(rule, occ.value):
                continue
            if rule.where:
                if lookup is None:
                    lookup = {(o.doc, o.path): o for o in occurrences}
                if not _where_ok(rule, occ, lookup):
                    continue
            hits.append((rule, occ))
    for rule in index.absent if check_absent else ():
        if not any(match_path(rule.parts, o.path) for o in occurrences):
            hits.append((rule, _anchor(rule, occurrences)))
    return hits


def _anchor(rule: Rule, occurrences: Sequence[Occurrence]) -> Occurrence | None:
    """The nearest existing ancestor of an absent key, for placing the finding (None: line 1)."""
    prefix = literal_prefix(rule.parts)
    best: Occurrence | None = None
    for occ in occurrences:
        if len(occ.path) < len(prefix) and occ.path == prefix[: len(occ.path)] and (
                best is None or len(occ.path) > len(best.path)):
            best = occ
    return best


def fingerprint(rule_id: str, file: str, path: KeyPath | str, doc: int = 0, context: str | None = None) -> str:
    """cfgscan 0.1's fingerprint (baseline format 1): rule, file, key path with list positions, document and
    class. Still computed so that an old baseline keeps suppressing what it recorded."""
    import hashlib  # only when a rule fires: a clean run never loads OpenSSL

    key = path if isinstance(path, str) else render_path(path)
    raw = f"{rule_id}\x00{file}\x00{key}\x00{doc}\x00{context or ''}"
    return hashlib.sha256(raw.encode("utf-8", "surrogatepass")).hexdigest()[:32]


LIST_POSITION = re.compile(r"\[\d+\]")  # `steps[2]` -> `steps[]` (a key quoted with [2] in it only merges groups)


def stable_fingerprint(rule_id: str, file: str, path: KeyPath | str, context: str | None, value: str | None) -> str:
    """Stable across line moves and inserted list items or YAML documents: rule, file, the key path without list
    positions, the class, and the flagged value for a value rule (so that a step with another value inserted
    before it changes nothing). Findings alike in all of these are told apart by ``nth_fingerprint``."""
    import hashlib

    key = LIST_POSITION.sub("[]", path if isinstance(path, str) else render_path(path))
    raw = f"2\x00{rule_id}\x00{file}\x00{key}\x00{context or ''}\x00{value if value is not None else ''}"
    return hashlib.sha256(raw.encode("utf-8", "surrogatepass")).hexdigest()[:32]


def nth_fingerprint(first: str, n: int) -> str:
    """The fingerprint of the n-th (from 0, in file order) of findings that share ``first``."""
    if n == 0:
        return first
    import hashlib

    return hashlib.sha256(f"{first}\x00{n}".encode()).hexdigest()[:32]
