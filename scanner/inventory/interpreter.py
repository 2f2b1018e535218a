"""The --python interpreter: asked in an isolated subprocess for its version and distributions."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import subprocess

from scanner.inventory.interface import EXACT, Context, Found, Package, canonical_name

# Only our own fixed script runs, with ``-I -S`` (no environment variables, no user site, no ``.pth``
# files), so nothing of the scanned project is imported; site-packages are found from ``pyvenv.cfg``
# because ``-S`` leaves ``sys.prefix`` at the base interpreter on most versions.
TIMEOUT_SECONDS = 20
SCRIPT = r"""
import json, os, site, sys
from importlib import metadata
exe_dir = os.path.dirname(os.path.abspath(sys.executable))
prefixes, system_site = None, False
for d in (exe_dir, os.path.dirname(exe_dir)):
    cfg = os.path.join(d, "pyvenv.cfg")
    if os.path.isfile(cfg):
        prefixes = [d]
        with open(cfg, encoding="utf-8", errors="replace") as f:
            for line in f:
                k, _, v = line.partition("=")
                if k.strip() == "include-system-site-packages":
                    system_site = v.strip().lower() == "true"
        break
paths = site.getsitepackages(prefixes)
if prefixes and system_site:
    paths += site.getsitepackages()
dists = []
for d in metadata.distributions(path=paths):
    try:
        name, version = d.metadata["Name"], d.version
        if isinstance(name, str) and isinstance(version, str):
            dists.append([name, version])
    except Exception:
        pass
print(json.dumps({"python": "%d.%d.%d" % sys.version_info[:3], "distributions": dists}))
"""


def read_interpreter(ctx: Context) -> Found:
    """The interpreter's own version (runtime ``python``, exact) and every distribution it sees."""
    import subprocess  # only when --python is given

    found = Found()
    if not ctx.python:
        return found
    source = f"--python {ctx.python}"
    try:
        proc = subprocess.run([ctx.python, "-I", "-S", "-c", SCRIPT], capture_output=True, text=True,
                              timeout=TIMEOUT_SECONDS, stdin=subprocess.DEVNULL, check=False)
    except subprocess.TimeoutExpired:
        found.errors.append((source, f"no answer within {TIMEOUT_SECONDS} s"))
        return found
    except OSError as exc:
        found.errors.append((source, f"cannot run: {exc.strerror or exc}"))
        return found
    report = _report(proc)
    if isinstance(report, str):
        found.errors.append((source, report))
        return found
    found.packages.append(Package("python", "runtime", report["python"], EXACT, source))
    seen: dict[str, Package] = {}
    for name, version in report["distributions"]:
        key = canonical_name(name)
        seen.setdefault(key, Package(key, "pypi", version, EXACT, source))  # first on the path wins
    found.packages.extend(sorted(seen.values(), key=lambda p: p.name))
    return found


def _report(proc: subprocess.CompletedProcess[str]) -> dict[str, Any] | str:
    """The script's JSON answer, or why there is none."""
    if proc.returncode != 0:
        last = (proc.stderr.strip().splitlines() or ["no message"])[-1]
        return f"exited with status {proc.returncode}: {last[:300]}"
    try:
        report = json.loads(proc.stdout)
    except ValueError:
        return f"unexpected output: {proc.stdout[:100]!r}"
    valid = (isinstance(report, dict) and isinstance(report.get("python"), str)
             and isinstance(report.get("distributions"), list)
             and all(isinstance(d, list) and len(d) == 2 and all(isinstance(x, str) for x in d)
                     for d in report["distributions"]))
    return report if valid else f"unexpected output: {proc.stdout[:100]!r}"
