"""The quiz-day rule, one for both ways into a phone quiz: redeeming a code (``check_open``) and every later request
(``resume``). A session with listed days quizzes only on those, even with a gap between them."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from sqlmodel import Session

from lms.assessment.trainee_access import AccessRefused, issue_codes, on_quiz_day, redeem, resume
from lms.models import SessionDay
from tests.lms.quiz_fixtures import quiz_world

SHANGHAI = dt.timezone(dt.timedelta(hours=8))
D18, D19, D20 = dt.date(2026, 11, 18), dt.date(2026, 11, 19), dt.date(2026, 11, 20)


def at(day: dt.date, hour: int) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour), tzinfo=SHANGHAI)


@pytest.mark.parametrize(
    ("today", "has_days", "listed", "expected"),
    [
        (D19, True, False, False),  # a gap between listed days
        (D18, True, True, True),
        (D19, False, False, True),  # no listed days: every day from first to last
        (D20 + dt.timedelta(days=1), False, False, False),
    ],
)
def test_the_quiz_day_rule(today: dt.date, has_days: bool, listed: bool, expected: bool) -> None:
    assert on_quiz_day(today, first_day=D18, last_day=D20, has_days=has_days, listed=listed) is expected


def test_a_gap_day_closes_the_quiz_for_a_new_code_and_an_open_browser_alike(
    session: Session, pm: Any, tmp_path: Path
) -> None:
    world = quiz_world(session, pm, tmp_path)
    training = world["session"]
    training.last_day = D20
    session.add_all([training, SessionDay(session_id=training.id, day=D20)])
    first, second = issue_codes(session, session_id=training.id, now=at(D18, 8))[:2]
    grant = redeem(session, code=first.code, now=at(D18, 9))
    # 00:30 in Shanghai on the 19th is still the 18th in UTC: the working zone decides
    for refused_at in (at(D19, 0) + dt.timedelta(minutes=30), at(D19, 12)):
        with pytest.raises(AccessRefused, match="only on the session's days"):
            redeem(session, code=second.code, now=refused_at)
        with pytest.raises(AccessRefused, match="only on the session's days"):
            resume(session, access_id=grant.access_id, code_hash=grant.code_hash, now=refused_at)
    assert resume(session, access_id=grant.access_id, code_hash=grant.code_hash, now=at(D20, 9)) == grant
    assert redeem(session, code=second.code, now=at(D20, 9)).person_id == second.person_id
