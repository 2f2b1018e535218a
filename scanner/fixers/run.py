"""`cfgscan fix`: plan fixes per file, then print a diff, check, or write atomically (with a rollback patch)."""

from __future__ import annotations

import contextlib
import difflib
import os
import stat
import sys
import tempfile
from collections.abc import Iterator

from scanner.fixers.engine import FileFix, fix_text
from scanner.fixers.verify import broken_by_fix
from scanner.options import Options
from scanner.scan import ScanResult, build_indexes, gate_exit_code, load_matrix, run_scan
from scanner.textio import FileText


def unified(display: str, old: str, new: str) -> str:
    lines = difflib.unified_diff(old.splitlines(keepends=True), new.splitlines(keepends=True),
                                 f"a/{display}", f"b/{display}")
    out = []
    for line in lines:
        out.append(line if line.endswith("\n") else line + "\n\\ No newline at end of file\n")
    return "".join(out)


def _inside(path: str, root: str) -> bool:
    real, base = os.path.realpath(path), os.path.realpath(root)
    return real == base or real.startswith(base.rstrip(os.sep) + os.sep)


def scanned_root(path: str, scanned: tuple[str, ...]) -> str | None:
    """The command-line path a file was reached from (the longest one that lexically holds it), if any.

    Judged on the paths as given, never on the config folder or the cwd: a link is followed only
    while its target stays inside the real path of the argument it was found under."""
    absolute = os.path.abspath(path)
    best: str | None = None
    for arg in scanned:
        base = os.path.abspath(arg)
        if (absolute == base or absolute.startswith(base.rstrip(os.sep) + os.sep)) and (
                best is None or len(base) > len(best)):
            best = base
    return best


def write_atomically(path: str, ft: FileText, new_text: str, scanned: tuple[str, ...]) -> str | None:
    """Write through a temporary file in the same folder and os.replace; None on success, else why not."""
    real = os.path.realpath(path)
    root = scanned_root(path, scanned)
    if root is None or not _inside(real, root):
        return "reached through a symbolic link that leaves the scanned path; not written"
    try:
        st = os.stat(real)
    except OSError as exc:
        return f"cannot stat: {exc.strerror or exc}"
    if st.st_mtime_ns != ft.mtime_ns or st.st_size != ft.size:
        return "changed on disk since it was read; left alone (run cfgscan fix again)"
    if not os.access(real, os.W_OK):
        return "read-only for this user; not changed (permissions are never forced)"
    data = ft.bom + new_text.encode(ft.encoding)
    folder = os.path.dirname(real) or "."
    try:
        fd, tmp = tempfile.mkstemp(dir=folder, prefix=".cfgscan-", suffix=".tmp")
    except OSError as exc:
        return f"cannot create a temporary file next to it: {exc.strerror or exc}"
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        os.chmod(tmp, stat.S_IMODE(st.st_mode))
        if hasattr(os, "chown"):
            with contextlib.suppress(OSError):  # an ordinary user may not chown: the writer's ownership stays
                os.chown(tmp, st.st_uid, st.st_gid)
        os.replace(tmp, real)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    return None


def plan_fixes(result: ScanResult, unsafe: bool) -> Iterator[tuple[str, FileFix]]:
    """What fixing each file with a fixable, unsuppressed finding would do, in file order (nothing written)."""
    indexes = build_indexes(result.matrix, result.options)
    skip = {(f.rule, f.key) for f in result.findings if f.suppressed is not None}
    for display in sorted({f.file for f in result.active() if f.fix_action != "none"}):
        ft = result.texts[display]
        yield display, fix_text(ft.text, result.claims[display], indexes, result.versions,
                                result.options.show_future, unsafe, skip)


def run_fix(options: Options, diff: bool, check: bool, unsafe: bool, rollback: str | None) -> int:
    from scanner.cli import _inventory_for, emit
    from scanner.reporters import render
    from scanner.reporters.escape import printable
    from scanner.reporters.text import diagnostics

    matrix = load_matrix(options)
    inventory = _inventory_for(options, matrix)
    result = run_scan(options, matrix, inventory)
    patches: list[str] = []
    reverse: list[str] = []
    refused: list[str] = []
    changed = applied = 0
    for display, outcome in plan_fixes(result, unsafe):
        ft = result.texts[display]
        refused.extend(f"{display}:{line}: {rule.id} {key}: not fixed: {why}"
                       for rule, key, line, why in outcome.refused)
        if outcome.text == ft.text:
            continue
        broken = broken_by_fix(display, ft.text, outcome.text)
        if broken:
            refused.append(f"{display}: not fixed (fix by hand): the fixed file would no longer parse: {broken}")
            continue
        if diff:
            patches.append(unified(display, ft.text, outcome.text))
        elif not check:
            problem = write_atomically(result.paths[display], ft, outcome.text, options.paths)
            if problem:
                refused.append(f"{display}: not written: {problem}")
                continue
            reverse.append(unified(display, outcome.text, ft.text))
        changed += 1
        applied += len(outcome.applied)
    if diff:
        emit("".join(patches), options.output)
    if rollback and reverse:
        with open(rollback, "w", encoding="utf-8") as f:
            f.write("".join(reverse))
    for line in refused:  # names and keys from the scanned tree: escaped like every report
        print(printable(line), file=sys.stderr)
    verb = "would fix" if (diff or check) else "fixed"
    print(f"cfgscan: {verb} {applied} finding{'s' if applied != 1 else ''} in {changed} file"
          f"{'s' if changed != 1 else ''}; {len(refused)} not fixed automatically", file=sys.stderr)
    if changed:
        return 1
    if diff or check:
        return 0  # ruff's contract: --check and --diff fail only when a fix would change something
    emit(render(result, options.format, color=False), options.output)
    print(diagnostics(result), file=sys.stderr)
    return gate_exit_code(result)
