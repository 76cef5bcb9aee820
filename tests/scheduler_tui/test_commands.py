"""What ``lms serve`` starts for each browser tab."""

from __future__ import annotations

import shlex
import sys

from scheduler_tui.commands import served_command


def test_the_planning_app_is_served_with_exec_and_the_database() -> None:
    command = served_command("sqlite:////tmp/a b.db")
    assert command == f"exec {shlex.quote(sys.executable)} -m lms --db 'sqlite:////tmp/a b.db' tui"


def test_a_quiz_is_served_for_one_session() -> None:
    command = served_command(None, "S-JTXQ20")
    assert command.startswith("exec ") and command.endswith(" -m lms quiz take --session S-JTXQ20")
    assert "'" in served_command(None, "S-1; rm -rf ~")  # quoted, never run as shell
