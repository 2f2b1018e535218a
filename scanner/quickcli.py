"""The typer-free half of the command line: flags into Options, and a plain ``cfgscan scan`` without typer.

Importing typer (and the pydantic it coerces with) costs more than the whole scan of a handful of files, so a
pre-commit run, ``cfgscan scan [simple flags] FILE...``, is parsed here, by hand with argparse's rules; anything
else (another command, --help, --fix, an unknown or malformed flag) goes to the typer application in
scanner.cli, which owns every message and error of the full command line.
"""

from __future__ import annotations

import gc
import os
import sys
from collections.abc import Callable
from typing import Any, NoReturn

from scanner import __version__
from scanner.errors import ScannerError, UsageError
from scanner.lazyregex import LazyRegex

LIST_FLAGS = {"--target": "target", "-t": "target", "--installed": "installed", "--select": "select",
              "--ignore": "ignore", "--matrix": "matrix"}
VALUE_FLAGS = {"--format": "format", "-f": "format", "--output": "output", "-o": "output", "--fail-on": "fail_on",
               "--baseline": "baseline", "--python": "python", "--config": "config"}
SWITCHES = {"--no-builtin-matrix": "no_builtin_matrix", "--no-plugin-matrix": "no_plugin_matrix",
            "--show-future": "show_future", "--ignore-parse-errors": "ignore_parse_errors",
            "--no-inventory": "no_inventory"}


NEGATIVE_NUMBER = LazyRegex(r"^-\d+$|^-\d*\.\d+$")  # argparse's: a positional, since no flag looks like one
SWITCH_VALUES: dict[str, tuple[str, bool]] = {flag: (dest, True) for flag, dest in SWITCHES.items()}
SWITCH_VALUES.update({"--color": ("color", True), "--no-color": ("color", False)})  # flag -> (dest, value stored)
VALUE_DESTS = {**LIST_FLAGS, **VALUE_FLAGS, "--max-file-size": "max_file_size"}


class _NotPlain(Exception):
    """The arguments are not a plain scan: let typer parse them (and word any error)."""


def _option(arg: str) -> tuple[str, str | None] | None:
    """The flag an argument names and its attached value (``--format=json``, ``-fjson``), or None for a
    positional; raises _NotPlain for an unknown option. The rules are argparse's (allow_abbrev=False)."""
    if not arg or arg[0] != "-":
        return None
    if arg in VALUE_DESTS or arg in SWITCH_VALUES:
        return arg, None
    if len(arg) == 1:
        return None
    if "=" in arg:
        flag, value = arg.split("=", 1)
        if flag in VALUE_DESTS or flag in SWITCH_VALUES:
            return flag, value
    if arg[1] != "-" and arg[:2] in VALUE_DESTS:  # a short flag with its value attached
        return arg[:2], arg[2:]
    if NEGATIVE_NUMBER.compiled.match(arg) or " " in arg:
        return None
    raise _NotPlain(arg)


def _parse(args: list[str]) -> dict[str, Any]:
    flags: dict[str, Any] = {dest: None for dest in VALUE_DESTS.values()}
    flags.update({dest: False for dest in SWITCHES.values()})
    flags["color"] = None
    paths: list[str] = []
    i = 0
    while i < len(args):
        arg = args[i]
        i += 1
        option = _option(arg)
        if option is None:
            paths.append(arg)
            continue
        flag, value = option
        if flag in SWITCH_VALUES:
            if value is not None:  # a switch takes no value
                raise _NotPlain(arg)
            dest, const = SWITCH_VALUES[flag]
            flags[dest] = const
            continue
        if value is None:
            if i == len(args) or _option(args[i]) is not None:  # the value is missing or is another flag
                raise _NotPlain(arg)
            value = args[i]
            i += 1
        dest = VALUE_DESTS[flag]
        if flag in LIST_FLAGS:
            flags[dest] = [*(flags[dest] or []), value]
        elif flag == "--max-file-size":
            try:
                flags[dest] = int(value)
            except ValueError:
                raise _NotPlain(arg) from None
        else:
            flags[dest] = value
    flags["paths"] = paths
    return flags


def parse_plain_scan(args: list[str]) -> dict[str, Any] | None:
    """The keyword arguments of ``scan`` for a plain scan invocation, or None when typer must parse it.

    The flags are read by hand because argparse (with gettext, locale and shutil) costs a pre-commit run more
    than reading them; the rules are argparse's, and ``--`` (rare, with its own rules) goes to typer.
    """
    if args[:1] != ["scan"] or any(a in ("-h", "--help", "--fix", "--") for a in args[1:]):
        return None
    try:
        flags = _parse(args[1:])
    except _NotPlain:
        return None
    flags["paths"] = flags["paths"] or None
    return flags


def main(argv: list[str] | None = None) -> int:
    """The console entry point: a plain scan here, everything else through typer (scanner.cli.main)."""
    args = sys.argv[1:] if argv is None else argv
    if args[:1] == ["--version"]:
        print(f"cfgscan {__version__}")
        return 0
    flags = parse_plain_scan(args)
    if flags is None:
        from scanner.cli import main as full_main

        return full_main(args)
    paused = gc.isenabled() and not gc.get_freeze_count()  # (a host's own frozen objects stay its business)
    if paused:
        gc.disable()  # until start-up is over: see do_scan
    try:
        return run_guarded(lambda: do_scan(build_options(**flags), paused_gc=paused))
    finally:
        if paused:
            gc.unfreeze()
            gc.enable()


def console() -> NoReturn:
    """The ``cfgscan`` command: main(), then output flushed and the process ended without Python's teardown.

    Freeing every object of a big scan one by one at exit cost ~30 ms, 4% of a 10,000-file scan; nothing is
    left to clean up by then (files are written and closed, a process pool is joined), so the process ends
    the way mypy's does. In-process callers (tests, plugins) use main(), which returns.
    """
    code = main()
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):  # a closed pipe (`cfgscan ... | head`), a closed stream
            code = code or 1
    os._exit(code)


def run_guarded(command: Callable[[], int | None]) -> int:
    """Run a command and turn every way it can end into an exit code; never a traceback for the user."""
    try:
        return command() or 0
    except SystemExit as exc:  # typer's standalone mode ends this way
        code = exc.code
        return code if isinstance(code, int) else (0 if code is None else 2)
    except ScannerError as exc:
        print(f"cfgscan: error: {exc}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        print("cfgscan: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 1
    except Exception as exc:  # the last line of defence: one clear line, never a traceback
        print(f"cfgscan: internal error: {type(exc).__name__}: {exc}\n"
              "This is a bug in cfgscan; please report it with the command you ran.", file=sys.stderr)
        return 2


# Moved from scanner/cli.py (which re-exports them): flags and tool config into Options, the scan command.


def _pairs(values: list[str] | None, flag: str) -> list[tuple[str, str]]:
    out = []
    for raw in values or []:
        if "=" not in raw:
            raise UsageError(f"{flag} {raw!r}: expected PRODUCT=VERSION")
        product, version = raw.split("=", 1)
        if not product.strip() or not version.strip():
            raise UsageError(f"{flag} {raw!r}: expected PRODUCT=VERSION")
        out.append((product.strip().lower(), version.strip()))
    return out


def build_options(paths: list[str] | None, **flags: Any) -> Any:
    """Flags beat tool config; paths in tool config are relative to the config file."""
    from scanner.config import find_config, load_config
    from scanner.discover import find_project_root
    from scanner.options import FAIL_ON, FORMATS, IgnoreEntry, Options

    paths = paths or ["."]
    cfg_path = flags.get("config")
    cfg_file = _normalized(cfg_path) if cfg_path else find_config(paths[0])
    if cfg_path and not os.path.isfile(cfg_path):
        raise UsageError(f"--config {cfg_path}: no such file")
    tool = load_config(cfg_file) if cfg_file else None
    c: dict[str, Any] = tool.values if tool else {}
    base = tool.root if tool and tool.root else "."

    def rel(p: str) -> str:
        return str(p) if os.path.isabs(p) else os.path.relpath(os.path.join(base, p))

    targets_raw = list(flags.get("target") or [])
    all_latest = "latest" in targets_raw
    targets = _pairs([t for t in targets_raw if t != "latest"], "--target")
    if not targets_raw:
        ct = c.get("target", {})
        if ct == "latest":
            all_latest = True
        else:
            targets = [(k.lower(), str(v)) for k, v in ct.items()]
    installed = _pairs(flags.get("installed"), "--installed") or [
        (k.lower(), str(v)) for k, v in c.get("installed", {}).items()
    ]
    fmt = flags.get("format") or c.get("format", "text")
    if fmt not in FORMATS:
        raise UsageError(f"--format {fmt!r}: choose one of {', '.join(FORMATS)}")
    fail_on = flags.get("fail_on") or c.get("fail-on", "deprecated")
    if fail_on not in FAIL_ON:
        raise UsageError(f"--fail-on {fail_on!r}: choose one of {', '.join(FAIL_ON)}")
    ignore_ids = [x for x in c.get("ignore", []) if isinstance(x, str)]
    entries = [
        IgnoreEntry(str(e["rule"]), e.get("path"), e.get("reason"), str(e["until"]) if e.get("until") else None)
        for e in c.get("ignore", [])
        if isinstance(e, dict)
    ]
    baseline = flags.get("baseline") or (rel(c["baseline"]) if c.get("baseline") else None)
    if baseline and not flags.get("baseline") and not os.path.exists(baseline):
        baseline = None  # a configured baseline that was not created yet is not an error
    project_root = tool.root if tool and tool.root else find_project_root(paths, os.getcwd())
    return Options(
        paths=tuple(paths),
        targets=tuple(targets),
        target_all_latest=all_latest,
        installed=tuple(installed),
        format=fmt,
        output=flags.get("output") or (_confined(c["output"], base, "output") if c.get("output") else None),
        fail_on=fail_on,
        select=tuple(flags.get("select") or c.get("select", [])),
        ignore=tuple(flags.get("ignore") or ignore_ids),
        matrix_paths=tuple(flags.get("matrix") or []),
        config_matrix_paths=tuple(rel(p) for p in c.get("matrix", [])),
        builtin_matrix=not flags.get("no_builtin_matrix") and c.get("builtin-matrix", True),
        plugin_matrix=not flags.get("no_plugin_matrix") and c.get("plugin-matrix", True),
        baseline=baseline,
        python=flags.get("python"),
        exclude=tuple(c.get("exclude", [])),
        respect_gitignore=c.get("respect-gitignore", True),
        show_future=bool(flags.get("show_future") or c.get("show-future", False)),
        ignore_parse_errors=bool(flags.get("ignore_parse_errors") or c.get("ignore-parse-errors", False)),
        max_file_size=flags.get("max_file_size") or c.get("max-file-size", 10 * 1024 * 1024),
        ignores=tuple(entries),
        config_file=cfg_file,
        project_root=project_root,
        color=flags.get("color"),
        use_inventory=not flags.get("no_inventory"),
        jobs=int(c.get("jobs", 0)),
    )


def _normalized(path: str) -> str:
    """A --config path as pathlib spells it (``./a//b.toml`` -> ``a/b.toml``), for its messages."""
    from pathlib import Path  # only with --config: the usual run finds its config with os.path

    return str(Path(path))


def _confined(value: str, folder: str, key: str) -> str:
    """A path from a config file, refused when it leaves the config's folder (a repository must not
    make cfgscan write elsewhere)."""
    from pathlib import Path  # only for an output set in the tool config

    base = Path(folder)
    target = (base / value).resolve(strict=False) if not os.path.isabs(value) else Path(value)
    root = base.resolve(strict=False)
    if target != root and root not in target.parents:
        raise UsageError(f"{key} = {value!r} in the tool config points outside {root}; use --{key} to write there")
    return os.path.relpath(target)


def emit(text: str, output: str | None) -> None:
    """The report goes to stdout or --output; summaries and progress go to stderr."""
    if output:
        try:
            with open(output, "w", encoding="utf-8") as f:
                f.write(text)
        except OSError as exc:
            raise UsageError(f"--output {output}: {exc.strerror or exc}") from None
    else:
        sys.stdout.write(text)
        sys.stdout.flush()


def use_color(flag: bool | None) -> bool:
    if flag is not None:
        return flag
    return sys.stdout.isatty() and "NO_COLOR" not in os.environ and os.environ.get("TERM") != "dumb"


def _inventory_for(options: Any, matrix: Any) -> dict[str, Any]:
    if not options.use_inventory:
        return {}
    from scanner.inventory_bridge import inventory_products

    return inventory_products(options, matrix)


def do_scan(options: Any, paused_gc: bool = False) -> int:
    """Scan and report. ``paused_gc``: the caller paused the garbage collector for start-up (imports, the
    matrix, the inventory: tens of thousands of objects that live until the end, which collections would
    walk again and again, ~10 ms of a pre-commit run); it resumes here, with those objects frozen out of it."""
    from scanner.reporters import render
    from scanner.reporters.text import diagnostics
    from scanner.scan import gate_exit_code, load_matrix, run_scan

    matrix = load_matrix(options)
    inventory = _inventory_for(options, matrix)
    if paused_gc:
        gc.freeze()
        gc.enable()
    result = run_scan(options, matrix, inventory)
    emit(render(result, options.format, color=use_color(options.color) and not options.output), options.output)
    print(diagnostics(result), file=sys.stderr)
    return gate_exit_code(result)
