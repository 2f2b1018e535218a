"""Runtime pins: version files, .tool-versions, runtime.txt and Dockerfile FROM lines."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from scanner.inventory.dockerfile import parse_image, read_dockerfiles
from scanner.inventory.interface import Context, Found
from scanner.inventory.runtimes import read_runtimes
from tests.inventory.conftest import Files

Reader = Callable[[Callable[[Context], Found], Files], Found]


def rows(found: Found) -> list[tuple[str, str, str, str]]:
    return [(p.ecosystem, p.name, p.version, p.source) for p in found.packages]


@pytest.mark.parametrize(("files", "expected"), [
    ({".python-version": "3.9.18\n"}, [("runtime", "python", "3.9.18", ".python-version:1")]),
    ({".python-version": "# pyenv\n\n3.12.1\n3.11.7\n"},
     [("runtime", "python", "3.12.1", ".python-version:3")]),
    ({".python-version": "cpython-3.11\n"}, [("runtime", "python", "3.11", ".python-version:1")]),
    ({".python-version": "3.13t\n"}, [("runtime", "python", "3.13", ".python-version:1")]),
    ({".python-version": "system\n"}, []),
    ({".python-version": "pypy3.10-7.3.15\n"}, []),
    ({".nvmrc": "v20.10.0\n"}, [("runtime", "node", "20.10.0", ".nvmrc:1")]),
    ({".nvmrc": "lts/iron\n"}, []),
    ({".node-version": "18\n"}, [("runtime", "node", "18", ".node-version:1")]),
    ({".tool-versions": "# tools\nnodejs 20.1.0\npython 3.11.4 3.10.2\nruby 3.3.0\n"},
     [("runtime", "node", "20.1.0", ".tool-versions:2"),
      ("runtime", "python", "3.11.4", ".tool-versions:3")]),
    ({"runtime.txt": "python-3.11.4\n"}, [("runtime", "python", "3.11.4", "runtime.txt:1")]),
    ({"runtime.txt": "ruby-3.3\n"}, []),
    ({".python-version": "3.12\n", ".tool-versions": "python 3.11\n", "runtime.txt": "python-3.10.1"},
     [("runtime", "python", "3.12", ".python-version:1"), ("runtime", "python", "3.11", ".tool-versions:1"),
      ("runtime", "python", "3.10.1", "runtime.txt:1")]),
    ({}, []),
])
def test_runtime_files(read: Reader, files: Files, expected: list[tuple[str, str, str, str]]) -> None:
    found = read(read_runtimes, files)
    assert rows(found) == expected
    assert found.errors == []


@pytest.mark.parametrize(("reference", "expected"), [
    ("python:3.11-slim", ("python", "3.11")),
    ("python:3.11.4-slim-bookworm", ("python", "3.11.4")),
    ("node:20-alpine", ("node", "20")),
    ("docker.io/library/python:3.12", ("python", "3.12")),
    ("ghcr.io/acme/api:1.4.0", ("acme/api", "1.4.0")),
    ("localhost:5000/tools/app:2.0", ("tools/app", "2.0")),
    ("postgres:15.4@sha256:abcd", ("postgres", "15.4")),
    ("python:latest", None),
    ("python", None),
    ("python:${PYTHON_VERSION}-slim", None),
    ("localhost:5000/app", None),
])
def test_parse_image(reference: str, expected: tuple[str, str] | None) -> None:
    assert parse_image(reference) == expected


def test_dockerfiles(read: Reader) -> None:
    found = read(read_dockerfiles, {
        "Dockerfile": """
            # syntax=docker/dockerfile:1
            FROM --platform=linux/amd64 node:20-alpine AS assets
            RUN npm ci
            from python:3.11-slim
            COPY --from=assets /app/dist /app/dist
            FROM assets
        """,
        "docker/Dockerfile.worker": "FROM postgres:15\n",
        "node_modules/pkg/Dockerfile": "FROM python:2.7\n",
    })
    assert rows(found) == [
        ("docker", "node", "20", "Dockerfile:2"), ("runtime", "node", "20", "Dockerfile:2"),
        ("docker", "python", "3.11", "Dockerfile:4"), ("runtime", "python", "3.11", "Dockerfile:4"),
        ("docker", "postgres", "15", "docker/Dockerfile.worker:1"),
    ]
