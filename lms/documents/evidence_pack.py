"""What the evidence pack PDF holds: the project's compliance built in Chinese and in English (walked side by side by
the template), per-obligation counts, the certificate manifest and the scanned files to embed."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

from sqlmodel import Session

from lms.calendars.workdays import WorkdayCalendar
from lms.documents.versions import EVIDENCE_KINDS, VersionLine, version_lines
from lms.errors import LmsError
from lms.evidence.compliance import project_compliance
from lms.evidence.compliance_records import ProjectCompliance
from lms.evidence.session_lines import CertificateLine
from lms.files.storage import stored_file_path
from lms.i18n import _, in_language
from lms.master_data.issuer import IssuerName, issuer_name


@dataclass(frozen=True)
class ObligationCounts:
    sessions: int
    passed: int
    certificates: int


@dataclass(frozen=True)
class EmbeddedFile:
    name: str
    path: Path
    sha256: str
    size: int
    media_type: str


@dataclass
class EvidencePack:
    zh: ProjectCompliance
    en: ProjectCompliance
    counts: dict[str, ObligationCounts]
    manifest: list[CertificateLine]
    files: list[EmbeddedFile] = field(default_factory=list)
    generated_on: dt.date = field(default_factory=dt.date.today)
    documents: list[VersionLine] = field(default_factory=list)  # plans, session reports, materials bundles issued
    issuer: IssuerName | None = None  # None: the configuration's name (a pack built without the database)


def evidence_pack(
    session: Session, project_code: str, *, today: dt.date, calendar: WorkdayCalendar, files_root: Path
) -> EvidencePack:
    """Gather the pack of a project.

    Raises:
        NotFoundError: no project has this code.
        LmsError: a scan recorded for a session is missing from the file store.
    """
    with in_language("zh"):
        zh = project_compliance(session, project_code, today, calendar)
    with in_language("en"):
        en = project_compliance(session, project_code, today, calendar)
    counts: dict[str, ObligationCounts] = {}
    manifest: dict[str, CertificateLine] = {}
    files: list[EmbeddedFile] = []
    for obligation in zh.obligations:
        passed = certificates = 0
        for training in obligation.sessions:
            passed += sum(1 for result in training.results if result.passed)
            certificates += len(training.certificates)
            manifest.update((line.serial, line) for line in training.certificates)
            for scan in training.scans:
                path = stored_file_path(files_root, scan.sha256)
                if path is None:
                    raise LmsError(
                        _("the scan {name} of session {session} is missing from the file store").format(
                            name=scan.original_name, session=training.code
                        ),
                        file=files_root,
                    )
                label = f"{training.code}-{scan.day or 'scan'}-{scan.original_name}"
                files.append(EmbeddedFile(label, path, scan.sha256, scan.size, scan.media_type))
        counts[obligation.code] = ObligationCounts(len(obligation.sessions), passed, certificates)
    return EvidencePack(
        zh=zh,
        en=en,
        counts=counts,
        manifest=sorted(manifest.values(), key=lambda line: line.serial),
        files=files,
        generated_on=today,
        documents=version_lines(
            session, EVIDENCE_KINDS, [zh.code, *(t.code for o in zh.obligations for t in o.sessions)]
        ),
        issuer=issuer_name(session=session),
    )
