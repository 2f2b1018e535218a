"""Short, escaped excerpts of values read from files, for error messages (a file may hold anything)."""

from __future__ import annotations

import functools
from typing import Any

LIMIT = 80


@functools.cache
def _repr() -> Any:
    import reprlib  # only for an error message; tool config is read on the hook's fast path

    short = reprlib.Repr()
    # a few items of a few levels: an alias bomb or a megabyte string costs no more than a short list
    short.maxlevel, short.maxlist, short.maxtuple, short.maxdict, short.maxset = 3, 4, 4, 4, 4
    short.maxstring, short.maxother, short.maxlong = 60, 60, 40
    return short


def excerpt(value: object, limit: int = LIMIT) -> str:
    """``repr(value)`` cut to ``limit`` characters, control characters escaped (never the whole of a big value)."""
    text = str(_repr().repr(value))
    return text if len(text) <= limit else text[: limit - 3] + "..."


def name(value: object, limit: int = 40) -> str:
    """A short printable name as it is (a rule id), anything else as an excerpt."""
    if isinstance(value, str) and len(value) <= limit and value.isprintable():
        return value
    return excerpt(value, limit)
