"""A line of the places a number key reaches, the current one highlighted; each is clickable."""

from __future__ import annotations

from rich.text import Text
from textual import events
from textual.widgets import Static

from lms.i18n import _
from scheduler_tui.keys import PLACES


def place_cells(current: str, compact: bool = False) -> list[tuple[str, Text]]:
    """(place, its text) in order: the key, then the label; ``compact`` drops the padding (a narrow line)."""
    cells = []
    pad = "" if compact else " "
    for place, key, label in PLACES:
        chosen = place == current
        text = Text(f"{pad}{key} ", style="bold reverse" if chosen else "bold")
        text.append(f"{_(label)}{pad}", style="reverse" if chosen else "")
        cells.append((place, text))
    return cells


class NavBar(Static):
    def __init__(self, current: str) -> None:
        super().__init__(id="nav")
        self.current = current
        self.compact = False

    def on_mount(self) -> None:
        self.draw()

    def on_resize(self) -> None:
        self.draw()

    def draw(self) -> None:
        roomy = Text(" ").join(text for _place, text in place_cells(self.current))
        self.compact = 0 < self.size.width < roomy.cell_len
        self.update(Text(" ").join(text for _place, text in place_cells(self.current, self.compact)))

    async def on_click(self, event: events.Click) -> None:
        column = 0
        for place, text in place_cells(self.current, self.compact):
            if column <= event.x < column + text.cell_len:
                await self.app.run_action(f"show('{place}')")
                return
            column += text.cell_len + 1
