"""The command line's own frame (usage line, help panels, defaults, usage errors) speaks the user's language."""

from __future__ import annotations

from pathlib import Path

import pytest

ENGLISH_FRAME = ("Usage:", "Options", "Commands", "Show this message and exit.", "[default:", "[required]")


@pytest.fixture
def chinese(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LMS_LANG", "zh")


def test_top_level_help_in_chinese(cli, chinese) -> None:  # type: ignore[no-untyped-def]
    shown = cli("--help").out
    assert "用法：lms" in shown
    assert "─ 选项 ─" in shown and "─ 命令 ─" in shown
    assert "显示此帮助信息并退出。" in shown
    for english in ENGLISH_FRAME:
        assert english not in shown, english


def test_command_help_marks_defaults_and_required_in_chinese(cli, chinese) -> None:  # type: ignore[no-untyped-def]
    shown = cli("sessions", "new", "--help").out
    assert "用法：lms sessions new" in shown
    assert "[必填]" in shown and "[默认：1]" in shown
    for english in ENGLISH_FRAME:
        assert english not in shown, english
    arguments = cli("calendar", "workdays", "--help").out
    assert "─ 参数 ─" in arguments and "Arguments" not in arguments


def test_the_same_process_switches_back_to_english(cli, chinese) -> None:  # type: ignore[no-untyped-def]
    assert "[必填]" in cli("sessions", "new", "--help").out
    shown = cli("--lang", "en", "sessions", "new", "--help").out
    assert "Usage: lms sessions new" in shown
    assert "[required]" in shown and "[default: 1]" in shown and "Show this message and exit." in shown
    assert "必填" not in shown and "用法" not in shown


def test_group_without_a_command_shows_its_help_in_chinese(cli, chinese) -> None:  # type: ignore[no-untyped-def]
    result = cli("sessions")
    assert "用法：lms sessions" in result.out + result.err
    assert "─ 命令 ─" in result.out + result.err
    assert result.code == 0 and "lms: " not in result.err  # the help is the answer: no empty error line after it


@pytest.mark.parametrize(
    ("args", "english", "chinese_words"),
    [
        (("init", "--bogus"), "no such option: --bogus", "没有这个选项：--bogus"),
        (("bogus",), "no such command: bogus (did you mean 'orgs'?)", "没有这个命令：bogus（您是不是要找 'orgs'？）"),
        (("sessions", "new"), "missing option '--project'", "缺少选项 '--project'"),
        (("calendar", "workdays", "2026-01-05"), "missing argument 'count'", "缺少参数 'count'"),
        (("calendar", "workdays", "2026-01-05", "3", "4"), "unexpected extra argument: 4", "多余的参数：4"),
        (("sessions", "list", "--format"), "option --format needs a value", "选项 --format 需要一个值"),
        (
            ("sessions", "list", "--format", "xml"),
            "invalid value for '--format': 'xml' is not one of 'text', 'json'",
            "'--format' 的值无效：'xml' 不在可选值之内：'text', 'json'",
        ),
        (
            ("schedule", "export-ics", "--all", "-o", "x.ics", "--bogus"),
            "no such option: --bogus",
            "没有这个选项：--bogus",
        ),
    ],
)
def test_usage_errors_are_one_line_in_either_language(  # type: ignore[no-untyped-def]
    cli, monkeypatch: pytest.MonkeyPatch, args: tuple[str, ...], english: str, chinese_words: str
) -> None:
    result = cli(*args)
    assert (result.code, result.err) == (1, f"lms: {english}\n")
    monkeypatch.setenv("LMS_LANG", "zh")
    result = cli(*args)
    assert (result.code, result.err) == (1, f"lms: {chinese_words}\n")


def test_a_bad_number_is_refused_in_chinese(cli, chinese) -> None:  # type: ignore[no-untyped-def]
    result = cli("sessions", "new", "--project", "P", "--obligation", "O", "--start", "2026-01-05", "--trainer", "T",
                 "--days", "abc")  # fmt: skip
    assert (result.code, result.err) == (1, "lms: '--days' 的值无效：应为整数\n")


ENGLISH_HELP = """
import re, typer
from lms.cli.root import build_app
from lms.cli.frame import commands_of
from lms.plugins import make_plugin_manager

root = typer.main.get_command(build_app(make_plugin_manager()))
for command in commands_of(root):
    for text in [command.help or "", *(getattr(param, "help", None) or "" for param in command.params)]:
        if text and not re.search(r"[\\u4e00-\\u9fff]", text) and not re.fullmatch(r"[A-Z0-9:.\\-\\s]+", text):
            print(f"{command.name}: {text}")
"""


def test_every_help_text_of_every_command_is_in_chinese() -> None:
    """Help strings made at import time (shared options) are said in the run's language too. A fresh process, as
    ``lms --help`` is: modules imported earlier by other tests would keep the language of that moment."""
    import os
    import subprocess
    import sys

    root = Path(__file__).resolve().parents[2]
    environment = os.environ | {
        "LMS_LANG": "zh",
        "PYTHONPATH": str(root) + os.pathsep + os.environ.get("PYTHONPATH", ""),
    }
    run = subprocess.run(
        [sys.executable, "-c", ENGLISH_HELP], env=environment, capture_output=True, text=True, timeout=120, check=False
    )
    assert run.returncode == 0, run.stderr[-2000:]
    assert run.stdout == ""


def test_an_unknown_language_is_refused_in_one_line(cli) -> None:  # type: ignore[no-untyped-def]
    result = cli("--lang", "fr", "orgs", "list")
    assert result.code == 1 and result.out == ""
    assert result.err == "lms: --lang: unknown language 'fr': zh or en\n"
    assert cli("--lang", "zh_CN", "orgs", "list").code == 0  # a locale's spelling of a language we have is fine
