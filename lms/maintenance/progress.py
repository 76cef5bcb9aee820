"""Long one-off work (the first build of the document fonts takes minutes) says what it is doing.

The core and the plugins only report steps here; whoever shows them (the command line's progress bar, the TUI's
message) installs a reporter. Without one, reports go nowhere, as in tests and the web server.
"""

from __future__ import annotations

from collections.abc import Callable

# what: the sentence a user reads; done/total: steps finished of all steps (done == total: the work has ended)
Reporter = Callable[[str, int, int], None]

_reporter: Reporter | None = None


def set_reporter(reporter: Reporter | None) -> Reporter | None:
    """Install the reporter for this process; returns the one it replaces (to put back)."""
    global _reporter
    previous, _reporter = _reporter, reporter
    return previous


def report(what: str, done: int, total: int) -> None:
    if _reporter is not None:
        _reporter(what, done, total)
