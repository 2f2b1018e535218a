"""The single grep: per file spec, one compiled literal search that says whether a file could hold a finding."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping

from scanner.keypath import GLOB, LITERAL
from scanner.match import RuleIndex, Versions, judge
from scanner.matrix import Matrix, Rule

# Escapes that can spell a needle character inside a quoted string (\u0061, \x61, \141, \N{...}, \/) or join
# two lines into one string (a backslash at the end of a line). A file holding one is parsed, needle or not.
ESCAPE = re.compile(r"\\(?:[uUxN0-7/]|[ \t]*\r?\n)")
ESCAPING_FORMATS = frozenset({"yaml", "json", "jsonc", "toml", "javascript"})
# Formats whose parsers take every key segment from the file's own text (escapes aside, which the escape check
# covers): a rule's other literal segments must then appear as well. Not JavaScript (computed keys, spreads)
# and not Python (its own name-and-value groups).
KEYS_VERBATIM = frozenset({"yaml", "json", "jsonc", "toml", "ini", "dotenv"})
# What a parser may print for a non-string scalar (numbers, dates, true/false/null, inf/nan): a value needle
# made only of these could be the rendering of `0x1F`, `yes` or `1e3` and is never trusted.
RENDERED_CHARS = frozenset("0123456789+-.:_eE")
RENDERED_WORDS = ("true", "false", "null", "-infinity", "-inf", "nan")
UNSPELLABLE = re.compile(r"[\s\"'`\\]")
# Python string literals written next to each other (implicit concatenation), or an empty string: a dict key or
# value may then be spelled in pieces, so only the assigned name is searched for.
CONCATENATED = re.compile(r"(?<![\"'])[\"'](?:\s|#[^\n]*)*[rRbBuUfF]{0,2}[\"'](?![\"'])"
                          r"|[\"']{3}(?:\s|#[^\n]*)*[rRbBuUfF]{0,2}[\"']")
MIN_GLOB_RUN = 3


class SpecFilter:
    """What one file spec needs before its files are parsed: never, always, or one of its needles."""

    def __init__(self, parse: str, exact: tuple[str, ...] = (), folded: tuple[str, ...] = (),
                 escapes: bool = False, groups: tuple[tuple[str, tuple[str, ...]], ...] = (),
                 conjunctions: tuple[Conjunction, ...] = ()) -> None:
        self.parse = parse  # "never" | "always" | "needles"
        self.exact, self.folded, self.escapes = exact, folded, escapes
        self.groups = groups  # Python: (assigned name, one of these must appear too; () when the name suffices)
        self.conjunctions = conjunctions  # other formats: when set, one of them must hold as well
        self._pattern: re.Pattern[str] | None = None  # compiled on first use: a hook run may never need it
        self._anchored: bool | None = None  # worked out on first use
        self._exact_anchors: tuple[str, ...] | None = None
        self._folded_anchors: tuple[str, ...] | None = None
        self._folded_lower: tuple[str, ...] = ()

    @property
    def needles(self) -> tuple[str, ...]:
        return tuple(sorted(self.exact + self.folded))

    @property
    def pattern(self) -> re.Pattern[str]:
        if self._pattern is None:
            self._pattern = compile_needles(self.exact, self.folded)
        return self._pattern

    def _could_match(self, text: str) -> bool:
        """Whether a needle is in the text.

        When the needles have few anchors, a handful of plain substring tests (``in``, 10x faster than ``re``)
        rule most files out, and the rest are tested needle by needle: no regex to compile. Otherwise one regex,
        built as a trie of all the needles.
        """
        if self._anchored is None:
            self._exact_anchors, self._folded_anchors = anchors(self.exact), anchors(self.folded, fold=True)
            self._anchored = self._exact_anchors is not None and self._folded_anchors is not None
            self._folded_lower = tuple(n.lower() for n in self.folded)
        if not self._anchored:
            return self.pattern.search(text) is not None
        lower = text.lower() if self.folded else ""
        if not _any_in(self._exact_anchors or (), text) and not _any_in(self._folded_anchors or (), lower):
            return False
        return _any_in(self.exact, text) or _any_in(self._folded_lower, lower)

    def needs_parse(self, text: str) -> bool:
        if self.parse != "needles":
            return self.parse == "always"
        if not self._could_match(text) or (self.conjunctions and not _any_holds(self.conjunctions, text)):
            return self.escapes and "\\" in text and ESCAPE.search(text) is not None
        if not self.groups or "\\" in text or CONCATENATED.search(text):
            return True
        return any(name in text and (not more or any(m in text for m in more)) for name, more in self.groups)


# (every one of these literals, one of those, case ignored): what one rule's match needs in the text
Conjunction = tuple[tuple[str, ...], tuple[str, ...], bool]


def _any_holds(conjunctions: tuple[Conjunction, ...], text: str) -> bool:
    lowered: str | None = None
    for every, one_of, fold in conjunctions:
        hay = text
        if fold:
            hay = lowered = text.lower() if lowered is None else lowered
        if all(lit in hay for lit in every) and any(lit in hay for lit in one_of):
            return True
    return False


NEVER = SpecFilter("never")
ALWAYS = SpecFilter("always")


class Prefilter:
    """Built once per run from the matrix, the rule indexes and the versions; asked once per file and spec.

    Each spec's needles are worked out on its first question, so a hook run over a few files pays for few specs.
    """

    def __init__(self, matrix: Matrix, indexes: Mapping[tuple[str, str], RuleIndex],
                 versions: Mapping[str, Versions], show_future: bool = False) -> None:
        self.matrix, self.indexes, self.versions, self.show_future = matrix, indexes, versions, show_future
        self.specs: dict[tuple[str, str], SpecFilter] = {}
        self.known = frozenset(indexes.source if isinstance(indexes, LiveIndexes) else indexes)

    @classmethod
    def build(
        cls,
        matrix: Matrix,
        indexes: Mapping[tuple[str, str], RuleIndex],
        versions: Mapping[str, Versions],
        show_future: bool = False,
    ) -> Prefilter:
        return cls(matrix, indexes, versions, show_future)

    def spec(self, key: tuple[str, str]) -> SpecFilter:
        found = self.specs.get(key)
        if found is None:
            pid, name = key
            v = self.versions.get(pid)
            rules = index_rules(self.indexes[key]) if key in self.known else []
            live = [r for r in rules if v is not None and judge(r, v, self.show_future) is not None]
            found = self.specs[key] = spec_filter(live, self.matrix.products[pid].files[name].format)
        return found

    def needs_parse(self, product: str, spec_name: str, text: str) -> bool:
        """False only when no rule of the spec that can fire for these versions could match this text."""
        key = (product, spec_name)
        spec = self.specs.get(key)
        if spec is None:
            if key not in self.known:
                return True
            spec = self.spec(key)
        return spec.needs_parse(text)

    def needles(self) -> list[str]:
        """Every needle of every spec (for comparing with a plain grep), sorted and unique."""
        return sorted({n for key in self.known for n in self.spec(key).needles})


class LiveIndexes(dict[tuple[str, str], RuleIndex]):
    """The rule indexes cut down, spec by spec on first use, to the rules that can fire for these versions.

    Only ``live[key]`` is lazy (``in``, ``len`` and iteration see the specs used so far); ``source`` has every key.
    """

    def __init__(self, indexes: Mapping[tuple[str, str], RuleIndex], versions: Mapping[str, Versions],
                 show_future: bool = False) -> None:
        super().__init__()
        self.source, self.versions, self.show_future = dict(indexes), dict(versions), show_future

    def __missing__(self, key: tuple[str, str]) -> RuleIndex:
        index, v = self.source[key], self.versions.get(key[0])
        live = self[key] = RuleIndex(r for r in index_rules(index) if v is not None and judge(r, v, self.show_future))
        return live


def live_indexes(
    indexes: Mapping[tuple[str, str], RuleIndex], versions: Mapping[str, Versions], show_future: bool = False
) -> LiveIndexes:
    """The rule indexes without the rules that cannot fire for these versions (they never make a finding)."""
    return LiveIndexes(indexes, versions, show_future)


def index_rules(index: RuleIndex) -> list[Rule]:
    out = list(index.generic) + list(index.absent)
    for rules in (*index.by_key.values(), *index.by_key_value.values()):
        out.extend(rules)
    return out


def spec_filter(rules: Iterable[Rule], fmt: str) -> SpecFilter:
    exact: set[str] = set()
    folded: set[str] = set()
    groups: set[tuple[str, tuple[str, ...]]] = set()
    conjunctions: dict[tuple[tuple[str, ...], bool], set[str]] = {}
    for rule in rules:
        needle = rule_needle(rule, fmt)
        if needle is not None and fmt == "python":
            groups.add((needle[0][0], python_second_needles(rule)))
        if needle is None:
            return ALWAYS
        alternatives, fold = needle
        fold = fold or fmt == "ini"  # INI option names ignore case
        (folded if fold else exact).update(alternatives)
        if fmt in KEYS_VERBATIM:
            every = tuple(sorted(k.lower() if fold else k for k in key_literals(rule) if k not in alternatives))
            conjunctions.setdefault((every, fold), set()).update(a.lower() if fold else a for a in alternatives)
    if not exact and not folded:
        return NEVER
    kept_folded = minimal_needles(folded, fold=True)
    kept_exact = tuple(n for n in minimal_needles(exact) if not any(f.lower() in n.lower() for f in kept_folded))
    if any(not more for _, more in groups):
        # A rule that needs only its name makes the others' second needles moot only for that name.
        bare = {name for name, more in groups if not more}
        groups = {(name, more) for name, more in groups if not more or name not in bare}
    conj = tuple(sorted((every, tuple(sorted(one_of)), fold) for (every, fold), one_of in conjunctions.items()))
    if any(not every for every, _, _ in conj):
        conj = ()  # some rule needs only its needle: the regex has said all there is to say
    return SpecFilter("needles", kept_exact, kept_folded, fmt in ESCAPING_FORMATS, tuple(sorted(groups)), conj)


def key_literals(rule: Rule) -> list[str]:
    """The literal key segments a match of the rule spells in the text (each as written, unless escaped)."""
    return [p.text for p in rule.parts if p.kind == LITERAL and len(p.text) >= MIN_GLOB_RUN
            and not UNSPELLABLE.search(p.text)]


def rule_needle(rule: Rule, fmt: str) -> tuple[tuple[str, ...], bool] | None:
    """Literals one of which must appear in a file's text for the rule to match, and whether case is ignored."""
    if rule.kind == "default-changed":
        return None  # fires on an absent key: only a parse can tell
    if fmt == "python":
        # The first segment is the assignment's name, an identifier: no escape, no string concatenation.
        first = rule.parts[0] if rule.parts else None
        if first is not None and first.kind == LITERAL and first.text.isidentifier():
            return (first.text,), False
        return None
    values = value_needles(rule)
    if values is not None and min(len(a) for a in values[0]) >= 2:
        return values  # a value is rarer than the key it belongs to (apiVersion: every manifest has one)
    key = key_needle(rule)
    return ((key,), False) if key is not None else values


def value_needles(rule: Rule) -> tuple[tuple[str, ...], bool] | None:
    """What the value of a matching key must contain: the rule's value, or the literals of its regex."""
    if rule.has_value and isinstance(rule.value, str) and value_spellable(rule.value):
        return (rule.value,), False
    if rule.value_regex is not None:
        lits = required_literals(rule.value_regex.pattern)
        if lits is not None and all(value_spellable(a) for a in lits[0]):
            return lits
    return None


def python_second_needles(rule: Rule) -> tuple[str, ...]:
    """For a Python rule, literals (one of which) must also appear unless strings are escaped or concatenated.

    Empty when the assigned name alone is all there is to search for.
    """
    values = value_needles(rule)
    if values is not None and not values[1]:
        return values[0]
    later = [p.text for p in rule.parts[1:] if p.kind == LITERAL and value_spellable(p.text)]
    return (later[-1],) if later else ()


def key_needle(rule: Rule) -> str | None:
    """The last literal segment of the key path (or the longest literal run of a glob segment)."""
    for part in reversed(rule.parts):
        if part.kind == LITERAL and part.text and not UNSPELLABLE.search(part.text):
            return part.text
        if part.kind == GLOB:
            run = max(re.split(r"[*?\[\]]", part.text), key=len)
            if len(run) >= MIN_GLOB_RUN and not UNSPELLABLE.search(run):
                return run
    return None


def value_spellable(text: str) -> bool:
    """True when a value's text can only appear verbatim (no quotes, spaces, escapes, number or bool renderings)."""
    if not text or UNSPELLABLE.search(text):
        return False
    if set(text) <= RENDERED_CHARS:
        return False
    low = text.lower()
    return not any(low in word for word in RENDERED_WORDS)


MAX_ALTERNATIVES = 16
FLAGS = re.compile(r"\(\?([imsu]+)\)")


def required_literals(pattern: str) -> tuple[tuple[str, ...], bool] | None:
    """Literals one of which every match of a regex contains, and whether case is ignored.

    ``^actions/(upload|download)-artifact@v3(\\.|$)`` gives ``actions/upload-artifact@v3`` and
    ``actions/download-artifact@v3``; ``(?i)::set-output\\s`` gives ``::set-output``, case-insensitive.
    Conservative: None for a top-level ``|``, scoped flags, or no literal that every match must hold.
    """
    fold = False
    flags = FLAGS.match(pattern)
    if flags:
        fold, pattern = "i" in flags.group(1), pattern[flags.end():]
    if re.search(r"\(\?[aiLmsux-]", pattern) or _top_level_bar(pattern):
        return None
    best: tuple[str, ...] | None = None
    for run in _literal_runs(pattern):
        alternatives = tuple(sorted(set(run)))
        if alternatives and all(alternatives) and (best is None or _strength(alternatives) > _strength(best)):
            best = alternatives
    return (best, fold) if best else None


def _strength(alternatives: tuple[str, ...]) -> tuple[int, int]:
    return min(len(a) for a in alternatives), -len(alternatives)


def _literal_runs(pattern: str) -> list[list[str]]:
    """The runs of required literal items in the top-level sequence, each expanded into its alternatives."""
    runs: list[list[str]] = []
    current: list[str] = [""]
    i, n = 0, len(pattern)
    while i < n:
        alternatives, i = _item(pattern, i)
        quant = pattern[i : i + 1]
        optional = quant in ("?", "*") or (quant == "{" and re.match(r"\{0*(,|\})", pattern[i:]) is not None)
        repeated = quant == "+" or (quant == "{" and not optional)
        if quant in ("?", "*", "+"):
            i += 2 if pattern[i + 1 : i + 2] in ("?", "+") else 1
        elif quant == "{":
            close = pattern.find("}", i)
            i = close + 1 if close > 0 else n
        if alternatives is None or optional or len(current) * len(alternatives) > MAX_ALTERNATIVES:
            runs.append(current)
            current = [""]
            if alternatives is None or optional:
                continue
        current = [c + a for c in current for a in alternatives]
        if repeated:  # once is sure; what follows may not be adjacent to the first repetition
            runs.append(current)
            current = [""]
    runs.append(current)
    return [r for r in runs if r != [""]]


def _item(pattern: str, i: int) -> tuple[list[str] | None, int]:
    """One atom at i: its literal alternatives (None when it is not a literal) and where it ends."""
    c = pattern[i]
    if c == "\\":
        nxt = pattern[i + 1 : i + 2]
        return ([nxt] if nxt and not nxt.isalnum() and nxt != "_" else None), i + 2
    if c == "[":
        end = _class_end(pattern, i)
        return _class_chars(pattern[i + 1 : end]), end + 1
    if c == "(":
        end = _group_end(pattern, i)
        return _group_literals(pattern[i + 1 : end]), end + 1
    if c in ".^$|)":
        return None, i + 1
    return [c], i + 1


def _class_end(pattern: str, i: int) -> int:
    j = i + 1
    if pattern[j : j + 1] == "^":
        j += 1
    if pattern[j : j + 1] == "]":
        j += 1
    while j < len(pattern) and pattern[j] != "]":
        j += 2 if pattern[j] == "\\" else 1
    return j


def _group_end(pattern: str, i: int) -> int:
    """The index of the ``)`` closing the group that opens at i."""
    for j, c, depth in _outside_classes(pattern, i):
        if c == ")" and depth == 1:
            return j
    return len(pattern)


def _outside_classes(pattern: str, start: int = 0) -> Iterator[tuple[int, str, int]]:
    """(index, character, group depth) of each character that is neither escaped nor in a ``[...]`` class."""
    depth, i = 0, start
    while i < len(pattern):
        c = pattern[i]
        if c == "\\":
            i += 2
            continue
        if c == "[":
            i = _class_end(pattern, i) + 1
            continue
        depth += c == "("
        yield i, c, depth
        depth -= c == ")"
        i += 1


def _class_chars(body: str) -> list[str] | None:
    """The characters of a small positive class such as ``[12]`` or ``[}:]``."""
    if not body or body[0] == "^":
        return None
    chars: list[str] = []
    i = 0
    while i < len(body):
        c = body[i]
        if c == "\\":
            nxt = body[i + 1 : i + 2]
            if not nxt or nxt.isalnum():
                return None
            chars.append(nxt)
            i += 2
        elif body[i + 1 : i + 2] == "-" and i + 2 < len(body):
            lo, hi = ord(c), ord(body[i + 2])
            if hi < lo or hi - lo > 10:
                return None
            chars.extend(chr(k) for k in range(lo, hi + 1))
            i += 3
        else:
            chars.append(c)
            i += 1
    return chars if len(chars) <= 10 else None


def _group_literals(body: str) -> list[str] | None:
    """The alternatives of a group made only of literal branches: ``(upload|download)``, ``(?:a|b)``."""
    if body.startswith("?:"):
        body = body[2:]
    elif body.startswith("?P<"):
        body = body[body.find(">") + 1 :]
    elif body.startswith("?"):
        return None  # lookaround, conditional, flags: not a literal
    out: list[str] = []
    for branch in _split_bar(body):
        text, i = "", 0
        while i < len(branch):
            alternatives, i = _item(branch, i)
            if alternatives is None or len(alternatives) != 1 or branch[i : i + 1] in ("?", "*", "+", "{"):
                return None
            text += alternatives[0]
        out.append(text)
    return out if all(out) and len(out) <= MAX_ALTERNATIVES else None


def _split_bar(body: str) -> list[str]:
    cuts = [i for i, c, depth in _outside_classes(body) if c == "|" and depth == 0]
    return [body[a + 1 : b] for a, b in zip([-1, *cuts], [*cuts, len(body)], strict=True)]


def _top_level_bar(pattern: str) -> bool:
    return len(_split_bar(pattern)) > 1


ANCHOR_LENGTH = 5
MIN_ANCHOR = 4
MAX_ANCHORS = 8


def anchors(needles: Iterable[str], fold: bool = False) -> tuple[str, ...] | None:
    """The needles' last ANCHOR_LENGTH characters, when there are few of them (else None).

    Needles that share an ending share an anchor: the 36 Kubernetes API versions and annotations end in
    ``beta1``, ``beta2``, ``lpha1`` and a few more, which a current manifest does not hold, so most
    manifests are done with after a handful of ``in`` tests. Endings rather than beginnings, because what
    sets a deprecated value apart (``v1beta1``, ``@v3``) is usually at its end.
    """
    ends = {(n.lower() if fold else n)[-ANCHOR_LENGTH:] for n in needles}
    if len(ends) > MAX_ANCHORS:
        return None
    # endings that share MIN_ANCHOR characters are tested once (beta1, beta2, beta3 -> beta): fewer scans
    while True:
        shared: dict[str, set[str]] = {}
        for end in ends:
            for i in range(len(end) - MIN_ANCHOR + 1):
                shared.setdefault(end[i : i + MIN_ANCHOR], set()).add(end)
        best = max(sorted(shared), key=lambda sub: len(shared[sub]), default=None)
        if best is None or len(shared[best]) < 2:
            return tuple(sorted(ends))
        ends = (ends - shared[best]) | {best}


def _any_in(subs: tuple[str, ...], text: str) -> bool:
    for sub in subs:  # noqa: SIM110 - a loop, not any() over a generator: this runs for every file
        if sub in text:
            return True
    return False


def minimal_needles(needles: set[str], fold: bool = False) -> tuple[str, ...]:
    """Drop a needle that contains another: the shorter one is found wherever the longer one is."""
    key = str.lower if fold else (lambda s: s)
    ordered = sorted(needles, key=lambda s: (len(s), s))
    kept: list[str] = []
    for needle in ordered:
        if not any(key(k) in key(needle) for k in kept):
            kept.append(needle)
    return tuple(sorted(kept))


def compile_needles(exact: Iterable[str], folded: Iterable[str] = ()) -> re.Pattern[str]:
    """One regex for all needles, as tries so that ``re`` does not try every alternative at every position."""
    branches = []
    exact_list, folded_list = list(exact), [n.lower() for n in folded]
    if exact_list:
        branches.append(_trie_regex(_trie(exact_list)))
    if folded_list:
        branches.append("(?i:" + _trie_regex(_trie(folded_list)) + ")")
    return re.compile("|".join(branches))


def _trie(needles: Iterable[str]) -> dict[str, object]:
    trie: dict[str, object] = {}
    for needle in needles:
        node = trie
        for ch in needle:
            node = node.setdefault(ch, {})  # type: ignore[assignment]
        node[""] = {}
    return trie


def _trie_regex(node: dict[str, object]) -> str:
    ends = "" in node
    branches = [re.escape(ch) + _trie_regex(child) for ch, child in sorted(node.items()) if ch]  # type: ignore[arg-type]
    if ends:
        return ""  # a shorter needle already ends here: nothing longer needs to match
    if len(branches) == 1:
        return branches[0]
    return "(?:" + "|".join(branches) + ")"
