"""The footer, translating binding labels as it draws them (see :mod:`scheduler_tui.keys`)."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.widgets import Footer
from textual.widgets._footer import FooterKey

from lms.i18n import _


def textual_descriptions() -> dict[str, str]:
    """Keys Textual's own widgets show in the footer, in English as Textual writes them, and ours."""
    return {
        "Dismiss menu": _("Close the list"),  # an open dropdown (Select)
        "Exit the command palette": _("Close the command palette"),
        "Open link": _("Open the link"),
    }


class LmsFooter(Footer):
    def compose(self) -> ComposeResult:
        textual = textual_descriptions()
        for widget in super().compose():
            if isinstance(widget, FooterKey):
                widget.description = textual.get(widget.description) or _(widget.description)
            yield widget
