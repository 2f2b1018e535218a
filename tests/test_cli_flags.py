"""--exclude, --quiet, --jobs and --max-file-size: on the command line and in the tool config alike."""

from __future__ import annotations

import json
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest

from scanner.quickcli import build_options
from tests.conftest import ACME, ACME_MATRIX, Run, write_tree

BASE = ["--matrix", str(ACME_MATRIX), "--no-builtin-matrix", "--no-inventory", "--installed", "acme=2.5"]
CLI = Callable[..., Run]
OLD = "server:\n  old_port: 1\n"
INI = "[core]\nsql_conn = x\n"
LAYOUT = {  # every file is claimed by the acme matrix and holds a finding
    "acme.yaml": OLD, "sub/acme.yaml": OLD, "sub/deep/acme.yaml": OLD, "vendor/acme.yaml": OLD,
    "vendor/keep/acme.yaml": OLD, "build/acme.yaml": OLD, "docs/acme.ini": INI, "a/build/acme.ini": INI,
    "a/b/c/acme.yaml": OLD,
}


def found(run: Run) -> set[str]:
    return {f["file"] for f in run.json()["findings"]}


@pytest.mark.parametrize("patterns", [
    ["vendor/"], ["/sub"], ["sub/deep"], ["build"], ["build/"], ["/build"], ["*.ini"], ["**/deep/**"],
    ["a/**/acme.*"], ["vendor/**", "!vendor/keep/"], ["vendor/**", "!vendor/keep/", "!vendor/keep/**"],
    ["vendor/", "!vendor/keep/acme.yaml"], ["acme.yaml", "!/acme.yaml"], ["*", "!*/", "!*.ini"], ["s?b/"],
    ["[bv]*/"], ["a/*/c"], ["docs/*.ini", "!docs/acme.ini"], ["# a comment", "  ", "\\#x"], ["sub/deep/"],
    ["vendor/*", "!vendor/keep"], ["vendor", "!vendor/keep"], ["*", "!*/", "!acme.yaml"], ["**"], ["a/", "!a/b/"],
    ["sub/*", "!sub/deep/"], ["*/", "!a/"],
])
def test_exclude_is_gitignore_syntax_as_git_reads_it(cli: CLI, tmp_path: Path, patterns: list[str]) -> None:
    """A walk, and the same files named one by one (a hook run), leave out exactly what `git check-ignore`
    says a root .gitignore of these patterns ignores."""
    repo = tmp_path / "repo"
    write_tree(repo, LAYOUT)
    subprocess.run(["git", "init", "-q", str(repo)], check=True)
    (tmp_path / "patterns").write_text("\n".join(patterns) + "\n")
    ignored = subprocess.run(
        ["git", "-c", f"core.excludesFile={tmp_path / 'patterns'}", "check-ignore", "--no-index", *LAYOUT],
        cwd=repo, capture_output=True, text=True).stdout.split()
    want = set(LAYOUT) - set(ignored)
    excludes = [a for p in patterns for a in ("--exclude", p)]
    assert found(cli("scan", ".", *BASE, *excludes, "--format", "json", cwd=repo)) == want
    assert found(cli("scan", *LAYOUT, *BASE, *excludes, "--format", "json", cwd=repo)) == want
    (repo / ".cfgscan.toml").write_text(f"exclude = [{', '.join(map(json.dumps, patterns))}]\n")  # TOML strings
    assert found(cli("scan", ".", *BASE, "--format", "json", cwd=repo)) == want


def test_excludes_are_relative_to_the_project_root_and_extend_the_config(cli: CLI, tmp_path: Path) -> None:
    write_tree(tmp_path, {**LAYOUT, ".cfgscan.toml": 'exclude = ["*.ini", "/sub/"]\n'})
    (tmp_path / ".git").mkdir()
    assert found(cli("scan", ".", *BASE, "--format", "json", cwd=tmp_path)) == {
        "acme.yaml", "vendor/acme.yaml", "vendor/keep/acme.yaml", "build/acme.yaml", "a/b/c/acme.yaml"}
    run = cli("scan", ".", *BASE, "--exclude", "vendor/", "--exclude", "!docs/acme.ini", "--format", "json",
              cwd=tmp_path)
    assert found(run) == {"acme.yaml", "build/acme.yaml", "docs/acme.ini", "a/b/c/acme.yaml"}
    # from a subfolder, `/build` still means the root's build/, and a scan of sub/ finds nothing
    run = cli("scan", "..", *BASE, "--exclude", "/build", "--format", "json", cwd=tmp_path / "vendor")
    assert "../build/acme.yaml" not in found(run) and "../a/build/acme.ini" not in found(run)
    assert found(cli("scan", "sub", *BASE, "--format", "json", cwd=tmp_path)) == set()
    assert found(cli("scan", "a", *BASE, "--exclude", "/b", "--format", "json", cwd=tmp_path)) == {
        "a/b/c/acme.yaml"}  # /b is the root's b/, not a/b/


def test_fix_and_baseline_take_excludes_too(cli: CLI, tmp_path: Path) -> None:
    write_tree(tmp_path, {"vendor/acme.yaml": OLD})
    assert cli("fix", ".", *BASE, "--check", cwd=tmp_path).code == 1
    assert cli("fix", ".", *BASE, "--check", "--exclude", "vendor/", cwd=tmp_path).code == 0
    made = cli("baseline", ".", *BASE, "--exclude", "vendor/", "-o", "b.json", cwd=tmp_path)
    assert made.err == "cfgscan: recorded 0 findings in b.json\n"


def test_quiet_prints_findings_and_errors_only(cli: CLI, tmp_path: Path) -> None:
    write_tree(tmp_path, {
        "acme.yaml": OLD, "bad/acme.yaml": "server: [unclosed\n",
        ".cfgscan.toml": '[[ignore]]\nrule = "ACME002"\nuntil = 2001-01-01\n',  # an expired entry warns
    })
    loud = cli("scan", ".", *BASE, cwd=tmp_path)
    assert "warning: ignore entry for ACME002" in loud.err and "cfgscan: 1 finding" in loud.err  # warnings: stderr
    for flag in ("--quiet", "-q"):
        quiet = cli("scan", ".", *BASE, flag, cwd=tmp_path)
        assert quiet.code == loud.code == 1
        assert quiet.err == ""
        assert quiet.out == loud.out
        assert "acme.yaml:2:3: ACME001" in quiet.out and "bad/acme.yaml:2:1: error" in quiet.out
    document = cli("scan", ".", *BASE, "-q", "--format", "json", cwd=tmp_path)  # a machine format stays whole
    assert document.err == "" and document.json()["warnings"] and document.json()["errors"]
    config = tmp_path / ".cfgscan.toml"
    config.write_text("quiet = true\n" + config.read_text())
    assert cli("scan", ".", *BASE, cwd=tmp_path).err == ""


@pytest.mark.parametrize(("flags", "config", "want"), [
    ([], "", 0), (["--jobs", "1"], "", 1), (["--jobs=3"], "jobs = 2\n", 3), ([], "jobs = 2\n", 2),
    (["--jobs", "0"], "jobs = 2\n", 0),
])
def test_jobs_reach_the_options(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, flags: list[str], config: str,
                                want: int) -> None:
    from scanner.quickcli import parse_plain_scan

    (tmp_path / ".cfgscan.toml").write_text(config)
    monkeypatch.chdir(tmp_path)
    parsed = parse_plain_scan(["scan", *flags])
    assert parsed is not None and build_options(**parsed).jobs == want


@pytest.mark.parametrize(("flag", "key", "value", "why"), [
    ("--max-file-size", "max-file-size", "0", "must be a positive number of bytes, got 0"),
    ("--max-file-size", "max-file-size", "-1", "must be a positive number of bytes, got -1"),
    ("--jobs", "jobs", "-1", "must be 0 (one process per usable core) or a positive number of processes, got -1"),
])
def test_out_of_range_numbers_are_refused_as_in_the_tool_config(cli: CLI, tmp_path: Path, flag: str, key: str,
                                                                 value: str, why: str) -> None:
    shutil.copytree(ACME / "repo", tmp_path / "repo")
    repo = tmp_path / "repo"
    for args in ([flag, value], [f"{flag}={value}"]):
        run = cli("scan", ".", *BASE, *args, cwd=repo)
        assert (run.code, run.out, run.err) == (2, "", f"cfgscan: error: {flag} {why}\n")
    (repo / ".cfgscan.toml").write_text(f"{key} = {value}\n")
    run = cli("scan", ".", *BASE, cwd=repo)
    assert run.code == 2 and run.err.endswith(f".cfgscan.toml: {key} {why}\n")


def test_the_smallest_limit_is_one_byte(cli: CLI, tmp_path: Path) -> None:
    write_tree(tmp_path, {"acme.yaml": OLD})
    (tmp_path / "empty" / "acme.yaml").parent.mkdir()
    (tmp_path / "empty" / "acme.yaml").write_text("")
    run = cli("scan", ".", *BASE, "--max-file-size", "1", "--format", "json", cwd=tmp_path)
    assert run.code == 0 and [s["file"] for s in run.json()["skipped"]] == ["acme.yaml"]
