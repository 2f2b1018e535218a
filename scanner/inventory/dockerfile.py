"""Dockerfile* ``FROM image:tag`` lines: the image as a docker package, and python/node images as runtimes."""

from __future__ import annotations

import re
from pathlib import Path

from scanner.inventory.inputs import DOCKERFILES as PATTERNS
from scanner.inventory.interface import EXACT, Context, Found, Package
from scanner.inventory.sourcetext import read_source

RUNTIME_IMAGES = {"python": "python", "node": "node", "pypy": None}
_FROM = re.compile(r"^\s*FROM\s+(?:--\S+\s+)*(\S+)", re.I)
_TAG_VERSION = re.compile(r"^v?(\d+(?:\.\d+)*)(?![\d])")
_SKIPPED_FOLDERS = {"node_modules", ".git", ".venv", "venv"}


def read_dockerfiles(ctx: Context) -> Found:
    found = Found()
    root = Path(ctx.root)
    files = sorted({p for pattern in PATTERNS for p in root.glob(pattern)
                    if p.is_file() and not _SKIPPED_FOLDERS & set(p.relative_to(root).parts[:-1])},
                   key=lambda p: (len(p.relative_to(root).parts), str(p)))
    for path in files:
        found.packages.extend(read_dockerfile(path, ctx, found))
    return found


def read_dockerfile(path: Path, ctx: Context, found: Found) -> list[Package]:
    text = read_source(path, ctx, found, max_bytes=1024 * 1024)
    if text is None:
        return []
    packages = []
    for number, line in enumerate(text.splitlines(), 1):
        m = _FROM.match(line)
        image = parse_image(m.group(1)) if m else None
        if image is None:
            continue
        name, version = image
        source = ctx.where(path, number)
        packages.append(Package(name, "docker", version, EXACT, source))
        if RUNTIME_IMAGES.get(name):
            packages.append(Package(name, "runtime", version, EXACT, source))
    return packages


def parse_image(reference: str) -> tuple[str, str] | None:
    """``docker.io/library/python:3.11-slim@sha256:...`` -> (``python``, ``3.11``); no numeric tag -> None."""
    reference = reference.split("@")[0]
    repository, _, tag = reference.rpartition(":")
    if not repository or "/" in tag or "$" in reference:
        return None
    parts = repository.split("/")
    if len(parts) > 1 and ("." in parts[0] or ":" in parts[0] or parts[0] == "localhost"):
        parts = parts[1:]  # a registry host
    if parts[:1] == ["library"]:
        parts = parts[1:]
    m = _TAG_VERSION.match(tag)
    if not parts or not m:
        return None
    return "/".join(parts), m.group(1)
