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


@dataclass(frozen=True)
class FileText:
    """Decoded text plus what is needed to write it back byte-for-byte: encoding, BOM, mtime."""

    text: str
    encoding: str
    bom: bytes
    mtime_ns: int
    size: int


class Unreadable(Exception):
    """The file is an error for the report (permission denied, binary, undecodable)."""


class SkipFile(Exception):
    """The file is deliberately not read (not regular, too large, dangling link)."""


def read_bytes(path: str, max_bytes: int = DEFAULT_MAX_BYTES) -> tuple[bytes, os.stat_result]:
    """Read a regular file without ever opening FIFOs, sockets or devices, and without blocking."""
    try:
        st = os.stat(path)
    except FileNotFoundError:
        raise SkipFile("dangling symbolic link" if os.path.islink(path) else "file vanished") from None
    except OSError as exc:
        raise Unreadable(f"cannot stat: {exc.strerror or exc}") from None
    if not stat.S_ISREG(st.st_mode):
        raise SkipFile("not a regular file (FIFO, socket or device); never opened")
    if st.st_size > max_bytes:
        raise SkipFile(f"larger than the {max_bytes // 1024 // 1024} MB limit ({st.st_size} bytes); "
                       "raise --max-file-size to read it")
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)
    try:
        fd = os.open(path, flags)
    except PermissionError:
        raise Unreadable("permission denied") from None
    except OSError as exc:
        raise Unreadable(f"cannot open: {exc.strerror or exc}") from None
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode):
            raise SkipFile("not a regular file; never read")
        chunks, total = [], 0
        while True:
            chunk = os.read(fd, 1 << 20)
            if not chunk:
                break
            total += len(chunk)
            if total > max_bytes:
                raise SkipFile(f"grew past the {max_bytes // 1024 // 1024} MB limit while being read")
            chunks.append(chunk)
    except OSError as exc:
        raise Unreadable(f"cannot read: {exc.strerror or exc}") from None
    finally:
        os.close(fd)
    return b"".join(chunks), st


def decode(data: bytes) -> tuple[str, str, bytes]:
    """(text, encoding, bom): BOM-marked UTF-8/16/32, else UTF-8, else Latin-1; NUL bytes mean binary."""
    for bom, enc in BOMS:
        if data.startswith(bom):
            try:
                return data[len(bom):].decode(enc), enc, bom
            except UnicodeDecodeError as exc:
                raise Unreadable(f"invalid {enc} after its byte order mark: {exc.reason}") from None
    if b"\x00" in data[:8192] or b"\x00" in data:
        raise Unreadable("binary content (NUL bytes); not a text config file")
    try:
        return data.decode("utf-8"), "utf-8", b""
    except UnicodeDecodeError:
        return data.decode("latin-1"), "latin-1", b""


def read_text(path: str, max_bytes: int = DEFAULT_MAX_BYTES) -> FileText:
    data, st = read_bytes(path, max_bytes)
    text, encoding, bom = decode(data)
    return FileText(text, encoding, bom, st.st_mtime_ns, st.st_size)
