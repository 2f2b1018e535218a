"""The walk leaves out exactly what ``git check-ignore`` says git ignores, on a table of layouts."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from scanner.discover import ClaimIndex, find_config_files
from scanner.matrix_sources import load_all

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")

EVERY_FILE = """schema: 1
product: every
title: Every file
releases: [{version: "1.0"}]
upgrade: {step: each, stops: []}
files:
  all: {format: yaml, include: ["**/*"]}
rules: []
"""

# layout name -> {path: content}; ".git/info/exclude" is the repository's own exclude file
LAYOUTS: dict[str, dict[str, str]] = {
    "nested negation re-includes what the root excludes": {
        ".gitignore": "*.cfg\n",
        "sub/.gitignore": "!setup.cfg\n",
        "setup.cfg": "", "tox.cfg": "", "sub/setup.cfg": "", "sub/other.cfg": "", "sub/deep/setup.cfg": "",
        "other/setup.cfg": "",
    },
    "deeper files decide before shallower ones": {
        ".gitignore": "*.yaml\n!keep.yaml\n",
        "sub/.gitignore": "keep.yaml\n!drop.yaml\n",
        "keep.yaml": "", "drop.yaml": "", "sub/keep.yaml": "", "sub/drop.yaml": "", "sub/x/keep.yaml": "",
    },
    "folder-only patterns": {
        ".gitignore": "build/\nout/\n",
        "build/a.yaml": "", "x/build/b.yaml": "", "y/build": "", "out": "", "z/out/c.yaml": "",
    },
    "anchored patterns, also in a nested file": {
        ".gitignore": "/conf.yaml\n/top/\n",
        "sub/.gitignore": "/local.yaml\nnested/b.yaml\n",
        "conf.yaml": "", "sub/conf.yaml": "", "top/x.yaml": "", "sub/top/x.yaml": "", "sub/local.yaml": "",
        "sub/deep/local.yaml": "", "sub/nested/b.yaml": "", "sub/deep/nested/b.yaml": "", "nested/b.yaml": "",
    },
    "double stars": {
        ".gitignore": "**/gen/*.yaml\ndocs/**/draft.yaml\nlogs/**\n!logs/keep.yaml\na/**/b.yaml\n",
        "gen/x.yaml": "", "p/q/gen/y.yaml": "", "p/gen/sub/z.yaml": "", "docs/draft.yaml": "",
        "docs/a/b/draft.yaml": "", "other/docs/draft.yaml": "", "logs/x.yaml": "", "logs/keep.yaml": "",
        "logs/d/keep.yaml": "", "a/b.yaml": "", "a/x/y/b.yaml": "",
    },
    "an excluded folder's files cannot be re-included": {
        ".gitignore": "vendor/\n!vendor/keep.yaml\nlib\n!lib/keep.yaml\n",
        "vendor/.gitignore": "!keep.yaml\n",
        "vendor/keep.yaml": "", "vendor/x.yaml": "", "lib/keep.yaml": "", "src/lib/keep.yaml": "",
    },
    "a folder's contents excluded, not the folder: re-including works": {
        ".gitignore": "cache/*\n!cache/keep.yaml\nfoo/**\n!foo/keep.yaml\n",
        "cache/keep.yaml": "", "cache/x.yaml": "", "cache/d/keep.yaml": "", "foo/keep.yaml": "", "foo/x.yaml": "",
    },
    "a whitelist": {
        ".gitignore": "*\n!*/\n!*.yaml\n",
        "a.yaml": "", "b.txt": "", "d/c.yaml": "", "d/e/f.yaml": "", "d/g.json": "",
    },
    "escapes, trailing spaces and comments": {
        ".gitignore": "\\!bang.yaml\n\\#hash.yaml\n#comment.yaml\ntrail.yaml   \nspace\\ \n  lead.yaml\n\n# *.txt\n",
        "!bang.yaml": "", "#hash.yaml": "", "#comment.yaml": "", "trail.yaml": "", "space ": "", "space": "",
        "lead.yaml": "", "  lead.yaml": "", "n.txt": "",
    },
    "character classes and question marks": {
        ".gitignore": "file[0-9].yaml\n?.yaml\n[!a]x.yaml\n",
        "file1.yaml": "", "filex.yaml": "", "a.yaml": "", "ab.yaml": "", "bx.yaml": "", "ax.yaml": "",
    },
    "info/exclude is honoured, below every .gitignore": {
        ".git/info/exclude": "# git's own comment\nsecret.yaml\nlocal/\nkept.yaml\n",
        ".gitignore": "!kept.yaml\n",
        "secret.yaml": "", "sub/secret.yaml": "", "local/x.yaml": "", "kept.yaml": "", "plain.yaml": "",
    },
    "CRLF line ends and a byte order mark": {
        ".gitignore": "\ufeffa.yaml\r\nb/\r\n\r\nd/**\r\n!d/keep.yaml\r\n",
        "sub/.gitignore": "c.yaml\r\n",
        "a.yaml": "", "b/x.yaml": "", "c.yaml": "", "sub/c.yaml": "", "d/keep.yaml": "", "d/x.yaml": "",
    },
    "a negated folder pattern": {
        ".gitignore": "gen/\n!gen/\ntmp\n!tmp/\n",
        "gen/x.yaml": "", "tmp/y.yaml": "", "z/tmp": "",
    },
}


def _git(repo: Path, *args: str, stdin: str | None = None) -> str:
    # no user or system configuration: a core.excludesFile elsewhere must not change the answer
    env = {**os.environ, "GIT_CONFIG_NOSYSTEM": "1", "GIT_CONFIG_GLOBAL": os.devnull, "HOME": str(repo),
           "XDG_CONFIG_HOME": str(repo)}
    return subprocess.run(["git", "-C", str(repo), *args], input=stdin, capture_output=True, text=True, env=env,
                          check=False).stdout


def _repo(root: Path, layout: dict[str, str]) -> list[str]:
    """A fresh repository holding the layout; its files (not .git's) relative to the root."""
    root.mkdir(parents=True, exist_ok=True)
    _git(root, "init", "-q")
    for rel, text in layout.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(text.encode("utf-8"))
    return sorted(rel for rel in layout if not rel.startswith(".git/"))


def git_ignored(repo: Path, files: list[str]) -> set[str]:
    out = _git(repo, "check-ignore", "--no-index", "-z", "--stdin", stdin="\0".join(files) + "\0")
    # --stdin reads one path per line unless -z; with -z the answer is NUL-separated too
    return {p for p in out.split("\0") if p}


def walked(root: Path, tmp_path: Path, start: str = ".") -> set[str]:
    matrix_file = tmp_path / "every.yaml"
    matrix_file.write_text(EVERY_FILE, encoding="utf-8")
    index = ClaimIndex(load_all(cli_paths=[matrix_file], builtin=False, plugins=False))
    cwd = os.getcwd()
    os.chdir(root)
    try:
        return {c.display for c in find_config_files([start], index, str(root), str(root))}
    finally:
        os.chdir(cwd)


@pytest.mark.parametrize("name", list(LAYOUTS))
def test_the_walk_agrees_with_git_check_ignore(name: str, tmp_path: Path) -> None:
    root = tmp_path / "repo"
    files = _repo(root, LAYOUTS[name])
    ignored = git_ignored(root, files)
    assert ignored, "every layout ignores something"
    assert walked(root, tmp_path) == set(files) - ignored


def test_every_layout_keeps_something_git_would_otherwise_ignore(tmp_path: Path) -> None:
    """The table is not trivially passed by "ignore whatever any file on the way matches": some files in it
    are matched by a pattern and still kept, as git keeps them."""
    root = tmp_path / "repo"
    files = _repo(root, LAYOUTS["nested negation re-includes what the root excludes"])
    assert "sub/setup.cfg" not in git_ignored(root, files)
    assert "sub/setup.cfg" in walked(root, tmp_path)


@pytest.mark.parametrize("start", ["sub", "sub/deep"])
def test_a_walk_below_the_top_obeys_the_ignore_files_above_it(start: str, tmp_path: Path) -> None:
    root = tmp_path / "repo"
    files = _repo(root, {
        ".git/info/exclude": "*.local.yaml\n",
        ".gitignore": "*.cfg\ngen/\n/sub/deep/only-here.yaml\n",
        "sub/.gitignore": "!keep.cfg\n",
        "sub/a.cfg": "", "sub/keep.cfg": "", "sub/deep/b.cfg": "", "sub/deep/keep.cfg": "", "sub/gen/x.yaml": "",
        "sub/deep/gen/y.yaml": "", "sub/deep/only-here.yaml": "", "sub/deep/c.local.yaml": "", "sub/deep/ok.yaml": "",
    })
    below = [f for f in files if f.startswith(start + "/")]
    assert walked(root, tmp_path, start) == set(below) - git_ignored(root, below)


def test_a_folder_git_ignores_is_scanned_when_named(tmp_path: Path) -> None:
    """Named on the command line, an ignored folder is read as asked (as ripgrep does); its own .gitignore holds."""
    root = tmp_path / "repo"
    _repo(root, {".gitignore": "build/\n", "build/.gitignore": "*.tmp.yaml\n", "build/a.yaml": "",
                 "build/b.tmp.yaml": ""})
    assert walked(root, tmp_path, "build") == {"build/.gitignore", "build/a.yaml"}
    assert walked(root, tmp_path) == {".gitignore"}


def test_a_linked_worktree_reads_the_main_repository_exclude_file(tmp_path: Path) -> None:
    main = tmp_path / "main"
    _repo(main, {".git/info/exclude": "secret.yaml\n", "x.yaml": ""})
    _git(main, "-c", "user.name=t", "-c", "user.email=t@t", "commit", "-q", "--allow-empty", "-m", "start")
    _git(main, "worktree", "add", "-q", str(tmp_path / "linked"))
    linked = tmp_path / "linked"
    assert (linked / ".git").is_file()
    (linked / "secret.yaml").write_text("", encoding="utf-8")
    (linked / "open.yaml").write_text("", encoding="utf-8")
    assert git_ignored(linked, ["secret.yaml", "open.yaml"]) == {"secret.yaml"}
    assert walked(linked, tmp_path) == {"open.yaml"}


def test_a_nested_repository_obeys_its_own_rules_only(tmp_path: Path) -> None:
    """A submodule or nested clone is read as git run inside it reads it: its own info/exclude and .gitignore."""
    root = tmp_path / "repo"
    _repo(root, {".gitignore": "*.cfg\n", ".git/info/exclude": "*.tmp.yaml\n", "a.cfg": "", "a.tmp.yaml": ""})
    nested = root / "vendor" / "lib"
    inner = _repo(nested, {".git/info/exclude": "secret.yaml\n", ".gitignore": "c.yaml\n",
                           "b.cfg": "", "b.tmp.yaml": "", "secret.yaml": "", "c.yaml": "", "d.txt": ""})
    expected = {f"vendor/lib/{f}" for f in set(inner) - git_ignored(nested, inner)}
    assert expected == {"vendor/lib/.gitignore", "vendor/lib/b.cfg", "vendor/lib/b.tmp.yaml", "vendor/lib/d.txt"}
    assert walked(root, tmp_path) == {".gitignore"} | expected


def test_outside_a_repository_each_gitignore_still_holds(tmp_path: Path) -> None:
    root = tmp_path / "plain"
    (root / "sub").mkdir(parents=True)
    (root / ".gitignore").write_text("*.cfg\n", encoding="utf-8")
    (root / "sub" / ".gitignore").write_text("!keep.cfg\n", encoding="utf-8")
    for rel in ("a.cfg", "sub/a.cfg", "sub/keep.cfg"):
        (root / rel).write_text("", encoding="utf-8")
    assert walked(root, tmp_path) == {".gitignore", "sub/.gitignore", "sub/keep.cfg"}
