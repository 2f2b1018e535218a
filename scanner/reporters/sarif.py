"""SARIF 2.1.0 for code-scanning dashboards: the JSON document plus the matrix's rule metadata."""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

from scanner.reporters.escape import json_text
from scanner.reporters.jsonout import document
from scanner.reporters.text import unknown_version

if TYPE_CHECKING:
    from scanner.scan import ScanResult

SCHEMA_URI = "https://json.schemastore.org/sarif-2.1.0.json"
INFORMATION_URI = "https://github.com/cfgscan/cfgscan"
LEVELS = {"breaking": "error", "deprecated": "warning", "info": "note"}
SUPPRESSION_KINDS = {"inline": "inSource"}  # tool config and baselines live outside the file: "external"
FINGERPRINT_KEY = "cfgscan/v1"
ROOT_ID = "%SRCROOT%"
TOOL_RULES = {"CFG001": "A cfgscan suppression comment that suppresses nothing."}  # not in any matrix


def versions_sentence(f: dict[str, Any]) -> str:
    """What a finding says about versions and the way out, shared by every report that explains a rule."""
    parts = []
    if f.get("deprecated_in"):
        parts.append(f"deprecated in {f['product']} {f['deprecated_in']}")
    if f.get("removed_in"):
        parts.append(f"removed in {f['product']} {f['removed_in']}")
    text = "; ".join(parts)
    text = text[:1].upper() + text[1:] + ("." if parts else "")
    if f.get("replacement"):
        text += f"{' ' if text else ''}Use {f['replacement']} instead."
    return text


def _descriptor(f: dict[str, Any], result: ScanResult) -> dict[str, Any]:
    rule = result.matrix.rules.get(f["rule"])
    message = rule.message if rule else TOOL_RULES.get(f["rule"], f["message"])
    details = versions_sentence(f)
    full = f"{message} {details}".strip()
    docs = rule.docs if rule else f.get("docs")
    out: dict[str, Any] = {
        "id": f["rule"],
        "shortDescription": {"text": message},
        "fullDescription": {"text": full},
        "help": {"text": full + (f" See {docs}" if docs else ""),
                 "markdown": full + (f" [Documentation]({docs})" if docs else "")},
        "properties": {"product": f["product"], "tags": [f["product"], "configuration", "deprecation"]},
    }
    if docs:
        out["helpUri"] = docs
    if rule is not None:
        out["properties"]["source"] = rule.source
        if rule.key:
            out["properties"]["key"] = rule.key
    return out


def repository_root(project_root: str) -> Path:
    """The checkout that holds the project (a monorepo's project may sit below it); else the project root."""
    start = Path(project_root).resolve()
    return next((d for d in (start, *start.parents) if (d / ".git").exists() or (d / ".hg").exists()), start)


def repository_path(file: str, root: Path) -> Path | None:
    """A report path (relative to the working directory) relative to the repository, or None outside it."""
    try:
        return Path(os.path.abspath(file)).relative_to(root)
    except ValueError:
        return None


class _Locator:
    """Turns report paths into URIs relative to the repository root, the base code-scanning resolves."""

    def __init__(self, project_root: str) -> None:
        self.root = repository_root(project_root)

    def base(self) -> dict[str, Any]:
        return {ROOT_ID: {"uri": self.root.as_uri().rstrip("/") + "/",
                          "description": {"text": "The root of the scanned repository."}}}

    def artifact(self, file: str) -> dict[str, str]:
        inside = repository_path(file, self.root)
        if inside is None:  # outside the repository: an absolute URI needs no base
            return {"uri": Path(os.path.abspath(file)).as_uri()}
        return {"uri": quote(os.fsencode(inside.as_posix())), "uriBaseId": ROOT_ID}  # the name's own bytes

    def location(self, file: str, region: dict[str, int] | None) -> dict[str, Any]:
        physical: dict[str, Any] = {"artifactLocation": self.artifact(file)}
        if region:
            physical["region"] = region
        return {"physicalLocation": physical}


def _region(f: dict[str, Any]) -> dict[str, int]:
    line, col = max(1, f["line"]), max(1, f["column"])
    end_line = max(line, f["end_line"] or line)
    end_col = max(1, f["end_column"] or col)
    if end_line == line:
        end_col = max(col, end_col)
    return {"startLine": line, "startColumn": col, "endLine": end_line, "endColumn": end_col}


def _result(f: dict[str, Any], index: int, locator: _Locator) -> dict[str, Any]:
    unknown = unknown_version(f["product"], f["installed"], f["target"])
    status = f["status"] + (f"; {unknown}" if unknown else "") + (
        f"; use {f['replacement']}" if f.get("replacement") else "")
    out: dict[str, Any] = {
        "ruleId": f["rule"],
        "ruleIndex": index,
        "level": LEVELS.get(f["severity"], "warning"),
        "message": {"text": f"{f['message']} [{status}]"},
        "locations": [locator.location(f["file"], _region(f))],
        "partialFingerprints": {FINGERPRINT_KEY: f["fingerprint"]},
        "properties": {k: f[k] for k in ("severity", "status", "product", "key", "installed", "target",
                                         "deprecated_in", "removed_in", "replacement", "fix") if f.get(k)},
    }
    if f.get("key"):
        out["locations"][0]["logicalLocations"] = [{"fullyQualifiedName": f["key"], "kind": "member"}]
    if "suppressed" in f:
        sup = f["suppressed"]
        out["suppressions"] = [{"kind": SUPPRESSION_KINDS.get(sup["by"], "external"), "status": "accepted",
                                "justification": sup["reason"]}]
    return out


def _invocation(doc: dict[str, Any], result: ScanResult, locator: _Locator) -> dict[str, Any]:
    notes = []
    for e in doc["errors"]:
        region = {"startLine": e["line"], "startColumn": e["column"] or 1} if e["line"] else None
        notes.append({"level": "error", "message": {"text": e["message"]},
                      "descriptor": {"id": "parse-error"},
                      "locations": [locator.location(e["file"], region)]})
    out: dict[str, Any] = {"executionSuccessful": not doc["errors"], "toolExecutionNotifications": notes}
    if doc["warnings"]:
        out["toolConfigurationNotifications"] = [{"level": "warning", "message": {"text": w},
                                                  "descriptor": {"id": "config"}} for w in doc["warnings"]]
    return out


def render(result: ScanResult) -> str:
    doc = document(result)
    locator = _Locator(result.options.project_root)
    order: dict[str, int] = {}
    rules: list[dict[str, Any]] = []
    for f in doc["findings"]:
        if f["rule"] not in order:
            order[f["rule"]] = len(rules)
            rules.append(_descriptor(f, result))
    run = {
        "tool": {"driver": {"name": doc["tool"]["name"], "version": doc["tool"]["version"],
                            "semanticVersion": doc["tool"]["version"], "informationUri": INFORMATION_URI,
                            "rules": rules}},
        "invocations": [_invocation(doc, result, locator)],
        "originalUriBaseIds": locator.base(),
        "columnKind": "unicodeCodePoints",
        "results": [_result(f, order[f["rule"]], locator) for f in doc["findings"]],
        "properties": {"targets": doc["targets"]},
    }
    sarif = {"$schema": SCHEMA_URI, "version": "2.1.0", "runs": [run]}
    return json_text(sarif)
