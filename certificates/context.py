"""What a certificate prints, gathered from the database in a few set-based queries (a batch of 1,000 certificates
costs a handful of queries, not thousands)."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from sqlmodel import Session, col, select

from certificates.seal import seal_data_uri
from lms.config import Branding, config_path, settings
from lms.credentials.public_check import verification_url
from lms.errors import LmsError
from lms.i18n import _
from lms.master_data.issuer import issuer_name
from lms.models import (
    Attempt,
    Certificate,
    Course,
    CourseModule,
    CourseVersion,
    Organisation,
    Person,
    Project,
    SessionDay,
    TrainingSession,
    mask_id_number,
)

IMAGE_TYPES = {".png", ".svg"}


def branding_image(configured: str | None, field: str) -> Path | None:
    """A configured branding image (seal, logo): a PNG or SVG file, a relative path read from the configuration's
    folder. The document engine may read this one file and nothing beside it (see :func:`branding_files`)."""
    if not configured:
        return None
    path = Path(configured).expanduser()
    if not path.is_absolute():
        path = config_path().parent / path
    if path.suffix.lower() not in IMAGE_TYPES:
        raise LmsError(_("{path}: a PNG or SVG image is needed").format(path=path), field=field)
    if not path.is_file():
        raise LmsError(_("{path}: no such image file").format(path=path), field=field)
    return path.resolve()


def branding_files(branding: Branding) -> list[Path]:
    """The configured images the document engine may read (everything else outside its assets is refused)."""
    return [
        path
        for path in (
            branding_image(branding.seal_image, "branding.seal_image"),
            branding_image(branding.logo_image, "branding.logo_image"),
        )
        if path is not None
    ]


def seal_url(branding: Branding, vendor_zh: str) -> str:
    """The configured seal image, else the round seal drawn from the vendor's name and the seal title."""
    configured = branding_image(branding.seal_image, "branding.seal_image")
    if configured is not None:
        return configured.as_uri()
    return seal_data_uri(vendor_zh, branding.seal_title)


def _by_id(session: Session, model: Any, ids: set[int]) -> dict[int, Any]:
    if not ids:
        return {}
    return {row.id: row for row in session.exec(select(model).where(col(model.id).in_(ids)))}


def certificate_contexts(
    session: Session, certificates: Sequence[Certificate], branding: Branding | None = None
) -> list[dict[str, Any]]:
    """One template context per certificate, in the given order. The QR code is drawn later, in the worker that
    renders the PDF, from ``verification_url`` (``web.public_url`` configured) or else ``verification_code``."""
    branding = branding or settings().branding
    public_url = settings().web.public_url
    people = _by_id(session, Person, {certificate.person_id for certificate in certificates})
    organisations = _by_id(session, Organisation, {person.organisation_id for person in people.values()})
    versions = _by_id(session, CourseVersion, {certificate.course_version_id for certificate in certificates})
    courses = _by_id(session, Course, {version.course_id for version in versions.values()})
    sessions = _by_id(session, TrainingSession, {c.session_id for c in certificates if c.session_id is not None})
    projects = _by_id(session, Project, {s.project_id for s in sessions.values() if s.project_id is not None})
    attempts = _by_id(session, Attempt, {c.attempt_id for c in certificates if c.attempt_id is not None})
    replaced = _by_id(session, Certificate, {c.supersedes_id for c in certificates if c.supersedes_id is not None})
    session_hours: dict[int, float] = defaultdict(float)
    if sessions:
        for day in session.exec(select(SessionDay).where(col(SessionDay.session_id).in_(set(sessions)))):
            session_hours[day.session_id] += day.hours
    course_hours: dict[int, float] = defaultdict(float)
    for module in session.exec(select(CourseModule).where(col(CourseModule.course_version_id).in_(set(versions)))):
        course_hours[module.course_version_id] += module.hours or 0.0
    issuer = issuer_name(session=session, branding=branding)
    seal = seal_url(branding, issuer.zh)
    logo = branding_image(branding.logo_image, "branding.logo_image")

    contexts = []
    for certificate in certificates:
        person = people[certificate.person_id]
        organisation = organisations.get(person.organisation_id)
        version = versions[certificate.course_version_id]
        course = courses[version.course_id]
        rule = version.certificate or {}
        title = rule.get("title") or {"zh": course.title_zh, "en": course.title_en}
        training = sessions.get(certificate.session_id) if certificate.session_id is not None else None
        project = projects.get(training.project_id) if training and training.project_id is not None else None
        attempt = attempts.get(certificate.attempt_id) if certificate.attempt_id is not None else None
        hours = session_hours.get(training.id) if training and training.id is not None else None
        hours = hours or course_hours.get(certificate.course_version_id) or 0
        uses_employee_number = certificate.family == "engineer" and bool(person.employee_number)
        window_days = rule.get("recertify_within_days")
        contexts.append(
            {
                "family": certificate.family,
                "title_zh": title["zh"],
                "title_en": title["en"],
                "holder_name": certificate.holder_name or person.name,
                "holder_name_en": person.name_en or "",
                "id_label_zh": "工号" if uses_employee_number else "身份证号",
                "id_label_en": "Employee No." if uses_employee_number else "ID No.",
                "id_value": person.employee_number if uses_employee_number else mask_id_number(person.id_number),
                "organisation_zh": organisation.name_zh if organisation else "",
                "organisation_en": organisation.name_en if organisation else "",
                "project_zh": project.name_zh if project else "",
                "project_en": project.name_en if project else "",
                "course_zh": course.title_zh,
                "course_en": course.title_en,
                "start": training.first_day if training else certificate.issued_on,
                "end": training.last_day if training else certificate.issued_on,
                "hours": f"{hours:g}",
                "result_zh": "合格",
                "result_en": "Pass",
                "score": f"{attempt.score:g}" if attempt and attempt.score is not None else None,
                "serial": certificate.serial,
                "replaces_serial": (
                    replaced[certificate.supersedes_id].serial if certificate.supersedes_id in replaced else None
                ),
                "issued_on": certificate.issued_on,
                "expires_on": certificate.expires_on,
                "renewal_opens_on": (
                    certificate.expires_on - dt.timedelta(days=window_days)
                    if certificate.expires_on and window_days
                    else None
                ),
                "issuer_zh": issuer.zh,
                "issuer_en": issuer.en,
                "signatory": branding.signatory,
                "seal_url": seal,
                "seal_title": branding.seal_title,  # drawn in the seal: its characters must be in the batch's faces
                "logo_url": logo.as_uri() if logo else "",
                "verification_code": certificate.verification_code or certificate.serial,
                # What the QR code carries: the check page of ``lms web`` when its address is configured.
                "verification_url": (
                    verification_url(public_url, certificate.serial, certificate.verification_code)
                    if public_url and certificate.verification_code
                    else ""
                ),
            }
        )
    return contexts
