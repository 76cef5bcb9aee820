"""Issuing on a pass, called from the ``lms_attempt_graded`` hook."""

from __future__ import annotations

import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo

from sqlmodel import Session

from lms.config import settings
from lms.credentials.certificates import issue_for_attempt
from lms.models import Attempt, CourseVersion


def local_date(moment: dt.datetime | None) -> dt.date:
    """The calendar date of a moment where the training happens (certificates are dated in local time)."""
    zone = ZoneInfo(settings().timezone)
    if moment is None:
        return dt.datetime.now(zone).date()
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.UTC)
    return moment.astimezone(zone).date()


def issue_on_pass(session: Session, attempt: Attempt, pm: Any) -> None:
    if not attempt.passed:
        return
    version = session.get(CourseVersion, attempt.course_version_id)
    if version is None or not version.certificate:
        return
    issue_for_attempt(session, attempt=attempt, issued_on=local_date(attempt.submitted_at), pm=pm)
