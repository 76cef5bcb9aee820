"""The trainee's own result and what comes next under the course's re-exam rules; then the next trainee."""

from __future__ import annotations

from typing import Any

from textual import on
from textual.app import ComposeResult
from textual.containers import Center, Horizontal, Vertical
from textual.screen import Screen
from textual.widgets import Button, Footer, Header, Static

from lms.assessment.sittings import ResultView
from lms.i18n import _


def method_label(method: str) -> str:
    labels = {
        "highest": _("highest attempt"),
        "last": _("last attempt"),
        "first": _("first attempt"),
        "average": _("average of attempts"),
    }
    return labels.get(method, method)


def result_lines(result: ResultView) -> list[tuple[str, str]]:
    """(text, style class) lines of the result screen."""
    lines: list[tuple[str, str]] = []
    if not result.graded:
        if result.written_score is not None:
            lines.append((_("Written part: {score:g}%").format(score=result.written_score), ""))
        lines.append((_("Your answers are in. Your trainer marks the rest; ask them for the result."), "pending"))
        return lines
    verdict = _("Passed") if result.passed else _("Not passed")
    headline = _("Score {score:g} (pass mark {mark:g}) — {verdict}").format(
        score=result.score or 0, mark=result.pass_mark, verdict=verdict
    )
    lines.append((headline, "passed" if result.passed else "failed"))
    if result.written_score is not None and result.score != result.written_score:
        lines.append((_("Written part: {score:g}%").format(score=result.written_score), ""))
    if result.attempts_used > 1 and result.combined is not None:
        lines.append(
            (
                _("Your result ({method}): {score:g}").format(
                    method=method_label(result.grading), score=result.combined
                ),
                "",
            )
        )
    if result.combined_passed:
        lines.append((_("Your certificate will be issued by the training centre."), ""))
        return lines
    if result.may_retake:
        retake = _("You may sit a re-exam (补考): attempt {next} of {allowed}.")
        lines.append((retake.format(next=result.attempts_used + 1, allowed=result.attempts_allowed), ""))
        if result.earliest_retake:
            lines.append((_("The re-exam opens on {day}.").format(day=result.earliest_retake.isoformat()), ""))
        if result.tutoring_required and not result.tutoring_done:
            lines.append((_("Attend a tutoring session with your trainer first."), ""))
        if result.cap_percent is not None:
            lines.append((_("A re-exam counts at most {cap:g}.").format(cap=result.cap_percent), ""))
    else:
        lines.append((_("No re-exam is left; please talk to your trainer."), ""))
    return lines


class QuizResultScreen(Screen[None]):
    def __init__(self, result: ResultView) -> None:
        super().__init__()
        self.result = result

    def compose(self) -> ComposeResult:
        yield Header()
        with Center(), Vertical(id="result"):
            yield Static(self.result.name, classes="title", id="name")
            for number, (text, style) in enumerate(result_lines(self.result)):
                yield Static(text, id=f"line-{number}", classes=f"line {style}".strip(), markup=False)
            with Horizontal(classes="buttons"):
                yield Button(_("Give feedback"), id="feedback", variant="success")
                yield Button(_("Next trainee"), id="next", variant="primary")
                yield Button(_("Leave"), id="leave")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#feedback", Button).focus()  # offer the survey to the trainee still at the keyboard

    def relabel(self) -> None:
        self.app.switch_screen(QuizResultScreen(self.result))

    @on(Button.Pressed, "#feedback")
    def give_feedback(self) -> None:
        app: Any = self.app
        app.give_feedback()

    @on(Button.Pressed, "#next")
    def next_trainee(self) -> None:
        app: Any = self.app
        app.next_trainee()

    @on(Button.Pressed, "#leave")
    def leave(self) -> None:
        self.app.exit()
