"""The human report: ``path:line:col: RULE message`` grouped by file, colour only on a terminal."""

from __future__ import annotations

from typing import TYPE_CHECKING

from scanner.reporters.escape import printable

if TYPE_CHECKING:
    from scanner.model import Finding
    from scanner.scan import ScanResult

COLORS = {"breaking": "\033[31m", "deprecated": "\033[33m", "info": "\033[36m", "error": "\033[31;1m"}
BOLD, DIM, RESET = "\033[1m", "\033[2m", "\033[0m"


def _paint(text: str, code: str, color: bool) -> str:
    return f"{code}{text}{RESET}" if color else text


def unknown_version(product: str, installed: str | None, target: str) -> str | None:
    """What every report says of a finding whose product's installed version is unknown (None: it is known)."""
    if installed is None and product != "cfgscan":
        return f"{product} version unknown, judged against {target}"
    return None


def finding_line(f: Finding, color: bool) -> str:
    where = _paint(f"{printable(f.file)}:{f.line}:{f.column}:", BOLD, color)
    rule = _paint(printable(f.rule), COLORS.get(f.severity, ""), color)
    extra = []
    if (unknown := unknown_version(f.product, f.installed, f.target)) is not None:
        extra.append(unknown)
    if f.replacement:
        extra.append(f"use {f.replacement}")
    tail = _paint(printable(f" [{f.status}{'; ' if extra else ''}{'; '.join(extra)}]"), DIM, color)
    return f"{where} {rule} {printable(f.message)}{tail}"


def render(result: ScanResult, color: bool = False) -> str:
    lines = [finding_line(f, color) for f in result.active()]
    for e in result.errors:
        where = f"{printable(e.file)}:{e.line}:{e.column or 1}:" if e.line else f"{printable(e.file)}:"
        lines.append(f"{_paint(where, BOLD, color)} {_paint('error', COLORS['error'], color)} {printable(e.message)}")
    return "\n".join(lines) + ("\n" if lines else "")


def diagnostics(result: ScanResult) -> str:
    """What a scan prints on stderr after its report: each warning, then the one-line summary."""
    return "".join(f"cfgscan: warning: {w}\n" for w in result.warnings) + summary(result)


def summary(result: ScanResult) -> str:
    """The one-line summary printed to stderr."""
    active = result.active()
    counts = {s: sum(1 for f in active if f.severity == s) for s in ("breaking", "deprecated", "info")}
    suppressed = len(result.findings) - len(active)
    parts = [f"{len(active)} finding{'s' if len(active) != 1 else ''}"]
    detail = ", ".join(f"{n} {s}" for s, n in counts.items() if n)
    if detail:
        parts[0] += f" ({detail})"
    if suppressed:
        parts.append(f"{suppressed} suppressed")
    if result.errors:
        parts.append(f"{len(result.errors)} error{'s' if len(result.errors) != 1 else ''}")
    if result.skipped:
        parts.append(f"{len(result.skipped)} skipped")
    checked, parsed = result.files_checked, result.files_parsed
    files = f"{checked:,} config file{'s' if checked != 1 else ''}"
    if parsed != checked:  # a big tree: every file checked for syntax, only those a rule could match parsed
        files += f" checked, {parsed:,} parsed for rules"
    line = f"cfgscan: {', '.join(parts)} in {files} ({result.seconds:.2f}s)"
    if result.later:  # the target defaulted to the installed versions; the latest releases would add these
        more = len(result.later)
        line += f"; {more} more finding{'s' if more != 1 else ''} at the latest releases: run with --target latest"
    return line


def decision_lines(result: ScanResult) -> str:
    """--verbose: one line per decision, on stderr; each walk's note after the paths it listed."""
    words = {"claimed": "claimed by {}", "skipped": "skipped ({})", "walked": "walked {}"}
    ordered = sorted(result.decisions, key=lambda d: (d.verdict == "walked", d.file))
    return "\n".join(f"cfgscan: {d.file}: {words[d.verdict].format(d.detail)}" for d in ordered)
