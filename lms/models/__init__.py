"""SQLModel tables for the whole domain, one module per area; every table is importable from ``lms.models``.

Enumerations are stored as short strings (portable across SQLite and PostgreSQL, easy to migrate); the
``StrEnum`` classes in ``lms.models.base`` name the allowed values.
"""

from lms.models.assessment import Answer, Attempt, TraineeAccess, TutoringRecord
from lms.models.base import (
    AttemptStatus,
    Cadence,
    CertificateFamily,
    CertificateStatus,
    Curriculum,
    MilestoneKind,
    Mode,
    OrganisationKind,
    PersonKind,
    Retirable,
    SessionStatus,
    Versioned,
    json_column,
    utc_now,
)
from lms.models.calendars import HolidayNotice
from lms.models.catalog import Course, CourseModule, CourseSkillGrant, CourseVersion, Question
from lms.models.credentials import Certificate, Dispatch, IssuerKey, SerialCounter, SkillRecord
from lms.models.people import Organisation, Person, Room, Skill, mask_id_number
from lms.models.projects import Milestone, Obligation, Project, ProjectCourse
from lms.models.records import Attachment, AuditEntry, FeedbackResponse, IssuedDocument, MaterialsDispatch
from lms.models.scheduling import (
    Attendance,
    CalendarCancellation,
    RosterEntry,
    SessionDay,
    SessionTrainer,
    TrainerBusy,
    TrainingSession,
)

__all__ = [
    "Answer",
    "Attachment",
    "Attempt",
    "AttemptStatus",
    "Attendance",
    "AuditEntry",
    "Cadence",
    "CalendarCancellation",
    "Certificate",
    "CertificateFamily",
    "CertificateStatus",
    "Course",
    "CourseModule",
    "CourseSkillGrant",
    "CourseVersion",
    "Curriculum",
    "Dispatch",
    "FeedbackResponse",
    "HolidayNotice",
    "IssuedDocument",
    "IssuerKey",
    "MaterialsDispatch",
    "Milestone",
    "MilestoneKind",
    "Mode",
    "Obligation",
    "Organisation",
    "OrganisationKind",
    "Person",
    "PersonKind",
    "Project",
    "ProjectCourse",
    "Question",
    "Retirable",
    "Room",
    "RosterEntry",
    "SerialCounter",
    "SessionDay",
    "SessionStatus",
    "SessionTrainer",
    "Skill",
    "SkillRecord",
    "TraineeAccess",
    "TrainerBusy",
    "TrainingSession",
    "TutoringRecord",
    "Versioned",
    "json_column",
    "mask_id_number",
    "utc_now",
    "",
]
