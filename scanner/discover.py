"""Find the config files under the given paths and the matrix file specs that claim each of them."""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING

from scanner.matrix import FileSpec, Matrix
from scanner.model import Decision, Skipped

if TYPE_CHECKING:
    from scanner.gitignore import IgnoreRules

SKIP_DIRS = frozenset({".git", ".hg", ".svn", ".bzr", "_darcs", "node_modules", ".tox", ".nox", "__pycache__",
                       ".mypy_cache", ".pytest_cache", ".ruff_cache", ".venv", "venv", "site-packages",
                       ".eggs", ".cache"})


@lru_cache(maxsize=2048)
def compile_glob(pattern: str) -> re.Pattern[str]:
    """A gitignore-flavoured glob: ``**/`` spans folders, ``*`` stays inside one; no ``/`` means any folder."""
    if "/" not in pattern:
        pattern = "**/" + pattern
    out, i, n = [], 0, len(pattern)
    while i < n:
        c = pattern[i]
        if pattern.startswith("**/", i):
            out.append("(?:.*/)?")
            i += 3
        elif pattern.startswith("**", i):
            out.append(".*")
            i += 2
        elif c == "*":
            out.append("[^/]*")
            i += 1
        elif c == "?":
            out.append("[^/]")
            i += 1
        elif c == "[":
            end = pattern.find("]", i + 1)
            if end < 0:
                out.append(re.escape(c))
                i += 1
            else:
                body = pattern[i + 1 : end]
                out.append("[" + ("^" + body[1:] if body.startswith("!") else body) + "]")
                i = end + 1
        else:
            out.append(re.escape(c))
            i += 1
    return re.compile("".join(out) + r"\Z")


class Excludes:
    """The ``exclude`` patterns (tool config, then --exclude): gitignore syntax, as git reads one .gitignore at
    the project root. A later ``!pattern`` re-includes, and nothing inside an excluded folder comes back."""

    def __init__(self, patterns: Sequence[str], base: str = "") -> None:
        import pathspec  # only for a run with excludes

        self.base = base  # the walked folder relative to the project root, with a trailing "/" ("" at the root)
        self.spec = pathspec.GitIgnoreSpec.from_lines(patterns)
        # A folder is decided by the last pattern that names it, a `name/` pattern as `name` (git's reading).
        # pathspec's own answer for "name/" also counts patterns that only name what is inside (`name/**`).
        folders = pathspec.GitIgnoreSpec.from_lines(
            [line.rstrip(" ")[:-1] if line.rstrip(" ").endswith("/") else line for line in patterns])
        self.folder_patterns = [(p, line) for p, line in zip(folders.patterns, patterns, strict=True)
                                if p.include is not None]

    def match(self, rel: str, is_dir: bool) -> bool:
        """A path met by the walk (its folders were tested on the way down)."""
        path = self.base + rel
        return self._folder(path) if is_dir else bool(self.spec.match_file(path))

    def match_with_folders(self, rel: str) -> bool:
        """A file named on the command line: excluded by its own name or by any folder above it."""
        parts = (self.base + rel).split("/")
        return any(self._folder("/".join(parts[:n])) for n in range(1, len(parts))) or bool(
            self.spec.match_file("/".join(parts)))

    def _folder(self, path: str) -> bool:
        return self._deciding_folder_line(path) is not None

    def _deciding_folder_line(self, path: str) -> str | None:
        """The pattern line that excludes the folder, or None when it is not excluded."""
        deciding: str | None = None
        for pattern, line in self.folder_patterns:
            found = pattern.match_file(path)
            # a match through the dir mark named a folder above this one, which the caller tested already
            if found is not None and found.match.groupdict().get("ps_d") is None:
                deciding = line if pattern.include else None
        return deciding

    def why(self, rel: str, is_dir: bool) -> str:
        """The words for --verbose: which pattern left the path out."""
        path = self.base + rel
        if is_dir:
            line = self._deciding_folder_line(path)
        else:
            line = next((getattr(p, "pattern", None) for p in reversed(self.spec.patterns)
                         if p.include and p.match_file(path) is not None), None)
        return f"excluded by the exclude pattern {line!r}" if line else EXCLUDED


def compile_excludes(patterns: Sequence[str], walked: str = ".") -> Excludes | None:
    """The exclude patterns for a walk of ``walked`` (a path relative to the project root), or None without any.

    Patterns are relative to the project root; a folder scanned outside it is its own root."""
    if not patterns:
        return None
    base = "" if walked == "." or walked.startswith("../") else walked.rstrip("/") + "/"
    return Excludes(patterns, base)


EXCLUDED = "excluded by an exclude pattern (--exclude or the tool config's exclude)"


@dataclass(frozen=True)
class Claim:
    """A file spec of a product that claims a file (``contains`` is checked once the text is read)."""

    product: str
    spec: FileSpec


class _Pattern:
    """One include glob of a claim: the literal file-name ending it needs, and the rest as a regex if any."""

    __slots__ = ("_rx", "claim", "excludes", "glob", "literal", "simple")

    def __init__(self, glob: str, claim: Claim) -> None:
        self.glob, self.claim = glob, claim
        # the longest literal run every match holds (`settings/`, `compose.`): an `in` test before the regex
        self.literal = max(re.split(r"\*+|\?|\[[^\]]*\]?", glob.replace("**/", "*")), key=len)
        # `**/NAME` or `**/*TAIL` (or a bare NAME / *TAIL) needs nothing beyond the file name test done by
        # the index: most specs are like that, and a hook run then compiles no regex at all
        body = glob[3:] if glob.startswith("**/") else glob
        self.simple = "/" not in body and not any(ch in body.lstrip("*") for ch in "*?[") and body.count("*") <= 1
        self.excludes = claim.spec.exclude
        self._rx: re.Pattern[str] | None = None

    def matches(self, rel: str) -> bool:
        if not self.simple:
            if self.literal not in rel:
                return False
            if self._rx is None:
                self._rx = compile_glob(self.glob)
            if not self._rx.match(rel):
                return False
        return not self.excludes or not any(compile_glob(p).match(rel) for p in self.excludes)


class ClaimIndex:
    """Which file specs claim a relative path; a file name is looked up, or tested for literal endings."""

    def __init__(self, matrix: Matrix) -> None:
        self.by_name: dict[str, list[_Pattern]] = {}
        # a wildcard pattern's file name ends in a literal (``*.yaml`` -> ``.yaml``): one str.endswith per
        # distinct ending turns away almost every file before a pattern is tested
        self.by_tail: dict[str, list[_Pattern]] = {}
        for product in matrix.products.values():
            for spec in product.files.values():
                claim = Claim(product.id, spec)
                for glob in spec.include:
                    base = glob.rsplit("/", 1)[-1]
                    if any(ch in base for ch in "*?["):
                        tail = re.split(r"[*?\[\]]", base)[-1]
                        self.by_tail.setdefault(tail, []).append(_Pattern(glob, claim))
                    else:
                        self.by_name.setdefault(base, []).append(_Pattern(glob, claim))

    def claims(self, rel: str, name: str | None = None) -> list[Claim]:
        """The claims on a path relative to the project root (``name``: its last part, when known)."""
        if name is None:
            name = rel.rsplit("/", 1)[-1]
        out: list[Claim] = []
        for pattern in self.by_name.get(name, ()):
            if pattern.matches(rel) and all(c is not pattern.claim for c in out):
                out.append(pattern.claim)
        for tail, patterns in self.by_tail.items():
            if name.endswith(tail):
                for pattern in patterns:
                    if pattern.matches(rel) and all(c is not pattern.claim for c in out):
                        out.append(pattern.claim)
        return out


@dataclass(slots=True)
class Candidate:
    """A file to read: its path on disk, its path for matching, its path for display, its claims (never changed)."""

    path: str
    rel: str
    display: str
    claims: tuple[Claim, ...]
    regular: bool = False  # the listing showed a regular file: no stat is needed before opening it


def display_path(path: str, cwd: str) -> str:
    """The path as users see it: relative to the current directory with ``/`` separators."""
    absolute = os.path.abspath(path)
    try:
        rel = os.path.relpath(absolute, cwd)
    except ValueError:
        rel = absolute
    return rel.replace(os.sep, "/")


def find_config_files(
    paths: Sequence[str],
    index: ClaimIndex,
    cwd: str,
    project_root: str,
    exclude: Sequence[str] = (),
    respect_gitignore: bool = True,
    skipped: list[Skipped] | None = None,
    errors: list[tuple[str, str]] | None = None,
    decisions: list[Decision] | None = None,
) -> Iterator[Candidate]:
    """Walk files and folders (explicit files are matched relative to the project root).

    ``decisions`` (--verbose only) receives what became of each path named, of each walked file a spec claims by
    its name, of each folder not entered, and one note per walk.
    """
    at_root = compile_excludes(exclude)
    seen: set[str] = set()
    for arg in paths:
        if not os.path.lexists(arg):
            if errors is not None:
                errors.append((display_path(arg, cwd), "no such file or directory"))
            continue
        if os.path.isdir(arg) and not os.path.islink(arg):
            excl = compile_excludes(exclude, display_path(os.path.realpath(arg), project_root))  # root: real
            yield from _walk(arg, index, cwd, excl, respect_gitignore, seen, skipped, errors, decisions)
        else:
            rel = display_path(arg, project_root)
            if rel.startswith("../"):
                rel = os.path.basename(arg)
            excluded = at_root is not None and at_root.match_with_folders(rel)
            claims = None if excluded else index.claims(rel)
            if decisions is not None and not claims:
                why = "no product claims this name" if at_root is None or not excluded else at_root.why(rel, False)
                decisions.append(Decision(display_path(arg, cwd), "skipped", why))
            if excluded:
                continue
            key = os.path.abspath(arg)
            if claims and key not in seen:
                seen.add(key)
                yield Candidate(arg, rel, display_path(arg, cwd), tuple(claims))


def _walk(
    root: str,
    index: ClaimIndex,
    cwd: str,
    excl: Excludes | None,
    gitignore: bool,
    seen: set[str],
    skipped: list[Skipped] | None,
    errors: list[tuple[str, str]] | None,
    decisions: list[Decision] | None,
) -> Iterator[Candidate]:
    from scanner.gitignore import IgnoreRules  # a hook run names its files and never walks

    # paths below the root are joined as text: abspath/relpath per file cost more than reading the folder
    root_abs = os.path.abspath(root)
    rules = IgnoreRules(root_abs, cwd) if gitignore else None
    layers = rules.stack if rules is not None else []
    stack: list[tuple[str, str, int]] = [(root, "", len(layers))]
    root_display = display_path(root, cwd)
    prefix = "" if root_display == "." else root_display.rstrip("/") + "/"
    note = _WalkNote() if decisions is not None else None
    while stack:
        folder, rel_folder, depth_marker = stack.pop()
        del layers[depth_marker:]
        try:
            with os.scandir(folder) as listing:
                entries = list(listing)  # unsorted: every result is sorted at the end, the walk order never shows
        except OSError as exc:
            if errors is not None:
                errors.append((display_path(folder, cwd), f"cannot list folder: {exc.strerror or exc}"))
            continue
        names = [e.name for e in entries]
        if rel_folder and "pyvenv.cfg" in names:
            if decisions is not None:  # a virtual environment below the root: installed packages, not the project's
                why = "a virtual environment: holds pyvenv.cfg"
                decisions.append(Decision(f"{prefix}{rel_folder}/", "skipped", why))
            continue
        if rules is not None and (".gitignore" in names or ".git" in names):
            rules.enter(folder, rel_folder, cwd, names)
        marker = len(layers)
        subdirs: list[tuple[str, str, int]] = []
        if note is not None:
            note.folders += 1
        for entry in entries:
            name = entry.name
            rel = f"{rel_folder}/{name}" if rel_folder else name
            try:
                is_dir = entry.is_dir(follow_symlinks=False)
            except OSError:
                continue
            if is_dir:
                if name in SKIP_DIRS:
                    if note is not None:
                        note.not_entered[name] = note.not_entered.get(name, 0) + 1
                    continue
                if (excl is not None and excl.match(rel, True)) or (
                        layers and rules is not None and rules.ignored(rel, True)):
                    if decisions is not None:
                        decisions.append(Decision(f"{prefix}{rel}/", "skipped", _why_not(rel, True, excl, rules)))
                    continue
                subdirs.append((entry.path, rel, marker))
                continue
            claims = index.claims(rel, name)  # first: most files are claimed by nothing, and this is the cheap test
            if not claims:
                if note is not None:
                    note.unclaimed += 1
                continue
            if note is not None:
                note.claimed += 1
            if name == ".git":
                continue  # a linked worktree's pointer to its repository: git's own, as the .git folder is
            if (excl is not None and excl.match(rel, False)) or (
                    layers and rules is not None and rules.ignored(rel, False)):
                if decisions is not None:
                    decisions.append(Decision(prefix + rel, "skipped", _why_not(rel, False, excl, rules)))
                continue
            try:
                is_link = entry.is_symlink()
                regular = entry.is_file(follow_symlinks=False)
            except OSError:
                continue
            if is_link and os.path.isdir(entry.path):
                reason = "symbolic link to a folder; not followed"
                if skipped is not None:
                    skipped.append(Skipped(display_path(entry.path, cwd), reason))
                if decisions is not None:
                    decisions.append(Decision(display_path(entry.path, cwd), "skipped", reason))
                continue
            key = f"{root_abs}{os.sep}{rel}"
            if key in seen:
                continue
            seen.add(key)
            yield Candidate(entry.path, rel, prefix + rel, tuple(claims), regular)
        stack.extend(reversed(subdirs))
    if decisions is not None and note is not None:
        decisions.append(Decision(root_display, "walked", note.text()))


class _WalkNote:
    """What a verbose walk counts instead of listing: files no spec claims, folders never entered."""

    def __init__(self) -> None:
        self.folders = self.claimed = self.unclaimed = 0
        self.not_entered: dict[str, int] = {}

    def text(self) -> str:
        out = (f"{self.claimed + self.unclaimed} files in {self.folders} folders; {self.claimed} named as a config "
               f"file (each listed), {self.unclaimed} others not listed (no product claims their names)")
        if self.not_entered:
            names = ", ".join(f"{n} ({k})" if k > 1 else n for n, k in sorted(self.not_entered.items()))
            out += f"; never entered: {names}"
        return out


def _why_not(rel: str, is_dir: bool, excl: Excludes | None, rules: IgnoreRules | None) -> str:
    """Why a walked path was left out: the ignore file and pattern that git obeys, else an exclude pattern."""
    hit = rules.ignored(rel, is_dir) if rules is not None else None
    if hit is None:
        return excl.why(rel, is_dir) if excl is not None else EXCLUDED
    return f"ignored by {hit.source}:{hit.line}: {hit.pattern}"


def find_project_root(paths: Iterable[str], cwd: str) -> str:
    """The nearest folder from the first path up holding a VCS folder or a tool config, never above the
    config search's top (``search_bounds``: the repository's top-level, or the scanned folder itself); else
    the cwd (which the fix guard still relies on: a link out of a tree without markers is refused)."""
    from scanner.config import search_bounds

    folder, top = search_bounds(next(iter(paths), "."))
    while True:
        if any(os.path.exists(os.path.join(folder, m)) for m in (".git", ".hg", ".cfgscan.toml", "pyproject.toml")):
            return folder
        parent = os.path.dirname(folder)
        if folder == top or parent == folder:
            return cwd
        folder = parent
