"""A line of the places a number key reaches, the current one highlighted; each is clickable."""

from __future__ import annotations

from rich.text import Text
from textual import events
from textual.widgets import Static

from lms.i18n import _
from scheduler_tui.keys import PLACES


def place_cells(current: str) -> list[tuple[str, Text]]:
    """(place, its text) in order: the key, then the label."""
    cells = []
    for place, key, label in PLACES:
        chosen = place == current
        text = Text(f" {key} ", style="bold reverse" if chosen else "bold")
        text.append(f"{_(label)} ", style="reverse" if chosen else "")
        cells.append((place, text))
    return cells


class NavBar(Static):
    def __init__(self, current: str) -> None:
        super().__init__(id="nav")
        self.current = current

    def on_mount(self) -> None:
        self.update(Text(" ").join(text for _place, text in place_cells(self.current)))

    async def on_click(self, event: events.Click) -> None:
        column = 0
        for place, text in place_cells(self.current):
            if column <= event.x < column + text.cell_len:
                await self.app.run_action(f"show('{place}')")
                return
            column += text.cell_len + 1
