"""What a session's sign-in sheet prints: the session's evidence (days, trainers, roster) and its project."""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import Session

from lms.errors import LmsError
from lms.evidence.session_evidence import SessionEvidence, evidence_of_session
from lms.i18n import _
from lms.models import Project
from lms.models.lookup import session_by_id_or_code

BLANK_ROWS = 3  # for trainees who turn up without being on the roster


@dataclass
class SigninSheet:
    evidence: SessionEvidence
    project_zh: str
    project_en: str
    blank_rows: int = BLANK_ROWS


def signin_sheet(session: Session, session_ref: int | str) -> SigninSheet:
    """The sign-in sheet of a session, by id or code.

    Raises:
        NotFoundError: no such session.
        LmsError: the session has no days to sign in on.
    """
    training = session_by_id_or_code(session, session_ref)
    evidence = evidence_of_session(session, training.id or 0)
    if not evidence.days:
        raise LmsError(_("session {code} has no days to sign in on").format(code=training.code), field="--session")
    project = session.get(Project, training.project_id) if training.project_id else None
    return SigninSheet(
        evidence=evidence,
        project_zh=project.name_zh if project else "",
        project_en=project.name_en if project else "",
    )
