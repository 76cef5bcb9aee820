"""The report of a training session (培训总结): attendance per day, assessment results with re-exams, certificates,
the trainees' feedback (``lms.feedback.survey``), what the trainer observed, and lines for the trainer's and the buyer's
signatures.

The session's evidence comes from ``lms.evidence.session_evidence``, built once in Chinese and once in English for the
bilingual template; the trainer's note is given (``--notes FILE``) or the session's own notes. Reports are versioned
like training plans (``lms.documents.versions``): a changed roster, result or note makes the next version.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from sqlmodel import Session

from lms.documents.plan_models import Text
from lms.documents.versions import (
    SESSION_REPORT,
    IssuedVersion,
    VersionLine,
    digest_of,
    issue,
    issued_version,
    version_lines,
)
from lms.evidence.session_evidence import evidence_of_session
from lms.evidence.session_lines import SessionEvidence
from lms.feedback.summaries import FeedbackSummary, feedback_summary
from lms.i18n import in_language
from lms.master_data.issuer import IssuerName, issuer_name
from lms.models import Organisation, Project
from lms.models.lookup import session_by_id_or_code

REPORT_KIND = SESSION_REPORT
OUTCOMES = ("passed", "passed_on_reexam", "failed", "pending", "not_assessed", "absent")


@dataclass
class SessionReport:
    zh: SessionEvidence
    en: SessionEvidence
    project: str | None
    project_name: Text | None
    buyer: Text | None
    notes: str
    feedback: FeedbackSummary | None = None  # None when no trainee gave any
    outcomes: dict[str, int] = field(default_factory=dict)

    @property
    def inputs_sha256(self) -> str:
        return digest_of(self)


@dataclass
class ReportDocument:
    report: SessionReport
    version: int
    issued_on: dt.date
    inputs_sha256: str
    issuer: IssuerName | None = None  # None: the configuration's name


def session_report(session: Session, session_ref: int | str, *, notes: str | None = None) -> SessionReport:
    """The report of one session, by id or code; ``notes`` replaces the session's own notes when given.

    Raises:
        NotFoundError: no such session.
    """
    training = session_by_id_or_code(session, session_ref)
    with in_language("zh"):
        zh = evidence_of_session(session, training.id or 0)
    with in_language("en"):
        en = evidence_of_session(session, training.id or 0)
    project = session.get(Project, training.project_id) if training.project_id else None
    buyer = session.get(Organisation, project.buyer_id) if project else None
    counts = Counter(result.outcome for result in zh.results)
    feedback = feedback_summary(session, training.id or 0)
    return SessionReport(
        zh=zh,
        en=en,
        project=project.code if project else None,
        project_name=Text(project.name_zh, project.name_en) if project else None,
        buyer=Text(buyer.name_zh, buyer.name_en) if buyer else None,
        notes=(notes if notes is not None else training.notes or "").strip(),
        feedback=feedback if feedback.responses else None,
        outcomes={outcome: counts[outcome] for outcome in OUTCOMES if counts[outcome]},
    )


def issue_session_report(
    session: Session,
    session_ref: int | str,
    *,
    notes: str | None,
    today: dt.date,
    files_root: Path,
    render: Callable[[ReportDocument], bytes],
) -> IssuedVersion:
    """The report's current version: a new one when anything it shows changed since the last.

    Raises:
        NotFoundError: no such session.
    """
    report = session_report(session, session_ref, notes=notes)
    digest = report.inputs_sha256
    issuer = issuer_name(session=session)
    return issue(
        session,
        kind=REPORT_KIND,
        subject=report.zh.code,
        inputs_sha256=digest,
        make=lambda version: render(ReportDocument(report, version, today, digest, issuer)),
        files_root=files_root,
    )


def report_version(session: Session, session_ref: int | str, version: int, *, files_root: Path) -> IssuedVersion:
    training = session_by_id_or_code(session, session_ref)
    return issued_version(session, files_root, REPORT_KIND, training.code, version)


def report_versions(session: Session, session_ref: int | str) -> list[VersionLine]:
    training = session_by_id_or_code(session, session_ref)
    return version_lines(session, [REPORT_KIND], [training.code])
