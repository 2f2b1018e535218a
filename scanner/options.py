"""The frozen options of one run, built by the CLI from flags and tool config; nothing here knows typer."""

from __future__ import annotations

from dataclasses import dataclass

FORMATS = ("text", "json", "sarif", "junit", "markdown", "github")
FAIL_ON = ("breaking", "deprecated", "info", "never")


@dataclass(frozen=True)
class IgnoreEntry:
    """A ``[[tool.cfgscan.ignore]]`` entry."""

    rule: str
    path: str | None = None
    reason: str | None = None
    until: str | None = None  # ISO date


@dataclass(frozen=True)
class Options:
    """Everything a run was asked to do: paths, versions, rule selection, output and limits."""

    paths: tuple[str, ...] = (".",)
    targets: tuple[tuple[str, str], ...] = ()
    target_all_latest: bool = False
    installed: tuple[tuple[str, str], ...] = ()
    format: str = "text"
    output: str | None = None
    quiet: bool = False  # no summary line, no warnings in the text report: findings and errors only
    fail_on: str = "deprecated"
    select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()
    matrix_paths: tuple[str, ...] = ()
    config_matrix_paths: tuple[str, ...] = ()
    config_matrix_root: str | None = None  # they must stay inside it (None: the config was given with --config)
    builtin_matrix: bool = True
    plugin_matrix: bool = True
    baseline: str | None = None
    python: str | None = None
    exclude: tuple[str, ...] = ()  # gitignore patterns, relative to project_root
    respect_gitignore: bool = True
    show_future: bool = False
    ignore_parse_errors: bool = False
    max_file_size: int = 10 * 1024 * 1024
    ignores: tuple[IgnoreEntry, ...] = ()
    config_file: str | None = None
    project_root: str = "."
    color: bool | None = None
    use_inventory: bool = True
    jobs: int = 0  # worker processes for a big tree; 0: one per usable core, 1: no pool
    verbose: bool = False  # say on stderr which spec claimed each path, or why it was skipped
    # where select, ignore and ignore entries came from, for their errors: ("select", "--select") or
    # ("select", "pyproject.toml: select"); a flag when absent
    selection_origins: tuple[tuple[str, str], ...] = ()


def rule_selected(rule_id: str, options: Options) -> bool:
    """Whether --select/--ignore (and the tool config's) keep a rule: ids and id prefixes."""
    if options.select and not any(rule_id.startswith(s) for s in options.select):
        return False
    return not any(rule_id.startswith(s) for s in options.ignore)
