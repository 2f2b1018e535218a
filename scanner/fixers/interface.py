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

    def descendants_end(self, path: KeyPath) -> int:
        """The largest offset covered by the occurrence at path or anything nested in it."""
        end = 0
        for o in self.occurrences:
            if o.doc == self.occ.doc and o.path[: len(path)] == path:
                for span in (o.key_span, o.value_span):
                    if span is not None:
                        end = max(end, span[1])
        return end


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


def whole_lines(ctx: FixContext, start: int, end: int) -> tuple[int, int]:
    """Widen [start, end) to whole lines when only whitespace (or a comment) surrounds it on them."""
    ls, _ = ctx.line_bounds(start)
    if ctx.text[ls:start].strip():
        raise NotFixable("the key shares its line with other content; fix it by hand")
    _, le = ctx.line_bounds(max(end - 1, start))
    tail = ctx.text[end:le].strip()
    if tail and not tail.startswith(("#", "//", ";")):
        raise NotFixable("the entry shares its line with other content; fix it by hand")
    return ls, le
