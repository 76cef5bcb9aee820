"""SQLModel tables for the whole domain: organisations, people, courses, projects, obligations, sessions,
attendance, attempts, certificates, skill records and the audit log.

Enumerations are stored as short strings (portable across SQLite and PostgreSQL, easy to migrate); the
``StrEnum`` classes below name the allowed values.
"""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from typing import Any

from sqlalchemy import JSON, Column, Index, UniqueConstraint
from sqlmodel import Field, SQLModel


def utc_now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def json_column() -> Any:
    return Field(default=None, sa_column=Column(JSON, nullable=True))


class OrganisationKind(StrEnum):
    vendor = "vendor"
    buyer = "buyer"
    manufacturer = "manufacturer"


class PersonKind(StrEnum):
    trainer = "trainer"
    engineer = "engineer"
    buyer_staff = "buyer_staff"


class Curriculum(StrEnum):
    operation = "operation"
    maintenance = "maintenance"
    fault_handling = "fault_handling"


class MilestoneKind(StrEnum):
    delivery = "delivery"
    installation = "installation"
    acceptance = "acceptance"


class Mode(StrEnum):
    on_site = "on_site"
    centralised = "centralised"
    online = "online"


class Cadence(StrEnum):
    once = "once"
    quarterly = "quarterly"
    semiannual = "semiannual"
    spring_autumn = "spring_autumn"
    yearly = "yearly"


class SessionStatus(StrEnum):
    planned = "planned"
    confirmed = "confirmed"
    held = "held"
    cancelled = "cancelled"


class AttemptStatus(StrEnum):
    in_progress = "in_progress"
    submitted = "submitted"
    graded = "graded"


class CertificateStatus(StrEnum):
    valid = "valid"
    revoked = "revoked"
    superseded = "superseded"


class CertificateFamily(StrEnum):
    operator = "operator"
    engineer = "engineer"


# Table: a company — the vendor itself, a buyer, or a manufacturer whose engineers co-teach.
class Organisation(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    code: str = Field(unique=True, index=True, max_length=40)
    kind: str = Field(max_length=20)
    name_zh: str = Field(max_length=200)
    name_en: str = Field(max_length=200)
    city: str | None = Field(default=None, max_length=80)


# Table: anyone the system knows — trainers, engineers, buyer staff. ID numbers are stored and shown masked.
class Person(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    code: str = Field(unique=True, index=True, max_length=40)
    kind: str = Field(max_length=20, index=True)
    name: str = Field(max_length=100)
    name_en: str | None = Field(default=None, max_length=100)
    organisation_id: int = Field(foreign_key="organisation.id", index=True)
    title: str | None = Field(default=None, max_length=100)
    id_number: str | None = Field(default=None, max_length=40)
    employee_number: str | None = Field(default=None, max_length=40)
    phone: str | None = Field(default=None, max_length=40)
    email: str | None = Field(default=None, max_length=200)
    home_city: str | None = Field(default=None, max_length=80)
    is_technical_lead: bool = False

    @property
    def masked_id_number(self) -> str:
        return mask_id_number(self.id_number)


def mask_id_number(id_number: str | None) -> str:
    """1101**********1234: keep the region prefix and the last four characters."""
    if not id_number:
        return ""
    if len(id_number) <= 8:
        return id_number[:1] + "*" * (len(id_number) - 2) + id_number[-1:]
    return id_number[:4] + "*" * (len(id_number) - 8) + id_number[-4:]


# Table: a place to teach — a training-centre room or a room at a buyer's site.
class Room(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    code: str = Field(unique=True, index=True, max_length=40)
    name: str = Field(max_length=200)
    organisation_id: int | None = Field(default=None, foreign_key="organisation.id", index=True)
    city: str = Field(max_length=80)
    address: str | None = Field(default=None, max_length=300)
    capacity: int = 20


# Table: a skill an engineer or trainer may hold (e.g. may maintain solar hot-water systems).
class Skill(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    code: str = Field(unique=True, index=True, max_length=60)
    name_zh: str = Field(max_length=200)
    name_en: str = Field(max_length=200)
    renewal_window_days: int = Field(default=90, description="recertification window opens this long before expiry")


# Table: a course as trainers name it; its content lives in versions.
class Course(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    code: str = Field(unique=True, index=True, max_length=60)
    title_zh: str = Field(max_length=300)
    title_en: str = Field(max_length=300)


# Table: one imported state of a course. Attempts and certificates point here, so edits never rewrite history.
class CourseVersion(SQLModel, table=True):
    __table_args__ = (UniqueConstraint("course_id", "version"),)
    id: int | None = Field(default=None, primary_key=True)
    course_id: int = Field(foreign_key="course.id", index=True)
    version: int
    content_hash: str = Field(max_length=64, index=True)
    source_path: str | None = Field(default=None, max_length=500)
    imported_at: dt.datetime = Field(default_factory=utc_now)
    system_zh: str = Field(default="", max_length=300)
    system_en: str = Field(default="", max_length=300)
    audience: list[str] | None = json_column()
    pass_mark: float = 60.0
    written_weight: float = 1.0
    practical_weight: float = 0.0
    time_limit_minutes: int | None = None
    reexam: dict[str, Any] | None = json_column()
    certificate: dict[str, Any] | None = json_column()
    blueprint: list[dict[str, Any]] | None = json_column()
    practical_checklist: list[dict[str, Any]] | None = json_column()
    handouts: list[str] | None = json_column()
    spec: dict[str, Any] | None = json_column()


# Table: a module of a course version in one curriculum (operation, maintenance or fault handling).
class CourseModule(SQLModel, table=True):
    __table_args__ = (UniqueConstraint("course_version_id", "code"),)
    id: int | None = Field(default=None, primary_key=True)
    course_version_id: int = Field(foreign_key="courseversion.id", index=True)
    code: str = Field(max_length=60)
    curriculum: str = Field(max_length=30)
    position: int = 0
    title_zh: str = Field(max_length=300)
    title_en: str = Field(max_length=300)
    hours: float = 0
    objectives: list[dict[str, str]] | None = json_column()
    audience: list[str] | None = json_column()
    methods: list[str] | None = json_column()


# Table: a question in a course version's bank; ``data`` holds the type-specific body and answer key.
class Question(SQLModel, table=True):
    __table_args__ = (UniqueConstraint("course_version_id", "code"),)
    id: int | None = Field(default=None, primary_key=True)
    course_version_id: int = Field(foreign_key="courseversion.id", index=True)
    module_id: int = Field(foreign_key="coursemodule.id", index=True)
    code: str = Field(max_length=60)
    qtype: str = Field(max_length=30)
    curriculum: str = Field(max_length=30)
    points: float = 1.0
    prompt_zh: str
    prompt_en: str
    data: dict[str, Any] | None = json_column()


# Table: a skill (at a level) that passing a course version grants.
class CourseSkillGrant(SQLModel, table=True):
    __table_args__ = (UniqueConstraint("course_version_id", "skill_id"),)
    id: int | None = Field(default=None, primary_key=True)
    course_version_id: int = Field(foreign_key="courseversion.id", index=True)
    skill_id: int = Field(foreign_key="skill.id", index=True)
    level: int = 1


# Table: a won contract at a buyer's site.
class Project(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    code: str = Field(unique=True, index=True, max_length=60)
    name_zh: str = Field(max_length=300)
    name_en: str = Field(max_length=300)
    buyer_id: int = Field(foreign_key="organisation.id", index=True)
    site: str = Field(max_length=300)
    city: str = Field(max_length=80)
    warranty_months: int = 12
    tender_ref: str | None = Field(default=None, max_length=120)


# Table: a system (course) delivered under a project.
class ProjectCourse(SQLModel, table=True):
    __table_args__ = (UniqueConstraint("project_id", "course_id"),)
    id: int | None = Field(default=None, primary_key=True)
    project_id: int = Field(foreign_key="project.id", index=True)
    course_id: int = Field(foreign_key="course.id", index=True)


# Table: a project milestone with its planned and actual date; moving acceptance moves obligations.
class Milestone(SQLModel, table=True):
    __table_args__ = (UniqueConstraint("project_id", "kind"),)
    id: int | None = Field(default=None, primary_key=True)
    project_id: int = Field(foreign_key="project.id", index=True)
    kind: str = Field(max_length=20)
    planned_date: dt.date | None = None
    actual_date: dt.date | None = None


# Table: one training duty from the tender, quoting its clause.
class Obligation(SQLModel, table=True):
    __table_args__ = (UniqueConstraint("project_id", "code"),)
    id: int | None = Field(default=None, primary_key=True)
    project_id: int = Field(foreign_key="project.id", index=True)
    code: str = Field(max_length=60)
    clause_ref: str | None = Field(default=None, max_length=120)
    clause_text: str
    anchor: str = Field(max_length=20)
    offset_days: int = 0
    offset_unit: str = Field(default="working", max_length=10)
    direction: str = Field(default="after", max_length=10)
    window_days: int | None = None
    mode: str = Field(max_length=20)
    place: str = Field(default="buyer_site", max_length=20)
    min_trainees: int = 0
    min_days: float = 0
    min_hours: float = 0
    audience: list[str] | None = json_column()
    curricula: list[str] | None = json_column()
    course_codes: list[str] | None = json_column()
    assessment_required: bool = False
    certificate_required: bool = False
    cadence: str = Field(default="once", max_length=20)
    required_trainer_roles: list[str] | None = json_column()


# Table: a planned, confirmed, held or cancelled training session.
class TrainingSession(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    code: str = Field(unique=True, index=True, max_length=40)
    uid: str = Field(unique=True, max_length=120)
    project_id: int | None = Field(default=None, foreign_key="project.id", index=True)
    obligation_id: int | None = Field(default=None, foreign_key="obligation.id", index=True)
    period_label: str | None = Field(default=None, max_length=20)
    course_version_id: int = Field(foreign_key="courseversion.id", index=True)
    mode: str = Field(max_length=20)
    room_id: int | None = Field(default=None, foreign_key="room.id", index=True)
    place: str = Field(max_length=300)
    city: str = Field(max_length=80)
    capacity: int = 20
    status: str = Field(default=SessionStatus.planned, max_length=20, index=True)
    sequence: int = 0
    first_day: dt.date = Field(index=True)
    last_day: dt.date = Field(index=True)
    notes: str | None = None
    updated_at: dt.datetime = Field(default_factory=utc_now)


# Table: one day of a session with its hours; multi-day sessions have several.
class SessionDay(SQLModel, table=True):
    __table_args__ = (UniqueConstraint("session_id", "day"),)
    id: int | None = Field(default=None, primary_key=True)
    session_id: int = Field(foreign_key="trainingsession.id", index=True)
    day: dt.date = Field(index=True)
    start_time: dt.time = dt.time(9, 0)
    end_time: dt.time = dt.time(17, 0)
    hours: float = 6.0


# Table: who teaches a session, and in what role (lead, assistant, manufacturer engineer).
class SessionTrainer(SQLModel, table=True):
    __table_args__ = (
        UniqueConstraint("session_id", "person_id"),
        Index("ix_sessiontrainer_person_session", "person_id", "session_id"),
    )
    id: int | None = Field(default=None, primary_key=True)
    session_id: int = Field(foreign_key="trainingsession.id", index=True)
    person_id: int = Field(foreign_key="person.id")
    role: str = Field(default="lead", max_length=30)


# Table: a trainee on a session's roster.
class RosterEntry(SQLModel, table=True):
    __table_args__ = (UniqueConstraint("session_id", "person_id"),)
    id: int | None = Field(default=None, primary_key=True)
    session_id: int = Field(foreign_key="trainingsession.id", index=True)
    person_id: int = Field(foreign_key="person.id", index=True)
    added_at: dt.datetime = Field(default_factory=utc_now)


# Table: whether a rostered trainee was present on one session day.
class Attendance(SQLModel, table=True):
    __table_args__ = (UniqueConstraint("session_day_id", "person_id"),)
    id: int | None = Field(default=None, primary_key=True)
    session_day_id: int = Field(foreign_key="sessionday.id", index=True)
    person_id: int = Field(foreign_key="person.id", index=True)
    present: bool = True
    signed_at: dt.datetime | None = None


# Table: one trainee's sitting of a course quiz; re-exams (补考) have number > 1.
class Attempt(SQLModel, table=True):
    __table_args__ = (UniqueConstraint("person_id", "course_version_id", "session_id", "number"),)
    id: int | None = Field(default=None, primary_key=True)
    person_id: int = Field(foreign_key="person.id", index=True)
    course_version_id: int = Field(foreign_key="courseversion.id", index=True)
    session_id: int | None = Field(default=None, foreign_key="trainingsession.id", index=True)
    number: int = 1
    seed: int = 0
    question_ids: list[int] | None = json_column()
    status: str = Field(default=AttemptStatus.in_progress, max_length=20)
    started_at: dt.datetime = Field(default_factory=utc_now)
    # When its paper was first printed. The invigilator keeps a paper's time; equal to started_at while the attempt
    # exists only on paper, so the screen's clock starts when the trainee first opens it there.
    printed_at: dt.datetime | None = None
    submitted_at: dt.datetime | None = None
    written_score: float | None = None
    practical_score: float | None = None
    score: float | None = None
    passed: bool | None = None


# Table: one answer in an attempt, autosaved as the trainee goes.
class Answer(SQLModel, table=True):
    __table_args__ = (UniqueConstraint("attempt_id", "question_id"),)
    id: int | None = Field(default=None, primary_key=True)
    attempt_id: int = Field(foreign_key="attempt.id", index=True)
    question_id: int = Field(foreign_key="question.id", index=True)
    response: Any = json_column()
    fraction: float | None = None
    saved_at: dt.datetime = Field(default_factory=utc_now)


# Table: a certificate; serials are unique and gapless per year, re-issues supersede.
class Certificate(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    serial: str = Field(unique=True, index=True, max_length=40)
    family: str = Field(max_length=20)
    person_id: int = Field(foreign_key="person.id", index=True)
    course_version_id: int = Field(foreign_key="courseversion.id", index=True)
    session_id: int | None = Field(default=None, foreign_key="trainingsession.id", index=True)
    attempt_id: int | None = Field(default=None, foreign_key="attempt.id", index=True)
    issued_on: dt.date
    expires_on: dt.date | None = None
    status: str = Field(default=CertificateStatus.valid, max_length=20)
    superseded_by_id: int | None = Field(default=None, foreign_key="certificate.id")
    revoked_reason: str | None = None
    verification_code: str | None = Field(default=None, max_length=1000)
    pdf_sha256: str | None = Field(default=None, max_length=64)
    holder_name: str = Field(default="", max_length=100)
    key_id: str | None = Field(default=None, max_length=40)
    pdf_path: str | None = Field(default=None, max_length=500)
    revoked_on: dt.date | None = None
    supersedes_id: int | None = Field(default=None, foreign_key="certificate.id")


# Table: the last serial number handed out per prefix and year; one row locked per issue keeps serials gapless.
class SerialCounter(SQLModel, table=True):
    prefix: str = Field(primary_key=True, max_length=20)
    last: int = 0


# Table: a public key the issuer signs verification codes with; kept after rotation so old certificates verify.
class IssuerKey(SQLModel, table=True):
    key_id: str = Field(primary_key=True, max_length=40)
    public_key_pem: str
    created_at: dt.datetime = Field(default_factory=utc_now)
    retired_at: dt.datetime | None = None


# Table: person × skill × level × validity, from a certificate or entered by HR.
class SkillRecord(SQLModel, table=True):
    __table_args__ = (Index("ix_skillrecord_person_skill", "person_id", "skill_id", "valid_from"),)
    id: int | None = Field(default=None, primary_key=True)
    person_id: int = Field(foreign_key="person.id", index=True)
    skill_id: int = Field(foreign_key="skill.id", index=True)
    level: int = 1
    valid_from: dt.date
    valid_until: dt.date | None = None
    certificate_id: int | None = Field(default=None, foreign_key="certificate.id", index=True)
    source: str = Field(default="hr", max_length=20)
    issuer: str | None = Field(default=None, max_length=200, description="who issued an outside certificate")
    reference: str | None = Field(default=None, max_length=100, description="the outside certificate's number")
    note: str | None = None


# Table: a file kept as evidence — a signed sign-in sheet scan, an outside certificate's scan, sent materials.
# Files are stored by content hash under the data folder, so a re-run never leaves a second copy.
class Attachment(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    kind: str = Field(max_length=40, index=True)
    session_id: int | None = Field(default=None, foreign_key="trainingsession.id", index=True)
    session_day: dt.date | None = None
    skill_record_id: int | None = Field(default=None, foreign_key="skillrecord.id", index=True)
    original_name: str = Field(max_length=300)
    media_type: str = Field(max_length=100)
    sha256: str = Field(max_length=64, index=True)
    size: int
    added_at: dt.datetime = Field(default_factory=utc_now)
    added_by: str = Field(default="", max_length=100)
    note: str | None = None


# Table: a generated document kept with its version — training plans are re-issued when sessions move.
class IssuedDocument(SQLModel, table=True):
    __table_args__ = (UniqueConstraint("kind", "subject", "version"),)
    id: int | None = Field(default=None, primary_key=True)
    kind: str = Field(max_length=40)
    subject: str = Field(max_length=120, description="what it is about: a project code or a session id")
    version: int
    inputs_sha256: str = Field(max_length=64, description="hash of the data it was made from")
    sha256: str = Field(max_length=64)
    language: str = Field(default="zh", max_length=10)
    created_at: dt.datetime = Field(default_factory=utc_now)


# Table: a record that training materials were sent to the buyer before a session.
class MaterialsDispatch(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    session_id: int = Field(foreign_key="trainingsession.id", index=True)
    sent_on: dt.date
    sent_to: str = Field(max_length=200)
    channel: str = Field(default="email", max_length=40)
    bundle_sha256: str | None = Field(default=None, max_length=64)
    note: str | None = None


# Table: one trainee's answers to the feedback survey after a session (paper, terminal or browser).
class FeedbackResponse(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    session_id: int = Field(foreign_key="trainingsession.id", index=True)
    person_id: int | None = Field(default=None, foreign_key="person.id", index=True)
    survey: str = Field(max_length=60)
    ratings: dict[str, Any] | None = json_column()
    comments: dict[str, Any] | None = json_column()
    source: str = Field(default="terminal", max_length=20)
    submitted_at: dt.datetime = Field(default_factory=utc_now)


# Table: a time a trainer is busy elsewhere, imported from their own calendar (.ics); auto-scheduling avoids it.
class TrainerBusy(SQLModel, table=True):
    __table_args__ = (Index("ix_trainerbusy_person_start", "person_id", "starts_at"),)
    id: int | None = Field(default=None, primary_key=True)
    person_id: int = Field(foreign_key="person.id", index=True)
    starts_at: dt.datetime
    ends_at: dt.datetime
    summary: str = Field(default="", max_length=300)
    source: str = Field(default="", max_length=300)
    source_uid: str | None = Field(default=None, max_length=300)


# Table: append-only record of changes (who, when, before, after), chained by hashes.
class AuditEntry(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    at: dt.datetime = Field(default_factory=utc_now)
    actor: str = Field(max_length=100)
    action: str = Field(max_length=60, index=True)
    entity: str = Field(max_length=60)
    entity_key: str = Field(max_length=120)
    before: dict[str, Any] | None = json_column()
    after: dict[str, Any] | None = json_column()
    previous_hash: str = Field(max_length=64)
    entry_hash: str = Field(max_length=64)


# Table: a tutoring session a trainee attended after failing; a re-exam may require one first (reexam rules).
class TutoringRecord(SQLModel, table=True):
    __table_args__ = (Index("ix_tutoringrecord_person_course", "person_id", "course_id"),)
    id: int | None = Field(default=None, primary_key=True)
    person_id: int = Field(foreign_key="person.id")
    course_id: int = Field(foreign_key="course.id", index=True)
    session_id: int | None = Field(default=None, foreign_key="trainingsession.id", index=True)
    tutor_id: int | None = Field(default=None, foreign_key="person.id", index=True)
    held_on: dt.date
    notes: str | None = None
