"""The real pre-commit runs the hooks of .pre-commit-hooks.yaml from a copy of this checkout (slow: it builds
the hook's environment once per module)."""

from __future__ import annotations

import json
import os
import re
import shlex
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.conftest import ACME_MATRIX, Run

pytest.importorskip("pre_commit")
if shutil.which("git") is None:
    pytest.skip("pre-commit needs git", allow_module_level=True)

PROJECT = Path(__file__).resolve().parents[1]
NOT_SOURCE = shutil.ignore_patterns(".git", "__pycache__", "*.pyc", ".mypy_cache", ".pytest_cache", ".ruff_cache",
                                    ".hypothesis", "*.egg-info", ".venv", "venv", "dist", "build")
TOOL_CONFIG = '[tool.cfgscan]\nmatrix = ["acme-matrix.yaml"]\ninstalled = {acme = "2.5"}\ntarget = {acme = "3.0"}\n'
DEPRECATED = "server:\n  old_port: 8080\n  host: 0.0.0.0\n"
CLEAN = "server:\n  port: 8080\n  host: 0.0.0.0\n"


def git(cwd: Path, *args: str, env: dict[str, str]) -> str:
    return subprocess.run(["git", "-c", "commit.gpgsign=false", *args], cwd=cwd, env=env, check=True,
                          capture_output=True, text=True).stdout.strip()


def commit_all(cwd: Path, env: dict[str, str]) -> str:
    git(cwd, "add", "-A", env=env)
    git(cwd, "commit", "-qm", "snapshot", env=env)
    return git(cwd, "rev-parse", "HEAD", env=env)


class Hooks:
    """A consumer repository, the committed copy of cfgscan its hooks come from, and a way to run them."""

    def __init__(self, tmp: Path) -> None:
        self.env = {**os.environ, "PRE_COMMIT_HOME": str(tmp / "pc-home"), "GIT_AUTHOR_NAME": "t",
                    "GIT_AUTHOR_EMAIL": "t@example.invalid", "GIT_COMMITTER_NAME": "t",
                    "GIT_COMMITTER_EMAIL": "t@example.invalid", "NO_COLOR": "1"}
        self.env.pop("VIRTUAL_ENV", None)
        # try-repo ignores untracked files of a checkout, so the hooks come from a committed copy of it
        self.source = tmp / "cfgscan-src"
        shutil.copytree(PROJECT, self.source, ignore=NOT_SOURCE)
        git(self.source, "init", "-q", env=self.env)
        self.rev = commit_all(self.source, self.env)
        self.repo = tmp / "consumer"
        self.repo.mkdir()
        git(self.repo, "init", "-q", env=self.env)
        shutil.copy(ACME_MATRIX, self.repo / "acme-matrix.yaml")
        (self.repo / "pyproject.toml").write_text(TOOL_CONFIG)
        (self.repo / "deprecated").mkdir()
        (self.repo / "deprecated" / "acme.yaml").write_text(DEPRECATED)
        (self.repo / "clean").mkdir()
        (self.repo / "clean" / "acme.yaml").write_text(CLEAN)
        (self.repo / "README.md").write_text("server.old_port is only mentioned here\n")
        (self.repo / ".pre-commit-config.yaml").write_text(yaml.safe_dump({"repos": [{
            "repo": str(self.source), "rev": self.rev, "hooks": [{"id": "cfgscan"}, {"id": "cfgscan-fix"}]}]}))
        commit_all(self.repo, self.env)

    def pre_commit(self, *args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, "-m", "pre_commit", *args], cwd=self.repo, env=self.env,
                              capture_output=True, text=True, timeout=900)


@pytest.fixture(scope="module")
def hooks(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Hooks]:
    h = Hooks(tmp_path_factory.mktemp("precommit"))
    installed = h.pre_commit("install-hooks")
    assert installed.returncode == 0, installed.stdout + installed.stderr
    yield h


def test_manifest_is_valid_and_names_both_hooks() -> None:
    manifest = PROJECT / ".pre-commit-hooks.yaml"
    checked = subprocess.run([sys.executable, "-m", "pre_commit", "validate-manifest", str(manifest)],
                             capture_output=True, text=True)
    assert checked.returncode == 0, checked.stdout + checked.stderr
    hooks = {h["id"]: h for h in yaml.safe_load(manifest.read_text())}
    assert hooks["cfgscan"]["entry"] == "cfgscan scan" and hooks["cfgscan-fix"]["entry"] == "cfgscan fix"
    assert all(h["language"] == "python" and h["pass_filenames"] and h["require_serial"] for h in hooks.values())


@pytest.mark.parametrize(("name", "passed"), [
    ("acme.yaml", True), ("k8s/deploy.yml", True), ("pyproject.toml", True), ("setup.cfg", True),
    ("tox.ini", True), ("tsconfig.json", True), ("tsconfig.jsonc", True), ("app/settings.py", True),
    ("next.config.mjs", True), ("vite.config.ts", True), (".env", True), ("deploy/.env.production", True),
    ("prod.env", True), (".flaskenv", True), ("airflow.cfg", True), (".eslintrc", True),
    ("web/tsconfig-base.json", True), ("shop/local_settings.py", True), ("instance/application.cfg", True),
    ("docker-compose-dev.yml", True), (".pytest.ini", True),
    ("README.md", False), ("Dockerfile", False), ("docs/index.rst", False), ("notes.txt", False),
    ("settings.py.orig", False),
])
def test_hook_file_pattern(name: str, passed: bool) -> None:
    hook = yaml.safe_load((PROJECT / ".pre-commit-hooks.yaml").read_text())[0]
    assert bool(re.search(hook["files"], name)) is passed


def test_try_repo_fails_on_a_deprecated_key(hooks: Hooks) -> None:
    run = hooks.pre_commit("try-repo", str(hooks.source), "cfgscan", "--all-files")
    out = run.stdout + run.stderr
    assert run.returncode == 1, out
    assert "deprecated/acme.yaml:2:3: ACME001" in out
    assert "clean/acme.yaml" not in out


@pytest.mark.parametrize(("files", "code"), [(["clean/acme.yaml"], 0), (["README.md"], 0),
                                             (["clean/acme.yaml", "deprecated/acme.yaml"], 1)])
def test_hook_checks_only_the_files_it_is_given(hooks: Hooks, files: list[str], code: int) -> None:
    run = hooks.pre_commit("run", "cfgscan", "--files", *files)
    assert run.returncode == code, run.stdout + run.stderr
    assert ("ACME001" in run.stdout) is (code == 1)


def test_fix_hook_rewrites_then_passes(hooks: Hooks) -> None:
    probe = subprocess.run([sys.executable, "-m", "scanner", "fix", "--help"], capture_output=True, text=True)
    if probe.returncode != 0:
        pytest.skip("`cfgscan fix` is not available yet")
    target = hooks.repo / "deprecated" / "acme.yaml"
    first = hooks.pre_commit("run", "cfgscan-fix", "--files", "deprecated/acme.yaml")
    assert first.returncode == 1, first.stdout + first.stderr
    assert "old_port" not in target.read_text() and "port: 8080" in target.read_text()
    second = hooks.pre_commit("run", "cfgscan-fix", "--files", "deprecated/acme.yaml")
    assert second.returncode == 0, second.stdout + second.stderr
    assert hooks.pre_commit("run", "cfgscan", "--files", "deprecated/acme.yaml").returncode == 0
    target.write_text(DEPRECATED)


# --- docs/ci.md: its snippets parse, name real hooks, and its commands run ----------------------------

DOC = PROJECT / "docs" / "ci.md"


def doc_blocks(lang: str) -> list[str]:
    return re.findall(rf"^```{lang}\n(.*?)^```", DOC.read_text(), flags=re.M | re.S)


def doc_yaml(marker: str) -> Any:
    [block] = [b for b in doc_blocks("yaml") if marker in b]
    return yaml.safe_load(block)


def test_doc_precommit_snippet_uses_the_manifest_hooks(tmp_path: Path) -> None:
    config = doc_yaml("repos:")
    [repo] = config["repos"]
    assert (repo["repo"], repo["rev"]) == ("https://github.com/cfgscan/cfgscan", "v0.1.0")
    manifest = {h["id"] for h in yaml.safe_load((PROJECT / ".pre-commit-hooks.yaml").read_text())}
    assert [h["id"] for h in repo["hooks"]] == ["cfgscan-fix", "cfgscan"] and manifest == {"cfgscan", "cfgscan-fix"}
    (tmp_path / "config.yaml").write_text(yaml.safe_dump(config))
    checked = subprocess.run([sys.executable, "-m", "pre_commit", "validate-config", str(tmp_path / "config.yaml")],
                             capture_output=True, text=True)
    assert checked.returncode == 0, checked.stdout + checked.stderr


def test_doc_github_workflow_uploads_the_sarif_it_writes_and_gates() -> None:
    steps = doc_yaml("jobs:")["jobs"]["cfgscan"]["steps"]
    upload = next(s for s in steps if s.get("uses", "").startswith("github/codeql-action/upload-sarif@"))
    scan = next(s for s in steps if s.get("id") == "scan")
    assert f"--format sarif --output {upload['with']['sarif_file']}" in scan["run"]
    assert upload["if"] == "always()"
    gate = steps[-1]
    assert gate["if"] == "steps.scan.outputs.code != '0'" and "steps.scan.outputs.code" in gate["run"]


def test_doc_gitlab_job_reports_the_junit_it_writes() -> None:
    job = doc_yaml("artifacts:")["cfgscan"]
    assert f"--format junit --output {job['artifacts']['reports']['junit']}" in " ".join(job["script"])
    assert job["artifacts"]["when"] == "always"


def doc_commands() -> list[list[str]]:
    lines = [line.strip().lstrip("- ").removeprefix("run: ") for lang in ("yaml", "sh") for b in doc_blocks(lang)
             for line in b.splitlines()]
    return [shlex.split(line.split(">>")[0])[1:] for line in lines if line.startswith("cfgscan ")]


def test_doc_commands_run_and_produce_their_format(cli: Callable[..., Run], tmp_path: Path) -> None:
    repo = tmp_path / "repo"
    shutil.copytree(ACME_MATRIX.parent / "repo", repo)
    commands = doc_commands()
    assert len(commands) >= 6
    for args in commands:
        run = cli(*args, "--matrix", str(ACME_MATRIX), "--no-builtin-matrix", "--no-inventory",
                  "--installed", "acme=2.5", "--target", "acme=3.0", cwd=repo)
        expected = 0 if "never" in args or "--baseline" in args or args[0] == "baseline" else 1
        assert run.code == expected, (args, run.err)
        fmt = args[args.index("--format") + 1] if "--format" in args else None
        out = (repo / args[args.index("--output") + 1]).read_text() if "--output" in args else run.out
        if fmt == "sarif":
            assert json.loads(out)["version"] == "2.1.0"
        elif fmt == "junit":
            assert ET.fromstring(out).get("failures") == "7"
        elif fmt == "github":
            assert sum(line.startswith("::") for line in out.splitlines()) == 7
        elif fmt == "markdown":
            assert out.startswith("## cfgscan: 7 findings")
