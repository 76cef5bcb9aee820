"""``lms courses validate|import|list|schema``."""

from __future__ import annotations

import json
from pathlib import Path

import typer

from lms.catalog.schema import json_schema, make_course_model
from lms.catalog.service import dropped_questions, import_paths, list_courses, validate_paths
from lms.cli.support import FORMAT_OPTION, OutputFormat, emit, emit_json, emit_rows, runtime, warn
from lms.errors import LmsError
from lms.files.output import checked_output_file
from lms.files.storage import write_atomically
from lms.i18n import _
from lms.i18n import pick as pick_text
from lms.questions.types import registry

app = typer.Typer(help=_("Course YAML: validate, import, list, schema."), no_args_is_help=True)


class ReportedErrors(LmsError):
    """Errors already printed one per line; the CLI only sets the exit code."""


@app.command("validate", help=_("Check course YAML files; one line per problem, exit 1 if any."))
def validate(ctx: typer.Context, paths: list[Path]) -> None:
    """Check course YAML files; one line per problem, exit 1 if any."""
    loaded, errors = validate_paths(runtime(ctx).pm, paths)
    for course in loaded:
        emit(
            _("OK {file}: {code}, {modules} modules, {questions} questions").format(
                file=course.path,
                code=course.spec.code,
                modules=len(course.spec.modules),
                questions=len(course.spec.questions),
            )
        )
    if errors:
        raise ReportedErrors("\n".join(str(error) for error in errors))


@app.command(
    "import",
    help=_("Import course YAML files; a changed course becomes a new version. Nothing is written if any file is bad."),
)
def import_(ctx: typer.Context, paths: list[Path]) -> None:
    """Import course YAML files; a changed course becomes a new version. Nothing is written if any file is bad."""
    rt = runtime(ctx)
    with rt.session() as session:
        results = import_paths(session, rt.pm, paths)
        for version, created in results:
            code = version.spec["code"] if version.spec else version.course_id
            message = _("imported {code} version {version}") if created else _("unchanged {code} version {version}")
            emit(message.format(code=code, version=version.version))
            previous, dropped = dropped_questions(session, version) if created else (None, [])
            if previous is not None and dropped:
                shown = ", ".join(dropped[:10]) + (" …" if len(dropped) > 10 else "")
                warn(
                    _(
                        "warning: {code} version {version} no longer has {count} questions of version {previous} "
                        "(from {source}; {before} → {after} questions): {questions}; new quizzes will not draw them"
                    ).format(
                        code=code,
                        version=version.version,
                        count=len(dropped),
                        previous=previous.version,
                        before=len((previous.spec or {}).get("questions", [])),
                        after=len((version.spec or {}).get("questions", [])),
                        source=Path(previous.source_path).name if previous.source_path else "—",
                        questions=shown,
                    )
                )


@app.command("list", help=_("Courses with their current version."))
def list_(ctx: typer.Context, fmt: OutputFormat = FORMAT_OPTION) -> None:
    """Courses with their current version."""
    with runtime(ctx).session() as session:
        rows = list_courses(session)
    for row in rows:
        row["title"] = pick_text({"zh": row["title_zh"], "en": row["title_en"]})
    emit_rows(
        fmt,
        [_("Code"), _("Title"), _("Version"), _("Questions"), _("Pass mark"), _("Certificate")],
        ["code", "title", "version", "questions", "pass_mark", "certificate"],
        rows,
    )


@app.command("schema", help=_("Print the course JSON Schema (for editors such as VS Code with the YAML extension)."))
def schema(ctx: typer.Context, output: Path | None = typer.Option(None, "-o", help=_("write to this file"))) -> None:
    """Print the course JSON Schema (for editors such as VS Code with the YAML extension)."""
    if output:
        checked_output_file(output)
    document = json_schema(make_course_model(registry(runtime(ctx).pm)))
    if output:
        write_atomically(output, (json.dumps(document, ensure_ascii=False, indent=2) + "\n").encode("utf-8"))
    else:
        emit_json(document)
