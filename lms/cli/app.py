"""The ``lms`` command line's entry point. Plugins add their commands through ``lms_register_commands``.

Every failure a user can fix is one line on stderr and exit code 1; ``LMS_DEBUG=1`` shows tracebacks. A plugin's
early start (``lms tui``) runs before Typer and the command tree (``lms.cli.root``) are imported.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence

from lms.access.command_permissions import require_command
from lms.access.roles import configured_role, set_role
from lms.cli import fail
from lms.errors import LmsError
from lms.i18n import _, normalise_language, set_language
from lms.plugins import quick_command

GLOBAL_OPTIONS = ("--db", "--lang")


def split_global_options(argv: Sequence[str]) -> tuple[list[str], dict[str, str]]:
    """Take ``--db URL`` and ``--lang zh|en`` from anywhere on the line, so each command accepts them."""
    rest: list[str] = []
    found: dict[str, str] = {}
    items = list(argv)
    index = 0
    while index < len(items):
        item = items[index]
        if item == "--":
            rest.extend(items[index:])
            break
        name, _sep, value = item.partition("=")
        if name in GLOBAL_OPTIONS:
            if not _sep:
                if index + 1 >= len(items):
                    raise LmsError(_("{option} needs a value").format(option=name))
                value = items[index + 1]
                index += 1
            found[name] = value
        else:
            rest.append(item)
        index += 1
    return rest, found


def main(argv: Sequence[str] | None = None) -> None:
    """Console entry point."""
    debug = bool(os.environ.get("LMS_DEBUG"))
    try:
        args, options = split_global_options(sys.argv[1:] if argv is None else argv)
        if "--lang" in options:
            chosen = options["--lang"]
            if normalise_language(chosen) is None:
                raise LmsError(_("unknown language {value!r}: zh or en").format(value=chosen), field="--lang")
            set_language(chosen)
        set_role(configured_role())  # once, so a bad LMS_ROLE or access setting fails before any work
        quick = quick_command(args, options.get("--db"))
        # The permission table is checked against what was typed: a plugin's early start counts only for its words.
        if quick is not None and quick.words.split() == list(args[: len(quick.words.split())]):
            # e.g. ``lms tui``: paints before the command line and the ORM are loaded
            require_command(quick.words)
            quick.run()
            sys.exit(0)
        from lms.cli.root import run_command_line

        code = run_command_line(args, options)
    except LmsError as error:
        for line in str(error).splitlines() or [error.__class__.__name__]:
            fail(line)
        sys.exit(1)
    except KeyboardInterrupt:
        sys.exit(130)
    except Exception as error:
        if debug:
            raise
        from lms.db import is_busy

        if is_busy(error):
            fail(_("the database is busy: someone else is writing to it; nothing was changed, try again"))
            sys.exit(1)
        fail(_("internal error: {error} (run with LMS_DEBUG=1 for details)").format(error=repr(error)))
        sys.exit(2)
    sys.exit(code)
