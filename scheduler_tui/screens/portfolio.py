"""Portfolio, the project manager's view: every project × obligation as a row, the cadence periods (quarters,
halves, spring and autumn, years) as columns, each cell coloured by its status. Enter on a row shows the evidence of
that obligation below — its sessions, attendance per day, results, certificates, scanned sign-in sheets — and, on a
period's cell, only that period's."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Any

from rich.text import Text
from sqlmodel import Session
from textual import work
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.coordinate import Coordinate
from textual.message import Message
from textual.widgets import DataTable, Static

from lms.errors import LmsError
from lms.evidence.compliance import project_compliance as load_project_compliance
from lms.evidence.compliance_records import ObligationEvidence, ProjectCompliance
from lms.evidence.compliance_text import obligation_text
from lms.evidence.portfolio import GridRow, PortfolioGrid, portfolio_grid
from lms.i18n import _
from scheduler_tui import keys
from scheduler_tui.labels import OBLIGATION_STYLES, clip
from scheduler_tui.screens.base import ExportChoice, LmsScreen, project_export
from scheduler_tui.widgets.tables import fill_table

FIXED_COLUMNS = 3  # project, obligation and its overall status stay put while the periods scroll


def status_cell(status: str, label: str) -> Text:
    return Text(f" {label} ", style=OBLIGATION_STYLES.get(status, ""))


class PortfolioScreen(LmsScreen):
    PLACE = "portfolio"
    BINDINGS = keys.PORTFOLIO

    @dataclass
    class GridLoaded(Message):
        grid: PortfolioGrid

    @dataclass
    class EvidenceLoaded(Message):
        compliance: ProjectCompliance
        obligation: str
        period: str | None

    def __init__(
        self,
        project: str | None = None,
        obligation: str | None = None,
        period: str | None = None,
        evidence: bool = False,
    ) -> None:
        super().__init__()
        self.wanted = (project, obligation)
        self.reopen = (project or "", obligation or "", period) if evidence else None  # evidence shown before ``g``
        self.grid: PortfolioGrid | None = None
        self.shown: tuple[str, str, str | None] | None = None  # project, obligation, period in the evidence pane

    def compose(self) -> ComposeResult:
        yield from self.frame_top()
        yield Static(_("Obligations by period"), classes="section-title")
        yield DataTable(id="portfolio", cursor_type="cell", zebra_stripes=True, fixed_columns=FIXED_COLUMNS)
        yield Static("", id="portfolio-reason")
        yield Static(_("Evidence"), classes="section-title")
        with VerticalScroll(id="evidence-pane"):
            yield Static(_("Press Enter on an obligation to see its evidence."), id="evidence")
        yield from self.frame_bottom()

    @property
    def table(self) -> DataTable[Any]:
        return self.query_one("#portfolio", DataTable)

    @property
    def evidence(self) -> Static:
        return self.query_one("#evidence", Static)

    def on_mount(self) -> None:
        fill_table(self.table, [_("Project"), _("Obligation"), _("Status")], [])
        self.call_after_refresh(self.action_refresh)

    def restart_args(self) -> dict[str, Any]:
        if self.shown:
            project, obligation, period = self.shown
            return {"project": project, "obligation": obligation, "period": period, "evidence": True}
        row = self.current_row
        return {"project": row.project, "obligation": row.obligation} if row else {}

    @property
    def current_row(self) -> GridRow | None:
        if self.grid is None or not self.grid.rows:
            return None
        return self.grid.rows[min(self.table.cursor_row, len(self.grid.rows) - 1)]

    def period_at(self, column: int) -> str | None:
        """The period label of a column, or None on the project, obligation and status columns."""
        if self.grid is None or column < FIXED_COLUMNS:
            return None
        return self.grid.columns[column - FIXED_COLUMNS]

    def action_refresh(self) -> None:
        self.reopen = self.shown or self.reopen  # the evidence on show is loaded again with the grid
        self.load_grid()

    @work(thread=True, exclusive=True, group="grid")
    def load_grid(self) -> None:
        app = self.lms
        try:
            with Session(app.engine) as session:
                grid = portfolio_grid(session, self.calendar(), app.today)
        except LmsError as error:
            self.fail(error)
            return
        self.post_message(self.GridLoaded(grid))

    def on_portfolio_screen_grid_loaded(self, message: GridLoaded) -> None:
        current = self.current_row
        wanted = (current.project, current.obligation) if current else self.wanted
        grid = self.grid = message.grid
        headers: list[str | Text] = [_("Project"), _("Obligation"), _("Status"), *grid.names]
        rows = [
            [row.project, row.obligation, status_cell(row.status, row.status_label)]
            + [
                status_cell(row.cells[label].status, row.cells[label].status_label) if label in row.cells else ""
                for label in grid.columns
            ]
            for row in grid.rows
        ]
        table = self.table
        fill_table(table, headers, rows, max_width=14)
        keys_ = [(row.project, row.obligation) for row in grid.rows]
        if wanted in keys_:
            column = table.cursor_column if current else 2
            table.move_cursor(row=keys_.index(wanted), column=column, animate=False)
        table.focus()
        if self.reopen:
            self.load_evidence(*self.reopen)
            self.reopen = None
        self.set_status(
            _("{obligations} obligations in {projects} projects · Enter: the evidence").format(
                obligations=len(grid.rows), projects=len({row.project for row in grid.rows})
            )
        )

    def on_data_table_cell_highlighted(self, event: DataTable.CellHighlighted) -> None:
        if self.grid is None or event.coordinate.row >= len(self.grid.rows):
            return
        row = self.grid.rows[event.coordinate.row]
        period = self.period_at(event.coordinate.column)
        cell = row.cells.get(period) if period else None
        text = Text(f"{row.project} {row.obligation}", style="bold")
        if cell is not None and period is not None:
            text.append(f" {self.grid.names[self.grid.columns.index(period)]}: ", style="bold")
            text.append(cell.reason)
        else:
            text.append(": ", style="bold")
            text.append(row.reason)
        self.query_one("#portfolio-reason", Static).update(text)

    def on_data_table_cell_selected(self, event: DataTable.CellSelected) -> None:
        self.open_at(event.coordinate)

    def action_open(self) -> None:
        self.open_at(self.table.cursor_coordinate)

    def open_at(self, coordinate: Coordinate) -> None:
        if self.grid is None or coordinate.row >= len(self.grid.rows):
            return
        row = self.grid.rows[coordinate.row]
        period = self.period_at(coordinate.column)
        if period is not None and period not in row.cells:
            period = None  # a column this obligation has no period in: show all of it
        self.evidence.update(
            Text(
                _("Loading the evidence of {project} {obligation}…").format(
                    project=row.project, obligation=row.obligation
                )
            )
        )
        self.load_evidence(row.project, row.obligation, period)

    @work(thread=True, exclusive=True, group="evidence")
    def load_evidence(self, project: str, obligation: str, period: str | None) -> None:
        app = self.lms
        try:
            with Session(app.engine) as session:
                found = load_project_compliance(session, project, app.today, self.calendar())
        except LmsError as error:
            self.fail(error)
            return
        self.post_message(self.EvidenceLoaded(found, obligation, period))

    def on_portfolio_screen_evidence_loaded(self, message: EvidenceLoaded) -> None:
        found = message.compliance
        obligation = next((o for o in found.obligations if o.code == message.obligation), None)
        if obligation is None:
            return
        self.shown = (found.code, obligation.code, message.period)
        self.evidence.update(evidence_text(found, only_period(obligation, message.period)))
        self.query_one("#evidence-pane", VerticalScroll).scroll_home(animate=False)

    def export_selection(self) -> ExportChoice | None:
        row = self.current_row
        return project_export(row.project) if row else None


def only_period(obligation: ObligationEvidence, period: str | None) -> ObligationEvidence:
    """The obligation narrowed to one period: its row in the periods, its sessions, its outstanding items."""
    if period is None:
        return obligation
    return dataclasses.replace(
        obligation,
        periods=[p for p in obligation.periods if p.label == period],
        sessions=[s for s in obligation.sessions if s.period == period],
        outstanding=[item for item in obligation.outstanding if item.period in (period, None)],
    )


def evidence_text(found: ProjectCompliance, obligation: ObligationEvidence) -> Text:
    """The obligation's evidence as the report has it, its status coloured, then what is outstanding."""
    text = Text(f"{found.code} ", style="bold")
    text.append(obligation.code, style="bold")
    if obligation.clause_ref:
        text.append(f" {obligation.clause_ref}")
    text.append("  ")
    text.append(status_cell(obligation.status, obligation.status_label))
    for line in obligation_text(obligation)[1:]:
        text.append("\n" + line)
    text.append("\n\n")
    if obligation.outstanding:
        text.append(_("Outstanding ({count}):").format(count=len(obligation.outstanding)), style="bold")
        for item in obligation.outstanding:
            text.append("\n  - ")
            text.append(clip(item.text, 400), style="yellow")
    else:
        text.append(_("Nothing outstanding."), style="green")
    return text
