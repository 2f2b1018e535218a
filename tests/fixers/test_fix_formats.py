"""Fixes in every format: only the intended lines change, comments and layout stay, a second run is a no-op."""

from __future__ import annotations

import difflib
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.conftest import Run

MATRIX = Path(__file__).parent / "fixmatrix.yaml"
ARGS = ["--matrix", str(MATRIX), "--no-builtin-matrix", "--no-inventory", "--installed", "fx=1.0"]

CASES = {
    "fx.yaml": (
        "# top comment\r\napp:\r\n  old_name:   1   # keep me\r\n  moved: 'x'\r\n  gone:\r\n    deep: 1\r\n"
        "  mode: 'legacy'  # quoted\r\n  risky: 1\r\n  clash: 1\r\n  taken: 2\r\n  stay: yes\r\nother:\r\n  a: 1\r\n",
        "# top comment\r\napp:\r\n  new_name:   1   # keep me\r\n"
        "  mode: 'modern'  # quoted\r\n  risky: 1\r\n  clash: 1\r\n  taken: 2\r\n  stay: yes\r\nother:\r\n  a: 1\r\n"
        "  moved: 'x'\r\n",
    ),
    "fx.toml": (
        "[tool.fx]  # table\nold_name = 1 # c\nselect = [\n  'E',  # errors\n]\ngone = {a = 1}\n"
        "mode   =   'legacy'\nclash = 1\ntaken = 2\n\n[tool.fx.lint]\nignore = []\n",
        "[tool.fx]  # table\nnew_name = 1 # c\n"
        "mode   =   'modern'\nclash = 1\ntaken = 2\n\n[tool.fx.lint]\nselect = [\n  'E',  # errors\n]\nignore = []\n",
    ),
    "fx.ini": (
        "[core]\n# old_name = comment\nOld_Name = 1\nsql_conn = sqlite:///x\n    continued\ngone = 1\nmode = legacy\n"
        "moved_away = 5\n\n; lead comment\n[database]\nother = 1\n",
        "[core]\n# old_name = comment\nnew_name = 1\nmode = modern\n"
        "\n; lead comment\n[database]\nother = 1\nsql_conn = sqlite:///x\n    continued\n\n[fresh]\nmoved_away = 5\n",
    ),
    "fx.json": (
        '{\n  // comment\n  "compilerOptions": {\n    "oldName": 1,\n    "moved": true,\n    "gone": [1, 2],\n'
        '    "mode": "legacy",\n    "last": 0\n  },\n  "other": {\n    "a": 1\n  }\n}\n',
        '{\n  // comment\n  "compilerOptions": {\n    "newName": 1,\n'
        '    "mode": "modern"\n  },\n  "other": {\n    "a": 1,\n    "moved": true\n  }\n}\n',
    ),
    "fx.env": (
        "# OLD_NAME=comment\nexport OLD_NAME=1 # c\nGONE=x\nMODE=legacy\nKEEP='a b'\n",
        "# OLD_NAME=comment\nexport NEW_NAME=1 # c\nMODE=modern\nKEEP='a b'\n",
    ),
    "fx_settings.py": (
        '"""OLD_NAME in a docstring."""\nimport os\nOLD_NAME = 1  # keep\nGONE = {\n    "a": 1,\n}\n'
        "MODE = 'legacy'\nCACHES = {\n    'default': {\n        'OLD_OPT': 1,\n        'DROP': 2,  # bye\n"
        "        'KEEP': 3,\n    }\n}\n\n\ndef f():\n    GONE = 1\n    return GONE\n",
        '"""OLD_NAME in a docstring."""\nimport os\nNEW_NAME = 1  # keep\n'
        "MODE = 'modern'\nCACHES = {\n    'default': {\n        'NEW_OPT': 1,\n"
        "        'KEEP': 3,\n    }\n}\n\n\ndef f():\n    GONE = 1\n    return GONE\n",
    ),
    "fx.config.js": (
        "// oldName in a comment\nmodule.exports = {\n  oldName: true,\n  nested: { keep: 1, gone: 2 },\n"
        "  mode: 'legacy',\n};\n",
        "// oldName in a comment\nmodule.exports = {\n  newName: true,\n  nested: { keep: 1 },\n"
        "  mode: 'modern',\n};\n",
    ),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_fix_touches_only_intended_lines(cli: Callable[..., Run], tmp_path: Path, name: str) -> None:
    before, after = CASES[name]
    path = tmp_path / name
    path.write_bytes(before.encode())
    diff = cli("fix", ".", *ARGS, "--diff", cwd=tmp_path)
    assert path.read_bytes() == before.encode(), "--diff wrote"
    check = cli("fix", ".", *ARGS, "--check", cwd=tmp_path)
    assert check.code == 1 and path.read_bytes() == before.encode(), "--check wrote"
    run = cli("fix", ".", *ARGS, cwd=tmp_path)
    got = path.read_bytes().decode()
    assert got == after, "\n".join(difflib.unified_diff(after.splitlines(), got.splitlines(), lineterm=""))
    assert run.code == 1
    assert diff.out.startswith(f"--- a/{name}")
    again = cli("fix", ".", *ARGS, cwd=tmp_path)
    assert path.read_bytes().decode() == after, "not idempotent"
    assert "fixed 0 findings" in again.err


def test_conflicts_and_unsafe_fixes_are_reported_not_applied(cli: Callable[..., Run], tmp_path: Path) -> None:
    (tmp_path / "fx.yaml").write_text(CASES["fx.yaml"][0].replace("\r\n", "\n"))
    run = cli("fix", ".", *ARGS, cwd=tmp_path)
    text = (tmp_path / "fx.yaml").read_text()
    assert "risky: 1" in text and "clash: 1" in text and "taken: 2" in text
    assert "FY005 app.risky: not fixed: the fix is marked unsafe" in run.err
    assert "FY006 app.clash: not fixed: conflict: app.taken already exists" in run.err
    cli("fix", ".", *ARGS, "--unsafe-fixes", cwd=tmp_path)
    assert "safe: 1" in (tmp_path / "fx.yaml").read_text()


def test_rollback_patch_reverses_the_fix(cli: Callable[..., Run], tmp_path: Path) -> None:
    import subprocess

    before = CASES["fx.toml"][0]
    (tmp_path / "fx.toml").write_text(before)
    subprocess.run(["git", "init", "-q"], cwd=tmp_path, check=True)
    cli("fix", ".", *ARGS, "--write-rollback", str(tmp_path / "rollback.patch"), cwd=tmp_path)
    assert (tmp_path / "fx.toml").read_text() != before
    subprocess.run(["git", "apply", "rollback.patch"], cwd=tmp_path, check=True)
    assert (tmp_path / "fx.toml").read_text() == before


def test_bom_latin1_and_mode_are_kept(cli: Callable[..., Run], tmp_path: Path) -> None:
    path = tmp_path / "fx.env"
    path.write_bytes(b"\xef\xbb\xbfOLD_NAME=caf\xc3\xa9\r\n")
    path.chmod(0o640)
    cli("fix", ".", *ARGS, cwd=tmp_path)
    assert path.read_bytes() == b"\xef\xbb\xbfNEW_NAME=caf\xc3\xa9\r\n"
    assert path.stat().st_mode & 0o777 == 0o640
    path.write_bytes(b"OLD_NAME=caf\xe9\n")
    cli("fix", ".", *ARGS, cwd=tmp_path)
    assert path.read_bytes() == b"NEW_NAME=caf\xe9\n"


def test_suppressed_findings_are_not_fixed(cli: Callable[..., Run], tmp_path: Path) -> None:
    path = tmp_path / "fx.env"
    path.write_text("OLD_NAME=1  # cfgscan: ignore[FE001] not yet\nGONE=1\n")
    cli("fix", ".", *ARGS, cwd=tmp_path)
    assert path.read_text() == "OLD_NAME=1  # cfgscan: ignore[FE001] not yet\n"
