"""Every command of the command line, for every role, against the one permission table: a refused role is refused
before the command parses anything, with one line naming the role and the command; no command goes unlisted."""

from __future__ import annotations

from typing import Any

import pytest
import typer

from lms.access.command_permissions import COMMANDS, may_run, require_command
from lms.access.roles import PermissionDenied, Role, acting_as
from lms.cli.root import build_app
from lms.plugins import make_plugin_manager


def every_command() -> list[str]:
    found: list[str] = []

    def walk(command: Any, words: list[str]) -> None:
        subcommands = getattr(command, "commands", None)
        if subcommands:
            for name, sub in sorted(subcommands.items()):
                walk(sub, [*words, name])
        else:
            found.append(" ".join(words))

    walk(typer.main.get_command(build_app(make_plugin_manager())), [])
    return found


COMMAND_LINE = every_command()


def test_every_command_is_in_the_table() -> None:
    assert COMMAND_LINE, "no commands found"
    assert [command for command in COMMAND_LINE if command not in COMMANDS] == []


@pytest.mark.parametrize("role", list(Role))
def test_each_role_runs_exactly_what_the_table_allows(cli, role: Role, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("LMS_ROLE", role.value)
    for command in COMMAND_LINE:
        if may_run(command, role):
            with acting_as(role):
                require_command(command)  # allowed: not refused (running it here would open apps and servers)
            continue
        result = cli(*command.split())
        assert result.code == 1, (role, command, result.out, result.err)
        assert "may not run lms " + command + " (" in result.err and result.err.count("\n") == 1, (
            role,
            command,
            result.err,
        )


def test_trainees_may_take_quizzes_and_check_certificates_but_read_no_scores() -> None:
    allowed = {command for command in COMMAND_LINE if may_run(command, Role.trainee)}
    assert allowed <= {"quiz take", "feedback take", "certs verify", "calendar workdays"}
    for command in ("report compliance", "quiz results", "quiz paper", "quiz stats", "certs keys rotate"):
        assert not may_run(command, Role.trainee)


def test_a_command_nobody_listed_is_closed() -> None:
    with acting_as(Role.admin), pytest.raises(PermissionDenied, match="permission table"):
        require_command("brand new")


def permission_table() -> list[str]:
    """The table as the closing note prints it: command, then the roles that may run it."""
    return [
        f"{command}: {', '.join(role.value for role in Role if may_run(command, role))}" for command in sorted(COMMANDS)
    ]
