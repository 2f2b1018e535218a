"""The data model that crosses every boundary: occurrences, findings, errors and skipped files."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

Segment = str | int
KeyPath = tuple[Segment, ...]


class _Marker:
    """A non-scalar value: a mapping, a list, or an expression that is not a literal."""

    __slots__ = ("name",)

    def __init__(self, name: str) -> None:
        self.name = name

    def __repr__(self) -> str:
        return f"<{self.name}>"


MAPPING = _Marker("mapping")
SEQUENCE = _Marker("sequence")
OPAQUE = _Marker("expression")


def is_scalar(value: object) -> bool:
    return not isinstance(value, _Marker)


def value_text(value: object) -> str | None:
    """The text a value predicate compares against; None for mappings, lists and expressions."""
    if isinstance(value, _Marker):
        return None
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def json_value(value: object) -> Any:
    """The value as it appears in JSON output (scalars only)."""
    if isinstance(value, _Marker):
        return None
    if isinstance(value, (str, int, float, bool)) or value is None:
        return value
    return str(value)


@dataclass(slots=True, unsafe_hash=True)
class Occurrence:
    """One key (or list item) found in a config file, with 1-based positions and character spans.

    Never changed once made; not frozen because a frozen dataclass is built field by field through
    ``object.__setattr__``, four times slower, and a big scan makes tens of thousands of these.
    """

    path: KeyPath
    value: object
    line: int
    column: int
    end_line: int
    end_column: int
    value_line: int = 0
    value_column: int = 0
    doc: int = 0
    context: str | None = None
    key_span: tuple[int, int] | None = None
    value_span: tuple[int, int] | None = None


@dataclass(frozen=True, slots=True)
class FileError:
    """A file that could not be read or parsed (counts against the gate unless ignored)."""

    file: str
    message: str
    line: int | None = None
    column: int | None = None


@dataclass(frozen=True, slots=True)
class Skipped:
    """A file that was deliberately not read, with the reason."""

    file: str
    reason: str


@dataclass(frozen=True, slots=True)
class Decision:
    """What became of a path given or walked, recorded for ``--verbose`` only."""

    file: str  # a folder ends in "/"
    verdict: str  # claimed | skipped | walked
    detail: str  # the claiming specs, the reason for the skip, or what a walk did not list


@dataclass(frozen=True, slots=True)
class Installed:
    """A product version in use and where that fact came from."""

    product: str
    version: str
    source: str
    kind: str = "exact"  # exact | lower-bound | assumed
    others: tuple[tuple[str, str], ...] = ()  # (version, source) of sources that lost


@dataclass(frozen=True)
class Finding:
    """A rule that fired on an occurrence (or on an absent key), judged for a target version."""

    rule: str
    product: str
    severity: str
    status: str
    file: str
    line: int
    column: int
    end_line: int
    end_column: int
    key: str
    value: object
    message: str
    deprecated_in: str | None
    removed_in: str | None
    replacement: str | None
    fix_action: str
    fix_safe: bool
    docs: str | None
    fingerprint: str
    installed: str | None
    installed_source: str | None
    target: str
    occurrence: Occurrence | None = field(default=None, compare=False, repr=False)
    suppressed: str | None = None  # the reason, when suppressed
    suppressed_by: str | None = None  # inline | config | baseline
    legacy_fingerprint: str | None = field(default=None, compare=False, repr=False)  # baseline format 1's
