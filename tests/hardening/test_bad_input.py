"""The bad-input corpus scanned as a whole: each bad file is an error or a skip with a reason, each real
finding is still found at the right line, the gate decides the exit code, and no traceback escapes."""

from __future__ import annotations

import os
import socket
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from scanner.parsers import interface
from tests.conftest import Run
from tests.hardening.harness import BASE, DEEP, Scan, copy_corpus, deadline, deep_texts, run_json

# corpus file -> the finding it must still produce: (line, rule)
FINDINGS = {
    "case-good.yaml": (2, "HARD001"),
    "case-bom-utf8.yaml": (2, "HARD001"),
    "case-bom-utf16le.yaml": (2, "HARD001"),
    "case-bom-utf16be.yaml": (2, "HARD001"),
    "case-crlf.yaml": (4, "HARD001"),
    "case-crlf.toml": (4, "HARD003"),
    "case-crlf.ini": (4, "HARD004"),
    "case-crlf.json": (3, "HARD005"),
    "case-latin1.yaml": (3, "HARD001"),  # read as Latin-1, lines intact
    "case-bomb.yaml": (11, "HARD001"),  # the aliases are never expanded, the rest is read
    "case-template.yaml": (7, "HARD001"),  # Helm expressions masked, the document parses
    "case-settings.py": (2, "HARD002"),  # read before the syntax error, never run
    "case-config.js": (6, "HARD006"),
}
# corpus (or generated) file -> a fragment of its error message
ERRORS = {
    "case-malformed.yaml": "did not find expected",
    "case-malformed.toml": "Invalid value",
    "case-malformed.ini": "malformed section header",
    "case-malformed.json": "unexpected character",
    "case-binary.yaml": "binary content",
    "case-binary-nonul.json": "binary content",
    "case-utf16-nobom.yaml": "UTF-16 text without a byte order mark",
    "case-bom-bad.yaml": "invalid utf-8 after its byte order mark",
    "case-template-broken.yaml": "templated YAML",
    "case-settings.py": "tree-sitter recovered",
    "case-deep-flow.yaml": "nesting deeper than",
    "case-deep-block.yaml": "nesting deeper than",
    "case-deep.json": "nesting deeper than",
    "case-deep.toml": "nesting deeper than",
    "case-deep-keys.toml": "nesting deeper than",
    "case-deep-settings.py": "nesting deeper than",
    "case-deep-parens-settings.py": "",  # ((((1)))) is just 1: read, no error, never a RecursionError
    "case-deep-chain-settings.py": "nesting deeper than",
    "case-deep.js": "nesting deeper than",
    "case-loop-self.yaml": "symbolic links",  # ELOOP from stat
}
# generated file -> a fragment of its skip reason
SKIPPED = {
    "case-fifo.yaml": "never opened",
    "case-socket.yaml": "never opened",
    "case-devnull.yaml": "never opened",
    "case-dangling.yaml": "dangling symbolic link",
    "case-huge.yaml": "larger than the 128 KB limit",
    "case-dirlink.yaml": "symbolic link to a folder; not followed",
}


def build_tree(root: Path) -> Path:
    """The committed corpus plus what cannot be committed: special files, links, deep and huge files."""
    tree = copy_corpus(root / "tree")
    for name, text in deep_texts().items():
        (tree / name).write_text(text, encoding="utf-8")
    (tree / "case-huge.yaml").write_text("server:\n  old_port: 1\n" + "# padding\n" * 20_000, encoding="utf-8")
    os.mkfifo(tree / "case-fifo.yaml")
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    sock.bind(str(tree / "case-socket.yaml"))
    sock.close()  # the socket file stays on disk
    os.symlink(os.devnull, tree / "case-devnull.yaml")
    os.symlink("nowhere.yaml", tree / "case-dangling.yaml")
    os.symlink("case-loop-self.yaml", tree / "case-loop-self.yaml")
    os.symlink(".", tree / "loop")  # a folder loop: never followed
    os.symlink(".", tree / "case-dirlink.yaml")
    (tree / "sub").mkdir()
    os.symlink("..", tree / "sub" / "up")
    return tree


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Scan]:
    tree = build_tree(tmp_path_factory.mktemp("corpus"))
    with deadline(60):
        yield run_json(tree, *BASE, "--max-file-size", str(128 * 1024))


def test_the_scan_finishes_in_seconds_with_the_gate_exit_code(corpus: Scan) -> None:
    assert corpus.seconds < 20
    assert corpus.code == 1  # deprecated findings and parse errors fail the default gate
    assert "Traceback" not in corpus.err
    assert corpus.err.startswith("cfgscan: ")


@pytest.mark.parametrize(("name", "where"), sorted(FINDINGS.items()))
def test_every_real_finding_is_kept(corpus: Scan, name: str, where: tuple[int, str]) -> None:
    assert (name, *where) in corpus.findings()


@pytest.mark.parametrize(("name", "fragment"), sorted(ERRORS.items()))
def test_every_bad_file_is_an_error_with_a_reason(corpus: Scan, name: str, fragment: str) -> None:
    if not fragment:
        assert name not in corpus.errors() and name not in corpus.skipped()
        return
    messages = corpus.errors().get(name)
    assert messages, f"{name} not reported; errors: {corpus.errors()}"
    assert any(fragment in m for m in messages), messages


@pytest.mark.parametrize(("name", "fragment"), sorted(SKIPPED.items()))
def test_every_special_file_is_skipped_with_a_reason(corpus: Scan, name: str, fragment: str) -> None:
    assert fragment in corpus.skipped().get(name, ""), corpus.skipped()


def test_deep_files_still_yield_the_findings_above_the_deep_part(corpus: Scan) -> None:
    # YAML is the exception: libyaml rejects the whole document past its own limit of 1000 levels
    files = {f for f, _, _ in corpus.findings()}
    assert {"case-deep.json", "case-deep-settings.py", "case-deep-chain-settings.py", "case-deep.js"} <= files


def test_nothing_is_reported_twice_or_outside_the_tree(corpus: Scan) -> None:
    every = [e["file"] for e in corpus.doc["errors"]] + [s["file"] for s in corpus.doc["skipped"]]
    assert all(not f.startswith(("loop/", "sub/up/", "../", "/")) for f in every), every
    files = [f["file"] for f in corpus.doc["findings"]]
    assert len(files) == len(set(files))


def test_ignore_parse_errors_lets_the_gate_pass(cli: Callable[..., Run], tmp_path: Path) -> None:
    tree = copy_corpus(tmp_path / "tree")
    run = cli("scan", ".", *BASE, "--format", "json", "--ignore-parse-errors", "--fail-on", "breaking", cwd=tree)
    assert run.code == 0 and run.json()["errors"]
    run = cli("scan", ".", *BASE, "--format", "json", "--fail-on", "breaking", cwd=tree)
    assert run.code == 1  # parse errors count as breaking


def test_max_file_size_is_configurable(cli: Callable[..., Run], tmp_path: Path) -> None:
    (tmp_path / "case-big.yaml").write_text("server:\n  old_port: 1\n" + "#\n" * 600, encoding="utf-8")
    small = cli("scan", ".", *BASE, "--format", "json", "--max-file-size", "1000", cwd=tmp_path).json()
    assert small["findings"] == []
    assert [(s["file"], s["reason"]) for s in small["skipped"]] == [
        ("case-big.yaml", "larger than the 1000 bytes limit (1222 bytes); raise --max-file-size to read it")]
    big = cli("scan", ".", *BASE, "--format", "json", "--max-file-size", "2000", cwd=tmp_path).json()
    assert [f["line"] for f in big["findings"]] == [2] and big["skipped"] == []


def test_an_internal_error_is_one_line_and_exit_2(
        cli: Callable[..., Run], tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def explode(text: str, *_: object) -> interface.ParseResult:
        raise KeyError("boom")

    monkeypatch.setattr("scanner.parsers._cache", {"yaml": explode})
    (tmp_path / "case-good.yaml").write_text("server:\n  old_port: 1\n", encoding="utf-8")
    run = cli("scan", ".", *BASE, cwd=tmp_path)
    assert run.code == 2
    assert "Traceback" not in run.err + run.out
    lines = run.err.strip().splitlines()
    assert lines[0] == "cfgscan: internal error: KeyError: 'boom'"
    assert "bug in cfgscan" in lines[1] and "report" in lines[1]


@pytest.mark.parametrize("special", ["fifo", "socket", "devnull"])
def test_special_files_named_on_the_command_line_are_never_opened(
        cli: Callable[..., Run], tmp_path: Path, special: str) -> None:
    path = tmp_path / "case-x.yaml"
    if special == "fifo":
        os.mkfifo(path)
    elif special == "socket":
        sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        sock.bind(str(path))
        sock.close()
    else:
        os.symlink(os.devnull, path)
    with deadline(20):
        run = cli("scan", "case-x.yaml", *BASE, "--format", "json", cwd=tmp_path)
    assert run.code == 0
    assert [s["file"] for s in run.json()["skipped"]] == ["case-x.yaml"]


def test_deep_nesting_depth_is_the_stated_bound() -> None:
    assert interface.MAX_DEPTH < DEEP
    assert interface.TOO_DEEP.startswith(f"nesting deeper than {interface.MAX_DEPTH} levels")


def test_a_file_that_grows_past_the_limit_while_read_is_skipped() -> None:
    from scanner.textio import SkipFile, _read_rest

    r, w = os.pipe()
    os.write(w, b"y" * 20)
    os.close(w)
    try:
        with pytest.raises(SkipFile, match="grew past"):
            _read_rest(r, [b"x" * 10], max_bytes=25)
    finally:
        os.close(r)
    r, w = os.pipe()
    os.write(w, b"y" * 5)
    os.close(w)
    try:
        assert _read_rest(r, [b"x" * 10], max_bytes=25) == b"x" * 10 + b"y" * 5
    finally:
        os.close(r)
