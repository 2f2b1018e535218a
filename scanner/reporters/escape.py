"""Escaping for every report, one function per concern: text from the scanned tree (file names, keys, values,
messages quoting a file) may hold any character, and must neither act on a terminal or CI log nor break a format.

- ``printable``: control characters (C0, DEL, C1), bidirectional overrides, line separators and undecodable bytes
  shown as ``\\xNN`` / ``\\uNNNN``, so a file named ``x\\n::error::y`` cannot start a GitHub workflow command in a
  log and ``\\x1b[2J`` cannot clear a terminal; what is left is also valid XML 1.0, which cannot hold most C0
  characters even as references (JUnit);
- ``json_text``: JSON whose strings carry those characters as ``\\uNNNN`` escapes (the same data once decoded);
- ``github_data`` / ``github_property``: a workflow command's message and its ``key=value`` properties;
- ``markdown_cell``: a Markdown table cell.
"""

from __future__ import annotations

import re
from typing import Any

# C0 and DEL, C1, the Arabic letter mark, LRM/RLM, line and paragraph separators, bidi embeddings, overrides and
# isolates, lone surrogates (undecodable bytes of a file name), and the two non-characters XML forbids
_OTHER = "\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069\ud800-\udfff\ufffe\uffff"
_UNSAFE = re.compile(f"[\x00-\x1f{_OTHER}]")
_UNSAFE_ABOVE_C0 = re.compile(f"[{_OTHER}]")  # json escapes C0 itself


SHORT = {"\t": "\\t", "\n": "\\n", "\r": "\\r"}


def _shown(ch: str) -> str:
    if ch in SHORT:
        return SHORT[ch]
    code = ord(ch)
    if 0xDC80 <= code <= 0xDCFF:  # a byte that was not UTF-8 in a file name (surrogateescape): the byte itself
        return f"\\x{code - 0xDC00:02x}"
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def printable(text: object) -> str:
    """Text with every character that could act on a terminal or log shown as an escape."""
    s = str(text)
    return _UNSAFE.sub(lambda m: _shown(m.group(0)), s) if _UNSAFE.search(s) else s


def json_text(doc: Any) -> str:
    """``doc`` as indented JSON; unsafe characters, which ``json`` writes raw outside C0, as ``\\uNNNN``."""
    import json  # not for the text report of a pre-commit run

    out = json.dumps(doc, indent=2, ensure_ascii=False)
    # in JSON text these characters can only stand inside a string, where \uNNNN means the same character
    return _UNSAFE_ABOVE_C0.sub(lambda m: f"\\u{ord(m.group(0)):04x}", out) + "\n"


def github_data(text: object) -> str:
    """A workflow command's message: escaped as the Actions runner unescapes it (line breaks as %0D/%0A)."""
    s = _UNSAFE.sub(lambda m: m.group(0) if m.group(0) in "\r\n" else _shown(m.group(0)), str(text))
    return s.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def github_property(text: object) -> str:
    """A ``key=value`` property: ``:`` and ``,`` would end it early, so they are escaped too."""
    return github_data(text).replace(":", "%3A").replace(",", "%2C")


def markdown_cell(text: object) -> str:
    """Table cell text: a pipe or a line break would end the cell or the row."""
    s = printable(str(text).replace("\r", " ").replace("\n", " "))
    return s.replace("\\", "\\\\").replace("|", "\\|")
