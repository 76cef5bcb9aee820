"""Projects: milestones (planned and actual), each obligation with its tender clause and the sessions serving it;
change a milestone date and see which sessions now fall outside their windows."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

from rich.text import Text
from sqlmodel import Session
from textual import work
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.widgets import DataTable, Static

from lms.db import session_scope
from lms.errors import LmsError
from lms.i18n import _
from lms.projects.obligations import displaced_sessions, milestone_label
from lms.projects.periods import period_name
from lms.projects.projects_file import set_milestone_date
from lms.scheduling.overview import project_detail, project_rows
from scheduler_tui import keys
from scheduler_tui.labels import OBLIGATION_STYLES, bilingual, clip, day_text, span_text, window_text
from scheduler_tui.screens.base import ExportChoice, LmsScreen, project_export
from scheduler_tui.screens.milestone_dialog import MilestoneChange, MilestoneDialog
from scheduler_tui.widgets.tables import fill_table


class ProjectsScreen(LmsScreen):
    PLACE = "projects"
    BINDINGS = keys.PROJECTS

    @dataclass
    class ProjectsLoaded(Message):
        rows: list[dict[str, Any]]

    @dataclass
    class DetailLoaded(Message):
        detail: dict[str, Any]

    @dataclass
    class MilestoneMoved(Message):
        change: MilestoneChange
        before: Any
        displaced: list[dict[str, Any]]

    def __init__(self, project: str | None = None) -> None:
        super().__init__()
        self.wanted = project
        self.projects: list[dict[str, Any]] = []
        self.detail: dict[str, Any] | None = None
        self.moved: str = ""

    def compose(self) -> ComposeResult:
        yield from self.frame_top()
        yield DataTable(id="projects", cursor_type="row", zebra_stripes=True)
        with Horizontal(id="project-detail"):
            with Vertical(id="milestones-pane"):
                yield Static(_("Milestones"), classes="section-title")
                yield DataTable(id="milestones", cursor_type="row")
            with Vertical():
                yield Static(_("Obligations and the sessions serving them"), classes="section-title")
                yield DataTable(id="periods", cursor_type="row", zebra_stripes=True)
                yield Static("", id="clause")
        yield Static(_("Sessions outside their windows"), classes="section-title")
        yield DataTable(id="displaced", cursor_type="row")
        yield from self.frame_bottom()

    def table(self, name: str) -> DataTable[Any]:
        return self.query_one(f"#{name}", DataTable)

    def headers(self, name: str) -> list[str]:
        return {
            "projects": [_("Project"), _("Name"), _("Buyer"), _("City")]
            + [_("Acceptance (planned)"), _("Acceptance (actual)")],
            "milestones": [_("Milestone"), _("Planned"), _("Actual")],
            "periods": [_("Obligation"), _("Clause"), _("Period"), _("Window"), _("Status"), _("Sessions")],
            "displaced": [_("Session"), _("Obligation"), _("Starts"), _("Window"), _("What to do")],
        }[name]

    def on_mount(self) -> None:
        for name in ("projects", "milestones", "periods", "displaced"):
            fill_table(self.table(name), self.headers(name), [])
        self.action_refresh()

    def restart_args(self) -> dict[str, Any]:
        return {"project": self.current_code}

    @property
    def current_code(self) -> str | None:
        table = self.table("projects")
        if not self.projects or table.cursor_row >= len(self.projects):
            return self.wanted
        return str(self.projects[table.cursor_row]["code"])

    def action_refresh(self) -> None:
        self.load_projects()

    @work(thread=True, exclusive=True, group="projects")
    def load_projects(self) -> None:
        with Session(self.lms.engine) as session:
            self.post_message(self.ProjectsLoaded(project_rows(session)))

    def on_projects_screen_projects_loaded(self, message: ProjectsLoaded) -> None:
        wanted = self.current_code
        self.projects = message.rows
        table = self.table("projects")
        rows = [
            (
                row["code"],
                clip(bilingual(row["name_zh"], row["name_en"]), 36),
                clip(bilingual(row["buyer_zh"], row["buyer_en"]), 28),
                row["city"],
                day_text(row["acceptance_planned"]),
                day_text(row["acceptance_actual"]),
            )
            for row in message.rows
        ]
        fill_table(table, self.headers("projects"), rows, keep_cursor=False)
        codes = [row["code"] for row in message.rows]
        if wanted in codes:
            table.move_cursor(row=codes.index(wanted))
        table.focus()
        self.set_status(_("{count} projects").format(count=len(codes)))
        if codes:
            self.load_detail(str(self.current_code))

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        if event.data_table.id == "periods" and self.detail and event.cursor_row < len(self.detail["periods"]):
            period = self.detail["periods"][event.cursor_row]
            reference = f"{period['clause_ref']}: " if period["clause_ref"] else ""
            self.query_one("#clause", Static).update(Text(reference + period["clause"], style="italic"))
        if event.cursor_row != event.data_table.cursor_row:
            return  # a highlight from before the table was refilled
        if event.data_table.id == "projects" and self.projects:
            code = str(self.projects[event.cursor_row]["code"])
            if self.detail is None or self.detail["code"] != code:
                self.moved = ""  # what moved belongs to the project it moved in
                self.load_detail(code)

    @work(thread=True, exclusive=True, group="detail")
    def load_detail(self, code: str) -> None:
        try:
            with Session(self.lms.engine) as session:
                detail = project_detail(session, self.calendar(), self.lms.today, code)
        except LmsError as error:
            self.fail(error)
            return
        self.post_message(self.DetailLoaded(detail))

    def on_projects_screen_detail_loaded(self, message: DetailLoaded) -> None:
        self.detail = message.detail
        detail = message.detail
        milestones = [
            (milestone_label(row["kind"]), day_text(row["planned"]), day_text(row["actual"]))
            for row in detail["milestones"]
        ]
        fill_table(self.table("milestones"), self.headers("milestones"), milestones)
        periods = [
            (
                row["obligation"],
                clip((f"{row['clause_ref']} " if row["clause_ref"] else "") + row["clause"], 20),
                period_name(row["period"]),
                window_text(row["window_start"], row["window_end"]),
                Text(f" {row['status_label']} ", style=OBLIGATION_STYLES.get(row["status"], "")),
                ", ".join(s["code"] for s in row["sessions"]) or "—",
            )
            for row in detail["periods"]
        ]
        fill_table(self.table("periods"), self.headers("periods"), periods)
        displaced = [
            (
                Text(row["session"], style="bold red"),
                f"{row['obligation']} {period_name(row['period'])}",
                day_text(row["first_day"]),
                span_text(row["window_start"], row["window_end"]),
                row["advice"],
            )
            for row in detail["displaced"]
        ]
        fill_table(self.table("displaced"), self.headers("displaced"), displaced, max_width=80)
        self.set_status(
            self.moved
            or _("{code}: {periods} obligation periods, {displaced} sessions outside their windows").format(
                code=message.detail["code"],
                periods=len(message.detail["periods"]),
                displaced=len(message.detail["displaced"]),
            )
        )

    def action_change_date(self) -> None:
        if self.detail is None:
            return
        code = self.detail["code"]

        def chosen(change: MilestoneChange | None) -> None:
            if change:
                self.move_milestone(code, change)

        self.app.push_screen(MilestoneDialog(code, self.detail["milestones"]), chosen)

    @work(thread=True, exclusive=True, group="detail")
    def move_milestone(self, code: str, change: MilestoneChange) -> None:
        app = self.lms
        try:
            with session_scope(app.engine) as session:
                before, _after = set_milestone_date(
                    session, project_code=code, kind=change.kind, day=change.day, planned=change.planned, pm=app.pm
                )
                displaced = [asdict(d) for d in displaced_sessions(session, code, self.calendar(), app.today)]
        except LmsError as error:
            self.fail(error)
            return
        self.post_message(self.MilestoneMoved(change, before, displaced))

    def on_projects_screen_milestone_moved(self, message: MilestoneMoved) -> None:
        change = message.change
        self.moved = _("{milestone} moved from {before} to {after}; {count} sessions now outside their windows").format(
            milestone=milestone_label(change.kind),
            before=day_text(message.before) or "—",
            after=day_text(change.day) or "—",
            count=len(message.displaced),
        )
        self.notify(self.moved, severity="warning" if message.displaced else "information")
        self.load_projects()

    def action_new_project(self) -> None:
        from scheduler_tui.screens.project_form import ProjectForm

        self.app.push_screen(ProjectForm(), self.saved_project)

    def action_edit_project(self) -> None:
        from scheduler_tui.screens.project_form import ProjectForm

        if self.current_code:
            self.app.push_screen(ProjectForm(self.current_code), self.saved_project)

    def action_add_obligation(self) -> None:
        from scheduler_tui.screens.obligation_form import ObligationForm

        if self.current_code:
            self.app.push_screen(ObligationForm(self.current_code), self.saved)

    def action_edit_obligation(self) -> None:
        from scheduler_tui.screens.obligation_form import ObligationForm

        table = self.table("periods")
        if self.detail and self.detail["periods"] and table.cursor_row < len(self.detail["periods"]):
            code = self.detail["periods"][table.cursor_row]["obligation"]
            self.app.push_screen(ObligationForm(self.detail["code"], code), self.saved)

    def saved_project(self, code: str | None) -> None:
        if code:
            self.wanted, self.projects = code, []  # the list comes back with the cursor on this project
            self.saved(code)

    def saved(self, code: str | None) -> None:
        if code:
            self.moved = ""
            self.detail = None
            self.notify(_("{code} saved").format(code=code))
            self.load_projects()

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        if event.data_table.id == "displaced" and self.detail and self.detail["displaced"]:
            self.lms.open_session(self.detail["displaced"][event.cursor_row]["session"])
        elif event.data_table.id == "periods" and self.detail:
            sessions = self.detail["periods"][event.cursor_row]["sessions"]
            if sessions:
                self.lms.open_session(sessions[0]["code"])

    def export_selection(self) -> ExportChoice | None:
        code = self.current_code
        return project_export(code) if code else None
