"""The fixer contract: a context in, text edits out, or a ``NotFixable`` saying why not."""

from __future__ import annotations

from dataclasses import dataclass

from scanner.errors import ScannerError
from scanner.model import KeyPath, Occurrence


class NotFixable(ScannerError):
    """This occurrence cannot be fixed mechanically and safely; the message says why."""


@dataclass(frozen=True)
class Edit:
    """Replace ``text[start:end]`` with ``replacement`` (character offsets)."""

    start: int
    end: int
    replacement: str


@dataclass(frozen=True)
class FixContext:
    """What a fixer sees: the whole text, the occurrence to change, and all occurrences of the file."""

    text: str
    occ: Occurrence
    occurrences: tuple[Occurrence, ...]
    newline: str

    def line_bounds(self, offset: int) -> tuple[int, int]:
        """(start of the line holding offset, offset just past its newline)."""
        start = self.text.rfind("\n", 0, offset) + 1
        end = self.text.find("\n", offset)
        return start, len(self.text) if end < 0 else end + 1

    def find(self, path: KeyPath) -> Occurrence | None:
        for o in self.occurrences:
            if o.path == path and o.doc == self.occ.doc:
                return o
        return None


def apply_edits(text: str, edits: list[Edit]) -> str:
    """Apply non-overlapping edits (any order given)."""
    out = text
    last = len(text) + 1
    for e in sorted(edits, key=lambda e: e.start, reverse=True):
        if e.end > last:
            raise NotFixable("overlapping edits")
        out = out[: e.start] + e.replacement + out[e.end :]
        last = e.start
    return out
