"""The session editor's trainer list: a selection list whose chosen rows carry ☑ (the others ☐), so the choice
reads without colour, and whose first row is highlighted as soon as it is filled, so the first ``space`` toggles it."""

from __future__ import annotations

from collections.abc import Iterable

from rich.segment import Segment
from rich.style import Style
from textual.strip import Strip
from textual.widgets import OptionList, SelectionList

CHOSEN, NOT_CHOSEN = "☑", "☐"


class TrainerChecklist(SelectionList[str]):
    def show_trainers(self, options: Iterable[tuple[str, str]], chosen: Iterable[str]) -> None:
        """Fill the list (again, after someone else's save) and tick ``chosen`` in that order: the first leads."""
        self.clear_options()
        self.add_options(list(options))
        for code in chosen:
            self.select(code)
        if self.option_count:
            self.highlighted = 0

    def _get_left_gutter_width(self) -> int:
        return len(CHOSEN + " ")

    def render_line(self, y: int) -> Strip:
        line = OptionList.render_line(self, y)  # the prompt alone, without SelectionList's coloured toggle
        index = self.scroll_offset.y + y
        if index >= self.option_count:
            return line
        value = self.get_option_at_index(index).value
        chosen = value in self.selected
        base = next(iter(line)).style or self.rich_style
        mark_style = base + (Style(bold=True, color="green") if chosen else Style(dim=True))
        return Strip([Segment(CHOSEN if chosen else NOT_CHOSEN, mark_style), Segment(" ", base), *line])
