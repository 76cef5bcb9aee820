"""The certificate chain in the core: a graded pass issues its certificate (row, serial, signed code), and an issued
certificate renews the holder's skill records. Each step is a hook event handled by the core's own plugin
(``lms.plugins.builtin``), so a plugin can join the chain; rendering the PDF is left to a documents plugin."""

from __future__ import annotations

import datetime as dt

import pluggy
from sqlmodel import Session

from lms.calendars import dates
from lms.calendars.dates import working_today
from lms.credentials.certificates import issue_for_attempt
from lms.credentials.eligibility import certificate_refusal, uncertified_passes
from lms.models import Attempt, Certificate, CourseVersion


def local_date(moment: dt.datetime | None) -> dt.date:
    """The working-zone date of a stored moment, or today there (certificates are dated where the training is)."""
    return working_today() if moment is None else dates.local_date(moment)


def issue_on_pass(session: Session, attempt: Attempt, pm: pluggy.PluginManager) -> Certificate | None:
    """The certificate a graded attempt earns, dated the day it was submitted; None for a fail or a course that
    grants no certificate. Grading again returns the same certificate."""
    if not attempt.passed:
        return None
    version = session.get(CourseVersion, attempt.course_version_id)
    if version is None or not version.certificate or certificate_refusal(session, attempt) is not None:
        return None  # passed, but not on the roster or not attended as the course asks (lms certs issue lists them)
    return issue_for_attempt(session, attempt=attempt, issued_on=local_date(attempt.submitted_at), pm=pm)


def issue_missing_rows(
    session: Session, *, session_id: int | None, issued_on: dt.date, pm: pluggy.PluginManager
) -> list[Certificate]:
    """A certificate row for every passed, graded attempt whose course grants one and that has none yet (attempts
    graded before the chain existed, or while issuing failed) and whose trainee may be certified
    (:func:`lms.credentials.eligibility.certificate_refusal`)."""
    passes = uncertified_passes(session, session_id=session_id)
    eligible = [attempt for attempt in passes if certificate_refusal(session, attempt) is None]
    return [issue_for_attempt(session, attempt=attempt, issued_on=issued_on, pm=pm) for attempt in eligible]
