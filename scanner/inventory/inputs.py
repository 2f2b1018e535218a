"""The project-root files each inventory source reads: collect looks for them before importing the source."""

from __future__ import annotations

# Names are exact file names at the project root; patterns are globs relative to it (at most one folder deep).
TOML_LOCKS = ("uv.lock", "poetry.lock", "pdm.lock", "pylock.toml")
JSON_LOCKS = ("Pipfile.lock", "package-lock.json")
PNPM_LOCK = "pnpm-lock.yaml"
YARN_LOCK = "yarn.lock"
REQUIREMENTS = ("requirements*.txt", "requirements/*.txt", "constraints*.txt")  # pins before constraints
PYPROJECT = "pyproject.toml"
PACKAGE_JSON = "package.json"
RUNTIME_PINS = (".python-version", ".nvmrc", ".node-version", ".tool-versions", "runtime.txt")
DOCKERFILES = ("Dockerfile*", "*.Dockerfile", "*/Dockerfile*")
VENV_FOLDERS = (".venv", "venv")
