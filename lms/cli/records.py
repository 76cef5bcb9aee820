"""What the master-data commands share: errors named by the option the user typed, the common options, and
the one-line report of a save."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import typer

from lms.errors import LmsError
from lms.i18n import _


@contextmanager
def named_by_options() -> Iterator[None]:
    """A problem with a field (``id_number``) is reported under the option that gave it (``--id-number``)."""
    try:
        yield
    except LmsError as error:
        if error.field and not error.field.startswith("-") and error.field != "code":
            error.field = "--" + error.field.replace("_", "-")
        elif error.field == "code":
            error.field = "CODE"
        raise


def expect_version_option() -> Any:
    return typer.Option(
        None,
        "--expect-version",
        help=_("save only if the record is still at this version (a checked save); default: the stored one"),
    )


def all_option() -> Any:
    return typer.Option(False, "--all", help=_("include retired records"))


def reason_option(help_text: str) -> Any:
    return typer.Option(None, "--reason", help=help_text)


def saved_line(what: str, version: int) -> str:
    return _("{what} saved (version {version})").format(what=what, version=version)


def yes_no(value: bool) -> str:
    return _("yes") if value else ""
