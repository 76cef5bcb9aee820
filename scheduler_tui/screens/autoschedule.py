"""Auto-schedule review: the engine's proposals with their reasons, and the periods it could not place with why.
Accept or reject each, edit one in the session editor (it is then created as edited), and create the accepted ones.
Planning reads every obligation's status, so it runs in a worker; the greedy plan is instant, CP-SAT takes seconds."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from rich.text import Text
from sqlmodel import Session, select
from textual import work
from textual.app import ComposeResult
from textual.message import Message
from textual.widgets import DataTable, Static

from lms.db import session_scope
from lms.errors import LmsError
from lms.evidence.labels import mode_label
from lms.i18n import _
from lms.models import Room
from lms.projects.periods import period_name
from lms.scheduling.auto.types import solver_name
from scheduler_tui import keys
from scheduler_tui.labels import clip, span_text
from scheduler_tui.screens.base import ExportChoice, LmsScreen, project_export
from scheduler_tui.widgets.tables import fill_table

if TYPE_CHECKING:  # the engine pulls in OR-Tools: imported when a plan is made, not when the app starts
    from lms.scheduling.auto.planner import Plan, Proposal

DECISIONS = {"accepted": ("✓", "bold green"), "rejected": ("✗", "dim red"), "": ("·", "")}


class AutoScheduleScreen(LmsScreen):
    PLACE = "autoschedule"
    BINDINGS = keys.AUTOSCHEDULE

    @dataclass
    class PlanMade(Message):
        plan: Plan
        room_codes: dict[int, str]

    @dataclass
    class PlanApplied(Message):
        created: list[str]

    def __init__(self) -> None:
        super().__init__()
        self.plan: Plan | None = None
        self.room_codes: dict[int, str] = {}
        self.decisions: list[str] = []  # per proposal: "", accepted, rejected, or the code it was created as

    def compose(self) -> ComposeResult:
        yield from self.frame_top()
        yield Static(_("Proposals"), classes="section-title")
        yield DataTable(id="proposals", cursor_type="row", zebra_stripes=True)
        yield Static("", id="reason")
        yield Static(_("Not placed, and why"), classes="section-title")
        yield DataTable(id="unplaced", cursor_type="row", zebra_stripes=True)
        yield from self.frame_bottom(_("Planning…"))

    def table(self, name: str) -> DataTable[Any]:
        return self.query_one(f"#{name}", DataTable)

    def on_mount(self) -> None:
        fill_table(self.table("proposals"), self.proposal_headers(), [])
        fill_table(self.table("unplaced"), self.unplaced_headers(), [])
        self.action_plan("greedy")

    def proposal_headers(self) -> list[str]:
        return ["", _("Project"), _("Obligation"), _("Period"), _("Days"), _("Trainers"), _("Place"), _("Mode")]

    def unplaced_headers(self) -> list[str]:
        return [_("Project"), _("Obligation"), _("Period"), _("Window"), _("Why")]

    def action_plan(self, solver: str) -> None:
        self.set_status(_("Planning…") if solver == "greedy" else _("Planning with CP-SAT (up to 8 seconds)…"))
        self.make_plan(solver)

    @work(thread=True, exclusive=True, group="plan")
    def make_plan(self, solver: str) -> None:
        from lms.scheduling.auto.planner import plan_schedule

        app = self.lms
        try:
            with Session(app.engine) as session:
                plan = plan_schedule(session=session, calendar=self.calendar(), today=app.today, solver=solver)
                rooms = {room.id or 0: room.code for room in session.exec(select(Room))}
        except LmsError as error:
            self.fail(error)
            return
        self.post_message(self.PlanMade(plan, rooms))

    def on_auto_schedule_screen_plan_made(self, message: PlanMade) -> None:
        self.plan, self.room_codes = message.plan, message.room_codes
        self.decisions = [""] * len(message.plan.proposals)
        self.show_proposals()
        rows = [
            (
                row.project,
                row.obligation,
                period_name(row.period),
                span_text(row.window_start, row.window_end),
                row.reason,
            )
            for row in message.plan.unplaced
        ]
        fill_table(self.table("unplaced"), self.unplaced_headers(), rows, max_width=120)
        self.set_status(
            _("{proposals} proposals, {unplaced} periods not placed; planned by {solver}").format(
                proposals=len(message.plan.proposals),
                unplaced=len(message.plan.unplaced),
                solver=solver_name(message.plan.runs[-1].solver) if message.plan.runs else "—",
            )
        )
        self.table("proposals").focus()

    def show_proposals(self) -> None:
        assert self.plan is not None
        rows = []
        for proposal, decision in zip(self.plan.proposals, self.decisions, strict=True):
            mark, style = DECISIONS.get(decision, ("✎", "bold cyan"))
            rows.append(
                (
                    Text(mark if mark != "✎" else f"✎ {decision}", style=style),
                    proposal.project,
                    proposal.obligation,
                    period_name(proposal.period),
                    span_text(proposal.days[0], proposal.days[-1]),
                    "、".join(t.name for t in proposal.trainers),
                    clip(proposal.place, 18),
                    mode_label(proposal.mode),
                )
            )
        fill_table(self.table("proposals"), self.proposal_headers(), rows)
        self.show_reason()

    @property
    def current(self) -> int | None:
        table = self.table("proposals")
        return table.cursor_row if self.plan and self.plan.proposals else None

    def show_reason(self) -> None:
        index = self.current
        reason = self.plan.proposals[index].reason if self.plan and index is not None else ""
        self.query_one("#reason", Static).update(Text(reason, style="italic"))

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        if event.data_table.id == "proposals":
            self.show_reason()

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        if event.data_table.id == "proposals":
            self.action_edit()

    def action_mark(self, decision: str) -> None:
        index = self.current
        if index is None or self.decisions[index] not in ("", "accepted", "rejected"):
            return  # already created
        self.decisions[index] = "" if self.decisions[index] == decision else decision
        self.show_proposals()
        table = self.table("proposals")
        if index + 1 < table.row_count:
            table.move_cursor(row=index + 1)

    def action_edit(self) -> None:
        index = self.current
        if index is None or self.decisions[index] not in ("", "accepted", "rejected"):
            return
        proposal = self.plan.proposals[index] if self.plan else None
        if proposal is None:
            return
        self.app.push_screen(self.editor_for(proposal), lambda code: self.edited(index, code) if code else None)

    def editor_for(self, proposal: Proposal) -> Any:
        from scheduler_tui.screens.session_editor import SessionEditorScreen

        return SessionEditorScreen(
            None,
            course=proposal.course,
            project=proposal.project,
            obligation=proposal.obligation,
            period_label=proposal.period,
            mode=proposal.mode,
            room=self.room_codes.get(proposal.room_id) if proposal.room_id is not None else None,
            place=proposal.place,
            city=proposal.city,
            first_day=proposal.days[0].isoformat(),
            day_count=str(len(proposal.days)),
            trainers=[t.code for t in proposal.trainers],
            capacity=str(proposal.capacity),
        )

    def edited(self, index: int, code: str) -> None:
        self.decisions[index] = code
        self.show_proposals()

    def action_apply(self) -> None:
        if not self.plan:
            return
        chosen = [p for p, d in zip(self.plan.proposals, self.decisions, strict=True) if d == "accepted"]
        if not chosen:
            self.notify(_("Accept proposals with a first, then create them."))
            return
        self.create(chosen)

    @work(thread=True, exclusive=True, group="plan")
    def create(self, chosen: list[Proposal]) -> None:
        from lms.scheduling.auto.planner import Plan, apply_plan

        app = self.lms
        try:
            with session_scope(app.engine) as session:
                created = [t.code for t in apply_plan(session=session, plan=Plan(proposals=chosen), pm=app.pm)]
        except LmsError as error:
            self.fail(error)
            return
        self.post_message(self.PlanApplied(created))

    def on_auto_schedule_screen_plan_applied(self, message: PlanApplied) -> None:
        codes = iter(message.created)
        self.decisions = [next(codes) if d == "accepted" else d for d in self.decisions]
        self.show_proposals()
        self.notify(
            _("created {count} planned sessions: {codes}").format(
                count=len(message.created), codes=", ".join(message.created)
            )
        )

    def export_selection(self) -> ExportChoice | None:
        index = self.current
        return project_export(self.plan.proposals[index].project) if self.plan and index is not None else None
