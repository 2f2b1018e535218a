"""The command line (typer): turns arguments into a frozen Options and calls one function per command."""

from __future__ import annotations

import sys
from collections.abc import Callable
from functools import wraps
from pathlib import Path
from typing import Annotated, Any, TypeVar

import typer

from scanner import __version__
from scanner.errors import ScannerError, UsageError
from scanner.quickcli import _inventory_for as _inventory_for
from scanner.quickcli import build_options as build_options
from scanner.quickcli import configured_baseline, do_scan, run_guarded
from scanner.quickcli import emit as emit

F = TypeVar("F", bound=Callable[..., Any])

app = typer.Typer(
    name="cfgscan",
    help="Find deprecated and breaking configuration keys before an upgrade, and plan the upgrade path.\n\n"
    "Exit codes: 0 nothing at or above --fail-on; 1 findings (or parse errors) at or above --fail-on, or "
    "files changed by fix; 2 usage error, invalid tool config or matrix, unknown product or version.",
    no_args_is_help=True,
    add_completion=False,
    context_settings={"help_option_names": ["-h", "--help"]},
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)
matrix_app = typer.Typer(help="Validate and browse matrices.", no_args_is_help=True)
app.add_typer(matrix_app, name="matrix")

# --- shared option declarations -----------------------------------------------------------------
PathsArg = Annotated[
    list[str] | None, typer.Argument(help="Files or folders to scan (default: .).", metavar="PATH", show_default=False)
]
TargetOpt = Annotated[
    list[str] | None,
    typer.Option(
        "--target",
        "-t",
        metavar="P=V",
        help="Target release P=V (repeatable); V may be 'latest'; bare 'latest' targets every "
        "product's latest known release. Default: the installed version.",
        show_default=False,
    ),
]
InstalledOpt = Annotated[
    list[str] | None,
    typer.Option(
        "--installed",
        metavar="P=V",
        help="Installed version P=V (repeatable); overrides the inventory.",
        show_default=False,
    ),
]
FormatOpt = Annotated[
    str | None,
    typer.Option(
        "--format", "-f", metavar="FORMAT", help="text | json | sarif | junit | markdown | github.", show_default=False
    ),
]
OutputOpt = Annotated[
    str | None, typer.Option("--output", "-o", metavar="FILE", help="Write the report to FILE.", show_default=False)
]
FailOnOpt = Annotated[
    str | None,
    typer.Option(
        "--fail-on",
        metavar="SEVERITY",
        help="Lowest severity that fails: breaking | deprecated | info | never [default: deprecated].",
        show_default=False,
    ),
]
SelectOpt = Annotated[
    list[str] | None,
    typer.Option("--select", metavar="RULE", help="Only these rule ids or id prefixes.", show_default=False),
]
IgnoreOpt = Annotated[
    list[str] | None,
    typer.Option("--ignore", metavar="RULE", help="Skip these rule ids or id prefixes.", show_default=False),
]
MatrixOpt = Annotated[
    list[str] | None,
    typer.Option("--matrix", metavar="PATH", help="Extra matrix file or folder (repeatable).", show_default=False),
]
BaselineOpt = Annotated[
    str | None,
    typer.Option(
        "--baseline",
        metavar="FILE",
        help="Report only findings not recorded in this baseline file.",
        show_default=False,
    ),
]
PythonOpt = Annotated[
    str | None,
    typer.Option(
        "--python", metavar="PATH", help="Interpreter whose installed packages form the inventory.", show_default=False
    ),
]
ConfigOpt = Annotated[
    str | None,
    typer.Option(
        "--config",
        metavar="FILE",
        help="Tool config file (default: .cfgscan.toml or pyproject.toml found upward).",
        show_default=False,
    ),
]
NoBuiltinOpt = Annotated[bool, typer.Option("--no-builtin-matrix", help="Do not load the bundled matrices.")]
NoPluginOpt = Annotated[
    bool, typer.Option("--no-plugin-matrix", help="Do not load matrices of installed packages (entry points).")
]
ShowFutureOpt = Annotated[bool, typer.Option("--show-future", help="Also list deprecations beyond the target.")]
IgnoreParseOpt = Annotated[
    bool, typer.Option("--ignore-parse-errors", help="Parse errors are reported but do not fail the gate.")
]
NoInventoryOpt = Annotated[
    bool, typer.Option("--no-inventory", help="Do not look for installed versions; use --installed only.")
]
MaxSizeOpt = Annotated[
    int | None,
    typer.Option(
        "--max-file-size",
        metavar="BYTES",
        help="Skip config files larger than this many bytes [default: 10 MB].",
        show_default=False,
    ),
]
VerboseOpt = Annotated[
    bool, typer.Option("--verbose", "-v", help="Say on stderr which product claimed each file, or why it was skipped.")
]
ColorOpt = Annotated[
    bool | None, typer.Option("--color/--no-color", help="Force colour on or off.", show_default=False)
]


def guarded(fn: F) -> F:
    """Turn ScannerError into one line on stderr and exit 2; no traceback ever reaches the user."""

    @wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return fn(*args, **kwargs)
        except ScannerError as exc:
            typer.echo(f"cfgscan: error: {exc}", err=True)
            raise typer.Exit(exc.exit_code) from None

    return wrapper  # type: ignore[return-value]


@app.command()
@guarded
def scan(
    paths: PathsArg = None,
    target: TargetOpt = None,
    installed: InstalledOpt = None,
    format: FormatOpt = None,
    output: OutputOpt = None,
    fail_on: FailOnOpt = None,
    select: SelectOpt = None,
    ignore: IgnoreOpt = None,
    matrix: MatrixOpt = None,
    baseline: BaselineOpt = None,
    python: PythonOpt = None,
    config: ConfigOpt = None,
    no_builtin_matrix: NoBuiltinOpt = False,
    no_plugin_matrix: NoPluginOpt = False,
    show_future: ShowFutureOpt = False,
    ignore_parse_errors: IgnoreParseOpt = False,
    no_inventory: NoInventoryOpt = False,
    max_file_size: MaxSizeOpt = None,
    color: ColorOpt = None,
    verbose: VerboseOpt = False,
    fix: Annotated[bool, typer.Option("--fix", help="Apply the safe fixes (as `cfgscan fix`).")] = False,
) -> None:
    """Scan config files for deprecated and breaking keys (the main job)."""
    options = build_options(**locals())
    if fix:
        from scanner.fixers.run import run_fix

        raise typer.Exit(run_fix(options, diff=False, check=False, unsafe=False, rollback=None))
    raise typer.Exit(do_scan(options))


@app.command()
@guarded
def baseline(
    paths: PathsArg = None,
    output: OutputOpt = None,
    target: TargetOpt = None,
    installed: InstalledOpt = None,
    matrix: MatrixOpt = None,
    select: SelectOpt = None,
    ignore: IgnoreOpt = None,
    python: PythonOpt = None,
    config: ConfigOpt = None,
    no_builtin_matrix: NoBuiltinOpt = False,
    no_plugin_matrix: NoPluginOpt = False,
    no_inventory: NoInventoryOpt = False,
) -> None:
    """Record today's findings so that a gate run with --baseline fails only on new ones."""
    from scanner.scan import load_matrix, run_scan
    from scanner.suppress import baseline_document

    options = build_options(**{k: v for k, v in locals().items() if k != "output"})
    import dataclasses

    options = dataclasses.replace(options, baseline=None)
    m = load_matrix(options)
    result = run_scan(options, m, _inventory_for(options, m))
    doc = baseline_document([f for f in result.findings if f.product != "cfgscan"])  # not unused-suppression notes
    where = output or configured_baseline(options) or ".cfgscan-baseline.json"
    emit(doc, where)
    recorded = [f for f in result.findings if f.product != "cfgscan"]
    typer.echo(f"cfgscan: recorded {len(recorded)} findings in {where}", err=True)


@app.command()
@guarded
def fix(
    paths: PathsArg = None,
    target: TargetOpt = None,
    installed: InstalledOpt = None,
    format: FormatOpt = None,
    output: OutputOpt = None,
    fail_on: FailOnOpt = None,
    select: SelectOpt = None,
    ignore: IgnoreOpt = None,
    matrix: MatrixOpt = None,
    baseline: BaselineOpt = None,
    python: PythonOpt = None,
    config: ConfigOpt = None,
    no_builtin_matrix: NoBuiltinOpt = False,
    no_plugin_matrix: NoPluginOpt = False,
    no_inventory: NoInventoryOpt = False,
    max_file_size: MaxSizeOpt = None,
    diff: Annotated[bool, typer.Option("--diff", help="Print the fixes as a unified diff; write nothing.")] = False,
    check: Annotated[bool, typer.Option("--check", help="Write nothing; exit 1 if a fix would apply.")] = False,
    unsafe_fixes: Annotated[bool, typer.Option("--unsafe-fixes", help="Also apply fixes marked unsafe.")] = False,
    write_rollback: Annotated[
        str | None,
        typer.Option(
            "--write-rollback",
            help="Write the reverse patch of everything applied to FILE (git apply FILE undoes it).",
            show_default=False,
        ),
    ] = None,
) -> None:
    """Apply the safe fixes of every finding reported for the target; exit 1 when a file changed."""
    flags = {k: v for k, v in locals().items() if k not in ("diff", "check", "unsafe_fixes", "write_rollback")}
    options = build_options(**flags)
    from scanner.fixers.run import run_fix

    raise typer.Exit(run_fix(options, diff=diff, check=check, unsafe=unsafe_fixes, rollback=write_rollback))


@app.command()
@guarded
def inventory(
    paths: PathsArg = None,
    format: FormatOpt = None,
    output: OutputOpt = None,
    python: PythonOpt = None,
    installed: InstalledOpt = None,
    matrix: MatrixOpt = None,
    config: ConfigOpt = None,
    no_builtin_matrix: NoBuiltinOpt = False,
    no_plugin_matrix: NoPluginOpt = False,
    all: Annotated[bool, typer.Option("--all", help="List every package found, not only matrix products.")] = False,
) -> None:
    """Each product found, its version, its kind (exact, lower-bound, assumed) and where it came from."""
    from scanner.inventory import collect_inventory, render_inventory
    from scanner.model import Installed
    from scanner.scan import load_matrix

    flags = {k: v for k, v in locals().items() if k != "all"}
    fmt = format or "text"
    if fmt not in ("text", "json"):
        raise UsageError(f"--format {fmt!r}: inventory prints text or json")
    options = build_options(**{**flags, "format": "text"})
    m = load_matrix(options)
    products = {pid: p.versions_from for pid, p in m.products.items()}
    inv = collect_inventory(options.project_root, products, python=options.python)
    for pid, version in options.installed:
        if pid not in m.products:
            raise UsageError(f"--installed {pid}: unknown product (known: {', '.join(sorted(m.products))})")
        before = inv.products.get(pid)
        others = ((before.version, before.source), *before.others) if before else ()
        inv.products[pid] = Installed(pid, version, "--installed", "exact", others)
    latest = {pid: p.releases[-1].version for pid, p in m.products.items() if p.releases}
    emit(render_inventory(inv, latest, fmt, all), options.output)


@app.command()
@guarded
def plan(
    paths: PathsArg = None,
    target: TargetOpt = None,
    installed: InstalledOpt = None,
    format: Annotated[
        str | None,
        typer.Option("--format", "-f", metavar="FORMAT", help="text | json | markdown | html.", show_default=False),
    ] = None,
    output: OutputOpt = None,
    select: SelectOpt = None,
    ignore: IgnoreOpt = None,
    matrix: MatrixOpt = None,
    python: PythonOpt = None,
    config: ConfigOpt = None,
    no_builtin_matrix: NoBuiltinOpt = False,
    no_plugin_matrix: NoPluginOpt = False,
    no_inventory: NoInventoryOpt = False,
) -> None:
    """The upgrade path from installed to target, hop by hop, with what must be fixed before each hop."""
    from scanner.plan import run_plan

    fmt = format or "text"
    if fmt not in ("text", "json", "markdown", "html"):
        raise UsageError(f"--format {fmt!r}: plan prints text, json, markdown or html")
    options = build_options(**{**locals(), "format": "text"})
    text, code = run_plan(options, fmt)
    emit(text, options.output)
    raise typer.Exit(code)


@matrix_app.command("check")
@guarded
def matrix_check(
    paths: Annotated[
        list[str] | None,
        typer.Argument(help="Matrix files or folders (default: the bundled ones).", show_default=False),
    ] = None,
) -> None:
    """Validate matrix files with precise errors (file, line, field); exit 2 when any is invalid."""
    from scanner.errors import MatrixError
    from scanner.matrix_sources import load_all

    try:
        if paths:
            m = load_all(cli_paths=[Path(p) for p in paths], builtin=False, plugins=False)
        else:
            m = load_all(plugins=False)
    except MatrixError as exc:
        for problem in exc.problems:
            typer.echo(problem)
        typer.echo(
            f"cfgscan: {len(exc.problems)} problem{'s' if len(exc.problems) != 1 else ''} in the matrix", err=True
        )
        raise typer.Exit(2) from None
    rules = sum(len(p.rules) for p in m.products.values())
    typer.echo(f"cfgscan: {len(m.products)} products, {rules} rules: all valid")


BrowseFormatOpt = Annotated[str, typer.Option("--format", "-f", help="text | json.")]


def _browse_matrix(
    matrix: list[str] | None, config: str | None, no_builtin_matrix: bool, no_plugin_matrix: bool
) -> Any:
    """The merged matrix from the same sources as scan (bundled, plugins, tool config, --matrix)."""
    from scanner.scan import load_matrix

    return load_matrix(
        build_options(
            None, matrix=matrix, config=config, no_builtin_matrix=no_builtin_matrix, no_plugin_matrix=no_plugin_matrix
        )
    )


@matrix_app.command("list")
@guarded
def matrix_list(
    format: BrowseFormatOpt = "text",
    matrix: MatrixOpt = None,
    config: ConfigOpt = None,
    no_builtin_matrix: NoBuiltinOpt = False,
    no_plugin_matrix: NoPluginOpt = False,
) -> None:
    """List every loaded product with its source, rule count and release range."""
    from scanner.browse import list_products

    emit(list_products(_browse_matrix(matrix, config, no_builtin_matrix, no_plugin_matrix), format), None)


@matrix_app.command("show")
@guarded
def matrix_show(
    product: Annotated[str, typer.Argument(help="Product id, as `cfgscan matrix list` shows it.")],
    format: BrowseFormatOpt = "text",
    matrix: MatrixOpt = None,
    config: ConfigOpt = None,
    no_builtin_matrix: NoBuiltinOpt = False,
    no_plugin_matrix: NoPluginOpt = False,
) -> None:
    """Show one product: releases, upgrade policy, files and its rules."""
    from scanner.browse import show_product

    emit(show_product(_browse_matrix(matrix, config, no_builtin_matrix, no_plugin_matrix), product, format), None)


@app.command()
@guarded
def explain(
    rule: Annotated[str, typer.Argument(help="Rule id, e.g. DJ001.")],
    format: BrowseFormatOpt = "text",
    matrix: MatrixOpt = None,
    config: ConfigOpt = None,
    no_builtin_matrix: NoBuiltinOpt = False,
    no_plugin_matrix: NoPluginOpt = False,
) -> None:
    """Explain one rule: message, versions, replacement, fix, docs, source, files and an example."""
    from scanner.browse import explain_rule

    emit(explain_rule(_browse_matrix(matrix, config, no_builtin_matrix, no_plugin_matrix), rule, format), None)


def main(argv: list[str] | None = None) -> int:
    """Run the CLI and return its exit code (never a traceback for user errors)."""
    args = sys.argv[1:] if argv is None else argv
    if args[:1] == ["--version"]:
        print(f"cfgscan {__version__}")
        return 0

    def run() -> None:
        typer.main.get_command(app).main(args=args, prog_name="cfgscan", standalone_mode=True)

    return run_guarded(run)
