"""The linear-time check of regexes from a repository's own matrix: what it refuses, what it accepts, and that every
bundled regex passes it (a bundled regex is trusted, but must not be slower than one a repository may use)."""

from __future__ import annotations

import re
import time

import pytest

from scanner.matrix import read_matrix_file
from scanner.matrix_sources import bundled_files
from scanner.regexcheck import backtracking_problem
from tests.hardening.harness import deadline

EXPONENTIAL = ["^(a|a)+$", "(a+)+$", r"(\w+\s?)+$", "^(a|aa)+$", "^(?:a?a)+$", "(?=(a|a)+b)", "^(x+x+)+y"]
POLYNOMIAL = ["^(.*a){8}$", "a.*b.*c.*d", "a.*b", r"\s*$", "(x|y)*z", r"(?m)^\s*License :: ", r"\d+\.\d+", "^.*.*="]
REFUSED = ["((a|a){8}){8}", "(a*)*b", r"(a)\1", "a(?:(?=.*x)c|)", "^(?:(?=.*x).)*y", "(a)?(?(1)a|b)"]
LINEAR = [".*", ".*.*", "(a|a)*", "^(a|b)+$", "(?i)^es3$", r"(?m)^[ \t]*-U", r"(?m)^[^\S\n]*License :: ",
          "^(?!(?i:utf-8|utf-8-sig|utf8)$)", "^(?![A-Za-z][A-Za-z0-9+.-]*://)", r"(?i)^\s*(1|true|yes|on)\s*$",
          r"(^|\s)--pastebin(=|\s|$)", "^[a-f0-9]{40}$", r"^v\d+(\.\d+)*$", r"(?:^|\D)\d+\.\d+", "^foo.*bar",
          "legacy", "a+", r"\S", r"\bold\b", "(?s)^.*x", r"^(?:\w+-)*\w+$", "^a{2,50}$"]


@pytest.mark.parametrize("pattern", EXPONENTIAL)
def test_exponential_patterns_are_refused(pattern: str) -> None:
    assert "exponentially many ways" in (backtracking_problem(pattern) or "")


@pytest.mark.parametrize("pattern", POLYNOMIAL)
def test_polynomial_patterns_are_refused(pattern: str) -> None:
    assert "polynomial time" in (backtracking_problem(pattern) or "")


@pytest.mark.parametrize("pattern", REFUSED)
def test_patterns_it_cannot_prove_are_refused(pattern: str) -> None:
    assert backtracking_problem(pattern) is not None


@pytest.mark.parametrize("pattern", LINEAR)
def test_linear_patterns_are_accepted(pattern: str) -> None:
    assert backtracking_problem(pattern) is None


@pytest.mark.parametrize("pattern", LINEAR)
def test_accepted_patterns_run_in_linear_time_on_hostile_values(pattern: str) -> None:
    """What the check promises, measured: 20,000 characters of the shapes that make re backtrack, in well under
    the seconds a quadratic pattern takes on them (the polynomial ones above take 0.3 s to minutes)."""
    compiled = re.compile(pattern)
    started = time.perf_counter()
    for unit in ("a", "ab", " ", "\n", "1", "a ", "x", "a\n", "1."):
        for tail in ("", "!", "\n"):
            compiled.search(unit * (20_000 // len(unit)) + tail)
    assert time.perf_counter() - started < 1.0


@pytest.mark.parametrize("pattern", ["(" * 90 + "a" + ")" * 90, "|".join(f"w{i}" for i in range(2_000)),
                                     "a{1000}", "(a{20}){20}", "[a-z]" * 600, "(?i)" + "k" * 300])
def test_the_check_itself_is_fast_on_big_patterns(pattern: str) -> None:
    with deadline(5):
        backtracking_problem(pattern)


def test_every_bundled_regex_passes_the_check() -> None:
    checked = 0
    for label, text in bundled_files():
        for rule in read_matrix_file(label, text).data.get("rules", []):
            if "value_regex" in rule:
                checked += 1
                assert backtracking_problem(rule["value_regex"]) is None, (label, rule["id"], rule["value_regex"])
    assert checked > 100
