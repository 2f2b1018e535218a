"""The error hierarchy: every error a user can cause is a ScannerError, caught once at the CLI edge."""

from __future__ import annotations


class ScannerError(Exception):
    """Base class; the message starts with the file (and line) it is about where there is one."""

    exit_code = 2


class UsageError(ScannerError):
    """A bad command-line argument or option value."""


class ConfigError(ScannerError):
    """An invalid ``[tool.cfgscan]`` table or ``.cfgscan.toml`` file."""


class MatrixError(ScannerError):
    """One or more invalid matrix files; ``problems`` holds every message found."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        super().__init__("\n".join(problems))
