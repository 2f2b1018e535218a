"""Find the config files under the given paths and the matrix file specs that claim each of them."""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from functools import lru_cache

from scanner.matrix import FileSpec, Matrix
from scanner.model import Skipped

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
        self.folder_patterns = [p for p in folders.patterns if p.include is not None]

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
        excluded = False
        for pattern in self.folder_patterns:
            found = pattern.match_file(path)
            # a match through the dir mark named a folder above this one, which the caller tested already
            if found is not None and found.match.groupdict().get("ps_d") is None:
                excluded = bool(pattern.include)
        return excluded


def compile_excludes(patterns: Sequence[str], walked: str = ".") -> Excludes | None:
    """The exclude patterns for a walk of ``walked`` (a path relative to the project root), or None without any.

    Patterns are relative to the project root; a folder scanned outside it is its own root."""
    if not patterns:
        return None
    base = "" if walked == "." or walked.startswith("../") else walked.rstrip("/") + "/"
    return Excludes(patterns, base)


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


class _Ignores:
    """The .gitignore files met on the way down, each applied relative to its own folder."""

    def __init__(self) -> None:
        self.stack: list[tuple[str, object]] = []

    def load(self, folder: str, rel_folder: str) -> bool:
        """Read the folder's .gitignore (the caller saw one in the listing)."""
        import pathspec

        try:
            with open(os.path.join(folder, ".gitignore"), encoding="utf-8", errors="replace") as f:
                spec = pathspec.GitIgnoreSpec.from_lines(f.read().splitlines())
        except OSError:
            return False
        self.stack.append((rel_folder, spec))
        return True

    def ignored(self, rel: str, is_dir: bool) -> bool:
        for base, spec in self.stack:
            sub = rel[len(base) + 1 :] if base else rel
            if base and not rel.startswith(base + "/"):
                continue
            if spec.match_file(sub + "/" if is_dir else sub):  # type: ignore[attr-defined]
                return True
        return False


def find_config_files(
    paths: Sequence[str],
    index: ClaimIndex,
    cwd: str,
    project_root: str,
    exclude: Sequence[str] = (),
    respect_gitignore: bool = True,
    skipped: list[Skipped] | None = None,
    errors: list[tuple[str, str]] | None = None,
) -> Iterator[Candidate]:
    """Walk files and folders (explicit files are matched relative to the project root)."""
    at_root = compile_excludes(exclude)
    seen: set[str] = set()
    for arg in paths:
        if not os.path.lexists(arg):
            if errors is not None:
                errors.append((display_path(arg, cwd), "no such file or directory"))
            continue
        if os.path.isdir(arg) and not os.path.islink(arg):
            excl = compile_excludes(exclude, display_path(os.path.realpath(arg), project_root))  # root: real
            yield from _walk(arg, index, cwd, excl, respect_gitignore, seen, skipped, errors)
        else:
            rel = display_path(arg, project_root)
            if rel.startswith("../"):
                rel = os.path.basename(arg)
            if at_root is not None and at_root.match_with_folders(rel):
                continue
            claims = index.claims(rel)
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
) -> Iterator[Candidate]:
    ignores = _Ignores()
    stack: list[tuple[str, str, int]] = [(root, "", 0)]
    # paths below the root are joined as text: abspath/relpath per file cost more than reading the folder
    root_abs = os.path.abspath(root)
    root_display = display_path(root, cwd)
    prefix = "" if root_display == "." else root_display.rstrip("/") + "/"
    while stack:
        folder, rel_folder, depth_marker = stack.pop()
        while len(ignores.stack) > depth_marker:
            ignores.stack.pop()
        try:
            with os.scandir(folder) as listing:
                entries = list(listing)  # unsorted: every result is sorted at the end, the walk order never shows
        except OSError as exc:
            if errors is not None:
                errors.append((display_path(folder, cwd), f"cannot list folder: {exc.strerror or exc}"))
            continue
        names = [e.name for e in entries]
        if rel_folder and "pyvenv.cfg" in names:
            continue  # a virtual environment below the root: installed packages, not the project's config
        if gitignore and ".gitignore" in names:
            ignores.load(folder, rel_folder)
        marker = len(ignores.stack)
        subdirs: list[tuple[str, str, int]] = []
        for entry in entries:
            name = entry.name
            rel = f"{rel_folder}/{name}" if rel_folder else name
            try:
                is_dir = entry.is_dir(follow_symlinks=False)
            except OSError:
                continue
            if is_dir:
                if name in SKIP_DIRS:
                    continue
                if (excl is not None and excl.match(rel, True)) or (gitignore and ignores.ignored(rel, True)):
                    continue
                subdirs.append((entry.path, rel, marker))
                continue
            claims = index.claims(rel, name)  # first: most files are claimed by nothing, and this is the cheap test
            if not claims:
                continue
            if (excl is not None and excl.match(rel, False)) or (gitignore and ignores.ignored(rel, False)):
                continue
            try:
                is_link = entry.is_symlink()
                regular = entry.is_file(follow_symlinks=False)
            except OSError:
                continue
            if is_link and os.path.isdir(entry.path):
                if skipped is not None:
                    skipped.append(Skipped(display_path(entry.path, cwd), "symbolic link to a folder; not followed"))
                continue
            key = f"{root_abs}{os.sep}{rel}"
            if key in seen:
                continue
            seen.add(key)
            yield Candidate(entry.path, rel, prefix + rel, tuple(claims), regular)
        stack.extend(reversed(subdirs))


def find_project_root(paths: Iterable[str], cwd: str) -> str:
    """The nearest folder above the first path holding a VCS folder or tool config; else the cwd."""
    first = next(iter(paths), ".")
    folder = os.path.realpath(first)  # realpath never raises on a symlink loop
    if not os.path.isdir(folder):
        folder = os.path.dirname(folder)
    while True:
        if any(os.path.exists(os.path.join(folder, m)) for m in (".git", ".hg", ".cfgscan.toml", "pyproject.toml")):
            return folder
        parent = os.path.dirname(folder)
        if parent == folder:
            return cwd
        folder = parent
