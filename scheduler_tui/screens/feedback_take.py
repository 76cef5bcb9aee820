"""``lms feedback take --session CODE``: trainees identify from the roster (the quiz app's screen), fill in the survey,
see the thanks, and the next one steps up. Works through ``lms serve`` in a browser too."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy.engine import Engine
from textual.app import App
from textual.binding import Binding

from lms.assessment import sittings
from lms.feedback.survey import Survey
from lms.i18n import _, current_language, set_language
from scheduler_tui.screens.feedback_survey import FeedbackBackend, FeedbackTarget, open_survey
from scheduler_tui.screens.quiz_identify import QuizIdentifyScreen


class FeedbackApp(App[None]):
    """One trainee at a time, like the quiz app; the same identify screen and styles."""

    CSS_PATH = str(Path(__file__).parent.parent / "quiz.tcss")
    TITLE = "LMS"
    ENABLE_COMMAND_PALETTE = False  # trainees get no way into other screens or commands
    BINDINGS = [
        Binding("f2", "toggle_language", "中文/English"),
        Binding("ctrl+q", "quit", _("Leave")),
    ]

    def __init__(self, backend: FeedbackBackend, session_code: str = "") -> None:
        super().__init__()
        self.backend = backend
        self.session_code = session_code

    def on_mount(self) -> None:
        self.title = _("Training feedback")
        self.push_screen(QuizIdentifyScreen(self.session_code))

    def start(self, card: sittings.TraineeCard) -> None:
        """Called by the identify screen once the trainee is found."""
        self.session_code = card.session_code
        open_survey(self, self.backend, FeedbackTarget.of(card), then=self.next_trainee)

    def next_trainee(self) -> None:
        self.switch_screen(QuizIdentifyScreen(self.session_code))

    def action_toggle_language(self) -> None:
        set_language("en" if current_language() == "zh" else "zh")
        self.title = _("Training feedback")
        relabel = getattr(self.screen, "relabel", None)
        if relabel is not None:
            relabel()


def make_feedback_app(*, engine: Engine, survey: Survey | None = None, session_code: str = "") -> FeedbackApp:
    """The app as ``lms feedback take`` runs it, and as the tests drive it."""
    return FeedbackApp(FeedbackBackend(engine, survey), session_code)
