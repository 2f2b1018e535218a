"""INI parser (setup.cfg, tox.ini, mypy.ini, airflow.cfg): sections, options, continuation lines.

Follows configparser's reading rules: ``=`` or ``:`` delimiters, full-line ``#``/``;`` comments,
indented continuation lines, option names folded to lower case. Multi-line values also yield one
``[]`` item per non-empty line, so list-valued options (``deps``, ``addopts``) can be matched by item.
"""

from __future__ import annotations

import re

from scanner.model import MAPPING, Occurrence
from scanner.parsers.interface import LineIndex, ParseResult

SECTION = re.compile(r"\[(?P<name>[^\]]+)\]\s*(?:[#;].*)?$")
# Both patterns stay linear on long runs of blanks: the key is greedy up to the first delimiter (and
# stripped afterwards), and a comment match may only start where a run of blanks starts.
OPTION = re.compile(r"(?P<key>[^=:\s][^=:]*)(?P<delim>[=:])\s*(?P<value>.*)$")
INLINE_COMMENT = re.compile(r"(?<!\s)\s+[#;].*$")


def parse(text: str) -> ParseResult:
    result = ParseResult()
    index = LineIndex(text)
    section: str | None = None
    current: dict[str, object] | None = None  # the option being continued
    pending: list[dict[str, object]] = []
    offset = 0
    for lineno, raw in enumerate(text.split("\n"), start=1):
        start, offset = offset, offset + len(raw) + 1
        line = raw.rstrip("\r")
        stripped = line.strip()
        if not stripped or stripped[0] in "#;":
            if not stripped and current is not None:
                current["blank"] = True
            continue
        if line[0] in " \t" and current is not None:
            current["lines"].append((lineno, start + len(line) - len(line.lstrip()), stripped))  # type: ignore[attr-defined]
            continue
        current = None
        if stripped.startswith("["):
            m = SECTION.match(stripped)
            if not m:
                result.errors.append((lineno, 1, f"malformed section header: {stripped[:60]!r}"))
                section = stripped.strip("[] \t")  # read on as configparser users would expect
                continue
            section = m.group("name").strip()
            col = line.index("[") + 2
            result.occurrences.append(Occurrence(
                path=(section,), value=MAPPING, line=lineno, column=col, end_line=lineno,
                end_column=col + len(section), value_line=lineno, value_column=col,
                key_span=(start + col - 1, start + col - 1 + len(section))))
            continue
        m = OPTION.match(line)
        if m is None or line[0] in " \t":
            result.errors.append((lineno, 1, f"not an option, section or comment: {stripped[:60]!r}"))
            continue
        if section is None:
            result.errors.append((lineno, 1, "option before any [section] header"))
            continue
        key = m.group("key").strip()
        value = INLINE_COMMENT.sub("", m.group("value")) if m.group("value")[:1] not in "#;" else ""
        current = {"section": section, "key": key, "line": lineno, "kstart": start + m.start("key"),
                   "vstart": start + m.start("value"), "value": value.strip(),
                   "lines": [], "end": start + len(line)}
        pending.append(current)
    for opt in pending:
        _emit(opt, index, result)
    result.occurrences.sort(key=lambda o: (o.line, o.column))
    return result


def _emit(opt: dict[str, object], index: LineIndex, result: ParseResult) -> None:
    key, section = str(opt["key"]), str(opt["section"])
    lines: list[tuple[int, int, str]] = opt["lines"]  # type: ignore[assignment]
    kstart, vstart = int(opt["kstart"]), int(opt["vstart"])  # type: ignore[call-overload]
    first = str(opt["value"])
    cont = [INLINE_COMMENT.sub("", s) for _, _, s in lines]
    value = "\n".join(x for x in [first, *cont] if x) if lines else first
    line, col = index.position(kstart)
    vline, vcol = index.position(vstart)
    vend = lines[-1][1] + len(lines[-1][2]) if lines else vstart + len(first)
    path = (section, key.lower())
    result.occurrences.append(Occurrence(
        path=path, value=value, line=line, column=col, end_line=line, end_column=col + len(key),
        value_line=vline, value_column=vcol, key_span=(kstart, kstart + len(key)), value_span=(vstart, vend)))
    if not lines:
        return
    items = ([(vline, vstart, first)] if first else []) + [
        (ln, s, t) for (ln, s, _), t in zip(lines, cont, strict=True)]
    for k, (ln, s, t) in enumerate(items):
        _, c = index.position(s)
        result.occurrences.append(Occurrence(
            path=(*path, k), value=t, line=ln, column=c, end_line=ln, end_column=c + len(t),
            value_line=ln, value_column=c, key_span=(s, s + len(t)), value_span=(s, s + len(t))))
