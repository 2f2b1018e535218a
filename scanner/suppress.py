"""Suppressions: inline ``cfgscan: ignore[...]`` comments, ``[[tool.cfgscan.ignore]]`` entries, baselines."""

from __future__ import annotations

import dataclasses
from typing import TYPE_CHECKING

from scanner.baseline import load_baseline, stale_entries, stale_warning
from scanner.discover import compile_glob
from scanner.lazyregex import LazyRegex
from scanner.model import Finding

if TYPE_CHECKING:
    from scanner.options import IgnoreEntry
    from scanner.scan import ScanResult

MARKER = LazyRegex(r"(?:#|//|;|/\*)\s*cfgscan:\s*ignore(?:\[(?P<ids>[^\]]*)\])?(?P<reason>[^\n]*)")
UNUSED_RULE = "CFG001"


def _inline_markers(text: str) -> dict[int, tuple[tuple[str, ...] | None, str]]:
    """Line number -> (rule ids or None for all, reason) for every marker in a file."""
    out: dict[int, tuple[tuple[str, ...] | None, str]] = {}
    if "cfgscan:" not in text:
        return out
    for lineno, line in enumerate(text.split("\n"), start=1):
        if "cfgscan:" not in line:
            continue
        m = MARKER.search(line)
        if m:
            ids = tuple(x.strip() for x in m.group("ids").split(",") if x.strip()) if m.group("ids") else None
            reason = m.group("reason").strip().rstrip("*/").strip() or "inline suppression"
            out[lineno] = (ids, reason)
    return out


def apply_suppressions(result: ScanResult) -> None:
    options = result.options
    markers = {file: _inline_markers(ft.text) for file, ft in result.texts.items()}
    used: set[tuple[str, int]] = set()
    baseline = load_baseline(options.baseline) if options.baseline else None
    live_ignores = _live_ignores(result)
    out: list[Finding] = []
    for f in result.findings:
        reason, by = None, None
        near: tuple[int, ...] = (f.line, f.line - 1)
        occ = f.occurrence
        if occ is not None and occ.line < f.line:  # a match inside a multi-line value: a marker at its key counts too
            near += (occ.line, occ.line - 1)
        for line in near:
            marker = markers.get(f.file, {}).get(line)
            if marker is not None and (marker[0] is None or any(f.rule.startswith(i) for i in marker[0])):
                reason, by = marker[1], "inline"
                used.add((f.file, line))
                break
        if reason is None:
            for entry in live_ignores:
                if f.rule.startswith(entry.rule) and (entry.path is None or compile_glob(entry.path).match(f.file)):
                    reason, by = entry.reason or "ignored in tool config", "config"
                    break
        known = baseline.fingerprints if baseline is not None else frozenset()
        if reason is None and (f.fingerprint in known or f.legacy_fingerprint in known):  # format 1 baselines too
            reason, by = "in baseline", "baseline"
        out.append(dataclasses.replace(f, suppressed=reason, suppressed_by=by) if reason else f)
    for file, lines in markers.items() if not (options.select or options.ignore) else ():
        for line, (ids, _) in lines.items():
            if (file, line) not in used:
                what = f"[{', '.join(ids)}]" if ids else ""
                out.append(Finding(
                    rule=UNUSED_RULE, product="cfgscan", severity="info", status="unused-suppression", file=file,
                    line=line, column=1, end_line=line, end_column=1, key="", value=None,
                    message=f"unused suppression comment cfgscan: ignore{what}: nothing is reported here",
                    deprecated_in=None, removed_in=None, replacement=None, fix_action="none", fix_safe=True,
                    docs=None, fingerprint=f"unused:{file}:{line}", installed=None, installed_source=None, target=""))
    result.findings = out
    stale = stale_entries(baseline, result) if baseline is not None else []
    if baseline is not None and stale:  # one warning per scan, however many entries
        result.warnings.append(stale_warning(baseline, len(stale)))


def _live_ignores(result: ScanResult) -> list[IgnoreEntry]:
    """The tool config's ignore entries that have not expired; a warning for each one that has."""
    if not result.options.ignores:
        return []
    import datetime

    today = datetime.date.today()
    live = []
    for entry in result.options.ignores:
        until = datetime.date.fromisoformat(str(entry.until)) if entry.until else None
        if until is not None and until < today:
            result.warnings.append(f"ignore entry for {entry.rule}{' on ' + entry.path if entry.path else ''} "
                                   f"expired on {until}; it no longer suppresses")
        else:
            live.append(entry)
    return live
