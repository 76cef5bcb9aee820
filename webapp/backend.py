"""The web pages' only door to the database: each call is one short transaction, keyed by the trainee's access grant
(never by anything the page sends about who they are), which it checks once, first."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sqlalchemy.engine import Engine
from sqlmodel import Session

from lms.assessment import autosave, sittings, trainee_access
from lms.calendars.dates import working_timezone, working_today
from lms.db import retry_when_busy, session_scope
from lms.errors import LmsError
from lms.feedback import responses as feedback_responses
from lms.feedback import survey as feedback
from lms.i18n import _
from lms.questions.types import QuestionType, registry
from lms.questions.views import QuestionView

Clock = Callable[[], dt.datetime]


def utc_now() -> dt.datetime:
    """Now, on the working calendar's today (``LMS_TODAY`` pins the day for rehearsals; the time of day is real)."""
    now = dt.datetime.now(working_timezone())
    today = working_today()
    return now.replace(year=today.year, month=today.month, day=today.day).astimezone(dt.UTC)


@dataclass(frozen=True)
class Key:
    """What a browser's signed cookie holds: its access row and the hash of the code it redeemed. Every call checks
    it against the database once (the code may have been reissued, the session cancelled or over) before anything
    else, and acts for the trainee the row names, never for anyone the page names."""

    access_id: int
    code_hash: str


@dataclass(frozen=True)
class Shown:
    """A question page: the trainee's paper (None before they start) and the question's view (None when the paper
    was submitted or has no question of that number)."""

    paper: autosave.Paper | None
    view: QuestionView | None


@dataclass(frozen=True)
class Overview:
    """The start, resume and review pages: the trainee's card before they start, then their paper's every
    question."""

    card: sittings.TraineeCard | None
    paper: autosave.Paper | None
    views: list[QuestionView]


class WebBackend:
    def __init__(self, engine: Engine, pm: Any, clock: Clock = utc_now) -> None:
        self.engine, self.pm, self.clock = engine, pm, clock
        self.types: dict[str, QuestionType] = registry(pm)

    def redeem(self, code: str) -> Key:
        """Open a code; a wrong guess is committed (it counts against the code) before the refusal is raised."""
        refused: LmsError | None = None
        with session_scope(self.engine) as session:
            try:
                grant = trainee_access.redeem(session, code=code, now=self.clock())
                return Key(grant.access_id, grant.code_hash)
            except trainee_access.AccessRefused as error:
                refused = error
        raise refused

    def _grant(self, session: Session, key: Key, now: dt.datetime) -> trainee_access.AccessGrant:
        return trainee_access.resume(session, access_id=key.access_id, code_hash=key.code_hash, now=now)

    def _paper(
        self, session: Session, grant: trainee_access.AccessGrant, now: dt.datetime, *, overdue: bool = True
    ) -> autosave.Paper | None:
        """The latest paper; one whose time ran out is submitted here (the clock is ours, not the phone's), unless
        ``overdue`` is False (a save refuses a late answer by itself)."""
        paper = autosave.latest_paper(session, session_id=grant.session_id, person_id=grant.person_id)
        if paper is None or not overdue:
            return paper
        return autosave.submit_when_overdue(session, paper=paper, types=self.types, pm=self.pm, now=now)

    def overview(self, key: Key) -> Overview:
        now = self.clock()
        with session_scope(self.engine) as session:
            grant = self._grant(session, key, now)
            paper = self._paper(session, grant, now)
            if paper is None:
                card = sittings.card_of(session, session_id=grant.session_id, person_id=grant.person_id)
                return Overview(card, None, [])
            if paper.submitted:
                return Overview(None, paper, [])
            return Overview(None, paper, autosave.all_views(session, paper=paper, types=self.types))

    def question(self, key: Key, number: int) -> Shown:
        """One question with its saved answer: the only question a page builds."""
        now = self.clock()
        with session_scope(self.engine) as session:
            paper = self._paper(session, self._grant(session, key, now), now)
            if paper is None or paper.submitted or not 1 <= number <= paper.total:
                return Shown(paper, None)
            stored = autosave.stored_answer(session, paper=paper, number=number)
            return Shown(paper, paper.view(number, self.types, stored))

    def save(self, key: Key, number: int, respond: Callable[[QuestionView], Any]) -> Shown:
        """Autosave the answer ``respond`` reads for the ``number``-th question: one short write transaction, tried
        again while the database is busy. The view is returned without the saved answer."""

        def attempt() -> Shown:
            now = self.clock()
            with session_scope(self.engine) as session:
                paper = self._paper(session, self._grant(session, key, now), now, overdue=False)
                if paper is None or not 1 <= number <= paper.total:
                    return Shown(paper, None)
                view = paper.view(number, self.types)
                if view.body.input != "none":
                    autosave.save_answer_at(
                        session, paper=paper, number=number, response=respond(view), types=self.types, now=now
                    )
                return Shown(paper, view)

        return retry_when_busy(attempt)

    def start(self, key: Key) -> None:
        now = self.clock()
        with session_scope(self.engine) as session:
            grant = self._grant(session, key, now)
            sittings.open_sitting(
                session, session_id=grant.session_id, person_id=grant.person_id, types=self.types, pm=self.pm, now=now
            )

    def submit(self, key: Key) -> None:
        now = self.clock()
        with session_scope(self.engine) as session:
            paper = self._paper(session, self._grant(session, key, now), now, overdue=False)
            if paper is None:
                raise LmsError(_("no attempt has been started"))
            sittings.submit(session, attempt_id=paper.attempt_id, types=self.types, pm=self.pm, now=now)

    def result(self, key: Key) -> sittings.ResultView | None:
        """The trainee's result, once submitted (an attempt whose time ran out is submitted first)."""
        now = self.clock()
        with session_scope(self.engine) as session:
            paper = self._paper(session, self._grant(session, key, now), now)
            if paper is None or not paper.submitted:
                return None
            return sittings.result(session, attempt_id=paper.attempt_id)

    def survey(self) -> feedback.Survey:
        return feedback.default_survey()

    def feedback(self, key: Key, ratings: dict[str, Any], comments: dict[str, Any]) -> None:
        now = self.clock()
        with session_scope(self.engine) as session:
            grant = self._grant(session, key, now)
            feedback_responses.record_response(
                session,
                grant.session_id,
                grant.person_id,
                self.survey(),
                ratings,
                comments,
                source="browser",
                now=now,
            )
