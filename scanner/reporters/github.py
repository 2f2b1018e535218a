"""GitHub Actions workflow commands: an annotation per unsuppressed finding and parse error, then a total."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from scanner.reporters.escape import github_data, github_property
from scanner.reporters.jsonout import document
from scanner.reporters.sarif import repository_path, repository_root
from scanner.reporters.text import summary, unknown_version

if TYPE_CHECKING:
    from scanner.scan import ScanResult

COMMANDS = {"breaking": "error", "deprecated": "warning", "info": "notice"}


def command(name: str, message: str, **props: object) -> str:
    head = ",".join(f"{k}={github_property(v)}" for k, v in props.items() if v is not None)
    return f"::{name}{' ' + head if head else ''}::{github_data(message)}"


def annotation(f: dict[str, Any], file: str | None = None) -> str:
    same_line = f["end_line"] == f["line"]
    # GitHub accepts columns only on a single-line annotation
    cols = {"col": f["column"], "endColumn": f["end_column"]} if same_line else {}
    unknown = unknown_version(f["product"], f["installed"], f["target"])
    extra = [f["status"], *([unknown] if unknown else []),
             *([f"use {f['replacement']}"] if f.get("replacement") else [])]
    return command(COMMANDS.get(f["severity"], "warning"), f"{f['message']} [{'; '.join(extra)}]",
                   file=file or f["file"], line=f["line"], endLine=f["end_line"], **cols,
                   title=f["rule"])


def render(result: ScanResult) -> str:
    doc = document(result)
    root = repository_root(result.options.project_root)

    def where(file: str) -> str:  # GitHub resolves annotation paths against the repository root
        inside = repository_path(file, root)
        return inside.as_posix() if inside is not None else file

    lines = [annotation(f, where(f["file"])) for f in doc["findings"] if "suppressed" not in f]
    for e in doc["errors"]:
        lines.append(command("error", e["message"], file=where(e["file"]), line=e["line"], col=e["column"],
                             title="cfgscan parse error"))
    lines.extend(command("warning", w, title="cfgscan") for w in doc["warnings"])
    # GitHub shows only the first annotations of a step; the plain last line always tells the whole count
    lines.append(summary(result))  # counts only: nothing from the scanned tree
    return "\n".join(lines) + "\n"
