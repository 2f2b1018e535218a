"""Run the pipeline: config files and inventory in, matrix matched, findings judged and suppressed, out."""

from __future__ import annotations

import dataclasses
import os
import re
import time
from dataclasses import dataclass, field

from scanner.discover import Candidate, Claim, ClaimIndex, find_config_files
from scanner.errors import UsageError
from scanner.keypath import render_path
from scanner.match import (
    RuleIndex,
    Versions,
    fingerprint,
    judge,
    match_occurrences,
    nth_fingerprint,
    parse_version,
    scan_target,
    stable_fingerprint,
    value_match,
)
from scanner.matrix import Matrix, Product, Rule
from scanner.matrix_sources import load_all
from scanner.model import Decision, FileError, Finding, Installed, Occurrence, Skipped, value_text
from scanner.options import Options, rule_selected
from scanner.parsers import get_parser
from scanner.parsers.interface import ParseResult, Wanted
from scanner.parsers.syntaxcheck import proves_clean
from scanner.prefilter import Prefilter, live_indexes
from scanner.textio import FileText, SkipFile, Unreadable, read_text

# parsers that make occurrences only for the keys a scan wants (the others' files are few and small)
FILTERING_PARSERS = frozenset({"yaml", "toml"})
# settings split across modules (`from .base import *`): a key missing here may be set there
STAR_IMPORT = re.compile(r"^\s*from\s+\S+\s+import\s+\*", re.M)


@dataclass
class ScanResult:
    """Everything one scan produced; every reporter renders this and nothing else."""

    options: Options
    matrix: Matrix
    versions: dict[str, Versions]
    inventory: list[Installed]
    findings: list[Finding] = field(default_factory=list)
    errors: list[FileError] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    files_considered: int = 0  # candidate files: a spec claims their name
    files_checked: int = 0  # config files: claimed (content markers present), read and checked for syntax
    files_parsed: int = 0  # of those, the files parsed for rules (a big tree's prefilter skips the others)
    seconds: float = 0.0
    texts: dict[str, FileText] = field(default_factory=dict)
    paths: dict[str, str] = field(default_factory=dict)  # display path -> path on disk
    claims: dict[str, tuple[Claim, ...]] = field(default_factory=dict)  # display path -> claiming specs
    decisions: list[Decision] = field(default_factory=list)  # --verbose only: what became of each path
    # findings that only the latest releases would add, where a target defaulted to the installed version
    # (after the scan: those a run at latest would report unsuppressed), and those releases by product
    later: list[Finding] = field(default_factory=list)
    later_targets: dict[str, str] = field(default_factory=dict)

    def active(self) -> list[Finding]:
        return [f for f in self.findings if f.suppressed is None]


def load_matrix(options: Options) -> Matrix:
    return load_all(
        config_paths=options.config_matrix_paths,
        cli_paths=options.matrix_paths,
        builtin=options.builtin_matrix,
        plugins=options.plugin_matrix,
        config_root=options.config_matrix_root,
    )


def resolve_versions(matrix: Matrix, options: Options, inventory: dict[str, Installed],
                     warnings: list[str] | None = None) -> dict[str, Versions]:
    """Installed and target version per product: flags beat tool config beat the inventory.

    A target newer than every known release is judged at the newest one, with a warning in ``warnings``.
    """
    for pid, _ in (*options.targets, *options.installed):
        if pid not in matrix.products:
            raise UsageError(f"unknown product {pid!r} (known: {', '.join(sorted(matrix.products))})")
    installed: dict[str, Installed] = {
        pid: Installed(pid, ver, "--installed", "exact") for pid, ver in options.installed
    }
    for pid, found in inventory.items():
        installed.setdefault(pid, found)
    targets = dict(options.targets)
    out: dict[str, Versions] = {}
    for pid, product in matrix.products.items():
        if not product.releases:
            continue
        inst = installed.get(pid)
        iv = parse_version(inst.version, f"installed {pid}") if inst else None
        if pid in targets:
            tv, ttext, warning = scan_target(product, targets[pid])
            if warning is not None and warnings is not None:
                warnings.append(warning)
        elif options.target_all_latest or iv is None:
            tv, ttext = product.releases[-1].parsed, product.releases[-1].version
        else:
            tv, ttext = iv, inst.version if inst else str(iv)
        out[pid] = Versions(iv, inst.version if inst else None, inst.source if inst else None, tv, ttext)
    return out


def check_selection(matrix: Matrix, options: Options) -> None:
    """Every --select/--ignore id or prefix (and tool config select, ignore, ignore entry rule) must match a
    rule of the loaded matrix: a typo would otherwise select nothing, or ignore nothing, and pass silently.
    Matching stays case-sensitive, as ids are written; a wrong case gets the right spelling suggested."""
    known = [*matrix.rules, "CFG001"]  # CFG001: cfgscan's own unused-suppression note
    origins = dict(options.selection_origins)
    asked = [(origins.get("select", "--select"), s) for s in options.select]
    asked += [(origins.get("ignore", "--ignore"), s) for s in options.ignore]
    asked += [(origins.get("ignore-entry", "ignore entry rule"), e.rule) for e in options.ignores]
    for origin, prefix in asked:
        if prefix and any(rid.startswith(prefix) for rid in known):
            continue
        from scanner.browse import did_you_mean  # only for the error

        if prefix and any(rid.startswith(prefix.upper()) for rid in known):
            hint = f"; did you mean {prefix.upper()}?"  # only the case is wrong: that spelling and no other
        else:
            stems = sorted({rid.rstrip("0123456789") for rid in known})  # K8S of K8S001: what people select
            hint = did_you_mean(prefix, stems + known)
        raise UsageError(f"{origin} {prefix or repr(prefix)} matches no rule{hint}")


def later_versions(matrix: Matrix, options: Options, versions: dict[str, Versions]) -> dict[str, Versions]:
    """The products whose target defaulted to the installed version (no --target, no target in the tool
    config), judged instead at their latest known release, where that is newer."""
    if options.target_all_latest:
        return {}
    chosen = dict(options.targets)
    out: dict[str, Versions] = {}
    for pid, v in versions.items():
        newest = matrix.products[pid].releases[-1]
        if pid not in chosen and v.installed is not None and v.target < newest.parsed:
            out[pid] = dataclasses.replace(v, target=newest.parsed, target_text=newest.version)
    return out


def build_indexes(matrix: Matrix, options: Options) -> dict[tuple[str, str], RuleIndex]:
    out: dict[tuple[str, str], RuleIndex] = {}
    for product in matrix.products.values():
        for name in product.files:
            rules = [r for r in product.rules if r.file == name and rule_selected(r.id, options)]
            out[(product.id, name)] = RuleIndex(rules)
    return out


def run_scan(
    options: Options, matrix: Matrix | None = None, inventory: dict[str, Installed] | None = None
) -> ScanResult:
    started = time.perf_counter()
    matrix = matrix or load_matrix(options)
    inv = inventory if inventory is not None else {}
    check_selection(matrix, options)
    warnings: list[str] = []
    versions = resolve_versions(matrix, options, inv, warnings)
    result = ScanResult(options, matrix, versions, sorted(inv.values(), key=lambda i: i.product), warnings=warnings)
    cwd = os.getcwd()
    index = ClaimIndex(matrix)
    indexes = build_indexes(matrix, options)
    walk_errors: list[tuple[str, str]] = []
    walk_skipped: list[Skipped] = []
    walk_decisions: list[Decision] | None = [] if options.verbose else None
    candidates = find_config_files(  # a lazy walk: a big tree goes to the workers while it is being walked
        options.paths, index, cwd, options.project_root, options.exclude, options.respect_gitignore,
        walk_skipped, walk_errors, walk_decisions)
    from scanner.parallel import ScanJob, scan_candidates

    # Where a target defaulted to the installed version, the rules that fire only at the latest release are
    # matched too (one pass, no rescan) and counted, not reported: the summary says how many more there are.
    # A rule that fires at a target fires at any later one, so the later versions decide which rules are live.
    later = later_versions(matrix, options, versions)
    judged = {**versions, **later}
    live = live_indexes(indexes, judged, options.show_future)  # rules that can fire for these versions
    prefilter = Prefilter.build(matrix, live, judged, options.show_future)
    scan_candidates(candidates, ScanJob(matrix, live, versions, options, prefilter, later), result)
    result.errors.extend(FileError(f, m) for f, m in walk_errors)
    result.skipped.extend(walk_skipped)
    result.decisions.extend(walk_decisions or ())
    result.skipped.sort(key=lambda s: s.file)
    from scanner.suppress import apply_suppressions

    apply_suppressions(result)
    if result.later:
        _count_later(result, later)
    result.findings.sort(key=lambda f: (f.file, f.line, f.column, f.rule))
    result.errors.sort(key=lambda e: (e.file, e.line or 0))
    result.seconds = time.perf_counter() - started
    return result


def _count_later(result: ScanResult, later: dict[str, Versions]) -> None:
    """How many of the findings at the latest releases a ``--target latest`` run would report unsuppressed."""
    from scanner.suppress import apply_suppressions

    shadow = ScanResult(result.options, result.matrix, later, [], findings=result.later, texts=result.texts)
    apply_suppressions(shadow)  # inline comments, tool config ignores, baseline: as a run at latest applies them
    counted = [f for f in shadow.findings if f.product != "cfgscan" and f.suppressed is None]
    result.later = counted
    result.later_targets = {f.product: later[f.product].target_text for f in counted}


def scan_file(
    cand: Candidate,
    matrix: Matrix,
    indexes: dict[tuple[str, str], RuleIndex],
    versions: dict[str, Versions],
    options: Options,
    result: ScanResult,
    prefilter: Prefilter | None = None,
    later: dict[str, Versions] | None = None,
) -> None:
    try:
        ft = read_text(cand.path, options.max_file_size, cand.regular)
    except SkipFile as exc:
        result.skipped.append(Skipped(cand.display, str(exc)))
        if options.verbose:
            result.decisions.append(Decision(cand.display, "skipped", str(exc)))
        return
    except Unreadable as exc:
        result.errors.append(FileError(cand.display, str(exc)))
        if options.verbose:
            result.decisions.append(Decision(cand.display, "skipped", f"unreadable: {exc}"))
        return
    claimed = [c for c in cand.claims if not c.spec.contains or any(s in ft.text for s in c.spec.contains)]
    if options.verbose:
        result.decisions.append(claim_decision(cand, claimed))
    if not claimed:
        return
    result.files_checked += 1
    parsed: dict[str, ParseResult] = {}
    anchor: str | None = None
    found = len(result.findings) + len(result.later)
    first_finding = len(result.findings)
    claims = claimed
    if prefilter is not None:  # skip the specs none of whose rules that can fire for these versions could match
        claims = [c for c in claimed if prefilter.needs_parse(c.product, c.spec.name, ft.text)]
    # each format once, in the order claimed (most files have one claim: no set to build)
    formats = (claimed[0].spec.format,) if len(claimed) == 1 else dict.fromkeys(c.spec.format for c in claimed)
    for fmt in formats:
        for_rules = [c for c in claims if c.spec.format == fmt] if claims else None
        if for_rules:
            parsed[fmt] = parse_text(fmt, ft.text, _wanted([indexes[(c.product, c.spec.name)] for c in for_rules]))
            errors = parsed[fmt].errors
        elif proves_clean(fmt, ft.text):  # no rule needs it parsed, and a cheap check finds no syntax error
            continue
        else:  # the full parse words the error, as in a smaller tree where every claimed file is parsed
            wanted = _wanted([indexes[(c.product, c.spec.name)] for c in claimed if c.spec.format == fmt])
            errors = parse_text(fmt, ft.text, wanted).errors
        for line, col, msg in errors:
            result.errors.append(FileError(cand.display, msg, line, col))
    result.files_parsed += bool(parsed)
    for claim in claims:
        fmt = claim.spec.format
        product = matrix.products[claim.product]
        v = versions.get(product.id)
        if v is None:
            continue
        complete = claim.spec.complete_when
        absent_ok = not (fmt == "python" and STAR_IMPORT.search(ft.text)) and (
            not complete or any(s in ft.text for s in complete))
        for rule, occ in match_occurrences(indexes[(product.id, claim.spec.name)], parsed[fmt].occurrences, absent_ok):
            if anchor is None:  # fingerprints name the file relative to the project root (baselines work anywhere)
                anchor = os.path.relpath(os.path.abspath(cand.path), options.project_root).replace(os.sep, "/")
            finding = make_finding(rule, occ, product, v, cand.display, ft.text, options, anchor)
            if finding is not None:
                result.findings.append(finding)
            elif later and product.id in later:  # fires only at the latest release: counted for the summary
                finding = make_finding(rule, occ, product, later[product.id], cand.display, ft.text, options, anchor)
                if finding is not None:
                    result.later.append(finding)
    if len(result.findings) - first_finding > 1:
        number_alike(result.findings, first_finding)
    if prefilter is not None and len(result.findings) + len(result.later) == found and "cfgscan:" not in ft.text:
        return  # a big tree keeps the texts a fix or a suppression comment needs, not every file's
    result.texts[cand.display] = ft
    result.paths[cand.display] = cand.path
    result.claims[cand.display] = tuple(claims)


def number_alike(findings: list[Finding], start: int) -> None:
    """Findings of one file alike in rule, key path (list positions aside) and value get their order of
    appearance in their fingerprint, so that two identical flagged steps stay two baseline entries."""
    import dataclasses

    seen: dict[str, int] = {}
    for i in sorted(range(start, len(findings)), key=lambda i: (findings[i].line, findings[i].column)):
        first = findings[i].fingerprint
        n = seen.get(first, 0)
        seen[first] = n + 1
        if n:
            findings[i] = dataclasses.replace(findings[i], fingerprint=nth_fingerprint(first, n))


def claim_decision(cand: Candidate, kept: list[Claim]) -> Decision:
    """The specs that claim a file read, or why none does: the markers each spec needs are not in its text."""
    if kept:
        return Decision(cand.display, "claimed", ", ".join(f"{c.product}:{c.spec.name}" for c in kept))
    needs = "; ".join(f"{c.product}:{c.spec.name} needs {_markers(c.spec.contains)}" for c in cand.claims)
    return Decision(cand.display, "skipped", f"markers absent: {needs}")


def _markers(contains: tuple[str, ...]) -> str:
    shown = " or ".join(map(repr, contains[:3]))
    return shown if len(contains) <= 3 else f"{shown} or another of {len(contains)} markers"


def _wanted(indexes: list[RuleIndex]) -> Wanted | None:
    """The keys the file's rule indexes need occurrences for (None: all of them)."""
    found: Wanted | None = None
    for index in indexes:
        wanted = index.wanted
        if wanted is None:
            return None
        found = wanted if found is None else found | wanted
    return found


def parse_text(fmt: str, text: str, wanted: Wanted | None = None) -> ParseResult:
    """A file's text parsed as fmt; a parser that fails on bad input gives a parse error, never an exception."""
    try:
        if wanted is not None and fmt in FILTERING_PARSERS:
            return get_parser(fmt)(text, wanted)  # type: ignore[call-arg]
        return get_parser(fmt)(text)
    except RecursionError:
        return ParseResult(errors=[(None, None, "nesting too deep to read")])
    except (ValueError, UnicodeError, IndexError, MemoryError) as exc:
        return ParseResult(errors=[(None, None, f"cannot parse: {exc}")])


def make_finding(
    rule: Rule, occ: Occurrence | None, product: Product, v: Versions, file: str, text: str, options: Options,
    fingerprint_file: str | None = None,
) -> Finding | None:
    verdict = judge(rule, v, options.show_future)
    if verdict is None:
        return None
    severity, status = verdict
    value_rule = rule.has_value or rule.value_regex is not None
    if occ is None or rule.kind == "default-changed":
        line, col = (occ.line, occ.column) if occ is not None else (1, 1)
        end_line, end_col = (occ.end_line, occ.end_column) if occ is not None else (1, 1)
        key, value, path_key = rule.key, None, rule.key
        doc, context = (occ.doc, occ.context) if occ is not None else (0, None)
    else:
        if value_rule and occ.value_span is not None:
            line, col = occ.value_line, occ.value_column
            start, end = occ.value_span
            found = _match_region(rule, occ, text)
            if found is not None:  # at the match inside the value: its line in a script, its item in a list
                line += text.count("\n", start, found[0])
                start, end = found
                col = start - text.rfind("\n", 0, start)
            end_line = line + text.count("\n", start, end)
            end_col = end - text.rfind("\n", 0, end) if end_line > line else col + (end - start)
        else:
            line, col, end_line, end_col = occ.line, occ.column, occ.end_line, occ.end_column
        key = path_key = render_path(occ.path)
        value, doc, context = occ.value, occ.doc, occ.context
    message = rule.message
    if rule.kind == "default-changed":
        message = f"{message} (default changes from {rule.default_old!r} to {rule.default_new!r} in {rule.changed})"
    return Finding(
        rule=rule.id, product=product.id, severity=severity, status=status, file=file, line=line, column=col,
        end_line=end_line, end_column=end_col, key=key, value=value, message=message,
        deprecated_in=rule.deprecated, removed_in=rule.removed if rule.kind != "default-changed" else rule.changed,
        replacement=rule.replacement, fix_action=rule.fix_action, fix_safe=rule.fix_safe, docs=rule.docs,
        fingerprint=stable_fingerprint(rule.id, fingerprint_file or file, path_key, context,
                                       _matched_text(rule, value) if value_rule else None),
        legacy_fingerprint=fingerprint(rule.id, fingerprint_file or file, path_key, doc, context),
        installed=v.installed_text, installed_source=v.installed_source, target=v.target_text, occurrence=occ,
    )


def _matched_text(rule: Rule, value: object) -> str | None:
    """What a value rule flagged: the lines of the value that hold the match, not the whole value, so that
    editing another line of a script keeps the finding's fingerprint (and its baseline entry)."""
    text = value_text(value)
    found = value_match(rule, value)
    if text is None or found is None:
        return text
    end = text.find("\n", found[1])
    return text[text.rfind("\n", 0, found[0]) + 1 : len(text) if end < 0 else end]


def _match_region(rule: Rule, occ: Occurrence, text: str) -> tuple[int, int] | None:
    """The span of the text where a value rule matched inside the occurrence's value (None: the whole value)."""
    from scanner.placement import locate_match

    found = value_match(rule, occ.value)
    if found is None or occ.value_span is None:
        return None
    return locate_match(text, occ.value_span, str(value_text(occ.value)), found)


def gate_exit_code(result: ScanResult) -> int:
    """0 when nothing at or above --fail-on is left (after suppressions); parse errors count as breaking."""
    from scanner.match import at_or_above

    fail_on = result.options.fail_on
    if any(at_or_above(f.severity, fail_on) for f in result.active()):
        return 1
    if result.errors and not result.options.ignore_parse_errors and at_or_above("breaking", fail_on):
        return 1
    return 0


