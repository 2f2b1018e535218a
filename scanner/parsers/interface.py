"""What every parser returns, and the position helpers they share."""

from __future__ import annotations

import bisect
from collections.abc import Callable
from dataclasses import dataclass, field

from scanner.model import KeyPath, Occurrence

MAX_DEPTH = 200  # deeper nesting is reported, never recursed into
TOO_DEEP = f"nesting deeper than {MAX_DEPTH} levels; the keys below are not read"


@dataclass
class ParseResult:
    """Occurrences in document order, plus parse errors as (line, column, message)."""

    occurrences: list[Occurrence] = field(default_factory=list)
    errors: list[tuple[int | None, int | None, str]] = field(default_factory=list)


def report_too_deep(result: ParseResult, line: int | None, column: int | None) -> None:
    """Record, once per file, that nesting went past MAX_DEPTH (walkers stop there instead of recursing)."""
    if all(message != TOO_DEEP for _, _, message in result.errors):
        result.errors.append((line, column, TOO_DEEP))


class Wanted:
    """The keys a scan needs occurrences for: those whose last segment a rule names, or of a length a rule
    without a literal last segment matches. Parsers that take it skip making occurrences for the others
    (most keys of most files); every key is still read, so syntax errors are found as before.

    ``fires(path, value)`` says whether some rule matches a key and its value (``where`` aside): a parser that
    has every value before it works out positions (TOML) skips that work when nothing in the file fires.
    """

    __slots__ = ("fires", "keys", "lengths")

    def __init__(self, keys: frozenset[str], lengths: frozenset[int],
                 fires: Callable[[KeyPath, object], bool] | None = None) -> None:
        self.keys, self.lengths, self.fires = keys, lengths, fires

    def __call__(self, path: KeyPath) -> bool:
        return len(path) in self.lengths or (bool(path) and path[-1] in self.keys)

    def __or__(self, other: Wanted) -> Wanted:
        a, b = self.fires, other.fires
        fires = None if a is None or b is None else (lambda path, value: a(path, value) or b(path, value))
        return Wanted(self.keys | other.keys, self.lengths | other.lengths, fires)


class ParseFailure(Exception):
    """Raised inside a parser for a fatal syntax error at a position."""

    def __init__(self, message: str, line: int | None = None, column: int | None = None) -> None:
        super().__init__(message)
        self.message, self.line, self.column = message, line, column


class LineIndex:
    """Maps character offsets in a text to 1-based (line, column) pairs."""

    def __init__(self, text: str) -> None:
        self.starts = [0]
        find = text.find
        pos = find("\n")
        while pos >= 0:
            self.starts.append(pos + 1)
            pos = find("\n", pos + 1)

    def position(self, offset: int) -> tuple[int, int]:
        line = bisect.bisect_right(self.starts, offset) - 1
        return line + 1, offset - self.starts[line] + 1

    def offset(self, line: int, column: int) -> int:
        """Character offset of a 1-based line and column."""
        return self.starts[line - 1] + column - 1
