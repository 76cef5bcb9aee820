"""The command line's own frame in the user's language: usage line, help panels, ``[default: …]``, usage errors.

Typer 0.29 draws these itself, in English: its vendored Click builds most of them as plain f-strings (it dropped
Click's gettext calls), and its rich help keeps the rest in module constants read when the help is drawn. So the
frame is said here, in our catalog's words, through the hooks Typer keeps: Click's ``Context.formatter_class`` for
the usage line, the help option's ``help`` text, the ``typer.rich_utils`` panel constants, and the exception
classes (with their parameters) for the usage errors ``lms.cli.root.run_command_line`` prints as one line.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator

from typer._click.core import Command, Context
from typer._click.exceptions import (
    BadOptionUsage,
    BadParameter,
    MissingParameter,
    NoSuchOption,
    UsageError,
)
from typer._click.formatting import HelpFormatter
from typer.exceptions import TyperException

from lms.i18n import _


class LocalisedFormatter(HelpFormatter):
    """Click's help formatter with the usage line's prefix in the user's language."""

    def write_usage(self, prog: str, args: str = "", prefix: str | None = None) -> None:
        super().write_usage(prog, args, _("Usage: ") if prefix is None else prefix)


class LocalisedContext(Context):
    formatter_class = LocalisedFormatter

    def make_formatter(self) -> HelpFormatter:
        # Typer's rich help reads its panel titles from module constants when it draws; this is the first thing it
        # asks for, so the constants are put in the current language here (and only when help is drawn at all).
        translate_rich_panels()
        return super().make_formatter()


def translate_rich_panels() -> None:
    """Set Typer's rich help constants (panel titles, ``[default: …]``, ``[required]``) in the current language."""
    from typer import rich_utils

    rich_utils.ARGUMENTS_PANEL_TITLE = _("Arguments")
    rich_utils.OPTIONS_PANEL_TITLE = _("Options")
    rich_utils.COMMANDS_PANEL_TITLE = _("Commands")
    rich_utils.ERRORS_PANEL_TITLE = _("Error")
    rich_utils.DEFAULT_STRING = _("[default: {}]")
    rich_utils.REQUIRED_LONG_STRING = _("[required]")
    rich_utils.ENVVAR_STRING = _("[env var: {}]")
    rich_utils.DEPRECATED_STRING = _("(deprecated) ")
    rich_utils.ABORTED_TEXT = _("Aborted.")


def commands_of(command: Command) -> Iterator[Command]:
    """The command and every command under it."""
    yield command
    for child in (getattr(command, "commands", None) or {}).values():
        yield from commands_of(child)


def localise_frame(root: Command) -> None:
    """Give every command of the tree the localised context and its ``--help`` option our words."""
    for command in commands_of(root):
        command.context_class = LocalisedContext
        help_option = command.get_help_option(Context(command))
        if help_option is not None:
            help_option.help = _("Show this message and exit.")


# --- usage errors --------------------------------------------------------------------------------------------------

# Typer's plain-English frames without a dedicated exception class: the shape, and our words for it.
PLAIN_FRAMES: list[tuple[re.Pattern[str], Callable[[re.Match[str]], str]]] = [
    (
        re.compile(r"No such command '(?P<name>[^']*)'\.(?: Did you mean (?P<near>.+)\?)?"),
        lambda m: (
            _("no such command: {name}").format(name=m["name"])
            + (_(" (did you mean {names}?)").format(names=m["near"]) if m["near"] else "")
        ),
    ),
    (re.compile(r"Missing command\."), lambda m: _("a command is missing")),
    (
        re.compile(r"Got unexpected extra argument(?:\(s\)|s)? \((?P<args>.*)\)"),
        lambda m: _("unexpected extra argument: {args}").format(args=m["args"]),
    ),
    (
        re.compile(r"Option '(?P<name>[^']*)' requires (?:an argument|(?P<count>\d+) arguments)\."),
        lambda m: (
            _("option {name} needs a value").format(name=m["name"])
            if not m["count"]
            else _("option {name} needs {count} values").format(name=m["name"], count=m["count"])
        ),
    ),
    (
        re.compile(r"Option '(?P<name>[^']*)' does not take a value\."),
        lambda m: _("option {name} takes no value").format(name=m["name"]),
    ),
]


# Why a value was refused, as Typer's pydantic coercion says it: the shape, and our words for it.
VALUE_REASONS: list[tuple[re.Pattern[str], Callable[[re.Match[str]], str]]] = [
    (
        re.compile(r"(?:Value error, )?(?P<value>'.*') is not one of (?P<choices>.*)\."),
        lambda m: _("{value} is not one of {choices}").format(value=m["value"], choices=m["choices"]),
    ),
    (re.compile(r"Input should be a valid integer.*"), lambda m: _("a whole number is expected")),
    (re.compile(r"Input should be a valid number.*"), lambda m: _("a number is expected")),
    (re.compile(r"Input should be a valid boolean.*"), lambda m: _("yes or no (true or false) is expected")),
]


def value_reason(error: BadParameter) -> str:
    for pattern, words in VALUE_REASONS:
        found = pattern.fullmatch(error.message.strip())
        if found:
            return words(found)
    return error.message


def parameter_name(error: BadParameter) -> str:
    if error.param_hint is not None:
        return error.param_hint if isinstance(error.param_hint, str) else " / ".join(error.param_hint)
    if error.param is not None:
        return error.param.get_error_hint()
    return ""


def usage_error_text(error: TyperException) -> str:
    """One line saying what was wrong with the command line, in the user's language."""
    if isinstance(error, NoSuchOption):
        text = _("no such option: {name}").format(name=error.option_name)
        if error.possibilities:
            text += _(" (did you mean {names}?)").format(names=", ".join(sorted(error.possibilities)))
        return text
    if isinstance(error, MissingParameter):
        kind = error.param_type or (error.param.param_type_name if error.param is not None else "parameter")
        name = parameter_name(error)
        if kind == "argument":
            return _("missing argument {name}").format(name=name)
        if kind == "option":
            return _("missing option {name}").format(name=name)
        return _("missing parameter {name}").format(name=name)
    if isinstance(error, BadParameter):
        return _("invalid value for {name}: {reason}").format(name=parameter_name(error), reason=value_reason(error))
    message = error.format_message() if hasattr(error, "format_message") else str(error)
    if isinstance(error, UsageError | BadOptionUsage):
        for pattern, words in PLAIN_FRAMES:
            found = pattern.fullmatch(message.strip())
            if found:
                return words(found)
    return " ".join(message.split())
