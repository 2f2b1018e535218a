"""Matrix regexes: an invalid value_regex is a load error naming the rule (exit 2); a catastrophic one
cannot hang a scan on a long value. A repository's own matrices: confined, bounded, aliases and slow regexes refused."""

from __future__ import annotations

import json
import os
import resource
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.conftest import Run
from tests.hardening.harness import MATRIX, deadline

RULE = """
  - id: HARD099
    file: yamlconf
    key: server.mode
    value_regex: {regex}
    deprecated: "1.0"
    message: this mode is deprecated.
    source: https://example.invalid/hard
"""


def matrix_with(tmp_path: Path, regex: str) -> list[str]:
    path = tmp_path / "matrix.yaml"
    path.write_text(MATRIX.read_text(encoding="utf-8") + RULE.format(regex=regex), encoding="utf-8")
    return ["--matrix", str(path), "--no-builtin-matrix", "--no-inventory", "--installed", "hard=1.0"]


@pytest.mark.parametrize("regex", ["'('", "'[a-'", "'(?P<x>a)(?P<x>b)'", "'a{2,1}'"])
def test_an_invalid_regex_is_exit_2_naming_the_rule(cli: Callable[..., Run], tmp_path: Path, regex: str) -> None:
    args = matrix_with(tmp_path, regex)
    (tmp_path / "case-a.yaml").write_text("server:\n  mode: x\n", encoding="utf-8")
    run = cli("scan", ".", *args, cwd=tmp_path)
    assert run.code == 2
    assert "Traceback" not in run.err
    assert "value_regex" in run.err and "HARD099" in run.err
    assert "matrix.yaml:" in run.err  # the file (and line) of the problem
    check = cli("matrix", "check", str(tmp_path / "matrix.yaml"))
    assert check.code == 2 and "HARD099" in check.out + check.err


def test_a_valid_regex_matches(cli: Callable[..., Run], tmp_path: Path) -> None:
    args = matrix_with(tmp_path, "'^legacy-'")
    (tmp_path / "case-a.yaml").write_text("server:\n  mode: legacy-x\n", encoding="utf-8")
    run = cli("scan", ".", *args, "--format", "json", cwd=tmp_path)
    assert [(f["rule"], f["line"]) for f in run.json()["findings"]] == [("HARD099", 2)]


def test_a_catastrophic_regex_cannot_hang_the_scan(cli: Callable[..., Run], tmp_path: Path) -> None:
    args = matrix_with(tmp_path, "'(a+)+$'")
    (tmp_path / "case-a.yaml").write_text("server:\n  mode: " + "a" * 40 + "b\n", encoding="utf-8")
    with deadline(3):
        run = cli("scan", ".", *args, "--format", "json", cwd=tmp_path)
    # either refused at load, naming the rule, or matched (or not) in bounded time
    assert (run.code == 2 and "HARD099" in run.err) or run.code in (0, 1)


def test_a_long_value_is_matched_in_bounded_time(cli: Callable[..., Run], tmp_path: Path) -> None:
    args = matrix_with(tmp_path, "'(x|y)*z'")  # quadratic on a long run without z, bounded by truncation
    (tmp_path / "case-a.yaml").write_text("server:\n  mode: " + "x" * 200_000 + "\n", encoding="utf-8")
    with deadline(10):
        run = cli("scan", ".", *args, "--format", "json", cwd=tmp_path)
    assert run.code == 0 and run.json()["findings"] == []


# A repository's own matrices ([tool.cfgscan] matrix = [...]) come from the scanned tree: each repro below ran
# for minutes, filled memory or printed files from outside the repository before they were confined. They run
# in a child process with a time and memory limit, so a regression fails instead of hanging the suite.

REPO_CONFIG = """[tool.cfgscan]
matrix = [{paths}]
builtin-matrix = false
plugin-matrix = false
installed = {{hard = "1.0"}}
"""
SECRET = "secret_key_from_outside: 1\n"  # a key that must never reach the log


def repo(tmp_path: Path, *matrix_paths: str) -> Path:
    root = tmp_path / "repo"
    (root / ".git").mkdir(parents=True)
    (root / "case-a.yaml").write_text("server:\n  mode: " + "a" * 40 + "b\n", encoding="utf-8")
    paths = ", ".join(json.dumps(p) for p in matrix_paths)
    (root / "pyproject.toml").write_text(REPO_CONFIG.format(paths=paths), encoding="utf-8")
    return root


def run_isolated(cwd: Path, *args: str, timeout: float = 30) -> subprocess.CompletedProcess[str]:
    """``cfgscan ARGS`` in a child with at most ``timeout`` seconds and 2 GB of memory (TimeoutExpired fails)."""

    def limit_memory() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (2 << 30, 2 << 30))

    env = {**os.environ, "CFGSCAN_CACHE_DIR": str(cwd.parent / "cache")}
    env.pop("VIRTUAL_ENV", None)
    code = "import sys; from scanner.cli import main; sys.exit(main(sys.argv[1:]))"
    return subprocess.run([sys.executable, "-c", code, *args], cwd=cwd, env=env, capture_output=True, text=True,
                          timeout=timeout, preexec_fn=limit_memory)


def scan_isolated(root: Path, *extra: str, timeout: float = 30) -> subprocess.CompletedProcess[str]:
    return run_isolated(root, "scan", ".", "--no-inventory", "--format", "json", *extra, timeout=timeout)


@pytest.mark.parametrize("where", ["/etc/passwd", "/dev/zero", "/dev/urandom", "/dev/null", "../outside.yaml",
                                   "link-out.yaml", "linked-folder"])
def test_a_repository_matrix_outside_the_project_is_refused_unread(tmp_path: Path, where: str) -> None:
    (tmp_path / "outside.yaml").write_text(SECRET, encoding="utf-8")
    (tmp_path / "folder").mkdir()
    (tmp_path / "folder" / "m.yaml").write_text(SECRET, encoding="utf-8")
    root = repo(tmp_path, where)
    (root / "link-out.yaml").symlink_to(tmp_path / "outside.yaml")
    (root / "linked-folder").symlink_to(tmp_path / "folder")
    run = scan_isolated(root)
    assert run.returncode == 2, run.stderr
    assert "outside the project" in run.stderr and "--matrix" in run.stderr
    assert "secret_key_from_outside" not in run.stderr + run.stdout
    assert "root:" not in run.stderr  # nothing of /etc/passwd
    assert "Traceback" not in run.stderr


def test_a_fifo_named_as_a_repository_matrix_is_never_opened(tmp_path: Path) -> None:
    root = repo(tmp_path, "ci/matrix.yaml")
    (root / "ci").mkdir()
    os.mkfifo(root / "ci" / "matrix.yaml")
    run = scan_isolated(root)
    assert run.returncode == 2
    assert "ci/matrix.yaml: matrix file is not a regular file" in run.stderr


def test_a_fifo_in_a_repository_matrix_folder_is_never_opened(tmp_path: Path) -> None:
    root = repo(tmp_path, "ci")
    (root / "ci").mkdir()
    os.mkfifo(root / "ci" / "zz.yaml")
    (root / "ci" / "hard.yaml").write_text(MATRIX.read_text(encoding="utf-8"), encoding="utf-8")
    run = scan_isolated(root)
    assert run.returncode == 2
    assert "zz.yaml: matrix file is not a regular file" in run.stderr


def test_a_huge_repository_matrix_is_refused_unread(tmp_path: Path) -> None:
    root = repo(tmp_path, "big.yaml")
    (root / "big.yaml").write_text("# " + "x" * (3 << 20) + "\n", encoding="utf-8")
    run = scan_isolated(root)
    assert run.returncode == 2
    assert "big.yaml: matrix file is larger than the 1 MB limit" in run.stderr


BOMB = "".join(f"{b}: &{b} [{', '.join([f'*{a}'] * 9)}]\n" for a, b in zip("abcdefgh", "bcdefghi", strict=True))
BOMB = 'schema: 1\nproduct: bomb\na: &a ["x", "x", "x", "x", "x", "x", "x", "x", "x"]\n' + BOMB + "title: *i\n"


def test_yaml_aliases_in_a_repository_matrix_are_refused(tmp_path: Path) -> None:
    root = repo(tmp_path, "bomb.yaml")
    (root / "bomb.yaml").write_text(BOMB, encoding="utf-8")
    run = scan_isolated(root)
    assert run.returncode == 2
    assert "bomb.yaml:4: a YAML alias" in run.stderr
    assert len(run.stderr) < 2_000


def test_an_alias_bomb_in_a_trusted_matrix_gives_short_errors(tmp_path: Path) -> None:
    """--matrix is trusted (aliases allowed), but a bomb where a string belongs must not be expanded into the
    error message: 9**9 values would take minutes and gigabytes to print."""
    root = repo(tmp_path)
    (root / "bomb.yaml").write_text(BOMB, encoding="utf-8")
    run = run_isolated(root, "matrix", "check", "bomb.yaml")
    assert run.returncode == 2
    assert "bomb.yaml:12: title: title must be a non-empty string" in run.stdout + run.stderr
    assert len(run.stdout + run.stderr) < 5_000


@pytest.mark.parametrize("value", ["p" * 200_000, "\x1b]0;owned\x07\n::error::pwned"])
def test_a_matrix_error_quotes_a_short_escaped_excerpt(cli: Callable[..., Run], tmp_path: Path, value: str) -> None:
    root = repo(tmp_path, "m.yaml")
    text = MATRIX.read_text(encoding="utf-8").replace("product: hard\n", f"product: {json.dumps(value)}\n")
    (root / "m.yaml").write_text(text, encoding="utf-8")
    run = cli("scan", ".", "--no-inventory", cwd=root)
    assert run.code == 2
    line = next(x for x in run.err.splitlines() if "product must be" in x)
    assert len(line) < 200
    assert "\x1b" not in run.err and "\n::error::" not in run.err


CATASTROPHIC = ["^(a|a)+$", "^(.*a){8}$", "a.*b.*c.*d"]


@pytest.mark.parametrize("regex", CATASTROPHIC)
def test_a_catastrophic_regex_in_a_repository_matrix_is_refused(tmp_path: Path, regex: str) -> None:
    root = repo(tmp_path, "m.yaml")
    (root / "m.yaml").write_text(MATRIX.read_text(encoding="utf-8") + RULE.format(regex=json.dumps(regex)),
                                 encoding="utf-8")
    value = {"^(a|a)+$": "a" * 40 + "b", "^(.*a){8}$": "a" * 200 + "b", "a.*b.*c.*d": "abc" * 3_000}[regex]
    (root / "case-a.yaml").write_text(f"server:\n  mode: {value}\n", encoding="utf-8")
    run = scan_isolated(root, timeout=20)  # each ran past 60 s when it was accepted
    assert run.returncode == 2, run.stdout[:300]
    assert "HARD099" in run.stderr and "is refused" in run.stderr and "--matrix" in run.stderr


@pytest.mark.parametrize("regex", CATASTROPHIC)
def test_the_checker_refuses_each_catastrophic_regex(regex: str) -> None:
    from scanner.regexcheck import backtracking_problem

    with deadline(5):
        assert backtracking_problem(regex) is not None


def test_a_linear_regex_in_a_repository_matrix_matches(cli: Callable[..., Run], tmp_path: Path) -> None:
    root = repo(tmp_path, "ci")
    (root / "ci").mkdir()
    (root / "ci" / "m.yaml").write_text(MATRIX.read_text(encoding="utf-8") + RULE.format(regex="'^a+b$'"),
                                        encoding="utf-8")
    run = cli("scan", ".", "--no-inventory", "--format", "json", cwd=root)
    assert [f["rule"] for f in run.json()["findings"]] == ["HARD099"]


def test_a_matrix_passed_with_the_matrix_flag_is_trusted_as_before(cli: Callable[..., Run], tmp_path: Path) -> None:
    """A quadratic regex the user chose is theirs to run: only a repository's own matrices are checked."""
    args = matrix_with(tmp_path, "'a.*b'")
    (tmp_path / "case-a.yaml").write_text("server:\n  mode: xab\n", encoding="utf-8")
    run = cli("scan", ".", *args, "--format", "json", cwd=tmp_path)
    assert [f["rule"] for f in run.json()["findings"]] == ["HARD099"]


def test_with_config_flag_the_matrix_may_live_outside_the_scanned_tree(cli: Callable[..., Run], tmp_path: Path) -> None:
    """--config names a file the user trusts: the matrices it names are not confined to the scanned tree."""
    shared = tmp_path / "shared"
    shared.mkdir()
    (shared / "m.yaml").write_text(MATRIX.read_text(encoding="utf-8"), encoding="utf-8")
    (shared / "trusted.toml").write_text(REPO_CONFIG.format(paths='"m.yaml"').replace("[tool.cfgscan]\n", ""),
                                         encoding="utf-8")
    root = repo(tmp_path / "x", "/etc/passwd")
    (root / "case-a.yaml").write_text("server:\n  old_port: 1\n", encoding="utf-8")
    run = cli("scan", ".", "--no-inventory", "--format", "json", "--config", str(shared / "trusted.toml"), cwd=root)
    assert run.code == 1, run.err
    assert [f["rule"] for f in run.json()["findings"]] == ["HARD001"]


@pytest.mark.parametrize(("key", "value"), [("jobs", "x" * 100_000), ("format", "\x1b]0;x\x07" + "y" * 100_000),
                                            ("output", "../" + "z" * 100_000)])
def test_a_tool_config_error_quotes_a_short_excerpt(cli: Callable[..., Run], tmp_path: Path, key: str,
                                                    value: str) -> None:
    root = repo(tmp_path)
    (root / "pyproject.toml").write_text(f"[tool.cfgscan]\n{key} = {json.dumps(value)}\n", encoding="utf-8")
    run = cli("scan", ".", "--no-inventory", cwd=root)
    assert run.code == 2
    assert 0 < len(run.err) < 400 and "\x1b" not in run.err
