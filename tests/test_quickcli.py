"""The typer-free path for a plain ``cfgscan scan`` gives the same report and exit code as the typer application."""

from __future__ import annotations

import contextlib
import gc
import io
import itertools
import os
import random
import subprocess
import sys
import typing
from pathlib import Path
from typing import Any, NoReturn

import pytest
import typer

from scanner import cli, quickcli

ACME = Path(__file__).parent / "fixtures" / "acme"


@pytest.mark.parametrize("args", [
    ["scan", "a.yaml", "--format", "json", "-t", "acme=3.0", "--installed=acme=2.5", "b.yaml", "--no-inventory"],
    ["scan"],
    ["scan", "--color", "--fail-on", "never", "--max-file-size", "100"],
    ["scan", "-q", "--jobs", "2", "--exclude", "vendor/", "--exclude=*.gen.yaml", "a.yaml"],
    ["scan", "a.yaml", "--", "-5", "--help"],
    ["scan", "-v", "a.yaml"], ["scan", "a.yaml", "--verbose"],
])
def test_plain_scans_are_parsed_here(args: list[str]) -> None:
    assert quickcli.parse_plain_scan(args) is not None


@pytest.mark.parametrize("args", [
    ["scan", "--fix"], ["scan", "--help"], ["scan", "-h"], ["scan", "--unknown"], ["scan", "--form", "json"],
    ["scan", "--max-file-size", "big"], ["scan", "-5"], ["scan", "--jobs", "-1"], ["scan", "-qfjson"],
    ["scan", "--format"], ["scan", "--quiet=1"], ["fix", "."], ["matrix", "list"], [], ["--version"],
])
def test_everything_else_goes_to_typer(args: list[str]) -> None:
    assert quickcli.parse_plain_scan(args) is None


def test_same_report_and_exit_code_as_typer(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(ACME / "repo")
    monkeypatch.delenv("VIRTUAL_ENV", raising=False)
    args = ["scan", "acme.yaml", "acme.ini", "--matrix", str(ACME / "acme-matrix.yaml"), "--no-inventory",
            "--installed", "acme=2.5", "--target", "acme=3.0", "--format", "json"]
    fast_code = quickcli.main(args)
    fast = capsys.readouterr()
    full_code = cli.main(args)
    full = capsys.readouterr()
    assert fast_code == full_code == 1
    strip = [line for line in fast.out.splitlines() if '"seconds"' not in line]
    assert strip == [line for line in full.out.splitlines() if '"seconds"' not in line]
    assert fast.err.split("(")[0] == full.err.split("(")[0]


def test_usage_errors_exit_2_with_one_line(capsys: pytest.CaptureFixture[str]) -> None:
    assert quickcli.main(["scan", "--target", "nonsense", "--no-inventory"]) == 2
    assert capsys.readouterr().err.startswith("cfgscan: error: --target 'nonsense'")


APPLICATION = typer.main.get_command(cli.app)  # built once: cli.main builds it per call


def _typer_reading(args: list[str], monkeypatch: pytest.MonkeyPatch) -> tuple[int, dict[str, Any] | None]:
    """What the typer application does with an argument list: its exit code, and the keyword arguments its scan
    command passes to build_options (None when it stopped before, on a usage error or for --help)."""
    calls: list[dict[str, Any]] = []

    def record(paths: list[str] | None = None, **flags: Any) -> NoReturn:
        calls.append({"paths": paths, **flags})
        raise SystemExit(0)

    monkeypatch.setattr(cli, "build_options", record)
    code = quickcli.run_guarded(
        lambda: APPLICATION.main(args=args, prog_name="cfgscan", standalone_mode=True))  # as cli.main runs it
    if not calls:
        return code, None
    flags = calls[0]
    assert flags.pop("fix") is False  # the fast path never takes --fix
    return code, flags


ATOMS = [
    "a.yaml", "b c.yaml", "x=y", "-", "", "-5", "-1.5", "-.5", "-5x", "-x", "-x y", "-e", "-=x", "--=x", "--",
    "---target", "--x=a b", "-- ", "12", " 7 ", "1_000", "+3", "0", "-t", "-tacme=1", "-t=acme=2", "-t=", "-t-5",
    "-t--x", "-f", "-fjson", "-fq", "-o", "-ofile", "--target", "--target=x", "--target=", "--tar", "--installed=a=1",
    "--select", "--format", "--format=json", "--form", "--fo=x", "--output=--color", "--config=c.toml", "--color",
    "--no-color", "--color=1", "--no-inventory", "--no-inventory=", "--show-future", "--max-file-size",
    "--max-file-size=12", "--max-file-size=x", "--max-file-size= 3", "--max-file-size=-1", "--max-file-size=0",
    "--unknown", "--bogus", "-h", "--help", "--fix", "--exclude", "--exclude=vendor/", "-q", "--quiet", "--quiet=",
    "-qfjson", "--jobs", "--jobs=2", "--jobs=-1", "--jobs=0",
    "--max-file-size=12", "--max-file-size=x", "--max-file-size= 3", "--unknown", "-h", "-v", "--verbose",
    "--verbose=1", "-vt", "-vtx", "-vv", "-vfjson", "-vx", "-v5", "-fv",
]


def test_the_fast_path_knows_every_flag_of_typers_scan_command() -> None:
    """Each option of `cfgscan scan` is in the fast path's tables, of the same kind (a flag missing there would
    only send its runs to typer, but silently: the hook would be slow)."""
    hints = typing.get_type_hints(cli.scan.__wrapped__)  # type: ignore[attr-defined]
    kinds: dict[str, str] = {}
    for param in APPLICATION.commands["scan"].params:  # type: ignore[attr-defined]
        if param.param_type_name != "option" or param.name == "fix":
            continue
        kind = "switch" if param.is_flag else "list" if param.multiple else \
            "count" if int in typing.get_args(hints[param.name]) else "value"
        kinds.update((flag, kind) for flag in (*param.opts, *param.secondary_opts))
    fast = {**{f: "list" for f in quickcli.LIST_FLAGS}, **{f: "value" for f in quickcli.VALUE_FLAGS},
            **{f: "count" for f in quickcli.COUNT_FLAGS}, **{f: "switch" for f in quickcli.SWITCH_VALUES}}
    assert fast == kinds


def test_the_fast_path_reads_every_argument_list_as_typer_does(monkeypatch: pytest.MonkeyPatch) -> None:
    """Where the fast path takes an argument list, typer's scan command accepts it and calls build_options with
    exactly the same keyword arguments; every other list goes to typer itself. So there is one behaviour, and one
    wording of each mistake, whichever way a run comes in (the test holds the reader to typer, not to a model)."""
    cases = [["scan", *c] for k in (1, 2) for c in itertools.product(ATOMS, repeat=k)]
    rng = random.Random(7)
    cases += [["scan", *rng.choices(ATOMS, k=rng.randrange(3, 8))] for _ in range(3000)]
    taken = 0
    with contextlib.redirect_stderr(io.StringIO()), contextlib.redirect_stdout(io.StringIO()):
        for args in cases:
            fast = quickcli.parse_plain_scan(args)
            if fast is None:
                continue
            taken += 1
            assert _typer_reading(args, monkeypatch) == (0, fast), args
    assert taken > len(cases) // 5  # the fast path is not "always typer" (grouped short flags go to typer)


BAD_ARGUMENTS = [  # (arguments, the words of the error), the same from either entry
    (["scan", "--bogus"], "No such option: --bogus"),
    (["scan", "a.yaml", "-5"], "No such option: -5"),
    (["scan", "-x y"], "No such option: -x"),
    (["scan", "a.yaml", "--format"], "Option '--format' requires an argument."),
    (["scan", "--quiet=1"], "does not take a value"),
    (["scan", "--jobs", "two"], "'--jobs'"),
    (["scan", "--max-file-size", "-1"], "cfgscan: error: --max-file-size must be a positive number of bytes, got -1"),
    (["scan", "--max-file-size=0"], "cfgscan: error: --max-file-size must be a positive number of bytes, got 0"),
    (["scan", "--jobs=-2"], "cfgscan: error: --jobs must be 0 (one process per usable core) or a positive number"),
    (["scan", "-t=acme=2", "--no-inventory"], "cfgscan: error: --target '=acme=2': expected PRODUCT=VERSION"),
]


@pytest.mark.parametrize(("args", "words"), BAD_ARGUMENTS)
def test_a_bad_argument_list_fails_alike_from_either_entry(
    args: list[str], words: str, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> None:
    monkeypatch.chdir(tmp_path)
    fast_code = quickcli.main(args)
    fast = capsys.readouterr()
    full_code = cli.main(args)
    full = capsys.readouterr()
    assert (fast_code, fast.out, fast.err) == (full_code, full.out, full.err)
    assert fast_code == 2 and words in fast.err and fast.out == ""


def test_the_console_command_and_the_typer_application_agree(tmp_path: Path) -> None:
    """The installed entry (scanner.quickcli:console, as `python -m scanner`) and the typer application run alone."""
    typer_only = "import sys; from scanner.cli import main; sys.exit(main(sys.argv[1:]))"
    for args, _ in BAD_ARGUMENTS[:4]:
        console = subprocess.run([sys.executable, "-m", "scanner", *args], cwd=tmp_path, capture_output=True,
                                 text=True, timeout=60)
        full = subprocess.run([sys.executable, "-c", typer_only, *args], cwd=tmp_path, capture_output=True,
                              text=True, timeout=60)
        assert (console.returncode, console.stdout, console.stderr) == (2, "", full.stderr), args
        assert full.returncode == 2


HOOK_SCRIPT = """
import sys
from scanner.quickcli import main
code = main(["scan", "empty.yaml", "svc.yaml"])
print(code, " ".join(sorted(sys.modules)))
"""
NOT_ON_THE_HOOK_PATH = {
    "argparse", "gettext", "locale", "shutil",  # the flags are read by hand
    "hashlib", "_hashlib",  # the matrix cache is keyed by file metadata; fingerprints only for findings
    "importlib.resources", "importlib.metadata", "zipfile", "tempfile",  # the bundled matrix is a folder
    "tomllib", "json", "packaging.specifiers",  # no config file, no JSON, plain pins only
    "typer", "click", "scanner.cli",
    "pathspec", "scanner.gitignore",  # ignore files matter to a walk, and a hook run names its files
    *(f"scanner.inventory.{m}" for m in ("toml_locks", "json_locks", "pnpm_lock", "yarn_lock", "pyproject",
                                         "package_json", "runtimes", "dockerfile", "environment", "interpreter")),
}


def test_a_plain_scan_imports_nothing_it_does_not_use(tmp_path: Path) -> None:
    """A pre-commit run pays for the modules its files need, nothing more (a test of laziness, not of speed)."""
    (tmp_path / ".git").mkdir()
    (tmp_path / "requirements.txt").write_text("django==4.2.7\nflask>=3.0,<4\n", encoding="utf-8")
    (tmp_path / "empty.yaml").write_text("a: 1\n", encoding="utf-8")
    (tmp_path / "svc.yaml").write_text("apiVersion: v1\nkind: Service\nmetadata:\n  name: x\n", encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if k != "VIRTUAL_ENV"}
    for _ in range(2):  # the first run builds the matrix cache, the second is a pre-commit run
        out = subprocess.run([sys.executable, "-c", HOOK_SCRIPT], cwd=tmp_path, env=env, capture_output=True,
                             text=True, check=True).stdout
    code, *modules = out.split()
    assert code == "0"
    assert "scanner.inventory.requirements" in modules
    assert not NOT_ON_THE_HOOK_PATH & set(modules)


@pytest.mark.parametrize("enabled", [True, False])
def test_the_collector_is_left_as_it_was(
    enabled: bool, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """main pauses the garbage collector for start-up and freezes what start-up made; it restores both."""
    monkeypatch.chdir(ACME / "repo")
    frozen = gc.get_freeze_count()
    if not enabled:
        gc.disable()
    try:
        assert quickcli.main(["scan", "acme.yaml", "--matrix", str(ACME / "acme-matrix.yaml"), "--no-inventory",
                              "--target", "acme=3.0", "--installed", "acme=2.5"]) == 1
        assert gc.isenabled() is enabled
        assert gc.get_freeze_count() == frozen
    finally:
        gc.enable()
    capsys.readouterr()
