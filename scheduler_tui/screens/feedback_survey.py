"""The feedback survey as a trainee fills it in: one row per rating (keys 1–5 or ←/→ to rate, ↑/↓ to move, a click
works too), a comment box, submit; then thanks. The quiz app offers it after the result, ``lms feedback take`` runs it
on its own; both reach the database only through ``FeedbackBackend``, one short transaction per call."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from rich.cells import cell_len
from rich.text import Text
from sqlalchemy.engine import Engine
from textual import events, on
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.containers import Center, Horizontal, Vertical, VerticalScroll
from textual.message import Message
from textual.reactive import reactive
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Button, Footer, Header, Static, TextArea

from lms.assessment import sittings
from lms.db import session_scope
from lms.errors import LmsError
from lms.feedback.responses import RecordedFeedback, previous_response, record_response
from lms.feedback.survey import SCALE, Survey, SurveyItem, default_survey
from lms.i18n import _, current_language, pick


@dataclass(frozen=True)
class FeedbackTarget:
    """Whose feedback on which session."""

    session_id: int
    person_id: int
    session_code: str
    name: str

    @classmethod
    def of(cls, card: sittings.TraineeCard) -> FeedbackTarget:
        return cls(card.session_id, card.person_id, card.session_code, card.name)


class FeedbackBackend:
    """The survey screens' only door to the database."""

    def __init__(self, engine: Engine, survey: Survey | None = None) -> None:
        self.engine = engine
        self.survey = survey or default_survey()

    def who(self, session_code: str, identity: str, last4: str | None = None) -> sittings.TraineeCard:
        with session_scope(self.engine) as session:
            return sittings.who(session, session_code=session_code, identity=identity, last4=last4)

    def previous(self, target: FeedbackTarget) -> tuple[dict[str, int], dict[str, str]]:
        with session_scope(self.engine) as session:
            found = previous_response(session, target.session_id, target.person_id, self.survey)
            return (dict(found.ratings or {}), dict(found.comments or {})) if found else ({}, {})

    def submit(
        self, target: FeedbackTarget, ratings: dict[str, int | None], comments: dict[str, str], source: str
    ) -> RecordedFeedback:
        with session_scope(self.engine) as session:
            return record_response(session, target.session_id, target.person_id, self.survey, ratings, comments, source)


def bilingual(text: Any) -> str:
    return pick(text.model_dump())


class RatingRow(Widget, can_focus=True):
    """One rating item: the question, then the scale from its low label to its high label."""

    DEFAULT_CSS = """
    RatingRow {
        height: auto;
        width: 100%;
        margin-bottom: 1;
    }
    RatingRow:focus {
        background: $boost;
    }
    """
    value: reactive[int | None] = reactive(None)
    CELL = 4  # columns per number on the scale

    @dataclass
    class Rated(Message):
        row: RatingRow

    def __init__(self, survey: Survey, item: SurveyItem, number: int, low_width: int, value: int | None) -> None:
        super().__init__(id=f"rate-{item.id}", classes="rating")
        self.survey, self.item, self.number, self.low_width = survey, item, number, low_width
        self.set_reactive(RatingRow.value, value)

    def scale_start(self) -> int:
        """The column where the number 1 starts on the second line."""
        return 5 + self.low_width + 1

    def render(self) -> Text:
        focused = self.has_focus
        text = Text("▶ " if focused else "  ", style="bold")
        text.append(f"{self.number}. ", style="bold")
        text.append(bilingual(self.item.text), style="bold" if focused else "")
        text.append("\n     ")
        scale = self.survey.scale_of(self.item)
        low = bilingual(scale.low)
        text.append(" " * (self.low_width - cell_len(low)) + low + " ", style="dim")
        for number in SCALE:
            chosen = number == self.value
            # brackets as well as colour, so the choice shows on a terminal without colours too
            text.append(f"[{number}] " if chosen else f" {number}  ", style="bold reverse green" if chosen else "")
        text.append(" " + bilingual(scale.high), style="dim")
        return text

    def rate(self, value: int | None) -> None:
        self.value = value
        self.post_message(self.Rated(self))

    def step(self, step: int) -> None:
        current = self.value or (SCALE[-1] + 1 if step < 0 else 0)
        self.rate(min(SCALE[-1], max(SCALE[0], current + step)))

    def scale_line(self) -> int:
        """The row of the scale within the widget: the last, or the one before when a narrow screen wraps it."""
        high = bilingual(self.survey.scale_of(self.item).high)
        length = self.scale_start() + self.CELL * len(SCALE) + 1 + cell_len(high)
        return self.size.height - -(-length // max(1, self.size.width))

    def on_click(self, event: events.Click) -> None:
        offset = event.x - self.scale_start()
        if event.y == self.scale_line() and 0 <= offset < self.CELL * len(SCALE):
            self.rate(SCALE[offset // self.CELL])

    def on_focus(self) -> None:
        self.refresh()

    def on_blur(self) -> None:
        self.refresh()


class FeedbackSurveyScreen(Screen[bool]):
    """Dismissed with True once the answers are stored, False when the trainee skips."""

    DEFAULT_CSS = """
    FeedbackSurveyScreen #survey {
        height: 1fr;
        padding: 0 2;
    }
    FeedbackSurveyScreen .comment-box {
        height: 5;
        margin-bottom: 1;
    }
    FeedbackSurveyScreen .comment-label {
        text-style: bold;
    }
    FeedbackSurveyScreen #survey-message {
        height: auto;
    }
    """
    # Priority bindings run before the next key is read, so keys typed fast (or sent in one burst) land on the row
    # they were meant for; they stand aside (check_action) when the comment box or a button has the focus.
    BINDINGS = [
        Binding("ctrl+s", "submit", _("Submit feedback"), priority=True),
        *(Binding(str(value), f"rate({value})", show=False, priority=True) for value in SCALE),
        Binding("0", "rate(None)", show=False, priority=True),
        Binding("backspace", "rate(None)", show=False, priority=True),
        Binding("left", "step(-1)", show=False, priority=True),
        Binding("right", "step(1)", show=False, priority=True),
        Binding("up", "move(-1)", show=False, priority=True),
        Binding("down", "move(1)", show=False, priority=True),
        Binding("enter", "move(1)", show=False, priority=True),
    ]

    def __init__(self, backend: FeedbackBackend, target: FeedbackTarget) -> None:
        super().__init__()
        self.backend = backend
        self.target = target
        self.ratings, self.comments = backend.previous(target)
        self.answered_before = bool(self.ratings or self.comments)

    @property
    def survey(self) -> Survey:
        return self.backend.survey

    def compose(self) -> ComposeResult:
        survey = self.survey
        low_width = self.low_width()
        yield Header()
        with VerticalScroll(id="survey", can_focus=False):  # the rows take the focus; it scrolls to them
            yield Static("", classes="title", id="survey-title")
            yield Static("", classes="hint", id="survey-intro")
            for number, item in enumerate(survey.items, start=1):
                if item.kind == "rating":
                    yield RatingRow(survey, item, number, low_width, self.ratings.get(item.id))
                else:
                    yield Static(f"{number}. {bilingual(item.text)}", classes="comment-label", id=f"label-{item.id}")
                    box = TextArea(self.comments.get(item.id, ""), id=f"comment-{item.id}", classes="comment-box")
                    box.show_line_numbers = False
                    yield box
            yield Static("", id="survey-message", classes="error")
        with Horizontal(classes="buttons"):
            yield Button("", id="submit", variant="success")
            yield Button("", id="skip")
            yield Static("", id="survey-count", classes="hint")
        yield Footer()

    def low_width(self) -> int:
        """Columns for the longest low-end label, so that the scales line up in either language."""
        survey = self.survey
        return max((cell_len(bilingual(survey.scale_of(item).low)) for item in survey.ratings), default=0)

    def on_mount(self) -> None:
        self.relabel()
        rows = list(self.query(RatingRow))
        if rows:
            rows[0].focus()

    def relabel(self) -> None:
        """Words in the current language (F2 switches); answers stay as they are."""
        survey = self.survey
        self.query_one("#survey-title", Static).update(
            Text(f"{bilingual(survey.title)} · {self.target.name} · {self.target.session_code}")
        )
        intro = bilingual(survey.intro) if survey.intro else ""
        hint = _("Keys 1–5 rate the row (←/→ change it), ↑/↓ move between rows, Tab reaches the comment box.")
        if self.answered_before:
            hint += "\n" + _("You gave feedback before; sending again replaces it.")
        self.query_one("#survey-intro", Static).update(Text(f"{intro}\n{hint}" if intro else hint))
        for item in survey.comments:
            number = survey.items.index(item) + 1
            self.query_one(f"#label-{item.id}", Static).update(Text(f"{number}. {bilingual(item.text)}"))
        self.query_one("#submit", Button).label = _("Submit feedback")
        self.query_one("#skip", Button).label = _("Skip")
        low_width = self.low_width()
        for row in self.query(RatingRow):
            row.low_width = low_width
            row.refresh()
        self.show_count()

    def show_count(self) -> None:
        rated = sum(1 for row in self.query(RatingRow) if row.value is not None)
        total = len(self.survey.ratings)
        self.query_one("#survey-count", Static).update(_("{rated} of {total} rated").format(rated=rated, total=total))

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("rate", "step", "move"):
            return isinstance(self.focused, RatingRow)
        return True

    def action_rate(self, value: int | None) -> None:
        if isinstance(self.focused, RatingRow):
            self.focused.rate(value)

    def action_step(self, step: int) -> None:
        if isinstance(self.focused, RatingRow):
            self.focused.step(step)

    def action_move(self, step: int) -> None:
        if step > 0:
            self.focus_next()
        else:
            self.focus_previous()
        if self.focused is not None:
            self.focused.scroll_visible()

    def on_rating_row_rated(self, message: RatingRow.Rated) -> None:
        self.query_one("#survey-message", Static).update("")
        self.show_count()

    def answers(self) -> tuple[dict[str, int | None], dict[str, str]]:
        ratings = {row.item.id: row.value for row in self.query(RatingRow)}
        comments = {item.id: self.query_one(f"#comment-{item.id}", TextArea).text for item in self.survey.comments}
        return ratings, comments

    @on(Button.Pressed, "#submit")
    def action_submit(self) -> None:
        ratings, comments = self.answers()
        source = "browser" if self.app.is_web else "terminal"
        try:
            self.backend.submit(self.target, ratings, comments, source)
        except LmsError as error:
            self.query_one("#survey-message", Static).update(Text(error.message))
            return
        self.dismiss(True)

    @on(Button.Pressed, "#skip")
    def skip(self) -> None:
        self.dismiss(False)


class FeedbackThanksScreen(Screen[None]):
    DEFAULT_CSS = """
    FeedbackThanksScreen #thanks {
        width: 70;
        height: auto;
        margin-top: 2;
        padding: 1 2;
        border: round $success;
    }
    """

    def __init__(self, name: str) -> None:
        super().__init__()
        self.trainee = name

    def compose(self) -> ComposeResult:
        yield Header()
        with Center(), Vertical(id="thanks"):
            yield Static("", classes="title passed", id="thanks-title")
            yield Static("", id="thanks-text")
            with Horizontal(classes="buttons"):
                yield Button("", id="done", variant="primary")
        yield Footer()

    def on_mount(self) -> None:
        self.relabel()
        self.query_one("#done", Button).focus()

    def relabel(self) -> None:
        self.query_one("#thanks-title", Static).update(Text(_("Thank you, {name}!").format(name=self.trainee)))
        self.query_one("#thanks-text", Static).update(
            Text(_("Your feedback is saved. It helps us make the training better."))
        )
        self.query_one("#done", Button).label = _("Continue")

    @on(Button.Pressed, "#done")
    def done(self) -> None:
        self.dismiss(None)


def open_survey(
    app: App[Any], backend: FeedbackBackend, target: FeedbackTarget, then: Callable[[], None] | None = None
) -> None:
    """The survey over the current screen; after a submit, the thanks screen; ``then`` runs when both are gone."""

    language = current_language()

    def finished(_result: None = None) -> None:
        relabel = getattr(app.screen, "relabel", None)
        if current_language() != language and relabel is not None:  # F2 was pressed over it
            relabel()
        if then is not None:
            then()

    def closed(sent: bool | None) -> None:
        if sent:
            app.push_screen(FeedbackThanksScreen(target.name), finished)
        else:
            finished()

    app.push_screen(FeedbackSurveyScreen(backend, target), closed)
