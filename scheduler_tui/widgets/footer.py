"""The footer, translating binding labels as it draws them (see :mod:`scheduler_tui.keys`)."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.widgets import Footer
from textual.widgets._footer import FooterKey

from lms.i18n import _


class LmsFooter(Footer):
    def compose(self) -> ComposeResult:
        for widget in super().compose():
            if isinstance(widget, FooterKey):
                widget.description = _(widget.description)
            yield widget
