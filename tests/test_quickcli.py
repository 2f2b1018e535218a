"""The typer-free path for a plain ``cfgscan scan`` gives the same report and exit code as the typer application."""

from __future__ import annotations

import argparse
import gc
import itertools
import os
import random
import subprocess
import sys
import warnings
from pathlib import Path
from typing import Any, NoReturn

import pytest

from scanner import cli, quickcli

ACME = Path(__file__).parent / "fixtures" / "acme"


@pytest.mark.parametrize("args", [
    ["scan", "a.yaml", "--format", "json", "-t", "acme=3.0", "--installed=acme=2.5", "b.yaml", "--no-inventory"],
    ["scan"],
    ["scan", "--color", "--fail-on", "never", "--max-file-size", "100"],
    ["scan", "-v", "a.yaml"], ["scan", "a.yaml", "--verbose"],
])
def test_plain_scans_are_parsed_here(args: list[str]) -> None:
    assert quickcli.parse_plain_scan(args) is not None


@pytest.mark.parametrize("args", [
    ["scan", "--fix"], ["scan", "--help"], ["scan", "-h"], ["scan", "--unknown"], ["scan", "--form", "json"],
    ["scan", "--max-file-size", "big"], ["fix", "."], ["matrix", "list"], [], ["--version"],
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


class _Rejected(Exception):
    """argparse's error, as the reference parser raises it."""


class _ReferenceParser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        raise _Rejected(message)


def _argparse_reference(args: list[str]) -> dict[str, Any] | None:
    """What quickcli returned when it parsed with argparse: its hand parser must agree on every input."""
    if args[:1] != ["scan"] or any(a in ("-h", "--help", "--fix", "--") for a in args[1:]):
        return None
    p = _ReferenceParser(prog="cfgscan scan", add_help=False, allow_abbrev=False)
    p.add_argument("paths", nargs="*")
    for flag, dest in quickcli.LIST_FLAGS.items():
        p.add_argument(flag, dest=dest, action="append")
    for flag, dest in quickcli.VALUE_FLAGS.items():
        p.add_argument(flag, dest=dest)
    for flag, dest in quickcli.SWITCHES.items():
        p.add_argument(flag, dest=dest, action="store_true")
    p.add_argument("--max-file-size", dest="max_file_size", type=int)
    p.add_argument("--color", dest="color", action="store_const", const=True)
    p.add_argument("--no-color", dest="color", action="store_const", const=False)
    try:
        flags = vars(p.parse_intermixed_args(args[1:]))
    except _Rejected:
        return None
    flags["paths"] = flags["paths"] or None
    return flags


ATOMS = [
    "a.yaml", "b c.yaml", "x=y", "-", "", "-5", "-1.5", "-.5", "-5.", "-5x", "-5\n", "-x", "-x y", "-e", "-=x", "--=x",
    "---target", "--x=a b", "-- ", "12", " 7 ", "1_000", "-t", "-tacme=1", "-t=acme=2", "-t=", "-t-5", "-t--x",
    "-tx y", "-f", "-fjson", "-o", "-ofile", "--target", "--target=x", "--target=", "--tar", "--installed=a=1",
    "--select", "--format", "--format=json", "--form", "--fo=x", "--output=--color", "--config=c.toml", "--color",
    "--no-color", "--color=1", "--no-inventory", "--no-inventory=", "--show-future", "--max-file-size",
    "--max-file-size=12", "--max-file-size=x", "--max-file-size= 3", "--unknown", "-h", "-v", "--verbose",
    "--verbose=1", "-vt", "-vtx", "-vv", "-vfjson", "-vx", "-v5", "-fv",
]


def test_the_hand_parser_reads_flags_as_argparse_does() -> None:
    cases = [["scan", *c] for k in (1, 2) for c in itertools.product(ATOMS, repeat=k)]
    rng = random.Random(7)
    cases += [["scan", *rng.choices(ATOMS, k=rng.randrange(7))] for _ in range(3000)]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # argparse's own "Do not expect paths" warning
        for args in cases:
            assert quickcli.parse_plain_scan(args) == _argparse_reference(args), args


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
