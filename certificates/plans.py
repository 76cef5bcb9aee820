"""Training plans, course syllabi and session reports to PDF (the data comes from ``lms.documents.training_plans`` and
``lms.documents.session_reports``; this module only lays it out with the ``training_plan`` and ``session_report``
templates)."""

from __future__ import annotations

from certificates.documents import issuer_context, shared_engine
from lms.documents.plan_models import PlanDocument, SyllabusDocument
from lms.documents.session_reports import ReportDocument


def render_training_plan(document: PlanDocument) -> bytes:
    context = {"document": "plan", "doc": document, **issuer_context(document.issuer)}
    return shared_engine().render("training_plan", context).pdf


def render_course_syllabus(document: SyllabusDocument) -> bytes:
    context = {"document": "syllabus", "syllabus": document, **issuer_context(document.issuer)}
    return shared_engine().render("training_plan", context).pdf


def render_session_report(document: ReportDocument) -> bytes:
    context = {"doc": document, "report": document.report, **issuer_context(document.issuer)}
    return shared_engine().render("session_report", context).pdf
