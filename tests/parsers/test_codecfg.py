"""Config-as-code: Python and JavaScript/TypeScript modules read with tree-sitter, never executed."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from scanner.model import OPAQUE, SEQUENCE
from scanner.parsers import get_parser
from scanner.parsers.treesitter import get_ts_parser
from tests.conftest import Run, write_tree


def paths(fmt: str, text: str) -> dict[tuple[object, ...], tuple[object, int, str | None]]:
    return {o.path: (o.value, o.line, o.context) for o in get_parser(fmt)(text).occurrences}


PYTHON = [
    # source, path, (value, line, class context) or None when it must be absent
    ("X = 1\n", ("X",), (1, 1, None)),
    ("X: int = 1\n", ("X",), (1, 1, None)),
    ("X += ['a']\n", ("X",), (SEQUENCE, 1, None)),
    ("A = B = 'v'\n", ("B",), ("v", 1, None)),
    ("A, (B, C) = 1, (2, 3)\n", ("C",), (3, 1, None)),
    ("D = {}\nD['k'] = 2\n", ("D", "k"), (2, 2, None)),
    ("D = {}\nD['a']['b'] = 3\n", ("D", "a", "b"), (3, 2, None)),
    ("if DEBUG:\n    X = True\nelse:\n    X = False\n", ("X",), (False, 4, None)),
    ("try:\n    from .local import *\nexcept ImportError:\n    LOCAL = None\n", ("LOCAL",), (None, 4, None)),
    ("with open('x') as f:\n    W = 1\n", ("W",), (1, 2, None)),
    ("class Production(Config):\n    ENV = 'production'\n", ("ENV",), ("production", 2, "Production")),
    ("@dataclass\nclass C:\n    K = 1\n", ("K",), (1, 3, "C")),
    ("class A:\n    class Inner:\n        Z = 1\n", ("Z",), None),
    ("def f():\n    LOCAL = 1\n", ("LOCAL",), None),
    ("async def f():\n    LOCAL = 1\n", ("LOCAL",), None),
    ("X = lambda: 1\n", ("X",), (OPAQUE, 1, None)),
    ("X = os.environ['X']\n", ("X",), (OPAQUE, 1, None)),
    ("X = 'a' 'b'\n", ("X",), ("ab", 1, None)),
    ("X = f'{a}'\n", ("X",), (OPAQUE, 1, None)),
    ("X = -1.5\n", ("X",), (-1.5, 1, None)),
    ("C = {'default': {'BACKEND': 'x.Legacy'}}\n", ("C", "default", "BACKEND"), ("x.Legacy", 1, None)),
    ("C = dict(default=1)\n", ("C", "default"), None),
    ("L = ['a', 'b']\n", ("L", 1), ("b", 1, None)),
    ('"""X = 1 in a docstring"""\n', ("X",), None),
    ("# X = 1\n", ("X",), None),
    ("s = 'X = 1'\n", ("X",), None),
]


@pytest.mark.parametrize(("source", "path", "expected"), PYTHON)
def test_python(source: str, path: tuple[object, ...], expected: tuple[object, int, str | None] | None) -> None:
    found = paths("python", source)
    if expected is None:
        assert path not in found
    else:
        assert found[path] == expected


JAVASCRIPT = [
    ("module.exports = { a: 1 };\n", ("a",), (1, 1)),
    ("module.exports = {\n  a: { b: [true, 'x'] },\n};\n", ("a", "b", 1), ("x", 2)),
    ("export default { a: 'v' };\n", ("a",), ("v", 1)),
    (
        "import { defineConfig } from 'vite';\nexport default defineConfig({\n  server: { port: 3000 },\n});\n",
        ("server", "port"),
        (3000, 3),
    ),
    ("const config = { testEnvironment: 'node' };\nmodule.exports = config;\n", ("testEnvironment",), ("node", 1)),
    ("let c = { a: 1 };\nexport default c;\n", ("a",), (1, 1)),
    ("export default defineConfig(() => ({ a: 2 }));\n", ("a",), (2, 1)),
    (
        "import type { Config } from 'jest';\nconst config: Config = { verbose: true };\nexport default config;\n",
        ("verbose",),
        (True, 2),
    ),
    ("export default { a: 1 } satisfies Config;\n", ("a",), (1, 1)),
    ("export default { a: 1 } as const;\n", ("a",), (1, 1)),
    ("module.exports = { 'quoted-key': null, 42: 'n' };\n", ("quoted-key",), (None, 1)),
    ("module.exports = { t: `plain` , u: `${x}` };\n", ("u",), (OPAQUE, 1)),
    ("module.exports = { fn() { return 1; } };\n", ("fn",), None),
    ("const other = { hidden: 1 };\nmodule.exports = { shown: 1 };\n", ("hidden",), None),
    ("function f() { return { inner: 1 }; }\nmodule.exports = {};\n", ("inner",), None),
    ("// a: 1\nmodule.exports = { b: 'a: 1' };\n", ("a",), None),
    ("const x = <div/>;\nmodule.exports = { jsx: true };\n", ("jsx",), (True, 2)),
]


@pytest.mark.parametrize(("source", "path", "expected"), JAVASCRIPT)
def test_javascript(source: str, path: tuple[object, ...], expected: tuple[object, int] | None) -> None:
    found = {p: (v, line) for p, (v, line, _) in paths("javascript", source).items()}
    if expected is None:
        assert path not in found
    else:
        assert found[path] == expected


def test_grammars_are_built_once_per_process() -> None:
    assert get_ts_parser("python") is get_ts_parser("python")
    assert get_ts_parser("typescript") is get_ts_parser("typescript")


MATRIX = """\
schema: 1
product: code
title: Code configs
releases: [{version: "1.0"}]
files:
  settings: {format: python, include: ["**/settings.py"]}
  js: {format: javascript, include: ["**/app.config.js", "**/app.config.mjs", "**/app.config.ts"]}
rules:
  - {id: CD001, file: settings, key: OLD, deprecated: "1.0", message: old, source: https://example.invalid/}
  - {id: CD002, file: settings, key: CACHES.*.BACKEND, value_regex: 'Legacy$', deprecated: "1.0", message: cache,
     source: https://example.invalid/}
  - {id: CD003, file: js, key: legacy.flag, deprecated: "1.0", message: flag, source: https://example.invalid/}
"""


def test_scan_finds_code_config_and_executes_nothing(cli: Callable[..., Run], tmp_path: Path) -> None:
    write_tree(
        tmp_path,
        {
            "m.yaml": MATRIX,
            "proj/settings.py": """\
            import os
            OLD = 1
            CACHES = {"default": {"BACKEND": "a.Legacy"}, "other": {"BACKEND": "a.New"}}
            def broken(:
                pass
            open(os.path.join(os.path.dirname(__file__), "EXECUTED"), "w").write("ran")
            """,
            "proj/app.config.js": "require('fs').writeFileSync(__dirname + '/EXECUTED', 'ran');\n"
            "module.exports = { legacy: { flag: 1 } };\n",
            "proj/app.config.mjs": "import fs from 'fs';\nfs.writeFileSync('EXECUTED', 'ran');\n"
            "export default { legacy: { flag: 2 } };\n",
            "proj/app.config.ts": "export default defineConfig({ legacy: { flag: 3 } } as Config);\n",
        },
    )
    run = cli(
        "scan", "proj", "--matrix", "m.yaml", "--no-builtin-matrix", "--no-inventory", "--format", "json", cwd=tmp_path
    )
    doc = run.json()
    got = sorted((f["file"], f["line"], f["rule"]) for f in doc["findings"])
    assert got == [
        ("proj/app.config.js", 2, "CD003"),
        ("proj/app.config.mjs", 3, "CD003"),
        ("proj/app.config.ts", 1, "CD003"),
        ("proj/settings.py", 2, "CD001"),
        ("proj/settings.py", 3, "CD002"),
    ]
    assert [(e["file"], e["line"]) for e in doc["errors"]] == [("proj/settings.py", 4)]
    assert not list(tmp_path.rglob("EXECUTED"))
