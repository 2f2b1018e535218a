"""`cfgscan matrix check`: every fix followed, on the rule's example document, at each release where its rule
fires, through the same chain walk as ``cfgscan fix``; a result that another rule flags and no fix takes further
is reported (an error where the rule is removed, for the bundled matrix; otherwise a warning or a note)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace

from packaging.version import Version

from scanner.fixers.chains import ChainBlocked, Hit, Step, resolve
from scanner.fixers.interface import NotFixable
from scanner.keypath import match_path
from scanner.match import RuleIndex, Versions, judge, match_occurrences
from scanner.matrix import Matrix, Product, Rule
from scanner.model import MAPPING, SEQUENCE, KeyPath, Occurrence

BUNDLED = "<bundled>/"


@dataclass(frozen=True)
class ChainReport:
    """A fix whose result another rule flags, unresolved: at the rule's removal (``error`` for the bundled
    matrix, ``warning`` for others) or only at other versions (``note``: cfgscan fix leaves it to the user)."""

    rule: Rule
    severity: str
    message: str


def example_occurrences(tree: object, path: KeyPath = ()) -> list[Occurrence]:
    """The occurrences a parser would report for an example document (nested dicts and lists)."""
    out: list[Occurrence] = []
    items: list[tuple[str | int, object]] = (
        list(tree.items()) if isinstance(tree, dict) else list(enumerate(tree)) if isinstance(tree, list) else [])
    for key, value in items:
        here = (*path, key)
        shown = MAPPING if isinstance(value, dict) else SEQUENCE if isinstance(value, list) else value
        out.append(Occurrence(here, shown, 1, 1, 1, 1))
        out.extend(example_occurrences(value, here))
    return out


def _applied(occurrences: list[Occurrence], step: Step, doc: int) -> list[Occurrence]:
    """The example after the step, key by key (what the fixer's edit would leave)."""
    out: list[Occurrence] = []
    n = len(step.path)
    for o in occurrences:
        if o.doc != doc or o.path[:n] != step.path:
            out.append(o)
        elif not step.delete:
            path = step.target + o.path[n:] if step.target is not None else o.path
            value = step.value if step.sets and o.path == step.path else o.value
            out.append(replace(o, path=path, value=value))
    if step.target is not None:  # a moved key's new parents exist afterwards
        have = {o.path for o in out if o.doc == doc}
        out.extend(Occurrence(step.target[:i], MAPPING, 1, 1, 1, 1, doc=doc)
                   for i in range(1, len(step.target)) if step.target[:i] not in have)
    return out


def _judged(raw: list[tuple[Rule, Occurrence | None]], v: Versions) -> list[Hit]:
    out: list[Hit] = []
    for rule, occ in raw:
        verdict = judge(rule, v)
        if verdict is not None:
            out.append((rule, occ, verdict[1]))
    return out


def _judging(matched: Callable[[Step], list[tuple[Rule, Occurrence | None]]], v: Versions
             ) -> Callable[[Step], list[Hit]]:
    return lambda step: _judged(matched(step), v)


def _walks(rule: Rule, product: Product, index: RuleIndex, edges: set[Version]
           ) -> list[tuple[Versions, NotFixable | None]]:
    """The fix's chain walked at each target where the rule fires, installed the same or the oldest release:
    None where it resolves, else why it stops. Only ``edges`` are tried, the releases where some rule of the
    product starts or stops firing: judging changes only there."""
    from scanner.browse import example_tree

    occurrences = example_occurrences(example_tree(rule))
    occ = next((o for o in occurrences if match_path(rule.parts, o.path)), None)
    if occ is None:
        return []
    raw_before = match_occurrences(index, occurrences)
    seen: dict[tuple[object, ...], list[tuple[Rule, Occurrence | None]]] = {}

    def matched(step: Step) -> list[tuple[Rule, Occurrence | None]]:
        key = (step.delete, step.target, step.sets, repr(step.value))
        if key not in seen:
            seen[key] = match_occurrences(index, _applied(occurrences, step, occ.doc))
        return seen[key]

    out: list[tuple[Versions, NotFixable | None]] = []
    oldest = product.releases[0]
    for release in (r for r in product.releases if r.parsed in edges):
        for installed in (release, oldest):
            v = Versions(installed.parsed, installed.version, "matrix check", release.parsed, release.version)
            before = _judged(raw_before, v)
            if not any(r.id == rule.id for r, _, _ in before):
                continue
            try:
                resolve(rule, occ, before, _judging(matched, v), unsafe=True)
            except NotFixable as exc:
                out.append((v, exc))
            else:
                out.append((v, None))
    return out


def _describe(exc: NotFixable) -> str:
    if not isinstance(exc, ChainBlocked):
        return str(exc)
    return exc.summary()


def _when(tried: list[tuple[Versions, NotFixable | None]], pid: str) -> str:
    """Where the chain stops, in words: the first target (installed the same) and whether every later one too,
    else the first upgrade from the oldest release."""
    same = [(v, exc) for v, exc in tried if v.installed == v.target]
    first = next((i for i, (_, exc) in enumerate(same) if exc is not None), None)
    if first is None:
        v = next(v for v, exc in tried if exc is not None)
        return f"upgrading from {pid} {v.installed_text} to {v.target_text}"
    later = all(exc is not None for _, exc in same[first:])
    return f"at {pid} {same[first][0].target_text}{' and later' if later and first < len(same) - 1 else ''}"


def check_fix_chains(matrix: Matrix) -> list[ChainReport]:
    """Every fix of the matrix whose result another rule flags at some versions, and no fix resolves."""
    reports: list[ChainReport] = []
    for product in matrix.products.values():
        if not product.releases:
            continue
        indexes = {name: RuleIndex([r for r in product.rules if r.file == name]) for name in product.files}
        edges = {Version(str(x)) for r in product.rules for x in (r.deprecated, r.removed, r.changed) if x is not None}
        for rule in product.rules:
            if rule.kind == "default-changed" or rule.fix_action == "none":
                continue
            tried = _walks(rule, product, indexes[rule.file], edges)
            stops = [(v, exc) for v, exc in tried if exc is not None]
            if not stops:
                continue
            due = Version(str(rule.removed or rule.deprecated))
            at_due = [exc for v, exc in stops if v.target == due and v.installed == due]
            if at_due:
                severity = "error" if rule.origin.startswith(BUNDLED) else "warning"
                reports.append(ChainReport(rule, severity, f"{rule.id}: at {product.id} {due}, {_describe(at_due[0])}"
                                           "; point the fix at the final replacement, or make it action: none"))
                continue
            reports.append(ChainReport(rule, "note", f"{rule.id}: {_when(tried, product.id)}, "
                                                     f"{_describe(stops[0][1])}; cfgscan fix leaves it to the user"))
    return reports


def render_reports(reports: list[ChainReport], texts: Mapping[str, str]) -> list[str]:
    """``file:line: rules[i].fix: severity: message``, the way matrix check reports other problems."""
    from scanner.yamlnodes import line_of, load_yaml

    indexes: dict[str, dict[str, int]] = {}
    out: list[str] = []
    for report in reports:
        origin = report.rule.origin
        if origin not in indexes:
            text = texts.get(origin, "")
            rules = (load_yaml(text) or {}).get("rules") if text else None
            indexes[origin] = {str(r.get("id")): i for i, r in enumerate(rules or []) if isinstance(r, dict)}
        i = indexes[origin].get(report.rule.id)
        line = line_of(texts[origin], ("rules", i, "fix")) if i is not None else None
        where = f"{origin}:{line}: rules[{i}].fix" if line else origin
        out.append(f"{where}: {report.severity}: {report.message}")
    return out


def chain_check(matrix: Matrix) -> tuple[list[str], int, str]:
    """matrix check's fix-chain lines, how many are errors, and a note for its summary line."""
    from scanner.matrix_sources import bundled_files

    reports = check_fix_chains(matrix)
    texts = dict(bundled_files()) if any(r.rule.origin.startswith(BUNDLED) for r in reports) else {}
    for origin in {r.rule.origin for r in reports} - texts.keys():
        try:
            with open(origin, encoding="utf-8") as f:
                texts[origin] = f.read()
        except OSError:
            texts[origin] = ""
    counts = {s: sum(1 for r in reports if r.severity == s) for s in ("error", "warning", "note")}
    tail = ", ".join(f"{n} {s}{'' if n == 1 else 's'}" for s, n in counts.items() if n and s != "error")
    return render_reports(reports, texts), counts["error"], f" ({tail} on fix chains)" if tail else ""
