"""The trainee's quiz app (``lms quiz take --session CODE``): identify from the roster, one question per screen,
autosave on every change, review, submit, result. It works through ``lms serve`` in a browser too.

The app reaches the database only through ``QuizBackend``, whose calls return keyless views and the trainee's own
result (``lms.assessment.sittings``); each call is one short transaction, so closing the window loses nothing.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from sqlalchemy.engine import Engine
from textual.app import App
from textual.binding import Binding

from lms.assessment import sittings
from lms.db import retry_when_busy, session_scope
from lms.i18n import _, current_language, set_language
from lms.questions.types import registry
from scheduler_tui.screens.feedback_survey import FeedbackBackend, FeedbackTarget, open_survey
from scheduler_tui.screens.quiz_identify import QuizIdentifyScreen
from scheduler_tui.screens.quiz_question import QuizQuestionScreen
from scheduler_tui.screens.quiz_result import QuizResultScreen

Clock = Callable[[], dt.datetime]


def utc_now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


class QuizBackend:
    """The quiz screens' only door to the database."""

    def __init__(self, engine: Engine, pm: Any, clock: Clock = utc_now) -> None:
        self.engine, self.pm, self.clock = engine, pm, clock
        self.types = registry(pm)

    def who(self, session_code: str, identity: str, last4: str | None = None) -> sittings.TraineeCard:
        with session_scope(self.engine) as session:
            return sittings.who(session, session_code=session_code, identity=identity, last4=last4)

    def begin(self, card: sittings.TraineeCard) -> sittings.Sitting:
        with session_scope(self.engine) as session:
            return sittings.begin(session, card=card, types=self.types, pm=self.pm, now=self.clock())

    def save(self, attempt_id: int, question_id: int, response: Any) -> None:
        """Autosave one answer; a busy database is waited out and tried again, so no saved answer is lost."""

        def work() -> None:
            with session_scope(self.engine) as session:
                sittings.save(
                    session,
                    attempt_id=attempt_id,
                    question_id=question_id,
                    response=response,
                    types=self.types,
                    now=self.clock(),
                )

        retry_when_busy(work)

    def submit(self, attempt_id: int) -> None:
        def work() -> None:
            with session_scope(self.engine) as session:
                sittings.submit(session, attempt_id=attempt_id, types=self.types, pm=self.pm, now=self.clock())

        retry_when_busy(work)

    def result(self, attempt_id: int) -> sittings.ResultView:
        with session_scope(self.engine) as session:
            return sittings.result(session, attempt_id=attempt_id)


class QuizApp(App[None]):
    """One trainee at a time; the next one identifies after the result."""

    CSS_PATH = "quiz.tcss"
    TITLE = "LMS"
    ENABLE_COMMAND_PALETTE = False  # trainees get no way into other screens or commands
    BINDINGS = [
        Binding("f2", "toggle_language", "中文/English"),
        Binding("ctrl+q", "quit", _("Leave (answers are kept)"), priority=True),
    ]

    def __init__(self, backend: QuizBackend, session_code: str = "") -> None:
        super().__init__()
        self.backend = backend
        self.session_code = session_code
        self.card: sittings.TraineeCard | None = None  # the trainee at the keyboard, for the feedback survey

    def on_mount(self) -> None:
        self.title = _("Assessment")
        self.push_screen(QuizIdentifyScreen(self.session_code))

    def start(self, card: sittings.TraineeCard) -> None:
        """Open the trainee's sitting: the questions, or the result when it was already submitted."""
        sitting = self.backend.begin(card)
        self.session_code = card.session_code
        self.card = card
        if sitting.submitted:
            self.show_result(sitting.attempt_id)
        else:
            self.switch_screen(QuizQuestionScreen(sitting))

    def show_result(self, attempt_id: int) -> None:
        self.switch_screen(QuizResultScreen(self.backend.result(attempt_id)))

    def give_feedback(self) -> None:
        """The training feedback survey over the result screen (offered there after the quiz)."""
        if self.card is not None:
            open_survey(self, FeedbackBackend(self.backend.engine), FeedbackTarget.of(self.card))

    def next_trainee(self) -> None:
        self.switch_screen(QuizIdentifyScreen(self.session_code))

    def action_toggle_language(self) -> None:
        set_language("en" if current_language() == "zh" else "zh")
        self.title = _("Assessment")
        relabel = getattr(self.screen, "relabel", None)
        if relabel is not None:
            relabel()


def make_quiz_app(*, engine: Engine, pm: Any, session_code: str = "", clock: Clock = utc_now) -> QuizApp:
    """The quiz app as ``lms quiz take`` runs it; tests pass ``clock`` to move time."""
    return QuizApp(QuizBackend(engine, pm, clock), session_code)
