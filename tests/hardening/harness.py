"""What the hardening tests share: the corpus, its matrix, a scan run in-process, a deadline."""

from __future__ import annotations

import contextlib
import io
import json
import os
import shutil
import signal
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from scanner.cli import main

HERE = Path(__file__).parent
CORPUS = HERE / "corpus"
MATRIX = HERE / "matrix.yaml"
BASE = ["--matrix", str(MATRIX), "--no-builtin-matrix", "--no-inventory", "--installed", "hard=1.0"]
DEEP = 20_000


@dataclass
class Scan:
    """One in-process `cfgscan scan --format json` run: exit code, report, stderr, wall time."""

    code: int
    doc: dict[str, Any]
    err: str
    seconds: float

    def findings(self) -> set[tuple[str, int, str]]:
        return {(f["file"], f["line"], f["rule"]) for f in self.doc["findings"]}

    def errors(self) -> dict[str, list[str]]:
        out: dict[str, list[str]] = {}
        for e in self.doc["errors"]:
            out.setdefault(e["file"], []).append(e["message"])
        return out

    def skipped(self) -> dict[str, str]:
        return {s["file"]: s["reason"] for s in self.doc.get("skipped", [])}


def run_json(cwd: Path, *args: str) -> Scan:
    """Run the CLI in ``cwd`` with the report in a file and stderr captured (usable in any fixture scope)."""
    report = cwd.parent / f".{cwd.name}-report.json"
    err = io.StringIO()
    old = os.getcwd()
    os.chdir(cwd)
    try:
        started = time.perf_counter()
        with contextlib.redirect_stderr(err):
            code = main(["scan", ".", "--format", "json", "--output", str(report), *args])
        seconds = time.perf_counter() - started
    finally:
        os.chdir(old)
    doc = json.loads(report.read_text(encoding="utf-8")) if report.exists() else {}
    report.unlink(missing_ok=True)
    return Scan(code, doc, err.getvalue(), seconds)


def copy_corpus(dest: Path, names: tuple[str, ...] = ()) -> Path:
    """Copy the corpus (or some of its files) to ``dest``; ``x.py.in`` becomes ``x.py`` (kept out of linters)."""
    dest.mkdir(parents=True, exist_ok=True)
    for src in sorted(CORPUS.iterdir()):
        name = src.name.removesuffix(".in")
        if src.name != ".gitattributes" and (not names or name in names):
            shutil.copyfile(src, dest / name)
    return dest


class Overdue(Exception):
    """Raised inside a test that ran past its deadline (instead of hanging the suite)."""


@contextlib.contextmanager
def deadline(seconds: float) -> Iterator[None]:
    """Fail, rather than hang, when the body runs longer than ``seconds`` (SIGALRM; main thread only)."""

    def expire(signum: int, frame: Any) -> None:
        raise Overdue(f"still running after {seconds} s")

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def deep_texts(depth: int = DEEP) -> dict[str, str]:
    """One file per format nested ``depth`` levels deep, each also holding a real finding near the top."""
    return {
        "case-deep-flow.yaml": "server:\n  old_port: 1\ndeep: " + "[" * depth + "]" * depth + "\n",
        "case-deep-block.yaml": "server:\n  old_port: 1\ndeep:\n" + "- " * depth + "x\n",
        "case-deep.json": '{"server": {"old_port": 1}, "deep": ' + "[" * depth + "]" * depth + "}\n",
        "case-deep.toml": "[server]\nold_port = 1\ndeep = " + "[" * depth + "]" * depth + "\n",
        "case-deep-keys.toml": "[server]\nold_port = 1\n[" + ".".join(["k"] * depth) + "]\n",
        "case-deep-settings.py": "OLD_SETTING = 1\nDEEP = " + "[" * depth + "]" * depth + "\n",
        "case-deep-parens-settings.py": "OLD_SETTING = 1\nDEEP = " + "(" * depth + "1" + ")" * depth + "\n",
        "case-deep-chain-settings.py": "OLD_SETTING = 1\n" + "a = " * depth + "1\n",
        "case-deep.js": "module.exports = {server: {old_port: 1}, deep: " + "[" * depth + "]" * depth + "};\n",
    }
