"""The footer, translating binding labels as it draws them (see :mod:`scheduler_tui.keys`).

The keys sit in a row that ends where the command palette's key begins: Textual lets them run on under that key
when they overflow (the roster's do at 120 columns), and the screen then cuts its Chinese characters in half
(「命令  板」)."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import HorizontalGroup
from textual.widget import Widget
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
    DEFAULT_CSS = """
    LmsFooter > #footer-keys {
        width: 1fr;
        height: 1;
        overflow: hidden hidden;
    }
    """

    def compose(self) -> ComposeResult:
        textual = textual_descriptions()
        palette: Widget | None = None
        with HorizontalGroup(id="footer-keys"):
            for widget in super().compose():
                if isinstance(widget, FooterKey):
                    widget.description = textual.get(widget.description) or _(widget.description)
                if widget.has_class("-command-palette"):
                    palette = widget  # docked right, outside the row of keys
                else:
                    yield widget
        if palette is not None:
            yield palette
