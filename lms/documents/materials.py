"""Training materials for a session: the project's training plan (its current version), the course syllabus and the
course's handouts, bundled into a folder with a manifest of SHA-256 hashes; and the record that they were sent.

Handouts are the files the course YAML lists under ``handouts``, read from the file store where the import kept them.
The manifest is plain JSON with sorted keys and no timestamp, so the same materials always give the same manifest;
its own hash is what ``materials-sent --bundle`` records and what the evidence pack shows. Each different manifest
of a session is kept as a version of its ``materials_bundle`` (``lms.documents.versions``).
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlmodel import Session

from lms.access import audit
from lms.calendars.workdays import WorkdayCalendar
from lms.catalog.handouts import handout_name, read_stored_handout
from lms.documents.plan_models import PlanDocument, SyllabusDocument
from lms.documents.training_plans import issue_training_plan, session_syllabus
from lms.documents.versions import MATERIALS_BUNDLE, IssuedVersion, issue
from lms.errors import LmsError
from lms.files.storage import sha256_of, write_atomically
from lms.i18n import _
from lms.models import CourseVersion, MaterialsDispatch, Project, TrainingSession
from lms.models.lookup import session_by_id_or_code

BUNDLE_KIND = MATERIALS_BUNDLE
MANIFEST = "manifest.json"
CHANNELS = ("email", "post", "hand")


@dataclass(frozen=True)
class BundleFile:
    name: str
    kind: str  # training_plan, syllabus, handout
    content: bytes

    @property
    def sha256(self) -> str:
        return sha256_of(self.content)


@dataclass
class MaterialsBundle:
    session: str
    project: str | None
    plan_version: int | None
    course: str
    course_version: int
    files: list[BundleFile]
    version: int = 0  # of the session's materials bundle, once issued

    def manifest(self) -> bytes:
        data: dict[str, Any] = {
            "session": self.session,
            "project": self.project,
            "training_plan_version": self.plan_version,
            "course": self.course,
            "course_version": self.course_version,
            "files": [{"name": f.name, "kind": f.kind, "sha256": f.sha256, "size": len(f.content)} for f in self.files],
        }
        return (json.dumps(data, ensure_ascii=False, indent=2, sort_keys=True) + "\n").encode("utf-8")

    @property
    def manifest_sha256(self) -> str:
        return sha256_of(self.manifest())


def handout_files(version: CourseVersion, course_code: str, files_root: Path) -> list[BundleFile]:
    """The course's handouts, from the file store where the course import put them.

    Raises:
        LmsError: a handout is missing from the store or altered, or the course was imported before handouts
            were stored (naming it).
    """
    found: list[BundleFile] = []
    taken: set[str] = set()
    for entry in version.handouts or []:
        content = read_stored_handout(files_root, entry, course_code)
        path = Path(handout_name(entry))
        name = path.name
        number = 2
        while name in taken:
            name = f"{path.stem}-{number}{path.suffix}"
            number += 1
        taken.add(name)
        found.append(BundleFile(name, "handout", content))
    return found


def materials_bundle(
    session: Session,
    session_ref: int | str,
    *,
    today: dt.date,
    calendar: WorkdayCalendar,
    files_root: Path,
    render_plan: Callable[[PlanDocument], bytes],
    render_syllabus: Callable[[SyllabusDocument], bytes],
) -> MaterialsBundle:
    """Everything to send before a session, its manifest recorded as the session's current materials bundle.

    Raises:
        NotFoundError: no such session.
        LmsError: a handout cannot be read.
    """
    training = session_by_id_or_code(session, session_ref)
    version = session.get(CourseVersion, training.course_version_id)
    assert version is not None
    syllabus = session_syllabus(session, training)
    handouts = handout_files(
        version, syllabus.course.code, files_root
    )  # before anything is issued: a missing one stops all
    files: list[BundleFile] = []
    project = session.get(Project, training.project_id) if training.project_id else None
    plan_version = None
    if project is not None:
        plan = issue_training_plan(
            session, project.code, today=today, calendar=calendar, files_root=files_root, render=render_plan
        )
        plan_version = plan.version
        files.append(BundleFile(f"training-plan-{project.code}-v{plan.version}.pdf", "training_plan", plan.content))
    course = syllabus.course
    files.append(BundleFile(f"syllabus-{course.code}-v{course.version}.pdf", "syllabus", render_syllabus(syllabus)))
    files.extend(handouts)
    bundle = MaterialsBundle(
        training.code, project.code if project else None, plan_version, course.code, course.version, files
    )
    manifest = bundle.manifest()
    issued: IssuedVersion = issue(
        session,
        kind=BUNDLE_KIND,
        subject=training.code,
        inputs_sha256=sha256_of(manifest),
        make=lambda _version: manifest,
        files_root=files_root,
        suffix=".json",
        media_type="application/json",
    )
    bundle.version = issued.version
    return bundle


def write_bundle(bundle: MaterialsBundle, folder: Path) -> list[Path]:
    """Write the files and the manifest (last, so a folder with a manifest is complete)."""
    written = []
    for item in bundle.files:
        target = folder / item.name
        write_atomically(target, item.content)
        written.append(target)
    write_atomically(folder / MANIFEST, bundle.manifest())
    return [*written, folder / MANIFEST]


def checked_manifest(folder: Path, session_code: str) -> str:
    """The SHA-256 of a bundle folder's manifest, after checking every file it lists is there unchanged.

    Raises:
        LmsError: no manifest, a manifest of another session, or a file missing or changed (naming it).
    """
    path = folder / MANIFEST
    try:
        raw = path.read_bytes()
        manifest = json.loads(raw)
    except FileNotFoundError:
        raise LmsError(_("no manifest.json: not a materials bundle"), file=folder) from None
    except (OSError, ValueError) as error:
        raise LmsError(_("cannot read the manifest: {reason}").format(reason=error), file=path) from None
    if manifest.get("session") != session_code:
        raise LmsError(
            _("this bundle is for session {other}, not {session}").format(
                other=manifest.get("session"), session=session_code
            ),
            file=path,
        )
    for item in manifest.get("files", []):
        listed = folder / str(item.get("name", ""))
        if not listed.is_file():
            raise LmsError(_("a file the manifest lists is missing"), file=listed)
        if sha256_of(listed.read_bytes()) != item.get("sha256"):
            raise LmsError(_("the file differs from the manifest (SHA-256)"), file=listed)
    return sha256_of(raw)


def record_dispatch(
    session: Session,
    session_ref: int | str,
    *,
    sent_to: str,
    sent_on: dt.date,
    channel: str,
    bundle_sha256: str | None,
    note: str | None = None,
) -> MaterialsDispatch:
    """Record that the materials of a session were sent to the buyer.

    Raises:
        NotFoundError: no such session.
        LmsError: no recipient, or an unknown channel.
    """
    training: TrainingSession = session_by_id_or_code(session, session_ref)
    recipient = sent_to.strip()
    if not recipient:
        raise LmsError(_("say who the materials were sent to"), field="--to")
    if channel not in CHANNELS:
        raise LmsError(
            _("unknown channel {channel!r} (email, post or hand)").format(channel=channel), field="--channel"
        )
    dispatch = MaterialsDispatch(
        session_id=training.id or 0,
        sent_on=sent_on,
        sent_to=recipient,
        channel=channel,
        bundle_sha256=bundle_sha256,
        note=note,
    )
    session.add(dispatch)
    session.flush()
    audit.record(
        session,
        action="materials.sent",
        entity="session",
        key=training.code,
        before=None,
        after={"sent_on": sent_on.isoformat(), "to": recipient, "channel": channel, "bundle_sha256": bundle_sha256},
    )
    return dispatch
