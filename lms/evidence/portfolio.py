"""The portfolio: every project × obligation as a row, the cadence periods (quarters, halves, spring and autumn,
warranty years) as columns, each cell a period's status; for ``lms obligations status --grid`` and the PM's screen."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

from sqlmodel import Session, col, select

from lms.calendars.workdays import WorkdayCalendar
from lms.evidence.compliance import summary
from lms.i18n import _
from lms.models import Obligation, Project
from lms.models.lookup import same_code
from lms.projects.obligations import portfolio_status
from lms.projects.periods import PeriodStatus, period_name


@dataclass
class GridCell:
    status: str
    status_label: str
    reason: str
    window_start: dt.date | None
    window_end: dt.date | None
    sessions: list[str]


@dataclass
class GridRow:
    project: str
    obligation: str
    clause_ref: str | None
    clause: str
    cadence: str
    status: str
    status_label: str
    reason: str
    cells: dict[str, GridCell]  # by period label (a column); ``once`` for one-off duties


@dataclass
class PortfolioGrid:
    columns: list[str]  # period labels: ``once`` first, then the cadence periods in time order
    names: list[str]  # the same, for people
    rows: list[GridRow]


def portfolio_grid(
    session: Session, calendar: WorkdayCalendar, today: dt.date, project_code: str | None = None
) -> PortfolioGrid:
    """Every obligation of every project (or one) as a row, its periods' statuses under period columns."""
    statement = select(Obligation, Project.code).join(Project, col(Project.id) == Obligation.project_id)
    if project_code:
        statement = statement.where(same_code(Project.code, project_code))
    clauses = {(code, o.code): o for o, code in session.exec(statement)}
    grouped: dict[tuple[str, str], list[PeriodStatus]] = defaultdict(list)
    for status in portfolio_status(session, calendar, today, project_code):
        grouped[(status.project, status.obligation)].append(status)
    starts: dict[str, dt.date] = {}
    rows = []
    for (project, code), statuses in grouped.items():
        obligation = clauses[(project, code)]
        main, reason = summary(statuses, obligation.cadence, today)
        cells = {}
        for status in statuses:
            if status.window_start is None and status.period != "once":
                continue  # a cadence duty still waiting for its anchor has no periods yet
            cells[status.period] = GridCell(
                status.status.value,
                status.label,
                status.reason,
                status.window_start,
                status.window_end,
                [check.code for check in status.sessions],
            )
            if status.period != "once" and status.window_start is not None:
                starts[status.period] = min(starts.get(status.period, dt.date.max), status.window_start)
        rows.append(
            GridRow(
                project,
                code,
                obligation.clause_ref,
                obligation.clause_text,
                obligation.cadence,
                main.status.value,
                main.label,
                reason,
                cells,
            )
        )
    labels = sorted(starts, key=lambda label: (starts[label], label))
    if any("once" in row.cells for row in rows):
        labels.insert(0, "once")
    return PortfolioGrid(labels, [period_name(label) for label in labels], rows)


def grid_table(grid: PortfolioGrid) -> tuple[list[str], list[list[str]]]:
    """Headers and cells of the grid as a text table: status words under each period."""
    headers = [_("Project"), _("Obligation"), _("Status"), *grid.names]
    rows = [
        [row.project, row.obligation, row.status_label]
        + [row.cells[label].status_label if label in row.cells else "" for label in grid.columns]
        for row in grid.rows
    ]
    return headers, rows
