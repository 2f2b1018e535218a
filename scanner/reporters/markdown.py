"""A pull-request comment in Markdown: counts, a findings table by severity, details folded away."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from scanner.reporters.escape import markdown_cell, printable
from scanner.reporters.jsonout import document
from scanner.reporters.text import unknown_version

if TYPE_CHECKING:
    from scanner.scan import ScanResult

SEVERITY_RANK = {"breaking": 0, "deprecated": 1, "info": 2}
MAX_ROWS = 200  # a GitHub comment holds 65536 characters; the full list lives in the other formats


def code(text: object) -> str:
    """An inline code span that survives backticks in the text."""
    s = markdown_cell(text)
    return f"`` {s} ``" if "`" in s else f"`{s}`"


def plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def heading(active: list[dict[str, Any]], suppressed: int, errors: int) -> str:
    counts = ", ".join(f"{n} {s}" for s in SEVERITY_RANK if (n := sum(f["severity"] == s for f in active)))
    parts = [plural(len(active), "finding") + (f" ({counts})" if counts else "")]
    if errors:
        parts.append(plural(errors, "parse error"))
    if suppressed:
        parts.append(f"{suppressed} suppressed")
    return "## cfgscan: " + ", ".join(parts)


def where(item: dict[str, Any]) -> str:
    return code(f"{item['file']}:{item['line']}" if item.get("line") else item["file"])


def _rule(f: dict[str, Any]) -> str:
    rule = markdown_cell(f["rule"])
    if not f.get("docs"):
        return rule
    url = printable(f["docs"])
    for ch in " ()|<>":  # would end the link or the cell
        url = url.replace(ch, f"%{ord(ch):02X}")
    return f"[{rule}]({url})"


def _row(f: dict[str, Any]) -> str:
    unknown = unknown_version(f["product"], f["installed"], f["target"])
    status = f["status"] + (f"; {markdown_cell(unknown)}" if unknown else "") + (
        f"; use {code(f['replacement'])}" if f.get("replacement") else "")
    return (f"| {f['severity']} | {_rule(f)} | {where(f)} | "
            f"{code(f['key']) if f['key'] else ''} | {markdown_cell(f['message'])} | {status} |")


def _table(findings: list[dict[str, Any]]) -> list[str]:
    rows = sorted(findings, key=lambda f: (SEVERITY_RANK.get(f["severity"], 9), f["file"], f["line"]))
    out = ["| Severity | Rule | File | Key | Message | Status |", "|---|---|---|---|---|---|"]
    out += [_row(f) for f in rows[:MAX_ROWS]]
    if len(rows) > MAX_ROWS:
        out.append(f"\n…and {len(rows) - MAX_ROWS} more; see the SARIF or JSON report for all of them.")
    return out


def _details(summary: str, body: list[str]) -> list[str]:
    return ["", "<details>", f"<summary>{summary}</summary>", "", *body, "", "</details>"]


def render(result: ScanResult) -> str:
    doc = document(result)
    active = [f for f in doc["findings"] if "suppressed" not in f]
    quiet = [f for f in doc["findings"] if "suppressed" in f]
    lines = [heading(active, len(quiet), len(doc["errors"])), ""]
    if doc["targets"]:
        lines += ["Target: " + ", ".join(markdown_cell(f"{p} {v}") for p, v in doc["targets"].items()), ""]
    lines += _table(active) if active else ["No deprecated or breaking configuration found."]
    if doc["errors"]:
        lines += _details(plural(len(doc["errors"]), "parse error"), [
            f"- {where(e)}: {markdown_cell(e['message'])}"
            for e in doc["errors"]])
    if quiet:
        lines += _details(plural(len(quiet), "suppressed finding"), [
            "| Rule | File | Key | Reason | By |", "|---|---|---|---|---|",
            *(f"| {_rule(f)} | {where(f)} | {code(f['key']) if f['key'] else ''} | "
              f"{markdown_cell(f['suppressed']['reason'])} | {f['suppressed']['by']} |" for f in quiet)])
    if doc["warnings"]:
        lines += ["", *(f"> **Warning:** {markdown_cell(w)}" for w in doc["warnings"])]
    return "\n".join(lines) + "\n"
