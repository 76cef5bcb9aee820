"""What a session's sign-in sheet prints: the session's evidence (days, trainers, roster) and its project."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlmodel import Session

from lms.assessment.trainee_access import issue_codes
from lms.errors import LmsError
from lms.evidence.session_evidence import evidence_of_session
from lms.evidence.session_lines import SessionEvidence
from lms.i18n import _
from lms.master_data.issuer import IssuerName, issuer_name
from lms.models import Project
from lms.models.lookup import session_by_id_or_code

BLANK_ROWS = 3  # for trainees who turn up without being on the roster


@dataclass(frozen=True)
class AccessSlip:
    """One trainee's slip: their own quiz code and the address (the QR code) that opens their quiz on a phone."""

    name: str
    person_code: str
    code: str
    url: str


@dataclass
class SigninSheet:
    evidence: SessionEvidence
    project_zh: str
    project_en: str
    blank_rows: int = BLANK_ROWS
    slips: list[AccessSlip] = field(default_factory=list)
    issuer: IssuerName | None = None  # None: the configuration's name (a sheet built without the database)


def quiz_url(public_url: str, code: str) -> str:
    """The address a slip's QR code carries: the web app's code page with the code filled in."""
    return f"{public_url.rstrip('/')}/q?c={code}"


def access_slips(
    session: Session, *, session_id: int, public_url: str, person_ids: list[int] | None = None
) -> list[AccessSlip]:
    """Fresh quiz codes for the roster (or some of it), as slips; the codes printed before stop working."""
    return [
        AccessSlip(issued.name, issued.person_code, issued.code, quiz_url(public_url, issued.code))
        for issued in issue_codes(session, session_id=session_id, person_ids=person_ids)
    ]


def signin_sheet(session: Session, session_ref: int | str, *, public_url: str | None = None) -> SigninSheet:
    """The sign-in sheet of a session, by id or code; with ``public_url``, a page of quiz slips (fresh codes) too.

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
        slips=access_slips(session, session_id=training.id or 0, public_url=public_url) if public_url else [],
        issuer=issuer_name(session=session),
    )
