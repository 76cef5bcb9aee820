"""The evidence of training sessions: trainers with their roles, days with hours and who was present, the roster
as the sign-in sheet has it, each trainee's attempts and result by the course's grading method, certificates,
scanned sign-in sheets and materials sent.

Plain dataclasses of plain values for reports and document templates (the sign-in sheet and the evidence pack walk
them); words for people are translated when they are built. ``sessions_evidence`` loads any number of sessions with
one query per kind of row.

What the evidence holds is in ``lms.evidence.session_lines``, its words in ``lms.evidence.labels``; here: loading
it.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence

from sqlmodel import Session, col, select

from lms.assessment.reexams import combined_score, reexam_rule
from lms.evidence.labels import certificate_status_label, mode_label, outcome_label, role_label, session_status_label
from lms.evidence.session_lines import (
    AttemptLine,
    CertificateLine,
    DayLine,
    DispatchLine,
    ResultLine,
    ScanLine,
    SessionEvidence,
    TraineeLine,
    TrainerLine,
)
from lms.models import (
    Attachment,
    Attempt,
    Attendance,
    Certificate,
    Course,
    CourseVersion,
    MaterialsDispatch,
    Obligation,
    Organisation,
    Person,
    Room,
    RosterEntry,
    SessionDay,
    SessionTrainer,
    TrainingSession,
    mask_id_number,
)
from lms.models.lookup import session_by_id_or_code
from lms.projects.periods import period_name

SIGNIN_SCAN = "signin_scan"


# --- building it ----------------------------------------------------------------------------------


def evidence_of_session(session: Session, session_id: int | str) -> SessionEvidence:
    """One session's evidence, as its sign-in sheet needs it (the minimum of trainees from its obligation).

    Raises:
        NotFoundError: no session has this id or code.
    """
    training = session_by_id_or_code(session, session_id)
    obligation = session.get(Obligation, training.obligation_id) if training.obligation_id else None
    found = sessions_evidence(session, [training], {obligation.id or 0: obligation} if obligation else {})
    evidence = found[training.id or 0]
    evidence.period = training.period_label
    evidence.period_name = period_name(training.period_label)
    return evidence


def sessions_evidence(
    session: Session,
    trainings: Sequence[TrainingSession],
    obligations: dict[int, Obligation] | None = None,
) -> dict[int, SessionEvidence]:
    """The evidence of each session (by id), loaded with one query per kind of row for all of them."""
    obligations = obligations or {}
    ids = [t.id or 0 for t in trainings]
    versions = {
        version.id: (version, course)
        for version, course in session.exec(
            select(CourseVersion, Course)
            .join(Course, col(Course.id) == CourseVersion.course_id)
            .where(col(CourseVersion.id).in_({t.course_version_id for t in trainings}))
        )
    }
    rooms = {r.id: r for r in session.exec(select(Room).where(col(Room.id).in_({t.room_id for t in trainings})))}
    days: dict[int, list[SessionDay]] = defaultdict(list)
    for day in session.exec(
        select(SessionDay).where(col(SessionDay.session_id).in_(ids)).order_by(col(SessionDay.day))
    ):
        days[day.session_id].append(day)
    trainers: dict[int, list[TrainerLine]] = defaultdict(list)
    for link, person, organisation in session.exec(
        select(SessionTrainer, Person, Organisation)
        .join(Person, col(Person.id) == SessionTrainer.person_id)
        .join(Organisation, col(Organisation.id) == Person.organisation_id)
        .where(col(SessionTrainer.session_id).in_(ids))
        .order_by(col(SessionTrainer.id))
    ):
        trainers[link.session_id].append(
            TrainerLine(
                person.code,
                person.name,
                person.name_en,
                link.role,
                role_label(link.role),
                organisation.name_zh,
                organisation.name_en,
                person.is_technical_lead,
                organisation.kind == "manufacturer",
            )
        )
    roster: dict[int, list[int]] = defaultdict(list)
    for entry in session.exec(
        select(RosterEntry).where(col(RosterEntry.session_id).in_(ids)).order_by(col(RosterEntry.id))
    ):
        roster[entry.session_id].append(entry.person_id)
    marks: dict[int, dict[tuple[int, int], Attendance]] = defaultdict(dict)
    for mark, session_id in session.exec(
        select(Attendance, SessionDay.session_id)
        .join(SessionDay, col(SessionDay.id) == Attendance.session_day_id)
        .where(col(SessionDay.session_id).in_(ids))
    ):
        marks[session_id][(mark.person_id, mark.session_day_id)] = mark
    attempts: dict[int, dict[int, list[Attempt]]] = defaultdict(lambda: defaultdict(list))
    for attempt in session.exec(select(Attempt).where(col(Attempt.session_id).in_(ids)).order_by(col(Attempt.number))):
        attempts[attempt.session_id or 0][attempt.person_id].append(attempt)
    certificates: dict[int, list[Certificate]] = defaultdict(list)
    for certificate in session.exec(
        select(Certificate).where(col(Certificate.session_id).in_(ids)).order_by(col(Certificate.serial))
    ):
        certificates[certificate.session_id or 0].append(certificate)
    scans: dict[int, list[ScanLine]] = defaultdict(list)
    for attachment in session.exec(
        select(Attachment)
        .where(col(Attachment.session_id).in_(ids), Attachment.kind == SIGNIN_SCAN)
        .order_by(col(Attachment.session_day), col(Attachment.id))
    ):
        scans[attachment.session_id or 0].append(
            ScanLine(
                attachment.id or 0,
                attachment.session_day,
                attachment.original_name,
                attachment.media_type,
                attachment.sha256,
                attachment.size,
                attachment.added_at,
                attachment.added_by,
                attachment.note,
            )
        )
    dispatches: dict[int, list[DispatchLine]] = defaultdict(list)
    for dispatch in session.exec(
        select(MaterialsDispatch)
        .where(col(MaterialsDispatch.session_id).in_(ids))
        .order_by(col(MaterialsDispatch.sent_on))
    ):
        dispatches[dispatch.session_id].append(
            DispatchLine(dispatch.sent_on, dispatch.sent_to, dispatch.channel, dispatch.bundle_sha256, dispatch.note)
        )
    wanted = {p for people in roster.values() for p in people}
    wanted |= {c.person_id for found in certificates.values() for c in found}
    wanted |= {p for by_person in attempts.values() for p in by_person}
    wanted |= {p for by_key in marks.values() for p, _day in by_key}
    people = {
        person.id or 0: (person, organisation)
        for person, organisation in session.exec(
            select(Person, Organisation)
            .join(Organisation, col(Organisation.id) == Person.organisation_id)
            .where(col(Person.id).in_(wanted))
        )
    }
    found = {}
    for training in trainings:
        key = training.id or 0
        version, course = versions[training.course_version_id]
        obligation = obligations.get(training.obligation_id or 0)
        found[key] = assemble_session(
            training,
            version,
            course,
            rooms.get(training.room_id),
            obligation,
            days[key],
            trainers[key],
            roster[key],
            marks[key],
            attempts[key],
            certificates[key],
            scans[key],
            dispatches[key],
            people,
        )
    return found


def assemble_session(
    training: TrainingSession,
    version: CourseVersion,
    course: Course,
    room: Room | None,
    obligation: Obligation | None,
    days: list[SessionDay],
    trainers: list[TrainerLine],
    roster: list[int],
    marks: dict[tuple[int, int], Attendance],
    attempts: dict[int, list[Attempt]],
    certificates: list[Certificate],
    scans: list[ScanLine],
    dispatches: list[DispatchLine],
    people: dict[int, tuple[Person, Organisation]],
) -> SessionEvidence:
    held = training.status in ("held", "closed")
    required = obligation.min_trainees if obligation else 0
    day_lines = []
    for day in days:
        states = [mark.present for (_person, day_id), mark in marks.items() if day_id == day.id]
        present = sum(1 for state in states if state)
        day_lines.append(
            DayLine(
                day=day.day,
                start_time=day.start_time,
                end_time=day.end_time,
                hours=day.hours,
                present=present,
                absent=len(states) - present,
                unmarked=max(0, len(roster) - len(states)),
                enough=(present >= required) if held and required else None,
                scans=sum(1 for scan in scans if scan.day == day.day),
            )
        )
    trainees = []
    for person_id in roster:
        person, organisation = people[person_id]
        rows = [marks.get((person_id, day.id or 0)) for day in days]
        trainees.append(
            TraineeLine(
                code=person.code,
                name=person.name,
                name_en=person.name_en,
                title=person.title or "",
                organisation_zh=organisation.name_zh,
                organisation_en=organisation.name_en,
                id_number_masked=mask_id_number(person.id_number),
                present=[row.present if row else None for row in rows],
                signed_at=[row.signed_at if row else None for row in rows],
                days_present=sum(1 for row in rows if row and row.present),
            )
        )
    valid = {c.person_id: c.serial for c in certificates if c.status == "valid"}
    rule = reexam_rule(version)
    attended = {person_id for (person_id, _day), mark in marks.items() if mark.present}
    results = []
    assessed = obligation.assessment_required if obligation else False
    if attempts or (held and assessed):
        for person_id in list(dict.fromkeys([*roster, *attempts])):
            person, _organisation = people[person_id]
            results.append(
                result_line(
                    person,
                    attempts.get(person_id, []),
                    str(rule["grading"]),
                    version.pass_mark,
                    attended=person_id in attended,
                    certificate=valid.get(person_id),
                )
            )
    return SessionEvidence(
        code=training.code,
        status=training.status,
        status_label=session_status_label(training.status),
        mode=training.mode,
        mode_label=mode_label(training.mode),
        place=training.place,
        city=training.city,
        room_code=room.code if room else None,
        room_name=room.name if room else None,
        first_day=training.first_day,
        last_day=training.last_day,
        course_code=course.code,
        course_title_zh=course.title_zh,
        course_title_en=course.title_en,
        course_version=version.version,
        pass_mark=version.pass_mark,
        grading=str(rule["grading"]),
        obligation=obligation.code if obligation else None,
        period=None,
        required_trainees=required,
        trainers=trainers,
        days=day_lines,
        total_hours=sum(day.hours for day in days),
        rostered=len(roster),
        trainees=trainees,
        results=results,
        certificates=[
            CertificateLine(
                serial=c.serial,
                family=c.family,
                holder_code=people[c.person_id][0].code,
                holder_name=c.holder_name or people[c.person_id][0].name,
                status=c.status,
                status_label=certificate_status_label(c.status),
                issued_on=c.issued_on,
                expires_on=c.expires_on,
                pdf_sha256=c.pdf_sha256,
            )
            for c in certificates
        ],
        scans=scans,
        dispatches=dispatches,
    )


def result_line(
    person: Person,
    attempts: list[Attempt],
    grading: str,
    pass_mark: float,
    *,
    attended: bool,
    certificate: str | None,
) -> ResultLine:
    """A trainee's result over their attempts, as ``lms.assessment.reexams.outlook`` reckons it (without its
    queries)."""
    final = combined_score(attempts, grading)
    passed = None if final is None else final >= pass_mark - 1e-9
    if passed:
        outcome = "passed_on_reexam" if len(attempts) > 1 and not attempts[0].passed else "passed"
    elif attempts and attempts[-1].status != "graded":
        outcome = "pending"
    elif passed is False:
        outcome = "failed"
    else:
        outcome = "not_assessed" if attended else "absent"
    return ResultLine(
        person_code=person.code,
        name=person.name,
        name_en=person.name_en,
        attempts=[
            AttemptLine(a.number, a.status, a.submitted_at, a.written_score, a.practical_score, a.score, a.passed)
            for a in attempts
        ],
        final_score=final,
        passed=passed,
        reexamined=len(attempts) > 1,
        outcome=outcome,
        outcome_label=outcome_label(outcome),
        certificate=certificate,
    )
