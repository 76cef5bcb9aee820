"""Recording a trainee's feedback: checked ratings and comments, one response per trainee, session and survey
(a second replaces the first; anonymous paper responses are always added)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from sqlmodel import Session, col, select

from lms.errors import LmsError, NotFoundError
from lms.feedback.survey import MAX_COMMENT, SCALE, SOURCES, Survey
from lms.i18n import _
from lms.models import (
    FeedbackResponse,
    RosterEntry,
    SessionStatus,
    TrainingSession,
)


@dataclass(frozen=True)
class RecordedFeedback:
    id: int
    replaced: bool  # the trainee's earlier response to this survey in this session was replaced


def checked_ratings(survey: Survey, ratings: Mapping[str, Any]) -> dict[str, int]:
    """Ratings by item id, each a whole number 1–5; an unknown item or a comment item is an error, None is unrated."""
    checked: dict[str, int] = {}
    for item_id, value in ratings.items():
        item = survey.item(item_id)
        if item is None:
            raise LmsError(_("the survey has no item {item!r}").format(item=item_id), field=item_id)
        if item.kind != "rating":
            raise LmsError(_("{item} takes a comment, not a rating").format(item=item_id), field=item_id)
        if value is None:
            continue
        if isinstance(value, bool) or not isinstance(value, int) or value not in SCALE:
            message = _("a rating is a whole number from 1 to 5, not {value!r}").format(value=value)
            raise LmsError(message, field=item_id)
        checked[item_id] = value
    return checked


def checked_comments(survey: Survey, comments: Mapping[str, Any]) -> dict[str, str]:
    """Comments by item id, trimmed; empty ones are dropped."""
    checked: dict[str, str] = {}
    for item_id, value in comments.items():
        item = survey.item(item_id)
        if item is None:
            raise LmsError(_("the survey has no item {item!r}").format(item=item_id), field=item_id)
        if item.kind != "comment":
            raise LmsError(_("{item} takes a rating, not a comment").format(item=item_id), field=item_id)
        if value is None:
            continue
        if not isinstance(value, str):
            raise LmsError(_("a comment is text"), field=item_id)
        text = value.strip()
        if len(text) > MAX_COMMENT:
            raise LmsError(_("a comment is at most {limit} characters").format(limit=MAX_COMMENT), field=item_id)
        if text:
            checked[item_id] = text
    return checked


def record_response(
    session: Session,
    session_id: int,
    person_id: int | None,
    survey: Survey,
    ratings: Mapping[str, Any],
    comments: Mapping[str, Any],
    source: str = "terminal",
    *,
    now: dt.datetime | None = None,
) -> RecordedFeedback:
    """Store one trainee's answers (``person_id`` None: anonymous). A trainee's second response to the same survey in
    the same session replaces the first. Raises LmsError for an unknown item, a rating outside 1–5, an empty
    response, a trainee not on the roster or a cancelled session; nothing is written then. The caller commits."""
    training = session.get(TrainingSession, session_id)
    if training is None:
        raise NotFoundError(_("no training session has the id {id}").format(id=session_id))
    if training.status == SessionStatus.cancelled:
        raise LmsError(_("session {code} was cancelled; it takes no feedback").format(code=training.code))
    if source not in SOURCES:
        raise LmsError(_("unknown source {source!r}").format(source=source), field="source")
    clean_ratings = checked_ratings(survey, ratings)
    clean_comments = checked_comments(survey, comments)
    if not clean_ratings and not clean_comments:
        raise LmsError(_("the response is empty: rate at least one item or write a comment"))
    earlier: list[FeedbackResponse] = []
    if person_id is not None:
        rostered = session.exec(
            select(RosterEntry.id).where(RosterEntry.session_id == session_id, RosterEntry.person_id == person_id)
        ).first()
        if rostered is None:
            raise LmsError(
                _("this trainee is not on the roster of session {code}").format(code=training.code), field="trainee"
            )
        earlier = list(
            session.exec(
                select(FeedbackResponse)
                .where(
                    FeedbackResponse.session_id == session_id,
                    FeedbackResponse.person_id == person_id,
                    FeedbackResponse.survey == survey.code,
                )
                .order_by(col(FeedbackResponse.id))
            )
        )
    response = earlier[0] if earlier else FeedbackResponse(session_id=session_id, person_id=person_id, survey="")
    for duplicate in earlier[1:]:  # left by two submits racing each other; one answer remains
        session.delete(duplicate)
    response.survey = survey.code
    response.ratings = clean_ratings
    response.comments = clean_comments
    response.source = source
    response.submitted_at = now or dt.datetime.now(dt.UTC)
    session.add(response)
    session.flush()
    assert response.id is not None
    return RecordedFeedback(response.id, replaced=bool(earlier))


def previous_response(session: Session, session_id: int, person_id: int, survey: Survey) -> FeedbackResponse | None:
    """The trainee's response to this survey in this session, to show when they open it again."""
    return session.exec(
        select(FeedbackResponse)
        .where(
            FeedbackResponse.session_id == session_id,
            FeedbackResponse.person_id == person_id,
            FeedbackResponse.survey == survey.code,
        )
        .order_by(col(FeedbackResponse.id).desc())
    ).first()
