"""Time cfgscan on a seeded synthetic monorepo against ripgrep (same keys) and yamllint (same 5 files).

Run from a clone: ``python benchmarks/bench_scan.py [--files 10000] [--big 100000] [--no-big] [--keep DIR]``.
Everything is measured side by side in one run and printed as ratios; ``rg`` and ``yamllint`` are skipped
when they are not installed. cfgscan runs from the checkout this file lives in, as its console script does.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

PLANT_RATE = 0.05
NON_CONFIG_RATE = 0.2  # non-config files per config file
SCAN_FLAGS = ("--no-inventory", "--target", "latest", "--format", "json", "--fail-on", "never")

# ------------------------------------------------------------------------------------------------ the tree

K8S_CLEAN = [
    ("apps/v1", "Deployment"), ("v1", "Service"), ("v1", "ConfigMap"), ("networking.k8s.io/v1", "Ingress"),
    ("autoscaling/v2", "HorizontalPodAutoscaler"), ("batch/v1", "CronJob"), ("policy/v1", "PodDisruptionBudget"),
    ("rbac.authorization.k8s.io/v1", "Role"), ("v1", "ServiceAccount"),
]
K8S_PLANTED = [
    ("extensions/v1beta1", "Deployment"), ("apps/v1beta2", "Deployment"), ("policy/v1beta1", "PodDisruptionBudget"),
    ("batch/v1beta1", "CronJob"), ("autoscaling/v2beta2", "HorizontalPodAutoscaler"),
    ("networking.k8s.io/v1beta1", "Ingress"), ("rbac.authorization.k8s.io/v1beta1", "Role"),
]


def manifest(rng: random.Random, name: str, api: str, kind: str, annotation: bool = False) -> str:
    notes = ('    seccomp.security.alpha.kubernetes.io/pod: runtime/default\n' if annotation
             else f'    prometheus.io/scrape: "{str(rng.random() < 0.5).lower()}"\n')
    env = "".join(f"            - name: VAR_{i}\n              value: \"{rng.randrange(10**6)}\"\n"
                  for i in range(rng.randrange(1, 5)))
    return (f"apiVersion: {api}\nkind: {kind}\nmetadata:\n  name: {name}\n  namespace: team-{rng.randrange(40)}\n"
            f"  labels:\n    app.kubernetes.io/name: {name}\n    app.kubernetes.io/part-of: shop\n"
            f"  annotations:\n{notes}"
            f"spec:\n  replicas: {rng.randrange(1, 6)}\n  selector:\n    matchLabels:\n      app: {name}\n"
            f"  template:\n    metadata:\n      labels:\n        app: {name}\n    spec:\n      containers:\n"
            f"        - name: {name}\n          image: registry.example.com/{name}:{rng.randrange(1, 300)}.0\n"
            f"          ports:\n            - containerPort: {rng.choice((80, 8080, 9090))}\n"
            f"          resources:\n            limits: {{cpu: 500m, memory: {rng.choice((128, 256, 512))}Mi}}\n"
            f"          env:\n{env}")


def pyproject(name: str, planted: bool) -> str:
    lint = 'select = ["E", "F", "I"]\n' if planted else '[tool.ruff.lint]\nselect = ["E", "F", "I"]\n'
    return (f'[project]\nname = "{name}"\nversion = "1.0.0"\nrequires-python = ">=3.11"\n'
            f'dependencies = ["httpx>=0.27"]\n\n[tool.ruff]\nline-length = 110\ntarget-version = "py311"\n{lint}')


def settings(name: str, planted: bool) -> str:
    extra = "USE_L10N = True\n" if planted else "USE_I18N = True\n"
    return (f'"""Settings for {name}."""\nfrom pathlib import Path\n\nBASE_DIR = Path(__file__).parent\n'
            f'SECRET_KEY = "not-secret"\nDEBUG = False\nROOT_URLCONF = "{name}.urls"\n'
            f'INSTALLED_APPS = ["django.contrib.admin", "django.contrib.auth", "{name}"]\n'
            f'DATABASES = {{"default": {{"ENGINE": "django.db.backends.postgresql", "NAME": "{name}"}}}}\n'
            f'TIME_ZONE = "UTC"\nUSE_TZ = True\n{extra}DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"\n')


def tox_ini(planted: bool) -> str:
    allow = "whitelist_externals" if planted else "allowlist_externals"
    return (f"[tox]\nenvlist = py311, lint\n\n[testenv]\ndeps =\n    pytest\n    coverage\n"
            f"commands = pytest {{posargs}}\n{allow} = make\n")


def workflow(name: str, planted: bool) -> str:
    checkout = "actions/checkout@v2" if planted else "actions/checkout@v5"
    return (f"name: {name}\non: [push, pull_request]\njobs:\n  test:\n    runs-on: ubuntu-24.04\n    steps:\n"
            f"      - uses: {checkout}\n      - uses: actions/setup-python@v5\n        with:\n"
            f"          python-version: '3.12'\n      - run: make test\n")


@dataclass
class Tree:
    root: Path
    config_files: int
    planted: dict[str, str]  # relative path -> the planted key, for the "finds every planted key" check
    yaml_sample: list[str]


def generate(root: Path, files: int, seed: int) -> Tree:
    """About 80% Kubernetes manifests, then pyproject.toml, settings.py, tox.ini, workflows; 5% planted.

    A tree kept from an earlier run with the same size and seed (``--keep``) is reused, not rewritten.
    """
    marker = root.parent / f"{root.name}.bench.json"
    if marker.is_file():
        saved = json.loads(marker.read_text(encoding="utf-8"))
        if saved["files"] == files and saved["seed"] == seed:
            return Tree(root, files, saved["planted"], saved["sample"])
    shutil.rmtree(root, ignore_errors=True)
    tree = _write_tree(root, files, seed)
    marker.write_text(json.dumps({"files": files, "seed": seed, "planted": tree.planted,
                                  "sample": tree.yaml_sample}), encoding="utf-8")
    return tree


def _write_tree(root: Path, files: int, seed: int) -> Tree:
    rng = random.Random(seed)
    planted: dict[str, str] = {}
    sample: list[str] = []
    per_service = 20
    for i in range(files):
        svc = f"services/svc-{i // per_service:05d}"
        slot = i % per_service
        plant = rng.random() < PLANT_RATE
        if slot == 0:
            rel, text, key = f"{svc}/pyproject.toml", pyproject(f"svc{i}", plant), "tool.ruff.select"
        elif slot == 1:
            rel, text, key = f"{svc}/app/settings.py", settings(f"svc{i}", plant), "USE_L10N"
        elif slot == 2:
            rel, text, key = f"{svc}/tox.ini", tox_ini(plant), "testenv.whitelist_externals"
        elif slot == 3:
            rel, text, key = f"{svc}/.github/workflows/ci.yml", workflow(f"ci-{i}", plant), "uses"
        else:
            name = f"svc{i}-{slot}"
            api, kind = rng.choice(K8S_PLANTED if plant else K8S_CLEAN)
            annotation = plant and rng.random() < 0.2
            if annotation:
                api, kind = rng.choice(K8S_CLEAN)
            rel = f"{svc}/deploy/{kind.lower()}-{slot}.yaml"
            text = manifest(rng, name, api, kind, annotation)
            key = "metadata.annotations.\"seccomp.security.alpha.kubernetes.io/pod\"" if annotation else "apiVersion"
            if len(sample) < 5 and not plant:
                sample.append(rel)
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        if plant:
            planted[rel] = key
    for j in range(int(files * NON_CONFIG_RATE)):
        svc = f"services/svc-{(j * per_service // 5) // per_service:05d}"
        rel = f"{svc}/src/module_{j}.py" if j % 2 else f"{svc}/docs/notes_{j}.md"
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(f"# module {j}\nVALUE = {j}\n\ndef main() -> int:\n    return VALUE\n", encoding="utf-8")
    return Tree(root, files, planted, sample)


# -------------------------------------------------------------------------------------------- measuring


@dataclass
class Run:
    seconds: float
    cpu: float  # user + system seconds of the process and its children
    code: int
    max_rss_mb: float  # the largest single process (wait4), descendants included
    tree_peak_mb: float  # sampled sum of the process tree's PSS (a process pool's workers together)
    out: str = ""


def _tree_memory_kb(pid: int) -> int:
    """Proportional set size of a process and its descendants (pages shared after fork counted once)."""
    total, todo = 0, [pid]
    while todo:
        p = todo.pop()
        try:
            total += _pss_kb(p)
            with open(f"/proc/{p}/task/{p}/children") as f:
                todo.extend(int(c) for c in f.read().split())
        except (OSError, ValueError):
            continue
    return total


def _pss_kb(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/smaps_rollup") as f:
            return next((int(line.split()[1]) for line in f if line.startswith("Pss:")), 0)
    except OSError:
        with open(f"/proc/{pid}/status") as f:
            return next((int(line.split()[1]) for line in f if line.startswith("VmRSS:")), 0)


def measure(cmd: Sequence[str], cwd: Path, env: dict[str, str] | None = None, sample: bool = False) -> Run:
    started = time.perf_counter()
    proc = subprocess.Popen(list(cmd), cwd=cwd, env=env, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    peak = [0]
    stop = threading.Event()

    def sampler() -> None:
        while not stop.wait(0.02):
            peak[0] = max(peak[0], _tree_memory_kb(proc.pid))

    thread = threading.Thread(target=sampler, daemon=True)
    if sample and os.path.isdir("/proc"):
        thread.start()
    out = proc.stdout.read() if proc.stdout else b""
    _, status, usage = os.wait4(proc.pid, 0)
    seconds = time.perf_counter() - started
    stop.set()
    proc.returncode = os.waitstatus_to_exitcode(status)
    max_rss = usage.ru_maxrss / 1024 if sys.platform != "darwin" else usage.ru_maxrss / 1024 / 1024
    cpu = usage.ru_utime + usage.ru_stime
    return Run(seconds, cpu, proc.returncode, max_rss, peak[0] / 1024, out.decode("utf-8", "replace"))


def best_of(n: int, cmd: Sequence[str], cwd: Path, env: dict[str, str] | None = None, sample: bool = False) -> Run:
    """The median run of n (after one warm-up run that fills the page cache and cfgscan's matrix cache)."""
    measure(cmd, cwd, env)
    runs = sorted((measure(cmd, cwd, env, sample) for _ in range(n)), key=lambda r: r.seconds)
    median = runs[len(runs) // 2]
    median.tree_peak_mb = max(r.tree_peak_mb for r in runs)
    median.max_rss_mb = max(r.max_rss_mb for r in runs)
    return median


def interleaved(n: int, a: Sequence[str], b: Sequence[str], cwd: Path, env: dict[str, str],
                by: str = "cpu") -> tuple[Run, Run]:
    """Median runs (by CPU or wall time) of two commands measured alternately, after a warm-up of each.

    Alternating lets the load of a shared machine drift over both commands alike.
    """
    measure(a, cwd, env)
    measure(b, cwd, env)
    runs_a, runs_b = [], []
    for _ in range(n):
        runs_a.append(measure(a, cwd, env))
        runs_b.append(measure(b, cwd, env))
    runs_a.sort(key=lambda r: getattr(r, by))
    runs_b.sort(key=lambda r: getattr(r, by))
    return runs_a[n // 2], runs_b[n // 2]


# Both tools run as their console scripts do (an import and a call, no runpy):
# cfgscan = scanner.quickcli:console, yamllint = yamllint.cli:run (yamllint's entry_points.txt).
def cfgscan_cmd(*args: str) -> list[str]:
    return [sys.executable, "-c", "from scanner.quickcli import console; console()", *args]


def yamllint_cmd(*files: str) -> list[str]:
    return [sys.executable, "-c", "import sys; from yamllint.cli import run; sys.exit(run())", *files]


def cfgscan_env(cache: Path) -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(REPO), env.get("PYTHONPATH", "")) if p)
    env["XDG_CACHE_HOME"] = str(cache)
    # run from bytecode, as an installed tool does (pip byte-compiles wheels; yamllint's are compiled too):
    # with PYTHONDONTWRITEBYTECODE set, an editable checkout would recompile every module on every start
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    import compileall

    compileall.compile_dir(str(REPO / "scanner"), quiet=1)
    env.pop("VIRTUAL_ENV", None)
    return env


def needles() -> list[str]:
    """The literal keys and values the prefilter searches for, as cfgscan's own run builds them."""
    from scanner.options import Options
    from scanner.prefilter import Prefilter
    from scanner.scan import build_indexes, load_matrix, resolve_versions

    options = Options(target_all_latest=True, use_inventory=False)
    matrix = load_matrix(options)
    return Prefilter.build(matrix, build_indexes(matrix, options), resolve_versions(matrix, options, {})).needles()


def missed(tree: Tree, report: str) -> list[str]:
    found = {(f["file"]) for f in json.loads(report)["findings"]}
    return sorted(rel for rel in tree.planted if rel not in found)


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        with open("/proc/cpuinfo") as f:
            cpu = next((line.split(":", 1)[1].strip() for line in f if line.startswith("model name")), cpu)
    except OSError:
        pass
    return f"{os.cpu_count()} CPUs ({cpu}), Python {platform.python_version()}, {platform.system()}"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    ap.add_argument("--files", type=int, default=10_000, help="config files in the tree (default 10,000)")
    ap.add_argument("--big", type=int, default=100_000, help="config files in the scaling tree (default 100,000)")
    ap.add_argument("--no-big", action="store_true", help="skip the scaling run")
    ap.add_argument("--repeat", type=int, default=3, help="timed runs per command (the median is kept)")
    ap.add_argument("--seed", type=int, default=9)
    ap.add_argument("--keep", help="generate the trees under this folder and keep them")
    args = ap.parse_args(argv)
    base = Path(args.keep) if args.keep else Path(tempfile.mkdtemp(prefix="cfgscan-bench-"))
    base.mkdir(parents=True, exist_ok=True)
    try:
        return _bench(args, base)
    finally:
        if not args.keep:
            shutil.rmtree(base, ignore_errors=True)


def _bench(args: argparse.Namespace, base: Path) -> int:
    print(f"machine: {machine()}; load average before: {os.getloadavg()[0]:.1f}")
    env = cfgscan_env(base / "cache")
    started = time.perf_counter()
    tree = generate(base / "tree", args.files, args.seed)
    print(f"tree: {tree.config_files} config files (+{int(tree.config_files * NON_CONFIG_RATE)} others), "
          f"{len(tree.planted)} planted, ready in {time.perf_counter() - started:.1f}s")
    ok = True

    scan_cmd = cfgscan_cmd("scan", ".", *SCAN_FLAGS)
    rg = shutil.which("rg")
    if rg:
        pattern_file = base / "needles.txt"
        pattern_file.write_text("\n".join(needles()) + "\n", encoding="utf-8")
        grep_cmd = [rg, "--hidden", "-l", "-F", "-f", str(pattern_file), "."]
        # alternated, medians by wall time: rg's threads make wall time the measure of a grep
        scan, grep = interleaved(max(args.repeat, 7), scan_cmd, grep_cmd, tree.root, env, by="seconds")
    else:
        scan = best_of(args.repeat, scan_cmd, tree.root, env)
    # memory in a run of its own: sampling /proc/PID/smaps_rollup takes the process's memory-map lock, which
    # slows the process being timed
    sampled = measure(scan_cmd, tree.root, env, sample=True)
    scan.max_rss_mb, scan.tree_peak_mb = sampled.max_rss_mb, sampled.tree_peak_mb
    miss = missed(tree, scan.out)
    ok &= not miss
    print(f"cfgscan scan ({args.files} files): {scan.seconds:.3f}s (cpu {scan.cpu:.2f}s), "
          f"peak {scan.max_rss_mb:.0f} MB (process tree {scan.tree_peak_mb:.0f} MB), planted keys found: "
          f"{len(tree.planted) - len(miss)}/{len(tree.planted)}")
    for rel in miss[:10]:
        print(f"  MISSED {rel}: {tree.planted[rel]}")

    if rg:
        hits = len(grep.out.splitlines())
        ratio = scan.seconds / grep.seconds
        print(f"rg -l -F ({len(needles())} literals, {hits} files match): {grep.seconds:.3f}s (cpu {grep.cpu:.2f}s); "
              f"cfgscan / rg = {ratio:.1f}x (target <= 5x) {'MET' if ratio <= 5 else 'MISSED'}")
    else:
        print("rg: not installed, skipped (apt-get install ripgrep)")

    hook_files = tree.yaml_sample
    hook_run = cfgscan_cmd("scan", *hook_files)
    lint_run = yamllint_cmd(*hook_files)
    if _has_yamllint():
        # alternate the two commands so that the load of a shared machine drifts over both alike
        hook, lint = interleaved(max(args.repeat, 15), hook_run, lint_run, tree.root, env)
        ratio = hook.cpu / lint.cpu
        print(f"cfgscan scan (5 files, process start included): {hook.seconds * 1000:.0f} ms "
              f"(cpu {hook.cpu * 1000:.0f} ms)")
        print(f"yamllint (same 5 files): {lint.seconds * 1000:.0f} ms (cpu {lint.cpu * 1000:.0f} ms); "
              f"cfgscan / yamllint = {ratio:.2f}x in CPU time, {hook.seconds / lint.seconds:.2f}x wall "
              f"(target <= 1.2x) {'MET' if ratio <= 1.2 else 'MISSED'}")
    else:
        hook = best_of(max(args.repeat, 9), hook_run, tree.root, env)
        print(f"cfgscan scan (5 files, process start included): {hook.seconds * 1000:.0f} ms "
              f"(cpu {hook.cpu * 1000:.0f} ms)")
        print("yamllint: not installed, skipped (pip install yamllint)")

    if not args.no_big:
        big_tree = generate(base / "big", args.big, args.seed + 1)
        big = best_of(1, scan_cmd, big_tree.root, env)
        sampled = measure(scan_cmd, big_tree.root, env, sample=True)
        big.max_rss_mb, big.tree_peak_mb = sampled.max_rss_mb, sampled.tree_peak_mb
        big_miss = missed(big_tree, big.out)
        ok &= not big_miss
        ratio = big.seconds / scan.seconds
        scale = args.big / args.files
        mem = max(big.max_rss_mb, big.tree_peak_mb)
        limit = 1.1 * scale
        print(f"cfgscan scan ({args.big} files): {big.seconds:.3f}s (cpu {big.cpu:.2f}s) = {ratio:.1f}x "
              f"the {args.files}-file scan (target <= {limit:.0f}x) {'MET' if ratio <= limit else 'MISSED'}; peak "
              f"{big.max_rss_mb:.0f} MB (process tree {big.tree_peak_mb:.0f} MB, target < 200 MB) "
              f"{'MET' if mem < 200 else 'MISSED'}; planted keys found: "
              f"{len(big_tree.planted) - len(big_miss)}/{len(big_tree.planted)}")
    return 0 if ok else 1


def _has_yamllint() -> bool:
    import importlib.util

    return importlib.util.find_spec("yamllint") is not None


if __name__ == "__main__":
    sys.exit(main())
