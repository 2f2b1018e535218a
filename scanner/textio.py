"""Reading scanned files safely: regular files only, a size limit, BOMs, encodings and binary detection."""

from __future__ import annotations

import codecs
import os
import stat
from dataclasses import dataclass

DEFAULT_MAX_BYTES = 10 * 1024 * 1024
BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
# C0 controls that no text config holds (tab, newlines, form feed and ESC excepted), and DEL
CONTROL_BYTES = bytes(sorted(set(range(32)) - set(b"\t\n\v\f\r\x1b"))) + b"\x7f"
OPEN_FLAGS = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)
BOM_STARTS = frozenset(bom[:1] for bom, _ in BOMS)


@dataclass(slots=True)
class FileText:
    """Decoded text plus what is needed to write it back byte-for-byte: encoding, BOM, mtime (never changed)."""

    text: str
    encoding: str
    bom: bytes
    mtime_ns: int
    size: int


class Unreadable(Exception):
    """The file is an error for the report (permission denied, binary, undecodable)."""


class SkipFile(Exception):
    """The file is deliberately not read (not regular, too large, dangling link)."""


def read_bytes(path: str, max_bytes: int = DEFAULT_MAX_BYTES, regular: bool = False) -> tuple[bytes, os.stat_result]:
    """Read a regular file without ever opening FIFOs, sockets or devices, and without blocking.

    ``regular`` says the directory listing already showed a regular file (not a link): the stat before opening
    is then skipped, and the fstat after opening still checks what was opened.
    """
    if not regular:
        try:
            st = os.stat(path)
        except FileNotFoundError:
            raise SkipFile("dangling symbolic link" if os.path.islink(path) else "file vanished") from None
        except OSError as exc:
            raise Unreadable(f"cannot stat: {exc.strerror or exc}") from None
        if not stat.S_ISREG(st.st_mode):
            raise SkipFile("not a regular file (FIFO, socket or device); never opened")
        _check_size(st.st_size, max_bytes)
    try:
        fd = os.open(path, OPEN_FLAGS)
    except FileNotFoundError:
        raise SkipFile("file vanished") from None
    except PermissionError:
        raise Unreadable("permission denied") from None
    except OSError as exc:
        raise Unreadable(f"cannot open: {exc.strerror or exc}") from None
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode):
            raise SkipFile("not a regular file; never read")
        _check_size(st.st_size, max_bytes)
        # one read of the size fstat gave, plus a byte: a short read means the end (one call for most files)
        data = os.read(fd, st.st_size + 1)
        if len(data) > st.st_size:  # it grew since fstat: read on, within the limit
            data = _read_rest(fd, [data], max_bytes)
    except OSError as exc:
        raise Unreadable(f"cannot read: {exc.strerror or exc}") from None
    finally:
        os.close(fd)
    return data, st


def _read_rest(fd: int, chunks: list[bytes], max_bytes: int) -> bytes:
    total = sum(map(len, chunks))
    while True:
        if total > max_bytes:
            raise SkipFile(f"grew past the {size_text(max_bytes)} limit while being read")
        chunk = os.read(fd, 1 << 20)
        if not chunk:
            return b"".join(chunks)
        total += len(chunk)
        chunks.append(chunk)


def _check_size(size: int, max_bytes: int) -> None:
    if size > max_bytes:
        raise SkipFile(f"larger than the {size_text(max_bytes)} limit ({size} bytes); raise --max-file-size to read it")


def size_text(n: int) -> str:
    """A byte count as a limit is stated: whole megabytes or kilobytes when exact, else bytes."""
    for unit, name in ((1024 * 1024, "MB"), (1024, "KB")):
        if n >= unit and n % unit == 0:
            return f"{n // unit} {name}"
    return f"{n} bytes"


def decode(data: bytes) -> tuple[str, str, bytes]:
    """(text, encoding, bom): BOM-marked UTF-8/16/32, else UTF-8, else Latin-1.

    NUL bytes, or more than one control byte in twenty at the start, mean binary (an image or an
    archive named ``*.yaml`` is reported, never decoded as Latin-1 and parsed).
    """
    for bom, enc in BOMS if data[:1] in BOM_STARTS else ():
        if data.startswith(bom):
            try:
                return data[len(bom):].decode(enc), enc, bom
            except UnicodeDecodeError as exc:
                raise Unreadable(f"invalid {enc} after its byte order mark: {exc.reason}") from None
    if b"\x00" in data:
        if _looks_like_utf16(data[:8192]):
            raise Unreadable("UTF-16 text without a byte order mark; save it as UTF-8, or with a BOM")
        raise Unreadable("binary content (NUL bytes); not a text config file")
    sample = data[:8192]
    if (len(sample) - len(sample.translate(None, CONTROL_BYTES))) * 20 > len(sample):
        raise Unreadable("binary content (control bytes); not a text config file")
    try:
        return data.decode("utf-8"), "utf-8", b""
    except UnicodeDecodeError:
        return data.decode("latin-1"), "latin-1", b""


def _looks_like_utf16(sample: bytes) -> bool:
    """Mostly-ASCII UTF-16 without a BOM: one byte of each pair is nearly always NUL, the other nearly never."""
    even, odd = sample[0::2], sample[1::2]

    def share_of_nul(half: bytes) -> float:
        return half.count(0) / len(half) if half else 0.0

    low, high = sorted((share_of_nul(even), share_of_nul(odd)))
    return len(sample) >= 4 and high >= 0.9 and low < 0.1


def read_text(path: str, max_bytes: int = DEFAULT_MAX_BYTES, regular: bool = False) -> FileText:
    data, st = read_bytes(path, max_bytes, regular)
    text, encoding, bom = decode(data)
    return FileText(text, encoding, bom, st.st_mtime_ns, st.st_size)
