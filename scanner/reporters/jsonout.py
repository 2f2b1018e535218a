"""The JSON report (schema 1 of PRODUCT.md): the source every other format renders from."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from scanner import __version__
from scanner.model import Finding, json_value
from scanner.reporters.escape import json_text

if TYPE_CHECKING:
    from scanner.scan import ScanResult


def finding_dict(f: Finding) -> dict[str, Any]:
    out: dict[str, Any] = {
        "rule": f.rule, "product": f.product, "severity": f.severity, "status": f.status, "file": f.file,
        "line": f.line, "column": f.column, "end_line": f.end_line, "end_column": f.end_column, "key": f.key,
        "value": json_value(f.value), "message": f.message, "deprecated_in": f.deprecated_in,
        "removed_in": f.removed_in, "replacement": f.replacement,
        "fix": {"action": f.fix_action, "safe": f.fix_safe}, "docs": f.docs, "fingerprint": f.fingerprint,
        "installed": f.installed, "installed_source": f.installed_source, "target": f.target,
    }
    if f.occurrence is not None and f.occurrence.context:
        out["context"] = f.occurrence.context
    if f.suppressed is not None:
        out["suppressed"] = {"reason": f.suppressed, "by": f.suppressed_by}
    return out


def document(result: ScanResult) -> dict[str, Any]:
    return {
        "version": 1,
        "tool": {"name": "cfgscan", "version": __version__},
        "targets": {pid: v.target_text for pid, v in sorted(result.versions.items())
                    if any(f.product == pid for f in result.findings) or pid in dict(result.options.targets)},
        "inventory": [{"product": i.product, "version": i.version, "source": i.source, "kind": i.kind}
                      for i in result.inventory],
        "findings": [finding_dict(f) for f in result.findings],
        "errors": [{"file": e.file, "line": e.line, "column": e.column, "message": e.message} for e in result.errors],
        "skipped": [{"file": s.file, "reason": s.reason} for s in result.skipped],
        "warnings": list(result.warnings),
        # where a target defaulted to the installed version: what `--target latest` would add (unsuppressed)
        "more_at_latest": {"findings": len(result.later), "targets": dict(sorted(result.later_targets.items()))},
        "stats": {"files_considered": result.files_considered, "files_checked": result.files_checked,
                  "files_parsed": result.files_parsed,
                  "seconds": round(result.seconds, 3)},
    }


def render(result: ScanResult) -> str:
    return json_text(document(result))
