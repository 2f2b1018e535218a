"""Key-path syntax: quoted segments, *, **, [] and per-segment globs."""

from __future__ import annotations

import pytest

from scanner.keypath import KeyPathError, match_path, parse_pattern, render_path

MATCHES = [
    ("server.old_port", ("server", "old_port"), True),
    ("server.old_port", ("server", "old_port", "x"), False),
    ('metadata.annotations."a.io/b.c"', ("metadata", "annotations", "a.io/b.c"), True),
    ("listeners[].proto", ("listeners", 3, "proto"), True),
    ("listeners[].proto", ("listeners", "x", "proto"), False),
    ("*.proto", ("a", "proto"), True),
    ("*.proto", (0, "proto"), False),
    ("**.proto", ("proto",), True),
    ("**.proto", ("a", 1, "b", "proto"), True),
    ("a.**", ("a", "b", "c"), True),
    ("testenv*.deps", ("testenv:py39", "deps"), True),
    ("testenv*.deps", ("testenv", "deps"), True),
    ("testenv*.deps", ("tox", "deps"), False),
    ("jobs.*.steps[].uses", ("jobs", "build", "steps", 0, "uses"), True),
]


@pytest.mark.parametrize(("pattern", "path", "expected"), MATCHES)
def test_match(pattern: str, path: tuple[str | int, ...], expected: bool) -> None:
    assert match_path(parse_pattern(pattern), path) is expected


@pytest.mark.parametrize("bad", ["", "a..b", 'a."b', "a.", "a[0]"])
def test_bad_syntax(bad: str) -> None:
    with pytest.raises(KeyPathError):
        parse_pattern(bad)


def test_render_round_trip() -> None:
    path = ("metadata", "annotations", "a.io/b", "x")
    assert render_path(path) == 'metadata.annotations."a.io/b".x'
    assert match_path(parse_pattern(render_path(path)), path)
    assert render_path(("a", 2, "b")) == "a[2].b"
