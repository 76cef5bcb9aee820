"""The documents plugin: certificates and other PDFs. WeasyPrint is imported only when a document is rendered."""

from __future__ import annotations

import importlib
from pathlib import Path
from typing import TYPE_CHECKING, Any

from lms.hookspecs import hookimpl

if TYPE_CHECKING:  # plugins load before ``lms tui`` paints, without Typer; the doctor's checks need the ORM
    import typer

    from lms.maintenance.doctor import Check


@hookimpl
def lms_doctor_checks() -> list[Check]:
    from certificates.fonts import check_cjk_font, check_harfbuzz_subset, check_rare_name_font
    from lms.maintenance.doctor import Check

    return [
        Check("cjk-font", check_cjk_font),
        Check("rare-name-font", check_rare_name_font),
        Check("harfbuzz-subset", check_harfbuzz_subset),
    ]


@hookimpl
def lms_register_commands(app: typer.Typer) -> None:
    from certificates.cli import register

    register(app)


@hookimpl(trylast=True)  # the packaged templates; a plugin registering the same name replaces one
def lms_document_templates() -> dict[str, Path]:
    from certificates.engine import builtin_templates

    return builtin_templates()


# Document kinds this plugin renders for the core: kind -> "module:function" taking the context, returning PDF bytes.
# Imported only when asked for, so that registering the plugin never loads WeasyPrint.
DOCUMENT_RENDERERS: dict[str, str] = {
    "quiz_paper": "certificates.papers:render_quiz_papers",
    "quiz_paper_key": "certificates.papers:render_answer_key",
    "signin_sheet": "certificates.documents:render_signin_sheet",
    "evidence_pack": "certificates.documents:render_evidence_pack",
    "training_plan": "certificates.plans:render_training_plan",
    "course_syllabus": "certificates.plans:render_course_syllabus",
    "session_report": "certificates.plans:render_session_report",
}


@hookimpl
def lms_render_document(kind: str, context: Any) -> bytes | None:
    target = DOCUMENT_RENDERERS.get(kind)
    if target is None:
        return None
    module, _sep, function = target.partition(":")
    rendered: bytes = getattr(importlib.import_module(module), function)(context)
    return rendered
