"""Plugins join through hooks exactly as the built-in packages do; a broken one is a warning, not a crash."""

from __future__ import annotations

import datetime as dt
import importlib.metadata
from pathlib import Path
from typing import Any, Literal

import pytest
import typer
from sqlmodel import select

from lms.hookspecs import hookimpl
from lms.models import Attempt, Certificate
from lms.plugins import PluginWarning, load_entrypoint_plugins, make_plugin_manager
from lms.questions.types import QuestionBase, QuestionType, registry
from tests.conftest import DEMO_TODAY, LIBRARY


class Recorder:
    """A plugin that records every event it hears."""

    def __init__(self) -> None:
        self.events: list[tuple[str, Any]] = []

    @hookimpl
    def lms_course_imported(self, session: Any, course_version: Any, created: bool) -> None:
        self.events.append(("course_imported", (course_version.version, created)))

    @hookimpl
    def lms_attempt_graded(self, session: Any, attempt: Attempt) -> None:
        self.events.append(("attempt_graded", attempt.passed))

    @hookimpl
    def lms_certificate_issued(self, session: Any, certificate: Certificate) -> None:
        self.events.append(("certificate_issued", certificate.serial))

    @hookimpl
    def lms_session_changed(self, session: Any, training_session: Any, change: str) -> None:
        self.events.append(("session_changed", change))

    @hookimpl
    def lms_milestone_changed(self, session: Any, milestone: Any, before: Any) -> None:
        self.events.append(("milestone_changed", (milestone.kind, before, milestone.actual_date)))

    def names(self) -> list[str]:
        return [name for name, _value in self.events]


def test_event_hooks_fire_through_the_demo_flow(pm: Any, session: Any) -> None:
    from lms.demo.loader import load_demo

    recorder = Recorder()
    pm.register(recorder)
    load_demo(session, pm, seed=3, today=DEMO_TODAY)
    names = recorder.names()
    assert names.count("course_imported") == len(list(LIBRARY.glob("*.yaml")))
    assert "milestone_changed" in names
    assert "session_changed" in names
    # lms_attempt_graded and lms_certificate_issued fire when grading and issuing go through the services with pm
    from lms.assessment.quizzes import grade_attempt
    from lms.credentials.certificates import issue_for_attempt

    attempt = session.exec(select(Attempt).where(Attempt.passed == True)).first()  # noqa: E712
    grade_attempt(session, attempt=attempt, types=registry(pm), practical_score=attempt.practical_score, pm=pm)
    certificate = session.exec(select(Certificate).where(Certificate.attempt_id == attempt.id)).one()
    certificate.status = "superseded"
    session.flush()
    issue_for_attempt(session, attempt=attempt, issued_on=dt.date(2026, 11, 21), pm=pm)
    assert ("attempt_graded", True) in recorder.events
    assert any(
        name == "certificate_issued" and value.startswith(("PX2026-", "GC2026-")) for name, value in recorder.events
    )


class EchoCommand:
    @hookimpl
    def lms_register_commands(self, app: typer.Typer) -> None:
        @app.command("echo-plugin")
        def echo_plugin() -> None:
            typer.echo("hello from a plugin")


def test_a_plugin_adds_a_command(pm: Any) -> None:
    from typer.testing import CliRunner

    from lms.cli.root import build_app

    pm.register(EchoCommand())
    result = CliRunner().invoke(build_app(pm), ["echo-plugin"])
    assert result.exit_code == 0
    assert "hello from a plugin" in result.output


class RatingSpec(QuestionBase):
    type: Literal["rating"]
    target: int


class RatingType:
    @hookimpl
    def lms_question_types(self) -> list[QuestionType]:
        return [QuestionType("rating", RatingSpec, lambda data, response: 1.0 if response == data["target"] else 0.0)]


def test_a_plugin_question_type_is_part_of_the_course_schema(pm: Any, tmp_path: Path) -> None:
    from lms.catalog.loader import load_course

    pm.register(RatingType())
    types = registry(pm)
    assert {"single", "rating"} <= set(types)
    source = (LIBRARY / "solar-hot-water.yaml").read_text(encoding="utf-8")
    extra = source.replace(
        "questions:\n",
        f"questions:\n  - id: rating-1\n    module: {_first_module(source)}\n    type: rating\n    target: 4\n"
        "    prompt: {zh: 打分, en: Rate it}\n",
        1,
    )
    course = tmp_path / "with-rating.yaml"
    course.write_text(extra, encoding="utf-8")
    loaded = load_course(course, types)
    assert any(question.type == "rating" for question in loaded.spec.questions)
    assert types["rating"].grade({"target": 4}, 4) == 1.0


def _first_module(source: str) -> str:
    for line in source.splitlines():
        if line.strip().startswith("- id:"):
            return line.split(":", 1)[1].strip()
    raise AssertionError("no module")


class AlwaysWorking:
    code = "XX"

    def covered_years(self) -> list[int]:
        return [2030]

    def is_working_day(self, day: dt.date) -> bool:
        return True


class CalendarPlugin:
    @hookimpl
    def lms_workday_calendars(self) -> dict[str, Any]:
        return {"XX": AlwaysWorking()}


def test_a_plugin_calendar_is_used_by_name(pm: Any) -> None:
    from lms.calendars.workdays import get_calendar, working_days_after

    pm.register(CalendarPlugin())
    calendar = get_calendar("XX", pm)
    assert working_days_after(calendar, dt.date(2030, 1, 4), 2) == dt.date(2030, 1, 6)


class TemplatePlugin:
    @hookimpl
    def lms_document_templates(self) -> dict[str, Path]:
        return {"letter": Path("/templates/letter")}


def test_document_templates_are_collected_from_plugins(pm: Any) -> None:
    pm.register(TemplatePlugin())
    merged: dict[str, Path] = {}
    for contributed in pm.hook.lms_document_templates():
        merged.update(contributed)
    assert merged["letter"] == Path("/templates/letter")


def test_course_library_and_importer_come_from_the_courses_plugin(pm: Any, session: Any) -> None:
    paths = [path for group in pm.hook.lms_course_library() for path in group]
    assert paths == [LIBRARY]
    versions = pm.hook.lms_import_courses(session=session, paths=paths, pm=pm)
    assert len(versions) == len(list(LIBRARY.glob("*.yaml")))


class DoctorPlugin:
    @hookimpl
    def lms_doctor_checks(self) -> list[Any]:
        from lms.maintenance.doctor import Check, CheckResult

        return [Check("plugin-check", lambda engine: CheckResult("plugin-check", False, "broken", "fix it"))]


def test_doctor_runs_plugin_checks(pm: Any, engine: Any) -> None:
    from lms.maintenance.doctor import run_checks

    pm.register(DoctorPlugin())
    results = {result.name: result for result in run_checks(pm, engine)}
    assert results["plugin-check"].fix == "fix it"
    assert results["database"].ok


def test_entry_points_register_the_three_packages() -> None:
    manager = make_plugin_manager(load_entrypoints=True)
    assert {"courses", "scheduler_tui", "certificates"} <= {name for name, _plugin in manager.list_name_plugin()}


def test_a_broken_plugin_is_a_warning_naming_it(monkeypatch: pytest.MonkeyPatch) -> None:
    broken = importlib.metadata.EntryPoint(name="broken", value="no_such_module_for_lms:plugin", group="lms")
    monkeypatch.setattr(importlib.metadata, "entry_points", lambda group: [broken])
    manager = make_plugin_manager(load_entrypoints=False)
    with pytest.warns(PluginWarning, match="broken"):
        loaded = load_entrypoint_plugins(manager)
    assert loaded == []
