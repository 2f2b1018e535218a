"""The cheap syntax checks never clear a file its full parser reports an error for, and do clear ordinary files."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from scanner.parsers.interface import MAX_DEPTH
from scanner.parsers.syntaxcheck import PROOFS, proves_clean
from scanner.scan import parse_text
from tests.hardening.test_fuzz import CONFIG_TEXT, FUZZ

TESTS = Path(__file__).parent.parent
SUFFIXES = {".yaml": "yaml", ".yml": "yaml", ".json": "json", ".py": "python", ".js": "javascript", ".ts": "javascript"}
FORMATS = sorted(PROOFS)


def corpus() -> list[tuple[str, str]]:
    """(format, text) of every test file in a format with a proof, read as the scanner reads them."""
    out = []
    for path in sorted(TESTS.rglob("*")):
        fmt = SUFFIXES.get(path.suffix)
        if fmt is None or not path.is_file() or "__pycache__" in path.parts:
            continue
        try:
            text = path.read_text(encoding="utf-8")
        except (UnicodeDecodeError, OSError):
            continue
        out.append((fmt, text))
    return out


def sound(fmt: str, text: str) -> bool:
    """A proof is sound when it clears only texts the full parser has no error for."""
    return not proves_clean(fmt, text) or not parse_text(fmt, text).errors


@pytest.mark.parametrize("fmt", FORMATS)
@FUZZ
@given(text=CONFIG_TEXT)
def test_never_clears_a_text_the_parser_rejects(fmt: str, text: str) -> None:
    assert sound(fmt, text)


@FUZZ
@given(data=st.data())
def test_never_clears_a_cut_or_a_stray_character_in_a_real_file(data: st.DataObject) -> None:
    fmt, text = data.draw(st.sampled_from(CORPUS))
    cut = data.draw(st.integers(0, len(text)))
    stray = data.draw(st.sampled_from(["", ":", "-", "[", "{", "}", "]", "'", '"', "&a ", "*a", "\t", "\n  ", "#"]))
    assert sound(fmt, text[:cut] + stray + text[cut:])
    assert sound(fmt, text[:cut])


CORPUS = corpus()


def test_the_test_corpus_is_cleared_or_parsed_the_same() -> None:
    cleared: dict[str, int] = {}
    for fmt, text in CORPUS:
        assert sound(fmt, text), (fmt, text[:200])
        cleared[fmt] = cleared.get(fmt, 0) + proves_clean(fmt, text)
    # the proofs are worth having: ordinary files are cleared without a full parse
    assert cleared["yaml"] >= 20 and cleared["json"] >= 3 and cleared["python"] >= 5, cleared


@pytest.mark.parametrize(("fmt", "text"), [
    # nesting past MAX_DEPTH, which the parsers report but libyaml, json and tree-sitter accept
    ("yaml", "a:\n" + "".join(" " * (i + 1) + f"k{i}:\n" for i in range(MAX_DEPTH + 2)) + " " * 300 + "x: 1\n"),
    ("yaml", "a: " + "[" * (MAX_DEPTH + 2) + "]" * (MAX_DEPTH + 2) + "\n"),
    ("yaml", "- " * (MAX_DEPTH + 2) + "x\n"),
    ("json", "[" * (MAX_DEPTH + 1) + "]" * (MAX_DEPTH + 1)),
    ("python", "".join("    " * i + "if x:\n" for i in range(MAX_DEPTH // 2 + 2)) + "    " * 102 + "A = 1\n"),
    ("python", "A = " + "[" * (MAX_DEPTH + 2) + "]" * (MAX_DEPTH + 2) + "\n"),
    ("javascript", "module.exports = " + "{a: " * (MAX_DEPTH + 2) + "1" + "}" * (MAX_DEPTH + 2) + ";\n"),
    # what the composer checks and libyaml does not
    ("yaml", "a: *nowhere\n"),
    ("yaml", "a: &x 1\nb: &x 2\n"),
    # syntax errors
    ("yaml", "a: [1, 2\n"),
    ("yaml", "a: {{ .Values.x }\nb: [\n"),
    ("json", '{"a": NaN}'),
    ("json", '{"a": 1,}'),
    ("python", "A = (\n"),
    ("javascript", "module.exports = {a: };\n"),
])
def test_what_the_parser_reports_is_never_cleared(fmt: str, text: str) -> None:
    assert parse_text(fmt, text).errors
    assert not proves_clean(fmt, text)


@pytest.mark.parametrize(("fmt", "text"), [
    ("yaml", "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\n  labels: {app: web}\n"),
    ("yaml", "a: {{ .Values.x }}\n"),
    ("json", '{"compilerOptions": {"strict": true, "paths": {"@/*": ["src/*"]}}}'),
    ("jsonc", '{"a": [1, 2.5e3, null, "x\\u00e9"]}'),
    ("python", 'SECRET_KEY = "x"\nDATABASES = {"default": {"ENGINE": "sqlite3"}}\nif DEBUG:\n    A = 1\n'),
    ("javascript", "export default defineConfig({test: {globals: true}});\n"),
])
def test_ordinary_files_are_cleared(fmt: str, text: str) -> None:
    assert not parse_text(fmt, text).errors
    assert proves_clean(fmt, text)


def test_formats_without_a_proof_are_parsed_in_full() -> None:
    assert not proves_clean("toml", "a = 1\n") and not proves_clean("ini", "[a]\nb = 1\n")
