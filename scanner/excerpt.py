"""Short, escaped excerpts of values read from files, for error messages (a file may hold anything)."""

from __future__ import annotations

import reprlib

LIMIT = 80

_REPR = reprlib.Repr()
# a few items of a few levels: an alias bomb or a megabyte string costs no more than a short list
_REPR.maxlevel, _REPR.maxlist, _REPR.maxtuple, _REPR.maxdict, _REPR.maxset = 3, 4, 4, 4, 4
_REPR.maxstring, _REPR.maxother, _REPR.maxlong = 60, 60, 40


def excerpt(value: object, limit: int = LIMIT) -> str:
    """``repr(value)`` cut to ``limit`` characters, control characters escaped (never the whole of a big value)."""
    text = _REPR.repr(value)
    return text if len(text) <= limit else text[: limit - 3] + "..."


def name(value: object, limit: int = 40) -> str:
    """A short printable name as it is (a rule id), anything else as an excerpt."""
    if isinstance(value, str) and len(value) <= limit and value.isprintable():
        return value
    return excerpt(value, limit)
