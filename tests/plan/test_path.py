"""Upgrade paths: each step policy and bridge stops, with cases on both sides of every rule."""

from __future__ import annotations

import pytest
from packaging.version import Version

from scanner.matrix import Product
from scanner.plan import plan_path, release_of
from tests.plan.builders import product

FLAT = ["1.0", "1.1", "2.0", "2.1", "3.0"]
SERIES = ["1.0", "1.1", "1.2", "2.0", "2.1", "3.0", "3.1"]
LTS = ["1.0", "1.1", "1.2", "2.0", "2.1", "2.2", "2.5", "3.0"]


def path(p: Product, installed: str, target: str) -> list[str]:
    return [text for text, _ in plan_path(p, Version(installed), Version(target))]


@pytest.mark.parametrize(("installed", "target", "expected"), [
    ("1.0", "3.0", ["1.1", "2.0", "2.1", "3.0"]),
    ("1.0", "1.1", ["1.1"]),
    ("2.1", "3.0", ["3.0"]),
    ("3.0", "3.0", []),  # already there
    ("1.1.5", "2.1", ["2.0", "2.1"]),  # a patch of a listed release starts from that release
    ("1.5", "3.0", ["2.0", "2.1", "3.0"]),  # an unlisted version between releases
    ("0.9", "1.1", ["1.0", "1.1"]),  # older than every listed release
    ("1.0", "2.1.3", ["1.1", "2.0", "2.1.3"]),  # a patch target lands on the patch
    ("2.1.1", "2.1.4", ["2.1.4"]),  # patch to patch of one release
])
def test_each_lands_on_every_release(installed: str, target: str, expected: list[str]) -> None:
    assert path(product("p", FLAT, "each"), installed, target) == expected


@pytest.mark.parametrize(("installed", "target", "expected"), [
    ("1.0", "1.2", ["1.2"]),  # within a series: may skip 1.1
    ("1.0", "2.0", ["1.2", "2.0"]),  # crossing into 2.x: land on the last 1.x first
    ("1.0", "3.1", ["1.2", "2.1", "3.1"]),
    ("1.1", "3.0", ["1.2", "2.1", "3.0"]),
    ("1.2", "2.1", ["2.1"]),  # already on the last 1.x
    ("2.0", "2.1", ["2.1"]),
    ("1.2.3", "3.1", ["2.1", "3.1"]),  # a patch of the last 1.x
])
def test_major_lands_on_the_last_release_of_each_series(installed: str, target: str,
                                                        expected: list[str]) -> None:
    assert path(product("p", SERIES, "major"), installed, target) == expected


@pytest.mark.parametrize(("installed", "target", "expected"), [
    ("1.0", "3.0", ["1.2", "2.2", "3.0"]),
    ("1.0", "1.2", ["1.2"]),
    ("1.0", "1.1", ["1.1"]),  # no LTS in between: direct
    ("1.1", "2.2", ["1.2", "2.2"]),
    ("1.2", "2.1", ["2.1"]),
    ("1.2", "2.5", ["2.2", "2.5"]),
    ("2.2", "3.0", ["3.0"]),
])
def test_lts_goes_lts_to_lts_then_target(installed: str, target: str, expected: list[str]) -> None:
    assert path(product("p", LTS, "lts", lts=("1.2", "2.2")), installed, target) == expected


@pytest.mark.parametrize(("installed", "target", "expected"), [
    ("1.0", "3.1", ["3.1"]),
    ("1.0", "1.1", ["1.1"]),
    ("2.0.5", "3.0", ["3.0"]),
])
def test_any_is_direct(installed: str, target: str, expected: list[str]) -> None:
    assert path(product("p", SERIES, "any"), installed, target) == expected


@pytest.mark.parametrize(("step", "stops", "installed", "target", "expected"), [
    ("any", ("2.0",), "1.0", "3.0", ["2.0", "3.0"]),  # a bridge on the way
    ("any", ("2.0",), "1.0", "2.0", ["2.0"]),  # the bridge is the target
    ("any", ("2.0",), "1.0", "1.1", ["1.1"]),  # the bridge lies beyond the target
    ("any", ("2.0",), "2.0", "3.0", ["3.0"]),  # already on the bridge
    ("any", ("2.0",), "2.1", "3.0", ["3.0"]),  # already past it
    ("any", ("1.1", "2.1"), "1.0", "3.1", ["1.1", "2.1", "3.1"]),
    ("lts", ("2.0",), "1.0", "3.0", ["1.2", "2.0", "2.2", "3.0"]),
    ("major", ("1.1",), "1.0", "3.1", ["1.1", "1.2", "2.1", "3.1"]),
    ("each", ("2.0",), "1.0", "2.1", ["1.1", "1.2", "2.0", "2.1"]),
])
def test_stops_are_on_every_path(step: str, stops: tuple[str, ...], installed: str, target: str,
                                 expected: list[str]) -> None:
    versions = LTS if step == "lts" else SERIES
    p = product("p", versions, step, lts=("1.2", "2.2"), stops=stops)
    assert path(p, installed, target) == expected


def test_the_release_that_lands_is_the_listed_one() -> None:
    p = product("p", ["4.2", "5.0"], "each")
    steps = plan_path(p, Version("4.2.7"), Version("5.0"))
    assert [(text, release.version) for text, release in steps] == [("5.0", "5.0")]
    # a target written "5" lands on "5.0", as the matrix writes it
    assert plan_path(p, Version("4.2.7"), Version("5")) == [("5.0", p.releases[1])]


@pytest.mark.parametrize(("version", "expected"), [
    ("4.2", "4.2"), ("4.2.7", "4.2"), ("4.9", "4.2"), ("5.0", "5.0"), ("4.1", None),
])
def test_release_of(version: str, expected: str | None) -> None:
    found = release_of(product("p", ["4.2", "5.0"]), Version(version))
    assert (found.version if found else None) == expected
