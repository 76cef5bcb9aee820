"""``lms orgs add | edit | list | retire``: vendors, buyers and manufacturers."""

from __future__ import annotations

import typer

from lms.cli.records import all_option, expect_version_option, named_by_options, reason_option, saved_line
from lms.cli.support import FORMAT_OPTION, OutputFormat, emit, emit_rows, runtime
from lms.i18n import _


def kind_help() -> str:
    return _("vendor, buyer or manufacturer")


def register_organisation_commands(app: typer.Typer) -> None:
    orgs = typer.Typer(help=_("Organisations: the vendor, buyers and manufacturers."), no_args_is_help=True)

    @orgs.command("add", help=_("Add an organisation."))
    def add(
        ctx: typer.Context,
        code: str = typer.Argument(..., help=_("a short code, e.g. HZ-WATER")),
        kind: str = typer.Option(..., "--kind", help=kind_help()),
        name: str = typer.Option(..., "--name", help=_("the name in Chinese")),
        name_en: str | None = typer.Option(None, "--name-en", help=_("the name in English (default: the Chinese)")),
        city: str | None = typer.Option(None, "--city", help=_("the city it is in")),
    ) -> None:
        """Add an organisation."""
        from lms.master_data.organisations import OrganisationFields, add_organisation, organisation_kind_label

        fields = OrganisationFields(kind=kind, name_zh=name, name_en=name_en, city=city)
        with named_by_options(), runtime(ctx).session() as session:
            organisation = add_organisation(session=session, code=code, fields=fields)
            line = _("added {kind} {code}: {name}").format(
                kind=organisation_kind_label(organisation.kind), code=organisation.code, name=organisation.name_zh
            )
        emit(line)

    @orgs.command("edit", help=_("Change an organisation's kind, names or city."))
    def edit(
        ctx: typer.Context,
        code: str = typer.Argument(..., help=_("the organisation's code")),
        kind: str | None = typer.Option(None, "--kind", help=kind_help()),
        name: str | None = typer.Option(None, "--name", help=_("the name in Chinese")),
        name_en: str | None = typer.Option(None, "--name-en", help=_("the name in English")),
        city: str | None = typer.Option(None, "--city", help=_("the city it is in")),
        expect_version: int | None = expect_version_option(),
    ) -> None:
        """Change an organisation's kind, names or city."""
        from lms.master_data.organisations import OrganisationFields, edit_organisation, what_organisation

        fields = OrganisationFields(kind=kind, name_zh=name, name_en=name_en, city=city)
        with named_by_options(), runtime(ctx).session() as session:
            organisation = edit_organisation(session=session, code=code, fields=fields, expect_version=expect_version)
            line = saved_line(what_organisation(organisation.code), organisation.version)
        emit(line)

    @orgs.command("list", help=_("Organisations; retired ones only with --all."))
    def list_(
        ctx: typer.Context,
        kind: str | None = typer.Option(None, "--kind", help=kind_help()),
        include_retired: bool = all_option(),
        fmt: OutputFormat = FORMAT_OPTION,
    ) -> None:
        """Organisations; retired ones only with --all."""
        from lms.master_data.organisations import organisation_kind_label, organisation_rows

        with named_by_options(), runtime(ctx).session() as session:
            rows = organisation_rows(session=session, kind=kind, include_retired=include_retired)
        if fmt == OutputFormat.text:
            rows = [{**row, "kind": organisation_kind_label(row["kind"])} for row in rows]
        emit_rows(
            fmt,
            [_("Code"), _("Kind"), _("Name"), _("English name"), _("City"), _("Version"), _("Retired")],
            ["code", "kind", "name_zh", "name_en", "city", "version", "retired_on"],
            rows,
        )

    @orgs.command("retire", help=_("Retire an organisation: kept for history, offered for nothing new."))
    def retire(
        ctx: typer.Context,
        code: str = typer.Argument(..., help=_("the organisation's code")),
        reason: str | None = reason_option(_("why, for the audit log")),
        expect_version: int | None = expect_version_option(),
    ) -> None:
        """Retire an organisation: kept for history, offered for nothing new."""
        from lms.master_data.organisations import retire_organisation

        with named_by_options(), runtime(ctx).session() as session:
            organisation = retire_organisation(session=session, code=code, expect_version=expect_version, reason=reason)
            line = _("{code} retired").format(code=organisation.code)
        emit(line)

    app.add_typer(orgs, name="orgs")
