"""iCalendar files: training sessions out (``export-ics``); trainers' own busy times come in through
lms.calendars.ical_busy.

Export: one VEVENT per :class:`~lms.models.TrainingSession`. UID is ``TrainingSession.uid`` (stable), SEQUENCE is
``TrainingSession.sequence`` (the services in :mod:`lms.scheduling.sessions` bump it on every change), DTSTAMP is the
time of
the export (UTC) and LAST-MODIFIED is ``updated_at``. A multi-day session is *one* event: DTSTART/DTEND are the first
day's hours in the site time zone and every further day is an RDATE with the same TZID (days need not be
consecutive: weekends and holidays are skipped). DESCRIPTION lists the days too, for clients that ignore RDATE.

Known limitation: an RDATE instance has the duration of the first day (RFC 5545 §3.8.5.2 gives RDATE DATE-TIME
instances the master's duration). When a later day has other hours, its RDATE carries that day's own start time,
but its end is start + the first day's length; the DESCRIPTION gives every day's real hours. RDATE;VALUE=PERIOD would
carry each end, but few clients read it, so it is not used.

iTIP (RFC 5546) allows one METHOD per calendar object: ``publish`` writes every selected session (cancelled ones with
STATUS:CANCELLED); ``request`` writes invitations (ORGANIZER + one ATTENDEE per trainer with an e-mail address) and
puts cancelled sessions into a second calendar with METHOD:CANCEL (see :func:`plan_export`).

The text inside the files (summaries, descriptions) is bilingual, Chinese first, whatever the UI language: the same
file goes to trainers and buyer contacts. This module imports neither textual nor weasyprint.

What an export holds and how it is loaded: ``lms.calendars.ical_events``; events and calendars:
``lms.calendars.ical_build``; here: planning and writing the files.
"""

from __future__ import annotations

import datetime as dt
import os
import stat
import tempfile
import uuid
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path

from sqlmodel import Session

from lms.calendars.ical_events import (
    CANCEL_SUFFIX,
    ExportResult,
    IcsMethod,
    PlannedFile,
    Selection,
    SessionEvent,
    load_session_events,
)
from lms.calendars.ical_template import calendar_bytes
from lms.calendars.workdays import WorkdayCalendar, depends_on_provisional
from lms.errors import LmsError
from lms.i18n import _


def calendar_name(selection: Selection) -> str:
    if selection.trainer_code:
        return f"培训安排 Training sessions: {selection.trainer_code}"
    if selection.project_code:
        return f"培训安排 Training sessions: {selection.project_code}"
    return "培训安排 Training sessions"


def cancel_path(path: Path) -> Path:
    """``plan.ics`` → ``plan-cancel.ics`` next to it."""
    return path.with_name(f"{path.stem}{CANCEL_SUFFIX}{path.suffix or '.ics'}")


def plan_export(events: Sequence[SessionEvent], method: IcsMethod, output: Path) -> list[PlannedFile]:
    """Which sessions go into which file with which METHOD (RFC 5546: one METHOD per calendar object).

    - publish: everything in ``output`` with METHOD:PUBLISH; cancelled sessions carry STATUS:CANCELLED.
    - request, nothing cancelled: ``output`` with METHOD:REQUEST.
    - request, everything cancelled: ``output`` with METHOD:CANCEL.
    - request, mixed: ``output`` with METHOD:REQUEST for the others and ``<stem>-cancel.ics`` with METHOD:CANCEL.
    """
    if method == IcsMethod.publish:
        return [PlannedFile(output, "PUBLISH", list(events))]
    active = [event for event in events if not event.cancelled]
    cancelled = [event for event in events if event.cancelled]
    if cancelled and not active:
        return [PlannedFile(output, "CANCEL", cancelled)]
    files = [PlannedFile(output, "REQUEST", active)]
    if cancelled:
        files.append(PlannedFile(cancel_path(output), "CANCEL", cancelled))
    return files


def export_ics(
    session: Session,
    *,
    selection: Selection,
    output: Path,
    method: IcsMethod = IcsMethod.publish,
    stamp: dt.datetime | None = None,
    workdays: WorkdayCalendar | None = None,
) -> ExportResult:
    """Build the calendar file(s) for the selected sessions, then write each atomically. Nothing is written when
    the selection names an unknown trainer or project. With the working-day calendar, sessions in a year planned
    before its holiday notice say so in their DESCRIPTION."""
    events = load_session_events(session, selection)
    if workdays is not None:
        events = [
            replace(event, calendar_provisional=depends_on_provisional(workdays, event.days[0].day, event.days[-1].day))
            for event in events
        ]
    files = plan_export(events, method, output)
    stamp = stamp or dt.datetime.now(dt.UTC).replace(microsecond=0)
    name = calendar_name(selection)
    for planned in files:
        calendar_uid = str(uuid.uuid5(uuid.NAMESPACE_URL, f"lms-calendar:{selection.label}:{planned.method}")) + "@lms"
        planned.data = calendar_bytes(
            planned.sessions, method=planned.method, name=name, stamp=stamp, calendar_uid=calendar_uid
        )
    write_files_atomically([(planned.path, planned.data) for planned in files])
    without = []
    if method == IcsMethod.request:
        without = [event.code for event in events if not any(trainer.email for trainer in event.trainers)]
    return ExportResult(files=files, without_attendees=without)


def write_files_atomically(files: Sequence[tuple[Path, bytes]]) -> None:
    """Write every file to a temporary file beside it first, then move them all into place (``os.replace``)."""
    staged: list[tuple[str, Path]] = []
    try:
        for path, data in files:
            if path.is_dir():
                raise LmsError(_("is a folder, not a file"), file=path)
            folder = path.parent if str(path.parent) else Path(".")
            if not folder.is_dir():
                raise LmsError(_("the folder does not exist"), file=path)
            try:
                handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=folder)
                staged.append((temporary, path))
                with os.fdopen(handle, "wb") as stream:
                    stream.write(data)
                    stream.flush()
                    os.fsync(stream.fileno())
                mode = stat.S_IMODE(path.stat().st_mode) if path.exists() else 0o644
                os.chmod(temporary, mode)
            except OSError as error:
                raise LmsError(_("cannot write: {reason}").format(reason=error.strerror or error), file=path) from None
        for temporary, path in staged:
            try:
                os.replace(temporary, path)
            except OSError as error:
                raise LmsError(_("cannot write: {reason}").format(reason=error.strerror or error), file=path) from None
    finally:
        for temporary, _path in staged:
            if os.path.exists(temporary):
                os.unlink(temporary)
