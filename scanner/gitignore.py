"""Git's ignore rules for a walk: every ``.gitignore`` speaks for its own folder, the deepest one that has a say
decides, ``.git/info/exclude`` speaks last; the patterns of each file are matched by pathspec's GitIgnoreSpec."""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pathspec import GitIgnoreSpec


@dataclass(frozen=True, slots=True)
class IgnoredBy:
    """The pattern that ignored a path: the ignore file as users see it, its 1-based line and the pattern."""

    source: str
    line: int
    pattern: str


KEPT = -1


class _Layer:
    """One ignore file, compiled once: a spec for files and one for folders (see _folder_form)."""

    __slots__ = ("file_gate", "files", "folder_gate", "folders", "lead", "lines", "source", "strip")

    def __init__(self, files: GitIgnoreSpec, folders: GitIgnoreSpec, lines: list[tuple[int, str]], source: str) -> None:
        self.files, self.folders, self.lines, self.source = files, folders, lines, source
        self.file_gate, self.folder_gate = _gate(files), _gate(folders)
        # a path relative to the walk root becomes relative to this file's folder as lead + path[strip:]
        self.lead, self.strip = "", 0

    def check(self, path: str, is_dir: bool) -> int | None:
        """The index of the pattern that ignores a path relative to this file's folder; KEPT when a ``!`` pattern
        keeps it; None when no pattern matches it (a shallower file decides)."""
        gate = self.folder_gate if is_dir else self.file_gate
        if gate is not None and gate.search(path) is None:
            return None
        result = (self.folders if is_dir else self.files).check_file(path, separators=())
        if result.include is None or result.index is None:
            return None
        return result.index if result.include else KEPT

    def ignored_by(self, index: int) -> IgnoredBy:
        number, pattern = self.lines[index]
        return IgnoredBy(self.source, number, pattern.rstrip(" "))


def _gate(spec: GitIgnoreSpec) -> re.Pattern[str] | None:
    """pathspec's own regexes of a file's patterns as one alternation, matched in C: it finds whether any pattern
    matches at all, so that the pattern-by-pattern check (which decides) runs only for the few paths that some
    pattern matches. None (no gate) if the regexes do not combine."""
    try:
        # group names (pathspec marks folder matches with one) would repeat in the alternation: drop them
        parts = [re.sub(r"\(\?P<\w+>", "(?:", p.regex.pattern) for p in spec.patterns
                 if p.include is not None and p.regex is not None]
        return re.compile("|".join(f"(?:{part})" for part in parts)) if parts else None
    except (AttributeError, TypeError, re.error):
        return None


def _folder_form(line: str) -> str:
    """The pattern as git matches it against a folder: a trailing ``/`` only says "folders only", and a folder is
    what is being matched, so it goes. (pathspec matches ``build/`` against ``x/build/`` but also lets ``foo/**``
    match ``foo/`` itself, which git does not: folders are matched without the slash, as git does.)"""
    body = line.rstrip(" ")
    if body.endswith("\\") and len(body) < len(line):
        body += " "  # an escaped trailing space stays
    return body[:-1] if body.endswith("/") and not body.endswith("\\/") and len(body) > 1 else line


def load_layer(path: str, source: str) -> _Layer | None:
    """An ignore file compiled, or None when it cannot be read or holds no pattern."""
    try:
        with open(path, encoding="utf-8-sig", errors="replace") as f:  # git skips a UTF-8 BOM too
            text = f.read()
    except OSError:
        return None
    # git splits on "\n" alone and drops a "\r" before it (str.splitlines would also split on form feeds)
    lines = [(n, line.removesuffix("\r")) for n, line in enumerate(text.split("\n"), 1)
             if line.strip("\r") and not line.startswith("#")]
    if not lines:
        return None  # e.g. the info/exclude of a new repository, all comments
    import pathspec  # only for a tree with ignore patterns: a hook run naming its files never pays for it

    patterns = [line for _, line in lines]
    files = pathspec.GitIgnoreSpec.from_lines(patterns)
    folder_patterns = [_folder_form(p) for p in patterns]
    folders = files if folder_patterns == patterns else pathspec.GitIgnoreSpec.from_lines(folder_patterns)
    return _Layer(files, folders, lines, source)


def _git_top(folder: str) -> tuple[str, str] | None:
    """The work tree holding a folder and its git folder (a worktree's ``.git`` file names it), or None."""
    while True:
        dot_git = os.path.join(folder, ".git")
        if os.path.isdir(dot_git):
            return folder, dot_git
        if os.path.isfile(dot_git):
            try:
                with open(dot_git, encoding="utf-8") as f:
                    first = f.readline().strip()
            except OSError:
                return None
            if not first.startswith("gitdir:"):
                return None
            git_dir = os.path.join(folder, first[7:].strip())
            try:  # a linked worktree keeps info/ in the main repository's git folder
                with open(os.path.join(git_dir, "commondir"), encoding="utf-8") as f:
                    git_dir = os.path.join(git_dir, f.read().strip())
            except OSError:
                pass
            return folder, git_dir
        parent = os.path.dirname(folder)
        if parent == folder:
            return None
        folder = parent


class IgnoreRules:
    """The ignore files that speak for the folder being walked, shallowest first.

    Above the walk root (up to the top of its git work tree): ``.git/info/exclude`` and the ancestors'
    ``.gitignore`` files; below it, each folder's ``.gitignore`` as the walk enters it. A folder that is ignored
    is never entered, so nothing below it can be re-included, as in git.
    """

    def __init__(self, root: str, cwd: str) -> None:
        self.stack: list[_Layer | None] = []  # None: the top of a nested repository
        found = _git_top(root)
        if found is None:
            return
        top, git_dir = found
        parts = [] if root == top else os.path.relpath(root, top).split(os.sep)
        above: list[tuple[_Layer, str]] = []  # each with the folder it speaks for, relative to the top
        exclude = os.path.join(git_dir, "info", "exclude")
        info = load_layer(exclude, _shown(exclude, cwd))
        if info is not None:
            above.append((info, ""))
        for depth in range(len(parts)):
            folder = "/".join(parts[:depth])
            gitignore = os.path.join(top, *parts[:depth], ".gitignore")
            layer = load_layer(gitignore, _shown(gitignore, cwd)) if os.path.isfile(gitignore) else None
            if layer is not None:
                above.append((layer, folder))
            if _decide(above, "/".join(parts[: depth + 1]), True) is not None:
                return  # a folder git ignores was named: it is scanned as asked, without the rules that ignore it
        below = "/".join(parts)
        for layer, base in above:
            layer.lead = below[len(base) + 1 if base else 0 :] + "/" if below != base else ""
            self.stack.append(layer)

    def enter(self, folder: str, rel_folder: str, cwd: str, names: list[str]) -> None:
        """Add what speaks for a folder the walk enters (the caller saw ``.gitignore`` or ``.git`` in its listing):
        its ``.gitignore``; and if it is a repository of its own (a submodule, a nested clone), its
        ``info/exclude``, in place of every file above it, as git run inside it would."""
        strip = len(rel_folder) + 1 if rel_folder else 0
        paths = []
        if rel_folder and ".git" in names:
            found = _git_top(folder)
            if found is not None and found[0] == folder:
                self.stack.append(None)
                paths.append(os.path.join(found[1], "info", "exclude"))
        if ".gitignore" in names:
            paths.append(os.path.join(folder, ".gitignore"))
        for path in paths:
            layer = load_layer(path, _shown(path, cwd))
            if layer is not None:
                layer.strip = strip
                self.stack.append(layer)

    def ignored(self, rel: str, is_dir: bool) -> IgnoredBy | None:
        """The pattern that ignores a path relative to the walk root, or None when git keeps it."""
        for layer in reversed(self.stack):
            if layer is None:
                break  # the top of a nested repository: nothing above it speaks for it
            index = layer.check(layer.lead + rel[layer.strip :], is_dir)
            if index is not None:
                return layer.ignored_by(index) if index != KEPT else None
        return None


def _decide(layers: list[tuple[_Layer, str]], rel_top: str, is_dir: bool) -> IgnoredBy | None:
    """As IgnoreRules.ignored, for a path relative to the top of the work tree (the walk root's ancestors)."""
    for layer, base in reversed(layers):
        if base and not rel_top.startswith(base + "/"):
            continue
        index = layer.check(rel_top[len(base) + 1 if base else 0 :], is_dir)
        if index is not None:
            return layer.ignored_by(index) if index != KEPT else None
    return None


def _shown(path: str, cwd: str) -> str:
    """An ignore file's path as users see it: relative to the current folder when below it."""
    rel = os.path.relpath(path, cwd)
    return path if rel.startswith("..") else rel.replace(os.sep, "/")
