"""Projects and obligations by hand: ``projects new|edit``, ``obligations parse|add|edit|list``."""

from __future__ import annotations

import sys
from enum import StrEnum
from pathlib import Path
from typing import Any

import typer
import yaml

from lms.cli.support import OutputFormat, emit, emit_json, emit_rows, parse_date, runtime
from lms.errors import LmsError
from lms.files.textfiles import decode_utf8, read_bytes
from lms.i18n import _
from lms.models.lookup import project_by_code
from lms.projects.obligation_edits import (
    add_obligations,
    edit_obligation,
    next_code,
    parse_setting,
    project_obligations,
    spec_fields,
    spec_from_proposal,
)
from lms.projects.project_edits import create_project, edit_project

TEXT_LIMIT = 2_000_000  # a tender's after-sales section is pages, not megabytes


def read_text_file(path: Path) -> str:
    return decode_utf8(read_bytes(path, limit=TEXT_LIMIT), path)


class ProposalFormat(StrEnum):
    text = "text"
    json = "json"
    yaml = "yaml"


def read_clause_text(source: str | None) -> str:
    """The tender text from a file, or standard input for ``-`` or nothing."""
    if source in (None, "-"):
        return sys.stdin.read()
    return read_text_file(Path(source))


def emit_yaml(data: Any) -> None:
    sys.stdout.write(yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=100))


def emit_proposals(fmt: ProposalFormat, proposals: list[dict[str, Any]]) -> None:
    if fmt == ProposalFormat.json:
        emit_json(proposals)
    elif fmt == ProposalFormat.yaml:
        emit_yaml({"obligations": proposals})
    elif not proposals:
        emit(_("no training duty found in this text"))
    else:
        for number, proposal in enumerate(proposals, start=1):
            emit(_("duty {number}: {clause}").format(number=number, clause=proposal["clause"]))
            for key, value in proposal.items():
                if key not in ("clause", "unknown", "notes"):
                    emit(f"  {key}: {shown_value(key, value, proposal['unknown'])}")
            for note in proposal["notes"]:
                emit("  " + _("note: {note}").format(note=note))


def shown_value(key: str, value: Any, unknown: list[str]) -> str:
    if key in unknown:
        return "?? " + _("not found: confirm or give with --set {key}=…").format(key=key)
    if key == "min_trainees" and value is None:
        return _("no minimum (不受人员限制)")
    if value is None:
        return "—"
    if isinstance(value, list):
        return ", ".join(value) or "—"
    if isinstance(value, float):
        return f"{value:g}"
    return str(value).lower() if isinstance(value, bool) else str(value)


def settings(values: list[str] | None) -> dict[str, Any]:
    return dict(parse_setting(value) for value in values or [])


def load_obligations_yaml(path: Path) -> list[dict[str, Any]]:
    """A list of obligations, or a mapping with ``obligations:`` (what ``obligations parse --format yaml`` writes)."""
    data = yaml.safe_load(read_text_file(path))
    if isinstance(data, dict):
        data = data.get("obligations")
    if not isinstance(data, list) or not all(isinstance(item, dict) for item in data):
        raise LmsError(_("expected a list of obligations (or obligations: [...])"), file=path)
    return data


def register_tender_commands(projects: typer.Typer, obligations: typer.Typer) -> None:
    """Add ``projects new|edit`` and ``obligations parse|add|edit|list``."""

    @projects.command("new", help=_("Create a project for a buyer that exists (lms orgs add)."))
    def new(
        ctx: typer.Context,
        code: str = typer.Argument(..., help=_("project code")),
        buyer: str = typer.Option(..., "--buyer", help=_("buyer organisation code")),
        name: str = typer.Option(..., "--name", help=_("name in Chinese")),
        name_en: str = typer.Option("", "--name-en", help=_("name in English (default: the Chinese name)")),
        site: str = typer.Option("", "--site", help=_("site address")),
        city: str = typer.Option("", "--city"),
        warranty_months: int = typer.Option(12, "--warranty-months"),
        tender_ref: str | None = typer.Option(None, "--tender-ref", help=_("the tender's reference number")),
        delivery: str | None = typer.Option(None, "--delivery", help=_("planned delivery date")),
        installation: str | None = typer.Option(None, "--installation", help=_("planned installation date")),
        acceptance: str | None = typer.Option(None, "--acceptance", help=_("planned acceptance date")),
        course: list[str] | None = typer.Option(None, "--course", help=_("a course the project delivers (repeat)")),
    ) -> None:
        dates = {"delivery": delivery, "installation": installation, "acceptance": acceptance}
        planned = {kind: parse_date(day, f"--{kind}") for kind, day in dates.items() if day}
        with runtime(ctx).session() as session:
            project = create_project(
                session=session,
                code=code,
                buyer=buyer,
                name_zh=name,
                name_en=name_en,
                site=site,
                city=city,
                warranty_months=warranty_months,
                tender_ref=tender_ref,
                planned=planned,
                courses=course,
            )
            version = project.version
        emit(_("project {code} created (version {version})").format(code=code, version=version))

    @projects.command("edit", help=_("Correct a project; refused if someone changed it since --expect-version."))
    def edit(
        ctx: typer.Context,
        code: str = typer.Argument(..., help=_("project code")),
        expect_version: int | None = typer.Option(None, "--expect-version", help=_("the version you loaded")),
        name: str | None = typer.Option(None, "--name"),
        name_en: str | None = typer.Option(None, "--name-en"),
        buyer: str | None = typer.Option(None, "--buyer"),
        site: str | None = typer.Option(None, "--site"),
        city: str | None = typer.Option(None, "--city"),
        warranty_months: int | None = typer.Option(None, "--warranty-months"),
        tender_ref: str | None = typer.Option(None, "--tender-ref"),
    ) -> None:
        given = {
            "name_zh": name,
            "name_en": name_en,
            "buyer": buyer,
            "site": site,
            "city": city,
            "warranty_months": warranty_months,
            "tender_ref": tender_ref,
        }
        changes = {key: value for key, value in given.items() if value is not None}
        with runtime(ctx).session() as session:
            project, changed = edit_project(session=session, code=code, expect_version=expect_version, changes=changes)
            version = project.version
        emit(
            _("project {code}: {count} fields changed (version {version})").format(
                code=code, count=len(changed), version=version
            )
        )

    @obligations.command("parse", help=_("Propose obligations from pasted tender text (a file, or - for stdin)."))
    def parse(
        source: str | None = typer.Argument(None, help=_("a text file, or - to read standard input")),
        fmt: ProposalFormat = typer.Option(ProposalFormat.text, "--format", help=_("text, json or yaml")),
    ) -> None:
        from lms.projects.tender_parse import parse_tender  # cn2an and the tender grammar: ~0.2 s, for every command

        proposals = [proposal.as_dict() for proposal in parse_tender(read_clause_text(source))]
        emit_proposals(fmt, proposals)

    @obligations.command(
        "add",
        help=_(
            "Add obligations to a project from a tender clause (the parser's proposal, with --set for what it could "
            "not read) or from a YAML file."
        ),
    )
    def add(
        ctx: typer.Context,
        project: str = typer.Option(..., "--project", help=_("project code")),
        clause: str | None = typer.Option(None, "--clause", help=_("the tender clause, pasted")),
        from_yaml: Path | None = typer.Option(None, "--from-yaml", help=_("obligations as YAML")),
        code: str | None = typer.Option(None, "--id", help=_("obligation id (default OB-n)")),
        set_: list[str] | None = typer.Option(None, "--set", help=_("KEY=VALUE for a field, e.g. mode=on_site")),
        accept_unknown: bool = typer.Option(
            False, "--accept-unknown", help=_("take the defaults for fields the clause does not give")
        ),
    ) -> None:
        if (clause is None) == (from_yaml is None):
            raise LmsError(_("give either --clause TEXT or --from-yaml FILE"), field="--clause")
        overrides = settings(set_)
        with runtime(ctx).session() as session:
            target = project_by_code(session, project)
            if clause is not None:
                from lms.projects.tender_parse import parse_tender

                proposals = [proposal.as_dict() for proposal in parse_tender(clause)]
                if not proposals:
                    raise LmsError(_("no training duty found in {text!r}").format(text=clause[:60]), field="--clause")
            else:
                assert from_yaml is not None
                proposals = load_obligations_yaml(from_yaml)
            if (code or overrides) and len(proposals) > 1:
                raise LmsError(
                    _("the text holds {count} duties; --id and --set apply to one (use --from-yaml)").format(
                        count=len(proposals)
                    ),
                    field="--set",
                )
            specs, taken = [], set[str]()
            for proposal in proposals:
                given = proposal.get("id") or code or next_code(session, target, taken)
                taken.add(given)
                specs.append(spec_from_proposal(proposal, given, overrides, accept_unknown=accept_unknown))
            added = add_obligations(session=session, project_code=project, specs=specs)
            codes = [obligation.code for obligation in added]
        emit(_("added {codes} to {project}").format(codes=", ".join(codes), project=project))

    @obligations.command("edit", help=_("Correct an obligation; refused if someone changed it since --expect-version."))
    def edit_(
        ctx: typer.Context,
        project: str = typer.Option(..., "--project", help=_("project code")),
        code: str = typer.Argument(..., help=_("obligation id")),
        expect_version: int | None = typer.Option(None, "--expect-version", help=_("the version you loaded")),
        set_: list[str] | None = typer.Option(None, "--set", help=_("KEY=VALUE for a field, e.g. min_trainees=8")),
    ) -> None:
        with runtime(ctx).session() as session:
            obligation, changed = edit_obligation(
                session=session,
                project_code=project,
                code=code,
                expect_version=expect_version,
                changes=settings(set_),
            )
            version = obligation.version
        emit(
            _("{project}/{code}: {count} fields changed (version {version})").format(
                project=project, code=code, count=len(changed), version=version
            )
        )

    @obligations.command("list", help=_("A project's obligations with their version (for --expect-version)."))
    def list_(
        ctx: typer.Context,
        project: str = typer.Option(..., "--project", help=_("project code")),
        fmt: ProposalFormat = typer.Option(ProposalFormat.text, "--format", help=_("text, json or yaml")),
    ) -> None:
        with runtime(ctx).session() as session:
            rows = [{**spec_fields(o), "version": o.version} for o in project_obligations(session, project)]
        if fmt == ProposalFormat.yaml:
            emit_yaml({"obligations": rows})
            return
        emit_rows(
            OutputFormat(fmt.value) if fmt != ProposalFormat.yaml else OutputFormat.text,
            [_("Obligation"), _("Version"), _("Anchor"), _("Offset"), _("Deadline"), _("Mode"), _("Cadence")],
            ["id", "version", "anchor", "offset", "deadline", "mode", "cadence"],
            rows,
        )
