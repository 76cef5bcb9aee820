"""The web pages' only door to the database: each call is one short transaction, keyed by the trainee's access grant
(never by anything the page sends about who they are)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sqlalchemy.engine import Engine

from lms.assessment import sittings, trainee_access
from lms.assessment.attempts import submit_if_overdue
from lms.calendars.dates import working_timezone, working_today
from lms.db import session_scope
from lms.errors import LmsError
from lms.feedback import responses as feedback_responses
from lms.feedback import survey as feedback
from lms.models import AttemptStatus
from lms.questions.types import QuestionType, registry

Clock = Callable[[], dt.datetime]


def utc_now() -> dt.datetime:
    """Now, on the working calendar's today (``LMS_TODAY`` pins the day for rehearsals; the time of day is real)."""
    now = dt.datetime.now(working_timezone())
    today = working_today()
    return now.replace(year=today.year, month=today.month, day=today.day).astimezone(dt.UTC)


@dataclass(frozen=True)
class Page:
    """What the trainee's page shows now: their card, and their sitting once they have started."""

    card: sittings.TraineeCard
    sitting: sittings.Sitting | None


class WebBackend:
    def __init__(self, engine: Engine, pm: Any, clock: Clock = utc_now) -> None:
        self.engine, self.pm, self.clock = engine, pm, clock
        self.types: dict[str, QuestionType] = registry(pm)

    def redeem(self, code: str) -> trainee_access.AccessGrant:
        """Open a code; a wrong guess is committed (it counts against the code) before the refusal is raised."""
        refused: LmsError | None = None
        with session_scope(self.engine) as session:
            try:
                return trainee_access.redeem(session, code=code, now=self.clock())
            except trainee_access.AccessRefused as error:
                refused = error
        raise refused

    def grant(self, access_id: int, code_hash: str) -> trainee_access.AccessGrant:
        with session_scope(self.engine) as session:
            return trainee_access.resume(session, access_id=access_id, code_hash=code_hash, now=self.clock())

    def page(self, grant: trainee_access.AccessGrant) -> Page:
        """The card and the latest sitting; an attempt whose time ran out is submitted here (the clock is ours)."""
        now = self.clock()
        with session_scope(self.engine) as session:
            trainee_access.resume(session, access_id=grant.access_id, code_hash=grant.code_hash, now=now)
            card = sittings.card_of(session, session_id=grant.session_id, person_id=grant.person_id)
            attempt = sittings.latest_attempt(session, session_id=grant.session_id, person_id=grant.person_id)
            if attempt is None:
                return Page(card, None)
            attempt = submit_if_overdue(session, attempt=attempt, types=self.types, pm=self.pm, now=now) or attempt
            return Page(card, sittings.sitting(session, attempt=attempt, types=self.types))

    def start(self, grant: trainee_access.AccessGrant) -> sittings.Sitting:
        now = self.clock()
        with session_scope(self.engine) as session:
            trainee_access.resume(session, access_id=grant.access_id, code_hash=grant.code_hash, now=now)
            card = sittings.card_of(session, session_id=grant.session_id, person_id=grant.person_id)
            return sittings.begin(session, card=card, types=self.types, pm=self.pm, now=now)

    def _attempt_id(self, session: Any, grant: trainee_access.AccessGrant, now: dt.datetime) -> int:
        trainee_access.resume(session, access_id=grant.access_id, code_hash=grant.code_hash, now=now)
        attempt = sittings.latest_attempt(session, session_id=grant.session_id, person_id=grant.person_id)
        if attempt is None or attempt.id is None:
            raise LmsError("no attempt has been started")
        return attempt.id

    def save(self, grant: trainee_access.AccessGrant, question_id: int, response: Any) -> None:
        now = self.clock()
        with session_scope(self.engine) as session:
            attempt_id = self._attempt_id(session, grant, now)
            sittings.save(
                session, attempt_id=attempt_id, question_id=question_id, response=response, types=self.types, now=now
            )

    def submit(self, grant: trainee_access.AccessGrant) -> None:
        now = self.clock()
        with session_scope(self.engine) as session:
            attempt_id = self._attempt_id(session, grant, now)
            sittings.submit(session, attempt_id=attempt_id, types=self.types, pm=self.pm, now=now)

    def result(self, grant: trainee_access.AccessGrant) -> sittings.ResultView | None:
        with session_scope(self.engine) as session:
            attempt = sittings.latest_attempt(session, session_id=grant.session_id, person_id=grant.person_id)
            if attempt is None or attempt.status == AttemptStatus.in_progress or attempt.id is None:
                return None
            return sittings.result(session, attempt_id=attempt.id)

    def survey(self) -> feedback.Survey:
        return feedback.default_survey()

    def feedback(self, grant: trainee_access.AccessGrant, ratings: dict[str, Any], comments: dict[str, Any]) -> None:
        with session_scope(self.engine) as session:
            feedback_responses.record_response(
                session,
                grant.session_id,
                grant.person_id,
                self.survey(),
                ratings,
                comments,
                source="browser",
                now=self.clock(),
            )
