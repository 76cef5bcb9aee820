"""Demo feedback: responses from most trainees present at each held session, the same for the same seed."""

from __future__ import annotations

import datetime as dt
import random
from collections import defaultdict

from sqlmodel import Session, col, select

from lms.db import chunks
from lms.feedback.responses import record_response
from lms.feedback.survey import Survey, default_survey
from lms.models import (
    Attendance,
    SessionDay,
    SessionStatus,
    TrainingSession,
)

DEMO_COMMENTS = (
    "实操时间可以再多一些。",
    "讲师讲得很清楚，案例贴近现场。",
    "希望资料里多一些故障排查的图片。",
    "第二天下午的内容有点赶。",
    "Good course; the English handouts helped our new colleague.",
)


def add_demo_feedback(session: Session, *, seed: int, survey: Survey | None = None) -> int:
    """Responses from most trainees present at each held session, the same for the same seed; one trainee who did
    not answer on screen hands in an anonymous paper sheet. The feedback has its own random stream, so the rest of
    the demo stays as it was. Returns how many responses were made."""
    survey = survey or default_survey()
    rng = random.Random(f"feedback-{seed}")
    held = session.exec(
        select(TrainingSession).where(TrainingSession.status == SessionStatus.held).order_by(col(TrainingSession.id))
    ).all()
    ids = [training.id for training in held if training.id is not None]
    present: dict[int, list[int]] = defaultdict(list)
    for chunk in chunks(ids):
        statement = (
            select(SessionDay.session_id, Attendance.person_id)
            .join(Attendance, col(Attendance.session_day_id) == SessionDay.id)
            .where(col(SessionDay.session_id).in_(chunk), col(Attendance.present).is_(True))
            .distinct()
            .order_by(col(SessionDay.session_id), col(Attendance.person_id))
        )
        for session_id, person_id in session.exec(statement):
            present[session_id].append(person_id)
    count = 0
    anonymous_left = 1
    for training in held:
        assert training.id is not None
        mood = rng.choice((3.6, 4.1, 4.4))
        at = dt.datetime.combine(training.last_day, dt.time(8, 30), tzinfo=dt.UTC)
        chosen = [rng.random() < 0.85 for _person in present[training.id]]
        people: list[int | None] = [p for p, yes in zip(present[training.id], chosen, strict=True) if yes]
        if anonymous_left and not all(chosen):
            people.append(None)  # one who did not answer on screen hands in a sheet without a name
            anonymous_left -= 1
        for number, trainee in enumerate(people):
            ratings = {item.id: min(5, max(1, round(rng.gauss(mood, 0.8)))) for item in survey.ratings}
            comments = {}
            if survey.comments and rng.random() < 0.4:
                comments[survey.comments[0].id] = rng.choice(DEMO_COMMENTS)
            source = "paper" if trainee is None or rng.random() < 0.3 else "terminal"
            when = at + dt.timedelta(minutes=5 * number)
            record_response(session, training.id, trainee, survey, ratings, comments, source, now=when)
            count += 1
    return count
