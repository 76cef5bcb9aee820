"""Answer inputs for the quiz screens, one per kind of question view; each posts ``Answered`` on every change.

Inputs work only with the question view (``lms.questions.views``): option ids and labels, never a key. Question
text is shown as plain text (never parsed as markup).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.geometry import Size
from textual.message import Message
from textual.widgets import (
    Button,
    Input,
    Label,
    ListItem,
    ListView,
    RadioButton,
    RadioSet,
    Select,
    SelectionList,
    Static,
    TextArea,
)

from lms.i18n import _, pick
from lms.questions.grading import parse_number
from lms.questions.views import OptionView, QuestionView


def option_text(option: OptionView) -> Text:
    return Text(f"{option.label}. {pick(option.text)}")


class LongRadioButton(RadioButton):
    """A radio button whose label wraps: options can be a sentence long."""

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        return max(1, len(self.render().wrap(max(1, width))))


class AnswerInput(Vertical):
    """Base of every answer input: holds the view and announces each change of the response."""

    @dataclass
    class Answered(Message):
        question_id: int
        response: Any

    def __init__(self, view: QuestionView) -> None:
        super().__init__(classes="answer")
        self.view = view

    def on_mount(self) -> None:
        focusable = [widget for widget in self.query("*") if widget.focusable]
        if focusable:
            focusable[0].focus()

    def announce(self, response: Any) -> None:
        self.post_message(self.Answered(self.view.question_id, response))


class ChoiceInput(AnswerInput):
    """Single choice and true/false: one radio button per option."""

    def compose(self) -> ComposeResult:
        with RadioSet(id="choices"):
            for option in self.view.body.options:
                yield LongRadioButton(option_text(option), value=option.id == self.view.response, name=option.id)

    @on(RadioSet.Changed)
    def chosen(self, event: RadioSet.Changed) -> None:
        event.stop()
        self.announce(event.pressed.name)


class ChoicesInput(AnswerInput):
    """Multiple response: tick any number of options (space)."""

    def compose(self) -> ComposeResult:
        picked = set(self.view.response or [])
        yield Static(_("Choose all that apply (space ticks)."), classes="hint")
        yield SelectionList[str](
            *[(option_text(option), option.id, option.id in picked) for option in self.view.body.options], id="choices"
        )

    @on(SelectionList.SelectedChanged)
    def ticked(self, event: SelectionList.SelectedChanged[str]) -> None:
        event.stop()
        self.announce(sorted(event.selection_list.selected))


class TextInput(AnswerInput):
    """Numeric and short answers: one line."""

    def compose(self) -> ComposeResult:
        with Horizontal(classes="line"):
            yield Input(value=str(self.view.response or ""), id="text", placeholder=_("type your answer"))
            if self.view.body.unit:
                yield Label(Text(self.view.body.unit), classes="unit")
        yield Static("", id="warning", classes="hint")

    @on(Input.Changed)
    def typed(self, event: Input.Changed) -> None:
        event.stop()
        warning = ""
        if self.view.body.input == "number" and event.value.strip():
            if parse_number(event.value, self.view.body.unit) is None:
                warning = _("this is not a number yet")
        self.query_one("#warning", Static).update(warning)
        self.announce(event.value)


class EssayInput(AnswerInput):
    def compose(self) -> ComposeResult:
        yield Static(_("Your trainer marks this answer."), classes="hint")
        yield TextArea(str(self.view.response or ""), id="essay")

    @on(TextArea.Changed)
    def typed(self, event: TextArea.Changed) -> None:
        event.stop()
        self.announce(event.text_area.text)


class MatchInput(AnswerInput):
    """Matching: for each item on the left, pick its partner from the list on the right."""

    def compose(self) -> ComposeResult:
        current = list(self.view.response or [None] * len(self.view.body.lefts))
        options = [(option_text(option), option.id) for option in self.view.body.rights]
        for index, left in enumerate(self.view.body.lefts):
            with Horizontal(classes="pair"):
                yield Label(Text(f"{left.label}. {pick(left.text)}"), classes="left")
                value = current[index] if index < len(current) and current[index] else Select.NULL
                yield Select(options, value=value, prompt=_("choose"), id=f"left-{index}")

    @on(Select.Changed)
    def picked(self, event: Select.Changed) -> None:
        event.stop()
        chosen = [self.query_one(f"#left-{i}", Select).value for i in range(len(self.view.body.lefts))]
        self.announce([value if isinstance(value, str) else None for value in chosen])


class OrderInput(AnswerInput):
    """Ordering: move the highlighted item with ctrl+up / ctrl+down (or the buttons) until the order is right."""

    BINDINGS = [
        Binding("ctrl+up", "move(-1)", _("Move up")),
        Binding("ctrl+down", "move(1)", _("Move down")),
    ]

    def __init__(self, view: QuestionView) -> None:
        super().__init__(view)
        by_id = {option.id: option for option in view.body.options}
        saved = [by_id[token] for token in view.response or [] if token in by_id]
        self.items = saved if len(saved) == len(by_id) else list(view.body.options)

    def compose(self) -> ComposeResult:
        yield Static(_("Put the items in the right order; the order is saved as you move them."), classes="hint")
        yield ListView(*[ListItem(Label(self._label(i, option))) for i, option in enumerate(self.items)], id="order")
        with Horizontal(classes="buttons"):
            yield Button(_("Move up"), id="up")
            yield Button(_("Move down"), id="down")
            yield Button(_("Keep this order"), id="keep")

    @staticmethod
    def _label(position: int, option: OptionView) -> Text:
        return Text(f"{position + 1}. {pick(option.text)}")

    def _redraw(self, highlight: int) -> None:
        listing = self.query_one("#order", ListView)
        for position, (item, option) in enumerate(zip(listing.children, self.items, strict=True)):
            item.query_one(Label).update(self._label(position, option))
        listing.index = highlight

    def action_move(self, step: int) -> None:
        listing = self.query_one("#order", ListView)
        here = listing.index or 0
        there = here + step
        if not 0 <= there < len(self.items):
            return
        self.items[here], self.items[there] = self.items[there], self.items[here]
        self._redraw(there)
        self.announce([option.id for option in self.items])

    @on(Button.Pressed)
    def pressed(self, event: Button.Pressed) -> None:
        event.stop()
        if event.button.id == "keep":
            self.announce([option.id for option in self.items])
        else:
            self.action_move(-1 if event.button.id == "up" else 1)


class NoInput(AnswerInput):
    def compose(self) -> ComposeResult:
        if self.view.qtype == "description":
            yield Static(_("Read this; there is nothing to answer."), classes="hint")
        else:
            yield Static(_("Your trainer scores this item on site; there is nothing to enter here."), classes="hint")


INPUTS: dict[str, type[AnswerInput]] = {
    "choice": ChoiceInput,
    "truefalse": ChoiceInput,
    "choices": ChoicesInput,
    "number": TextInput,
    "text": TextInput,
    "essay": EssayInput,
    "match": MatchInput,
    "order": OrderInput,
    "none": NoInput,
}


def answer_input(view: QuestionView) -> AnswerInput:
    return INPUTS.get(view.body.input, TextInput)(view)


def is_answered(view: QuestionView) -> bool:
    response = view.response
    if view.body.input == "none":
        return True
    if isinstance(response, list):
        return any(item is not None for item in response)
    return response is not None and str(response).strip() != ""
