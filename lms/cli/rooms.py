"""``lms rooms add | edit | list | retire``: training rooms and sites."""

from __future__ import annotations

import typer

from lms.cli.records import all_option, expect_version_option, named_by_options, reason_option, saved_line
from lms.cli.support import FORMAT_OPTION, OutputFormat, emit, emit_rows, runtime
from lms.i18n import _


def register_room_commands(app: typer.Typer) -> None:
    rooms = typer.Typer(help=_("Training rooms and sites: city, capacity, organisation."), no_args_is_help=True)

    @rooms.command("add", help=_("Add a training room or site."))
    def add(
        ctx: typer.Context,
        code: str = typer.Argument(..., help=_("a short code, e.g. HZ-R1")),
        name: str = typer.Option(..., "--name", help=_("what people call it")),
        city: str = typer.Option(..., "--city", help=_("the city it is in")),
        capacity: int = typer.Option(20, "--capacity", help=_("how many trainees it seats")),
        org: str | None = typer.Option(None, "--org", help=_("the organisation whose room it is (code)")),
        address: str | None = typer.Option(None, "--address", help=_("street address")),
    ) -> None:
        """Add a training room or site."""
        from lms.master_data.rooms import RoomFields, add_room

        fields = RoomFields(name=name, city=city, capacity=capacity, organisation=org, address=address)
        with named_by_options(), runtime(ctx).session() as session:
            room = add_room(session=session, code=code, fields=fields)
            line = _("added room {code}: {name}, {city}, {capacity} places").format(
                code=room.code, name=room.name, city=room.city, capacity=room.capacity
            )
        emit(line)

    @rooms.command("edit", help=_("Change a room's name, city, capacity, organisation or address."))
    def edit(
        ctx: typer.Context,
        code: str = typer.Argument(..., help=_("the room's code")),
        name: str | None = typer.Option(None, "--name", help=_("what people call it")),
        city: str | None = typer.Option(None, "--city", help=_("the city it is in")),
        capacity: int | None = typer.Option(None, "--capacity", help=_("how many trainees it seats")),
        org: str | None = typer.Option(None, "--org", help=_("the organisation whose room it is ('' for none)")),
        address: str | None = typer.Option(None, "--address", help=_("street address")),
        expect_version: int | None = expect_version_option(),
    ) -> None:
        """Change a room's name, city, capacity, organisation or address."""
        from lms.master_data.rooms import RoomFields, edit_room, what_room

        fields = RoomFields(name=name, city=city, capacity=capacity, organisation=org, address=address)
        with named_by_options(), runtime(ctx).session() as session:
            room = edit_room(session=session, code=code, fields=fields, expect_version=expect_version)
            line = saved_line(what_room(room.code), room.version)
        emit(line)

    @rooms.command("list", help=_("Rooms; retired ones only with --all."))
    def list_(
        ctx: typer.Context,
        city: str | None = typer.Option(None, "--city", help=_("only rooms in this city")),
        include_retired: bool = all_option(),
        fmt: OutputFormat = FORMAT_OPTION,
    ) -> None:
        """Rooms; retired ones only with --all."""
        from lms.master_data.rooms import room_rows

        with named_by_options(), runtime(ctx).session() as session:
            rows = room_rows(session=session, city=city, include_retired=include_retired)
        emit_rows(
            fmt,
            [_("Code"), _("Name"), _("City"), _("Capacity"), _("Organisation"), _("Version"), _("Retired")],
            ["code", "name", "city", "capacity", "organisation", "version", "retired_on"],
            rows,
        )

    @rooms.command("retire", help=_("Retire a room: kept for the sessions held there, offered for nothing new."))
    def retire(
        ctx: typer.Context,
        code: str = typer.Argument(..., help=_("the room's code")),
        reason: str | None = reason_option(_("why, for the audit log")),
        expect_version: int | None = expect_version_option(),
    ) -> None:
        """Retire a room: kept for the sessions held there, offered for nothing new."""
        from lms.master_data.rooms import retire_room

        with named_by_options(), runtime(ctx).session() as session:
            room = retire_room(session=session, code=code, expect_version=expect_version, reason=reason)
            line = _("{code} retired").format(code=room.code)
        emit(line)

    app.add_typer(rooms, name="rooms")
