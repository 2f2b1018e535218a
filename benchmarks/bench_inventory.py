"""Time reading 2,000-package lock files (poetry.lock, uv.lock, package-lock.json, pnpm, yarn).

Run: python benchmarks/bench_inventory.py [PACKAGES]. Each lock is read through the inventory source
that handles it and compared, in the same process, with a bare parse of the same text (``tomllib.loads``,
``json.loads``, libyaml ``yaml.load``; ``str.splitlines`` for yarn.lock, which has no parser), so the
ratio says what reading names, versions and lines costs next to parsing alone.
"""

from __future__ import annotations

import json
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

import yaml

from scanner.inventory.interface import Context
from scanner.inventory.json_locks import read_json_locks
from scanner.inventory.pnpm_lock import read_pnpm_lock
from scanner.inventory.toml_locks import read_toml_locks
from scanner.inventory.yarn_lock import read_yarn_lock

REPEATS = 7


def poetry_lock(n: int) -> str:
    blocks = [f'[[package]]\nname = "package-{i}"\nversion = "1.{i}.0"\ndescription = "Package {i}"\n'
              f'optional = false\npython-versions = ">=3.8"\nfiles = [\n'
              f'    {{file = "package_{i}-1.{i}.0-py3-none-any.whl", hash = "sha256:{i:064x}"}},\n]\n\n'
              f'[package.dependencies]\npackage-{(i + 1) % n} = ">=1.0"\n' for i in range(n)]
    return "\n".join(blocks) + '\n[metadata]\nlock-version = "2.0"\npython-versions = "^3.9"\n'


def uv_lock(n: int) -> str:
    head = 'version = 1\nrequires-python = ">=3.9"\n\n'
    blocks = [f'[[package]]\nname = "package-{i}"\nversion = "1.{i}.0"\n'
              f'source = {{ registry = "https://pypi.org/simple" }}\n'
              f'dependencies = [\n    {{ name = "package-{(i + 1) % n}" }},\n]\n'
              f'wheels = [\n    {{ url = "https://files.example/p_{i}.whl", hash = "sha256:{i:064x}" }},\n]\n'
              for i in range(n)]
    return head + "\n".join(blocks)


def package_lock(n: int) -> str:
    packages: dict[str, object] = {"": {"name": "app", "version": "1.0.0"}}
    for i in range(n):
        packages[f"node_modules/package-{i}"] = {
            "version": f"1.{i}.0", "resolved": f"https://registry.npmjs.org/package-{i}/-/p-1.{i}.0.tgz",
            "integrity": f"sha512-{i:086x}", "dev": i % 2 == 0,
            "dependencies": {f"package-{(i + 1) % n}": "^1.0.0"}}
    return json.dumps({"name": "app", "version": "1.0.0", "lockfileVersion": 3, "requires": True,
                       "packages": packages}, indent=2) + "\n"


def pnpm_lock(n: int) -> str:
    importers = "".join(f"      package-{i}:\n        specifier: ^1.0.0\n        version: 1.{i}.0\n"
                        for i in range(n))
    packages = "".join(f"  package-{i}@1.{i}.0:\n    resolution: {{integrity: sha512-{i:086x}}}\n"
                       f"    engines: {{node: '>=14'}}\n\n" for i in range(n))
    snapshots = "".join(f"  package-{i}@1.{i}.0:\n    dependencies:\n      package-{(i + 1) % n}: 1.0.0\n\n"
                        for i in range(n))
    return (f"lockfileVersion: '9.0'\n\nimporters:\n\n  .:\n    dependencies:\n{importers}\n"
            f"packages:\n\n{packages}snapshots:\n\n{snapshots}")


def yarn_lock(n: int) -> str:
    return "# yarn lockfile v1\n\n\n" + "".join(
        f'package-{i}@^1.0.0:\n  version "1.{i}.0"\n  resolved "https://registry.yarnpkg.com/p-1.{i}.0.tgz"\n'
        f'  integrity sha512-{i:086x}\n  dependencies:\n    package-{(i + 1) % n} "^1.0.0"\n\n'
        for i in range(n))


def yaml_load(text: str) -> object:
    return yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))


def best_of(fn: Callable[[], object]) -> float:
    times = []
    for _ in range(REPEATS):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times)


def main(n: int) -> int:
    with tempfile.TemporaryDirectory() as tmp:
        cases = (("poetry.lock", poetry_lock(n), tomllib.loads, read_toml_locks),
                 ("uv.lock", uv_lock(n), tomllib.loads, read_toml_locks),
                 ("package-lock.json", package_lock(n), json.loads, read_json_locks),
                 ("pnpm-lock.yaml", pnpm_lock(n), yaml_load, read_pnpm_lock),
                 ("yarn.lock", yarn_lock(n), str.splitlines, read_yarn_lock))
        for filename, text, reference, reader in cases:
            folder = Path(tmp) / filename.replace(".", "-")
            folder.mkdir()
            (folder / filename).write_text(text, encoding="utf-8")
            ctx = Context(folder, str(folder))
            found = reader(ctx)
            assert len(found.packages) == n and not found.errors, (filename, found.errors)
            ours, parse = best_of(lambda: reader(ctx)), best_of(lambda: reference(text))  # noqa: B023
            print(f"{filename:18} {n} packages, {len(text) // 1024:5} KiB: {ours * 1000:6.1f} ms "
                  f"(parse alone {parse * 1000:5.1f} ms, ratio {ours / parse:4.2f})")
    return 0


if __name__ == "__main__":
    sys.exit(main(int(sys.argv[1]) if len(sys.argv) > 1 else 2000))
