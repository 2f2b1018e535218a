"""pyproject.toml: PEP 621/735 and poetry dependencies as pins or lower bounds, and requires-python."""

from __future__ import annotations

import re
from typing import Any

from scanner.inventory.inputs import PYPROJECT as FILENAME
from scanner.inventory.interface import LOWER_BOUND, Context, Found, Package, canonical_name, first_of_each
from scanner.inventory.sourcetext import LineIndex, read_root_file, toml_document
from scanner.inventory.specifiers import range_version, requirement_version, specifier_version


def read_pyproject(ctx: Context) -> Found:
    found = Found()
    text = read_root_file(ctx, FILENAME, found)
    data = toml_document(text, FILENAME, ctx, found) if text is not None else None
    if text is None or data is None:
        return found
    reader = _Reader(ctx.path(FILENAME), ctx, LineIndex(text), found)
    project = _table(data, "project")
    reader.requirements(project.get("dependencies"))
    for group in _table(project, "optional-dependencies").values():
        reader.requirements(group)
    for group in _table(data, "dependency-groups").values():
        reader.requirements(group)
    poetry = _table(_table(data, "tool"), "poetry")
    reader.poetry(_table(poetry, "dependencies"), "tool.poetry.dependencies")
    reader.poetry(_table(poetry, "dev-dependencies"), "tool.poetry.dev-dependencies")
    for name, group in _table(poetry, "group").items():
        if isinstance(group, dict):
            reader.poetry(_table(group, "dependencies"), f"tool.poetry.group.{name}.dependencies")
    reader.requires_python(project.get("requires-python"))
    found.packages = first_of_each(found.packages)
    return found


def _table(data: dict[str, Any], key: str) -> dict[str, Any]:
    value = data.get(key)
    return value if isinstance(value, dict) else {}


class _Reader:
    """Turns each declared constraint into a Package at the line where it is written."""

    def __init__(self, path: str, ctx: Context, index: LineIndex, found: Found) -> None:
        self.path, self.ctx, self.index, self.found = path, ctx, index, found

    def add(self, name: str, ecosystem: str, version: tuple[str, str], line: int | None) -> None:
        source = self.ctx.where(self.path, line)
        self.found.packages.append(Package(name, ecosystem, version[0], version[1], source))

    def error(self, message: str) -> None:
        self.found.errors.append((self.ctx.display(self.path), message))

    def line_of(self, pattern: str, start: int = 0) -> int | None:
        m = re.compile(pattern, re.M).search(self.index.text, start)
        return self.index.line_at(m.start()) if m else None

    def quoted_line(self, item: str) -> int | None:
        """The line of the first ``item`` between quotes (``["']item["']``), found without a regex per item."""
        text = self.index.text
        pos = text.find(item, 1)
        while pos >= 0:
            end = pos + len(item)
            if text[pos - 1] in "\"'" and text[end:end + 1] in ('"', "'"):
                return self.index.line_at(pos - 1)
            pos = text.find(item, pos + 1)
        return None

    def requirements(self, items: object) -> None:
        if not isinstance(items, list):
            return
        for item in items:
            if not isinstance(item, str):
                continue  # {include-group = "..."}: its group is read on its own
            try:
                pinned = requirement_version(item)
            except ValueError as exc:  # packaging.requirements.InvalidRequirement
                self.error(f"invalid requirement {item!r}: {exc}")
                continue
            if pinned:
                self.add(pinned[0], "pypi", pinned[1:], self.quoted_line(item))

    def poetry(self, deps: dict[str, Any], table: str) -> None:
        header = re.compile(rf"^[ \t]*\[[ \t]*{re.escape(table)}[ \t]*\]", re.M).search(self.index.text)
        start = header.end() if header else 0
        for name, spec in deps.items():
            constraint = _poetry_constraint(spec)
            version = range_version(constraint) if constraint else None
            if version is None:
                continue
            line = self.line_of(rf"""^[ \t]*["']?{re.escape(name)}["']?[ \t]*=""", start)
            if name.lower() == "python":
                self.add("python", "runtime", (version[0], LOWER_BOUND), line)
            else:
                self.add(canonical_name(name), "pypi", version, line)

    def requires_python(self, value: object) -> None:
        if not isinstance(value, str):
            return
        try:
            version = specifier_version(value)
        except ValueError as exc:  # packaging's InvalidSpecifier
            self.error(f"invalid requires-python: {exc}")
            return
        if version:
            line = self.line_of(r"^[ \t]*requires-python[ \t]*=")
            self.add("python", "runtime", (version[0], LOWER_BOUND), line)


def _poetry_constraint(spec: object) -> str | None:
    """``"^4.2"``, ``{version = "^4.2", extras = [...]}``, or a list of those (the first counts)."""
    if isinstance(spec, list):
        spec = spec[0] if spec else None
    if isinstance(spec, dict):
        spec = spec.get("version")
    return spec if isinstance(spec, str) else None
