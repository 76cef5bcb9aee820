"""Textual's own command-palette entries (Theme, Quit, Keys, Maximize, Screenshot...) in the user's language.

Textual yields them in English from ``App.get_system_commands``; :class:`LocalisedApp` keeps Textual's choice of
entries (which depends on the screen: Keys shows or hides the help panel, Maximize only with a focused widget) and
swaps each title and help text for ours, looked up when the palette opens, so a language switch applies at once.
An entry a later Textual adds and we do not know yet stays in English rather than disappearing.
"""

from __future__ import annotations

import io
import time
from collections.abc import Iterable
from typing import Any

from textual.app import App, SystemCommand
from textual.command import CommandPalette
from textual.events import DeliveryComplete, DeliveryFailed
from textual.notifications import SeverityLevel
from textual.screen import Screen
from textual.theme import ThemeProvider

from lms.i18n import _


def textual_titles() -> dict[str, str]:
    """Textual's titles, in English as it yields them, and ours."""
    return {
        "Theme": _("Theme"),
        "Quit": _("Quit"),
        "Keys": _("Keys"),
        "Minimize": _("Minimize"),
        "Maximize": _("Maximize"),
        "Screenshot": _("Screenshot"),
    }


def textual_help() -> dict[str, str]:
    """Textual's help lines, in English as it yields them, and ours."""
    return {
        "Change the current theme": _("Change the colour theme"),
        "Quit the application as soon as possible": _("Quit the application"),
        "Hide the keys and widget help panel": _("Hide the panel of keys and help"),
        "Show help for the focused widget and a summary of available keys": _(
            "Show help for the focused field and a summary of the keys"
        ),
        "Minimize the widget and restore to normal size": _("Restore the widget to its normal size"),
        "Maximize the focused widget": _("Maximize the focused widget"),
        "Save an SVG 'screenshot' of the current screen": _("Save a picture (SVG) of the current screen"),
    }


def translated(commands: Iterable[SystemCommand]) -> Iterable[SystemCommand]:
    titles, help_lines = textual_titles(), textual_help()
    for command in commands:
        yield command._replace(
            title=titles.get(command.title, command.title), help=help_lines.get(command.help, command.help)
        )


SCREENSHOT = "lms-screenshot"  # our delivery's name: Textual's own handlers answer only to "screenshot", in English


class LocalisedApp(App[None]):
    """An app whose palette entries and palette prompts from Textual read in the user's language."""

    def notify(
        self,
        message: str,
        *,
        title: str = "",
        severity: SeverityLevel = "information",
        timeout: float | None = None,
        markup: bool = True,
    ) -> None:
        """Notifications carry names, file paths and typed values: always plain text, never read as markup (a
        path or a name with ``[/]`` in it would otherwise stop the app)."""
        super().notify(message, title=title, severity=severity, timeout=timeout, markup=False)

    def get_system_commands(self, screen: Screen[Any]) -> Iterable[SystemCommand]:
        for command in translated(super().get_system_commands(screen)):
            if command.title == _("Screenshot"):  # the palette closes first, as with Textual's own
                command = command._replace(callback=lambda: self.set_timer(0.1, self.screenshot_to_downloads))
            yield command

    def screenshot_to_downloads(self) -> None:
        """Textual's screenshot (an SVG in the user's downloads folder), reported in our words."""
        self.deliver_text(
            io.StringIO(self.export_screenshot()),
            save_filename=f"lms-{time.strftime('%Y-%m-%dT%H_%M_%S')}.svg",
            open_method="browser",
            mime_type="image/svg+xml",
            name=SCREENSHOT,
        )

    def action_command_palette(self) -> None:
        if self.use_command_palette and not isinstance(self.screen, CommandPalette):  # as Textual's own, typed
            self.push_screen(CommandPalette(id="--command-palette", placeholder=_("Search for commands…")))

    def search_themes(self) -> None:
        self.push_screen(CommandPalette(providers=[ThemeProvider], placeholder=_("Search for themes…")))

    def action_help_quit(self) -> None:
        """Textual's answer to ctrl+c (which does not quit), in our words."""
        for active in self.active_bindings.values():
            if active.binding.action in ("quit", "app.quit"):
                shown = self.get_key_display(active.binding)
                self.notify(_("Press {key} to quit").format(key=shown), title=_("Quit?"))
                return

    def on_delivery_complete(self, event: DeliveryComplete) -> None:
        if event.name == SCREENSHOT:
            self.notify(_("Screenshot saved: {path}").format(path=event.path or "—"), title=_("Screenshot"))

    def on_delivery_failed(self, event: DeliveryFailed) -> None:
        if event.name == SCREENSHOT:
            reason = str(event.exception)
            self.notify(_("The screenshot was not saved: {reason}").format(reason=reason), severity="error")
