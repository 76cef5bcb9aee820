"""The quiz commands register without loading the UI: ``take`` imports Textual only when it runs."""

from __future__ import annotations

import subprocess
import sys
from typing import Any

import pytest

QUIZ_MODULES = [
    "lms.cli.quiz",
    "lms.cli.quiz_trainer",
    "lms.assessment.attempts",
    "lms.assessment.sittings",
    "lms.catalog.gift.importer",
    "lms.catalog.gift.export",
    "lms.assessment.answer_sheets",
    "lms.assessment.regrade",
    "lms.assessment.statistics",
]


def test_quiz_modules_and_registration_load_no_ui() -> None:
    code = "\n".join(
        [
            "import sys, typer",
            *[f"import {name}" for name in QUIZ_MODULES],
            "from lms.cli.quiz import register_quiz_commands",
            "register_quiz_commands(typer.Typer())",
            "print(' '.join(sorted(sys.modules)))",
        ]
    )
    output = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert not {name for name in output.split() if name.split(".")[0] in ("textual", "weasyprint")}


def test_quiz_group_lists_its_commands(qcli: Any) -> None:
    shown = qcli("quiz", "--help")
    assert shown.code == 0
    commands = (
        "take",
        "grade",
        "import-gift",
        "export-gift",
        "stats",
        "regrade",
        "tutoring",
        "mark",
        "results",
        "paper",
    )
    for command in commands:
        assert command in shown.out


@pytest.fixture
def qcli(cli: Any) -> Any:
    """The in-process command line; the quiz group is registered like every other."""
    return cli
