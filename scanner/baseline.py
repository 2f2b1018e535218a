"""Baselines: the findings a gate forgives, recorded in a JSON file; which entries went stale, and pruning them."""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from scanner.errors import UsageError
from scanner.options import rule_selected

if TYPE_CHECKING:
    from scanner.model import Finding
    from scanner.options import Options
    from scanner.scan import ScanResult

DEFAULT_FILE = ".cfgscan-baseline.json"


@dataclass(frozen=True)
class Baseline:
    """A baseline file as read: its entries verbatim (a prune writes back the ones it keeps) and their fingerprints."""

    path: str
    entries: tuple[Any, ...]
    fingerprints: frozenset[str]


def load_baseline(path: str) -> Baseline:
    import json  # json, like the datetime of ignore entries, only for the suppressions a run has

    try:
        with open(path, encoding="utf-8") as f:
            data = json.load(f)
    except FileNotFoundError:
        raise UsageError(f"{path}: baseline file not found (create it with `cfgscan baseline -o {path}`)") from None
    except (OSError, ValueError) as exc:
        raise UsageError(f"{path}: not a cfgscan baseline: {exc}") from None
    items = data.get("findings", []) if isinstance(data, dict) else data
    if not isinstance(items, list):
        raise UsageError(f"{path}: not a cfgscan baseline (no findings list)")
    entries = tuple(i for i in items if isinstance(i, str) or (isinstance(i, dict) and "fingerprint" in i))
    return Baseline(path, entries, frozenset(str(i["fingerprint"] if isinstance(i, dict) else i) for i in entries))


def baseline_document(findings: list[Finding], project_root: str = ".") -> str:
    """The baseline of these findings; ``file`` is relative to the project root, as the fingerprint's file is."""
    root, cwd = os.path.realpath(project_root), os.getcwd()
    items = [{"fingerprint": f.fingerprint, "rule": f.rule,
              "file": os.path.relpath(os.path.join(cwd, f.file), root).replace(os.sep, "/"), "key": f.key}
             for f in sorted(findings, key=lambda f: (f.file, f.rule, f.key))]
    return render_entries(items)


def render_entries(entries: list[Any]) -> str:
    import json

    return json.dumps({"version": 2, "tool": "cfgscan", "findings": entries}, indent=2) + "\n"


def baseline_file(output: str | None, options: Options) -> str:
    """The file ``cfgscan baseline`` writes or prunes: -o FILE, else the tool config's baseline, else the default."""
    if output:
        return output
    if options.baseline:
        return options.baseline
    from scanner.quickcli import configured_baseline  # confined to the config's folder, as every configured path

    return configured_baseline(options) or DEFAULT_FILE


def stale_entries(baseline: Baseline, result: ScanResult) -> list[int]:
    """The indexes of the entries this scan should have matched and did not.

    Only entries this scan could judge count: their file lies under the paths scanned, their rule is selected,
    and the file was read this time (not skipped, and without an error, since a file that does not parse has no
    findings for now but gets them back once fixed). A pre-commit run over two files says nothing of the others.
    An entry without a file (a bare fingerprint) is never judged.
    """
    options = result.options
    found = {f.fingerprint for f in result.findings} | {f.legacy_fingerprint for f in result.findings}
    cwd = os.getcwd()
    root = os.path.realpath(options.project_root)
    scopes = [_display(os.path.abspath(p), cwd) for p in options.paths]
    unread = {e.file for e in result.errors} | {s.file for s in result.skipped}
    stale = []
    for n, entry in enumerate(baseline.entries):
        if not isinstance(entry, dict) or str(entry["fingerprint"]) in found:
            continue
        file, rule = entry.get("file"), entry.get("rule")
        if not isinstance(file, str) or not isinstance(rule, str) or not rule_selected(rule, options):
            continue
        shown = _display(os.path.join(root, file), cwd)
        if shown not in unread and any(s == "." or shown == s or shown.startswith(s + "/") for s in scopes):
            stale.append(n)
    return stale


def stale_warning(baseline: Baseline, stale: int) -> str:
    entries, them = ("1 entry no longer matches", "it") if stale == 1 else (f"{stale} entries no longer match", "them")
    return f"baseline {baseline.path}: {entries}; run `cfgscan baseline --prune` to drop {them}"


def _display(path: str, cwd: str) -> str:
    return os.path.relpath(path, cwd).replace(os.sep, "/")

