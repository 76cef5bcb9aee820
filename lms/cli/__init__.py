"""The ``lms`` command line: ``app.main`` is the entry point, ``root`` the Typer command tree."""

from __future__ import annotations

import sys


def fail(message: str) -> None:
    """One line on stderr saying why the command failed (the caller picks the exit code)."""
    sys.stderr.write(f"lms: {message}\n")
