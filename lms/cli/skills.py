"""``lms skills ...``: HR's view of skill records — the matrix, what lapses soon, who is qualified, outside
certificates entered with their scans, and one person's record."""

from __future__ import annotations

import datetime as dt
import sys
from enum import StrEnum
from pathlib import Path
from typing import Any

import typer

from lms.calendars.dates import working_today
from lms.cli.support import FORMAT_OPTION, OutputFormat, emit, emit_json, format_table, parse_date, runtime
from lms.credentials.skill_matrix import SkillMatrix
from lms.credentials.skill_status import SkillCell, status_label
from lms.files.csvout import write_csv
from lms.i18n import _, pick

STATUS_MARKS = {"certified": "✓", "due": "!", "expired": "✗", "none": "-"}


class MatrixFormat(StrEnum):
    table = "table"
    csv = "csv"
    json = "json"


def kind_label(kind: str) -> str:
    return {"trainer": _("trainer"), "engineer": _("engineer"), "buyer_staff": _("buyer staff")}.get(kind, kind)


def source_text(source: str, certificate: str | None, issuer: str | None, reference: str | None) -> str:
    """Where a record came from, in a few words."""
    if source == "certificate":
        return _("certificate {serial}").format(serial=certificate or "?")
    if source == "external":
        return " ".join(part for part in (issuer, reference) if part)
    return _("entered by HR")


def bilingual(zh: str, en: str) -> str:
    return pick({"zh": zh, "en": en})


def matrix_cell(cell: SkillCell) -> str:
    """A table cell: the status mark and the day the record ends."""
    mark = STATUS_MARKS.get(cell.status, "?")
    if cell.status == "none":
        return mark
    return f"{mark} {cell.valid_until.isoformat()}" if cell.valid_until else mark


def spreadsheet_cell(cell: SkillCell) -> str:
    if cell.status == "none":
        return ""
    parts = [status_label(cell.status), f"L{cell.level}"]
    if cell.valid_until:
        parts.append(cell.valid_until.isoformat())
    return " ".join(parts)


def emit_matrix(matrix: SkillMatrix, fmt: MatrixFormat) -> None:
    if fmt == MatrixFormat.json:
        emit_json(matrix.as_dict())
        return
    if fmt == MatrixFormat.csv:
        # HR reads skill names; the code in brackets keeps two skills of the same name apart
        header = [_("Code"), _("Person's name"), _("Kind")] + [
            f"{bilingual(skill.name_zh, skill.name_en)} ({skill.code})" for skill in matrix.skills
        ]
        rows = [
            [person.code, person.name, kind_label(person.kind)]
            + [spreadsheet_cell(matrix.cell(person.id, skill.id)) for skill in matrix.skills]
            for person in matrix.people
        ]
        write_csv(sys.stdout, header, rows)
        return
    rows = [
        [person.code, person.name] + [matrix_cell(matrix.cell(person.id, skill.id)) for skill in matrix.skills]
        for person in matrix.people
    ]
    emit(format_table([_("Code"), _("Person's name")] + [skill.code for skill in matrix.skills], rows))
    emit(
        _("{certified} certified (until) · {due} due for renewal · {expired} expired · {none} no record").format(
            certified=STATUS_MARKS["certified"],
            due=STATUS_MARKS["due"],
            expired=STATUS_MARKS["expired"],
            none=STATUS_MARKS["none"],
        )
    )


def on_option() -> Any:
    return typer.Option(None, "--on", help=_("as of this date (YYYY-MM-DD; default today)"))


def day_or_today(value: str | None) -> dt.date:
    return parse_date(value, "--on") if value else working_today()


def register_skills_commands(app: typer.Typer) -> None:
    """Add the ``skills`` group to the root command line."""
    skills = typer.Typer(
        help=_("Skill records: matrix, renewals, who is qualified, outside certificates."), no_args_is_help=True
    )

    @skills.command("matrix", help=_("People against skills: certified, due for renewal, expired or none."))
    def matrix(
        ctx: typer.Context,
        on: str | None = on_option(),
        fmt: MatrixFormat = typer.Option(MatrixFormat.table, "--format", help=_("table, csv or json")),
    ) -> None:
        """People against skills: certified, due for renewal, expired or none."""
        from lms.credentials.skill_matrix import skill_matrix

        with runtime(ctx).session() as session:
            found = skill_matrix(session, day_or_today(on))
        emit_matrix(found, fmt)

    @skills.command("expiring", help=_("Skill records that lapse within DAYS and have not been renewed."))
    def expiring_(
        ctx: typer.Context,
        within: int = typer.Option(..., "--within", help=_("days from the date")),
        on: str | None = on_option(),
        fmt: OutputFormat = FORMAT_OPTION,
    ) -> None:
        """Skill records that lapse within DAYS and have not been renewed."""
        from lms.credentials.skill_matrix import expiring

        day = day_or_today(on)
        with runtime(ctx).session() as session:
            found = expiring(session, day, within)
        if fmt == OutputFormat.json:
            emit_json([item.as_dict() for item in found])
            return
        if not found:
            emit(_("no skill record lapses within {days} days of {day}").format(days=within, day=day))
            return
        rows = [
            [
                item.valid_until,
                item.days_left,
                item.person,
                item.name,
                item.skill,
                bilingual(item.skill_zh, item.skill_en),
                item.level,
                source_text(item.source, item.certificate, item.issuer, item.reference),
            ]
            for item in found
        ]
        headers = [_("Until"), _("Days left"), _("Code"), _("Person's name"), _("Skill"), _("Skill name"), _("Level")]
        emit(format_table([*headers, _("Source")], rows))

    @skills.command(
        "qualified",
        help=_(
            "Who may be sent: a valid record of the skill, of every skill a course grants, or of every skill of a "
            "project's equipment, on every day from --from (or --on) to --to."
        ),
    )
    def qualified_(
        ctx: typer.Context,
        course: str | None = typer.Option(None, "--course", help=_("course code")),
        skill: str | None = typer.Option(None, "--skill", help=_("skill code")),
        project: str | None = typer.Option(None, "--project", help=_("project code: the skills of its equipment")),
        on: str | None = on_option(),
        first: str | None = typer.Option(None, "--from", help=_("first day of the period (YYYY-MM-DD)")),
        last: str | None = typer.Option(None, "--to", help=_("last day of the period (YYYY-MM-DD)")),
        fmt: OutputFormat = FORMAT_OPTION,
    ) -> None:
        from lms.credentials.dispatch import dispatched_elsewhere
        from lms.credentials.qualified import qualified

        day = parse_date(first, "--from") if first else day_or_today(on)
        until = parse_date(last, "--to") if last else day
        with runtime(ctx).session() as session:
            found = qualified(session, day, course_code=course, skill_code=skill, project_code=project, until=until)
            if project is not None:  # HR's "who may be sent": not those already sent elsewhere then
                away = dispatched_elsewhere(session, project_code=project, first=day, last=until)
                found = [item for item in found if item.code not in away]
        if fmt == OutputFormat.json:
            emit_json([item.as_dict() for item in found])
            return
        if not found:
            what = course or skill or project
            emit(_("nobody is qualified for {what} from {first} to {last}").format(what=what, first=day, last=until))
            return
        rows = [
            [
                item.code,
                item.name,
                kind_label(item.kind),
                status_label(item.status),
                item.valid_until or _("no expiry"),
                ", ".join(f"{held.skill}·L{held.level}" for held in item.skills),
            ]
            for item in found
        ]
        emit(format_table([_("Code"), _("Person's name"), _("Kind"), _("Status"), _("Valid until"), _("Skills")], rows))

    @skills.command("add", help=_("Enter an outside certificate (a manufacturer's, say) as a skill record."))
    def add(
        ctx: typer.Context,
        person: str = typer.Option(..., "--person", help=_("the holder's code")),
        skill: str = typer.Option(..., "--skill", help=_("skill code")),
        valid_from: str = typer.Option(..., "--from", help=_("first valid day (YYYY-MM-DD)")),
        valid_until: str | None = typer.Option(None, "--until", help=_("last valid day (YYYY-MM-DD; none: no expiry)")),
        issuer: str = typer.Option(..., "--issuer", help=_("who issued the certificate")),
        reference: str | None = typer.Option(None, "--reference", help=_("the certificate's number")),
        scan: Path | None = typer.Option(None, "--scan", help=_("a scan of the certificate (PDF or image)")),
        level: int = typer.Option(1, "--level", help=_("skill level the certificate attests")),
    ) -> None:
        """Enter an outside certificate (a manufacturer's, say) as a skill record."""
        from lms.access.audit import current_actor
        from lms.credentials.skills import add_external_record
        from lms.files.storage import files_root

        rt = runtime(ctx)
        start = parse_date(valid_from, "--from")
        end = parse_date(valid_until, "--until") if valid_until else None
        with rt.session() as session:
            add_external_record(
                session,
                person_code=person,
                skill_code=skill,
                valid_from=start,
                valid_until=end,
                issuer=issuer,
                reference=reference,
                scan=scan,
                files_root=files_root(rt.engine()),
                added_by=current_actor(),
                level=level,
            )
        emit(
            _("added {skill} for {person}, valid {start} to {end}").format(
                skill=skill, person=person, start=start, end=end or _("no expiry")
            )
        )
        if scan is not None:
            emit(_("scan kept: {name}").format(name=scan.name))

    @skills.command("show", help=_("One person's skill records, where they came from, and their certificates."))
    def show(
        ctx: typer.Context,
        person_code: str = typer.Argument(..., help=_("the person's code")),
        on: str | None = on_option(),
        fmt: OutputFormat = FORMAT_OPTION,
    ) -> None:
        """One person's skill records, where they came from, and their certificates."""
        from lms.credentials.person_records import person_record
        from lms.models.lookup import person_by_code

        day = day_or_today(on)
        with runtime(ctx).session() as session:
            person = person_by_code(session, person_code, field="PERSON_CODE")
            assert person.id is not None
            found = person_record(session, person.id, day)
        if fmt == OutputFormat.json:
            emit_json(found.as_dict())
            return
        emit(
            f"{found.code} {found.name} · {kind_label(found.kind)} · "
            f"{bilingual(found.organisation_zh, found.organisation_en)}"
            + (f" · {found.id_number}" if found.id_number else "")
        )
        emit("")
        emit(_("Skill records on {day}").format(day=day))
        if found.records:
            rows = [
                [
                    line.skill,
                    bilingual(line.skill_zh, line.skill_en),
                    line.level,
                    line.valid_from,
                    line.valid_until or "—",
                    status_label(line.state),
                    source_text(line.source, line.certificate, line.issuer, line.reference),
                    ", ".join(f.name for f in line.files),
                ]
                for line in found.records
            ]
            headers = [_("Skill"), _("Skill name"), _("Level"), _("From"), _("Until"), _("State"), _("Source")]
            emit(format_table([*headers, _("Scan")], rows))
        else:
            emit(_("no skill records"))
        emit("")
        emit(_("Certificates"))
        if found.certificates:
            rows = [
                [
                    c.serial,
                    c.course,
                    bilingual(c.course_zh, c.course_en),
                    c.issued_on,
                    c.expires_on or "—",
                    certificate_status(c.status),
                ]
                for c in found.certificates
            ]
            headers = [_("Serial"), _("Course"), _("Title"), _("Issued"), _("Expires"), _("Status")]
            emit(format_table(headers, rows))
        else:
            emit(_("no certificates"))

    app.add_typer(skills, name="skills")


def certificate_status(status: str) -> str:
    return {"valid": _("valid"), "revoked": _("revoked"), "superseded": _("superseded")}.get(status, status)
