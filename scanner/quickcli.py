"""The typer-free half of the command line: flags into Options, and a plain ``cfgscan scan`` without typer.

Importing typer (and the pydantic it coerces with) costs more than the whole scan of a handful of files, so a
pre-commit run, ``cfgscan scan [known flags] FILE...``, is parsed here, by hand with click's rules (the parser
under typer); anything else (another command, --help, --fix, an unknown, misspelt or incomplete flag, a value
this reader would have to convert differently) goes to the typer application in scanner.cli, which owns every
message and error of the command line: there is one wording of each mistake, not two.
"""

from __future__ import annotations

import gc
import os
import sys
from collections.abc import Callable
from typing import Any, NoReturn

from scanner import __version__
from scanner.errors import ScannerError, UsageError

LIST_FLAGS = {"--target": "target", "-t": "target", "--installed": "installed", "--select": "select",
              "--ignore": "ignore", "--matrix": "matrix", "--exclude": "exclude"}
VALUE_FLAGS = {"--format": "format", "-f": "format", "--output": "output", "-o": "output", "--fail-on": "fail_on",
               "--baseline": "baseline", "--python": "python", "--config": "config"}
COUNT_FLAGS = {"--max-file-size": "max_file_size", "--jobs": "jobs"}  # whole numbers, checked by build_options
SWITCHES = {"--no-builtin-matrix": "no_builtin_matrix", "--no-plugin-matrix": "no_plugin_matrix",
            "--show-future": "show_future", "--ignore-parse-errors": "ignore_parse_errors",
            "--no-inventory": "no_inventory", "--verbose": "verbose", "-v": "verbose", "--quiet": "quiet",
            "-q": "quiet"}


SWITCH_VALUES: dict[str, tuple[str, bool]] = {flag: (dest, True) for flag, dest in SWITCHES.items()}
SWITCH_VALUES.update({"--color": ("color", True), "--no-color": ("color", False)})  # flag -> (dest, value stored)
VALUE_DESTS = {**LIST_FLAGS, **VALUE_FLAGS, **COUNT_FLAGS}


class _NotPlain(Exception):
    """The arguments are not a plain scan: let typer parse them (and word any error)."""


def _flag_and_value(arg: str) -> tuple[str, str | None]:
    """The value flag an option argument names and its attached value (``--format=json``, ``-fjson``,
    ``-t=x`` whose value is ``=x`` as click reads it); raises _NotPlain for anything else."""
    if arg in VALUE_DESTS:
        return arg, None
    if arg[1] == "-":
        flag, eq, value = arg.partition("=")
        if eq and flag in VALUE_DESTS:
            return flag, value
    elif arg[:2] in VALUE_DESTS:  # a short flag with its value attached
        return arg[:2], arg[2:]
    raise _NotPlain(arg)


def _parse(args: list[str]) -> dict[str, Any]:
    """Click's reading of the scan command's arguments: ``-`` or a word is a path, anything else starting with
    ``-`` is an option, a value flag takes the next argument whatever it is, ``--`` ends the options."""
    flags: dict[str, Any] = {dest: None for dest in VALUE_DESTS.values()}
    flags.update({dest: False for dest in SWITCHES.values()})
    flags["color"] = None
    paths: list[str] = []
    args = list(args)
    i = 0
    while i < len(args):
        arg = args[i]
        i += 1
        if arg == "--":
            paths.extend(args[i:])
            break
        if len(arg) < 2 or arg[0] != "-":
            paths.append(arg)
            continue
        if arg in SWITCH_VALUES:
            dest, const = SWITCH_VALUES[arg]
            flags[dest] = const
            continue
        flag, value = _flag_and_value(arg)
        if value is None:
            if i == len(args):  # the value is missing: typer says so
                raise _NotPlain(arg)
            value = args[i]
            i += 1
        dest = VALUE_DESTS[flag]
        if flag in LIST_FLAGS:
            flags[dest] = [*(flags[dest] or []), value]
        elif flag in COUNT_FLAGS:
            if not (value.isascii() and value.isdigit()):  # a sign, a space, `1_000`: typer's conversion decides
                raise _NotPlain(arg)
            flags[dest] = int(value)
        else:
            flags[dest] = value
    flags["paths"] = paths
    return flags


def parse_plain_scan(args: list[str]) -> dict[str, Any] | None:
    """The keyword arguments of ``scan`` for a plain scan invocation, or None when typer must parse it.

    The flags are read by hand because argparse or click (with gettext, locale and shutil) cost a pre-commit run
    more than reading them; tests/test_quickcli.py holds this reader to typer's on a generated table of inputs.
    """
    if args[:1] != ["scan"]:
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
    from scanner.config import find_config, load_config, search_bounds
    from scanner.discover import find_project_root
    from scanner.excerpt import excerpt
    from scanner.options import FAIL_ON, FORMATS, IgnoreEntry, Options

    paths = paths or ["."]
    cfg_path = flags.get("config")
    bounds = search_bounds(paths[0])
    cfg_file = _normalized(cfg_path) if cfg_path else find_config(paths[0], bounds)
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
        raise UsageError(f"--format {excerpt(fmt)}: choose one of {', '.join(FORMATS)}")
    fail_on = flags.get("fail_on") or c.get("fail-on", "deprecated")
    if fail_on not in FAIL_ON:
        raise UsageError(f"--fail-on {excerpt(fail_on)}: choose one of {', '.join(FAIL_ON)}")
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
    if flags.get("verbose"):
        from scanner.config import describe_config

        print(describe_config(cfg_file, bounds, bool(cfg_path)), file=sys.stderr)
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
        config_matrix_root=None if cfg_path or not tool else tool.root,
        builtin_matrix=not flags.get("no_builtin_matrix") and c.get("builtin-matrix", True),
        plugin_matrix=not flags.get("no_plugin_matrix") and c.get("plugin-matrix", True),
        baseline=baseline,
        python=flags.get("python"),
        exclude=(*c.get("exclude", []), *(flags.get("exclude") or [])),  # the command line's extend the config's
        respect_gitignore=c.get("respect-gitignore", True),
        show_future=bool(flags.get("show_future") or c.get("show-future", False)),
        ignore_parse_errors=bool(flags.get("ignore_parse_errors") or c.get("ignore-parse-errors", False)),
        max_file_size=_count(flags, c, "max-file-size", 10 * 1024 * 1024),
        ignores=tuple(entries),
        config_file=cfg_file,
        project_root=project_root,
        color=flags.get("color"),
        use_inventory=not flags.get("no_inventory"),
        jobs=_count(flags, c, "jobs", 0),
        quiet=bool(flags.get("quiet") or c.get("quiet", False)),
        verbose=bool(flags.get("verbose")),
        selection_origins=(
            ("select", "--select" if flags.get("select") or not c.get("select") else f"{cfg_file}: select"),
            ("ignore", "--ignore" if flags.get("ignore") or not ignore_ids else f"{cfg_file}: ignore"),
            ("ignore-entry", f"{cfg_file}: ignore entry rule"),
        ),
    )


def _count(flags: dict[str, Any], config: dict[str, Any], key: str, default: int) -> int:
    """--max-file-size or --jobs, refused in the tool config's words when out of range (the config's own
    value was checked when it was loaded)."""
    from scanner.config import count_problem

    value = flags.get(key.replace("-", "_"))
    if value is None:
        return int(config.get(key, default))
    why = count_problem(key, value)
    if why:
        raise UsageError(f"--{why}")
    return int(value)


def _normalized(path: str) -> str:
    """A --config path as pathlib spells it (``./a//b.toml`` -> ``a/b.toml``), for its messages."""
    from pathlib import Path  # only with --config: the usual run finds its config with os.path

    return str(Path(path))


def _confined(value: str, folder: str, key: str, flag: str | None = None) -> str:
    """A path from a config file, refused when it leaves the config's folder (a repository must not
    make cfgscan write elsewhere)."""
    from pathlib import Path  # only for an output set in the tool config

    base = Path(folder)
    target = (base / value).resolve(strict=False) if not os.path.isabs(value) else Path(value)
    root = base.resolve(strict=False)
    if target != root and root not in target.parents:
        from scanner.excerpt import excerpt  # a value from a repository's config may be long

        raise UsageError(f"{key} = {excerpt(value)} in the tool config points outside {root}; "
                         f"use {flag or '--' + key} to write there")
    return os.path.relpath(target)


def configured_baseline(options: Any) -> str | None:
    """Where `cfgscan baseline` writes without -o: the tool config's ``baseline``, relative to the config file
    (and inside its folder, as every path a repository's config makes cfgscan write)."""
    if not options.config_file:
        return None
    from scanner.config import load_config

    tool = load_config(options.config_file)
    value = tool.values.get("baseline")
    return _confined(value, tool.root or ".", "baseline", "-o") if value else None


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
    if options.verbose and result.decisions:
        from scanner.reporters.text import decision_lines

        print(decision_lines(result), file=sys.stderr)
    if not options.quiet:  # findings and errors only: no warnings, no summary
        print(diagnostics(result), file=sys.stderr)
    return gate_exit_code(result)
