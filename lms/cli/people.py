"""``lms people add | edit | list | retire | show``: trainers, engineers and buyer trainees; corrections of a name
or ID number list the certificates to re-issue."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import typer

from lms.cli.records import all_option, expect_version_option, named_by_options, reason_option, saved_line, yes_no
from lms.cli.support import FORMAT_OPTION, OutputFormat, emit, emit_json, emit_rows, format_table, runtime
from lms.i18n import _

if TYPE_CHECKING:
    from lms.master_data.people import PersonFields


def kind_help() -> str:
    return _("trainer, engineer or buyer_staff")


ID_TYPE_HELP = _(
    "the document the number is from: resident (default; 18 characters, birth date and check digit checked), "
    "passport, permit (Hong Kong, Macao, Taiwan, foreigners) or other"
)


def person_options() -> dict[str, Any]:
    """The options ``add`` and ``edit`` share (their help in one place)."""
    return {
        "name_en": typer.Option(None, "--name-en", help=_("the name in Latin letters")),
        "title": typer.Option(None, "--title", help=_("job title, e.g. 高级工程师 or manufacturer engineer")),
        "id_number": typer.Option(None, "--id-number", help=_("resident ID or other document number")),
        "id_type": typer.Option(None, "--id-type", help=ID_TYPE_HELP),
        "employee_number": typer.Option(None, "--employee-number", help=_("employee number (工号)")),
        "phone": typer.Option(None, "--phone", help=_("mobile or desk phone")),
        "email": typer.Option(None, "--email", help=_("e-mail address")),
        "home_city": typer.Option(None, "--home-city", help=_("the city they travel from")),
        "lead": typer.Option(None, "--technical-lead/--not-technical-lead", help=_("may lead sessions as 技术负责人")),
    }


OPTIONS = person_options()


def fields_from_options(params: dict[str, Any]) -> PersonFields:
    """The fields ``add`` and ``edit`` were given, by their option names; an option left out changes nothing."""
    from lms.master_data.people import PersonFields

    return PersonFields(
        kind=params["kind"],
        name=params["name"],
        organisation=params["org"],
        is_technical_lead=params["lead"],
        **{key: params[key] for key in OPTIONS if key != "lead"},
    )


def register_people_commands(app: typer.Typer) -> None:
    people = typer.Typer(help=_("People: trainers, engineers, buyer trainees."), no_args_is_help=True)

    @people.command("add", help=_("Add a trainer, engineer or buyer trainee."))
    def add(
        ctx: typer.Context,
        code: str = typer.Argument(..., help=_("a short code, e.g. E009")),
        kind: str = typer.Option(..., "--kind", help=kind_help()),
        name: str = typer.Option(..., "--name", help=_("the name as certificates print it")),
        org: str = typer.Option(..., "--org", help=_("the organisation they belong to (code)")),
        name_en: str | None = OPTIONS["name_en"],
        title: str | None = OPTIONS["title"],
        id_number: str | None = OPTIONS["id_number"],
        id_type: str | None = OPTIONS["id_type"],
        employee_number: str | None = OPTIONS["employee_number"],
        phone: str | None = OPTIONS["phone"],
        email: str | None = OPTIONS["email"],
        home_city: str | None = OPTIONS["home_city"],
        lead: bool | None = OPTIONS["lead"],
    ) -> None:
        """Add a trainer, engineer or buyer trainee."""
        from lms.master_data.people import add_person, person_kind_label

        fields = fields_from_options(ctx.params)
        with named_by_options(), runtime(ctx).session() as session:
            person = add_person(session=session, code=code, fields=fields)
            line = _("added {kind} {code}: {name}").format(
                kind=person_kind_label(person.kind), code=person.code, name=person.name
            )
        emit(line)

    @people.command("edit", help=_("Change or correct a person; corrections list the certificates to re-issue."))
    def edit(
        ctx: typer.Context,
        code: str = typer.Argument(..., help=_("the person's code")),
        kind: str | None = typer.Option(None, "--kind", help=kind_help()),
        name: str | None = typer.Option(None, "--name", help=_("the name as certificates print it")),
        org: str | None = typer.Option(None, "--org", help=_("the organisation they belong to (code)")),
        name_en: str | None = OPTIONS["name_en"],
        title: str | None = OPTIONS["title"],
        id_number: str | None = OPTIONS["id_number"],
        id_type: str | None = OPTIONS["id_type"],
        employee_number: str | None = OPTIONS["employee_number"],
        phone: str | None = OPTIONS["phone"],
        email: str | None = OPTIONS["email"],
        home_city: str | None = OPTIONS["home_city"],
        lead: bool | None = OPTIONS["lead"],
        reason: str | None = reason_option(_("why: needed to correct a name or ID number a certificate shows")),
        expect_version: int | None = expect_version_option(),
        fmt: OutputFormat = FORMAT_OPTION,
    ) -> None:
        """Change or correct a person; corrections list the certificates to re-issue."""
        from lms.master_data.people import edit_person, what_person

        fields = fields_from_options(ctx.params)
        with named_by_options(), runtime(ctx).session() as session:
            result = edit_person(
                session=session, code=code, fields=fields, expect_version=expect_version, reason=reason
            )
            line = saved_line(what_person(result.person.code), result.person.version)
        if fmt == OutputFormat.json:
            emit_json({"before": result.before, "after": result.after, "to_reissue": result.to_reissue})
            return
        emit(line)
        changes = [
            key
            for key in result.after
            if key not in ("version", "reason") and result.before.get(key) != result.after[key]
        ]
        for key in changes:
            emit(f"  {key}: {result.before.get(key) or '—'} → {result.after[key] or '—'}")
        if result.to_reissue:
            emit(_("valid certificates that still show the old value; re-issue each:"))
            for row in result.to_reissue:
                emit(f"  {row['reissue_command']}  ({row['holder_name']}, {row['course']}, {row['issued_on']})")

    @people.command("list", help=_("People; retired ones only with --all. ID numbers masked unless you are HR."))
    def list_(
        ctx: typer.Context,
        kind: str | None = typer.Option(None, "--kind", help=kind_help()),
        org: str | None = typer.Option(None, "--org", help=_("only this organisation's people (code)")),
        include_retired: bool = all_option(),
        fmt: OutputFormat = FORMAT_OPTION,
    ) -> None:
        """People; retired ones only with --all. ID numbers masked unless you are HR."""
        from lms.master_data.people import person_kind_label, person_rows

        with named_by_options(), runtime(ctx).session() as session:
            rows = person_rows(session=session, kind=kind, organisation=org, include_retired=include_retired)
        if fmt == OutputFormat.text:
            rows = [
                {**row, "kind": person_kind_label(row["kind"]), "is_technical_lead": yes_no(row["is_technical_lead"])}
                for row in rows
            ]
        headers = [_("Code"), _("Kind"), _("Person's name"), _("Organisation"), _("Job title"), _("Technical lead")]
        emit_rows(
            fmt,
            [*headers, _("ID number"), _("Version"), _("Retired")],
            [
                "code",
                "kind",
                "name",
                "organisation",
                "title",
                "is_technical_lead",
                "id_number",
                "version",
                "retired_on",
            ],
            rows,
        )

    @people.command("show", help=_("One person: details, who changed them last, and their certificates."))
    def show(
        ctx: typer.Context,
        code: str = typer.Argument(..., help=_("the person's code")),
        fmt: OutputFormat = FORMAT_OPTION,
    ) -> None:
        """One person: details, who changed them last, and their certificates."""
        from lms.master_data.people import person_details

        with named_by_options(), runtime(ctx).session() as session:
            details = person_details(session=session, code=code)
        if fmt == OutputFormat.json:
            emit_json(details)
            return
        emit_person(details)

    @people.command("retire", help=_("Retire a person: kept for history, offered for no new session or roster."))
    def retire(
        ctx: typer.Context,
        code: str = typer.Argument(..., help=_("the person's code")),
        reason: str | None = reason_option(_("why, for the audit log")),
        expect_version: int | None = expect_version_option(),
    ) -> None:
        """Retire a person: kept for history, offered for no new session or roster."""
        from lms.master_data.people import retire_person

        with named_by_options(), runtime(ctx).session() as session:
            person = retire_person(session=session, code=code, expect_version=expect_version, reason=reason)
            line = _("{code} retired").format(code=person.code)
        emit(line)

    app.add_typer(people, name="people")


def emit_person(details: dict[str, Any]) -> None:
    from lms.master_data.people import person_kind_label
    from lms.master_data.records import local_time_text

    labels = [
        (_("Code"), details["code"]),
        (_("Kind"), person_kind_label(details["kind"])),
        (_("Person's name"), details["name"] + (f" ({details['name_en']})" if details["name_en"] else "")),
        (_("Organisation"), details["organisation"]),
        (_("Job title"), details["title"]),
        (_("Technical lead"), yes_no(details["is_technical_lead"])),
        (_("ID number"), details["id_number"]),
        (_("Employee number"), details["employee_number"]),
        (_("Phone"), details["phone"]),
        (_("E-mail"), details["email"]),
        (_("Home city"), details["home_city"]),
        (
            _("Version"),
            _("{version}, changed by {who} at {when}").format(
                version=details["version"],
                who=details["changed_by"] or "—",
                when=local_time_text(details["changed_at"]),
            ),
        ),
        (_("Retired"), details["retired_on"]),
    ]
    for label, value in labels:
        if value:
            emit(f"{label}: {value}")
    certificates = details["certificates"]
    if not certificates:
        return
    emit("")
    rows = [
        [
            c["serial"],
            c["status"],
            c["holder_name"],
            c["course"],
            c["issued_on"],
            _("re-issue") if c["needs_reissue"] else "",
        ]
        for c in certificates
    ]
    emit(format_table([_("Serial"), _("Status"), _("Holder"), _("Course"), _("Issued"), ""], rows))
