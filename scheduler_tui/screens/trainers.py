"""Trainers: who may teach what (skills with their validity, expiring ones flagged) and how much teaching lies
ahead; the highlighted trainer's skills and coming sessions below."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from rich.text import Text
from sqlmodel import Session
from textual import work
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.widgets import DataTable, Static

from lms.evidence.labels import role_label
from lms.i18n import _
from lms.scheduling.trainers import HORIZON_DAYS, TrainerLoad, trainer_overview, trainer_schedule
from scheduler_tui import keys
from scheduler_tui.labels import bilingual, clip, dates_text, day_text, session_status
from scheduler_tui.screens.base import ExportChoice, LmsScreen, trainer_export
from scheduler_tui.widgets.tables import fill_table

SKILL_STYLES = {"valid": "green", "expiring": "bold black on yellow", "expired": "dim red strike", "future": "cyan"}


def skill_state_label(state: str) -> str:
    return {"valid": _("valid"), "expiring": _("expiring"), "expired": _("expired"), "future": _("not yet valid")}.get(
        state, state
    )


class TrainersScreen(LmsScreen):
    PLACE = "trainers"
    BINDINGS = keys.TRAINERS

    @dataclass
    class TrainersLoaded(Message):
        trainers: list[TrainerLoad]

    @dataclass
    class ScheduleLoaded(Message):
        code: str
        rows: list[dict[str, Any]]

    def __init__(self) -> None:
        super().__init__()
        self.trainers: list[TrainerLoad] = []

    def compose(self) -> ComposeResult:
        yield from self.frame_top()
        yield DataTable(id="trainers", cursor_type="row", zebra_stripes=True)
        with Horizontal(id="trainer-detail"):
            with Vertical():
                yield Static(_("Skills"), classes="section-title")
                yield DataTable(id="skills", cursor_type="row")
            with Vertical():
                yield Static(_("Coming sessions"), classes="section-title")
                yield DataTable(id="schedule", cursor_type="row")
        yield from self.frame_bottom()

    def table(self, name: str) -> DataTable[Any]:
        return self.query_one(f"#{name}", DataTable)

    def headers(self, name: str) -> list[str]:
        if name == "skills":
            return [_("Skill"), _("Level"), _("From"), _("Until"), _("State")]
        if name == "schedule":
            return [_("Session"), _("Dates"), _("Status"), _("Role")]
        days = HORIZON_DAYS
        return [_("Code"), _("Person's name"), _("Organisation"), _("Valid skills"), _("Next expiry")] + [
            _("Sessions ({days} d)").format(days=days),
            _("Days ({days} d)").format(days=days),
            _("Days taught (12 mo)"),
        ]

    def on_mount(self) -> None:
        for name in ("trainers", "skills", "schedule"):
            fill_table(self.table(name), self.headers(name), [])
        self.action_refresh()

    def action_refresh(self) -> None:
        self.load()

    @work(thread=True, exclusive=True, group="trainers")
    def load(self) -> None:
        with Session(self.lms.engine) as session:
            self.post_message(self.TrainersLoaded(trainer_overview(session, today=self.lms.today)))

    def on_trainers_screen_trainers_loaded(self, message: TrainersLoaded) -> None:
        self.trainers = message.trainers
        rows = []
        for trainer in message.trainers:
            valid = [s for s in trainer.skills if s.state in ("valid", "expiring")]
            expiring = any(s.state == "expiring" for s in trainer.skills)
            mark = " ★" if trainer.technical_lead else " ⚙" if trainer.manufacturer else ""
            rows.append(
                (
                    trainer.code,
                    trainer.name + mark,
                    clip(bilingual(trainer.organisation_zh, trainer.organisation_en), 14),  # 120 columns hold all
                    clip(", ".join(f"{s.skill}·L{s.level}" for s in valid) or "—", 26),
                    Text(day_text(trainer.next_expiry), style="bold black on yellow" if expiring else ""),
                    str(trainer.sessions_ahead),
                    str(trainer.days_ahead),
                    str(trainer.days_last_year),
                )
            )
        table = self.table("trainers")
        fill_table(table, self.headers("trainers"), rows)
        table.focus()
        self.set_status(
            _("{count} trainers and engineers · ★ technical lead · ⚙ manufacturer engineer").format(
                count=len(message.trainers)
            )
        )
        if message.trainers:
            self.show_trainer(table.cursor_row)

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        if event.data_table.id == "trainers" and self.trainers and event.cursor_row == event.data_table.cursor_row:
            self.show_trainer(event.cursor_row)

    def show_trainer(self, index: int) -> None:
        trainer = self.trainers[index]
        rows = [
            (
                f"{skill.skill} {clip(bilingual(skill.name_zh, skill.name_en), 14)}",
                str(skill.level),
                day_text(skill.valid_from),
                day_text(skill.valid_until) or "—",
                Text(skill_state_label(skill.state), style=SKILL_STYLES.get(skill.state, "")),
            )
            for skill in trainer.skills
        ]
        fill_table(self.table("skills"), self.headers("skills"), rows)
        self.load_schedule(trainer.code)

    @work(thread=True, exclusive=True, group="schedule")
    def load_schedule(self, code: str) -> None:
        with Session(self.lms.engine) as session:
            rows = trainer_schedule(session, person_code=code, today=self.lms.today)
        self.post_message(self.ScheduleLoaded(code, rows))

    def on_trainers_screen_schedule_loaded(self, message: ScheduleLoaded) -> None:
        rows = [
            (row["code"], dates_text(row["first_day"], row["last_day"]), session_status(row["status"]))
            + (role_label(row["role"]),)
            for row in message.rows
        ]
        fill_table(self.table("schedule"), self.headers("schedule"), rows)

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        if event.data_table.id == "schedule":
            code = event.data_table.get_row_at(event.cursor_row)[0]
            self.lms.open_session(str(code))

    def export_selection(self) -> ExportChoice | None:
        table = self.table("trainers")
        if not self.trainers:
            return None
        trainer = self.trainers[table.cursor_row]
        return trainer_export(trainer.code, trainer.name)
