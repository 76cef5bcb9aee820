"""Skills, as HR reads them: everyone against every skill (certified green, due for renewal yellow, expired red),
the records lapsing within 90 days, and on Enter one person's records with their sources and certificates."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from rich.cells import cell_len
from rich.text import Text
from sqlmodel import Session
from textual import work
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.widgets import DataTable, Static

from lms.credentials.person_records import PersonRecord, person_record
from lms.credentials.skill_matrix import ExpiringRecord, SkillMatrix, expiring, skill_matrix
from lms.credentials.skill_status import SkillCell, status_label
from lms.errors import LmsError
from lms.i18n import _
from lms.models.lookup import person_by_code
from scheduler_tui import keys
from scheduler_tui.labels import bilingual, clip, day_text, short_day
from scheduler_tui.screens.base import ExportChoice, LmsScreen, trainer_export
from scheduler_tui.widgets.tables import fill_table

EXPIRING_DAYS = 90
STATUS_STYLES = {
    "certified": "green",
    "due": "bold yellow",
    "expired": "bold red",
    "none": "dim",
    "superseded": "dim",
    "future": "cyan",
}
CERTIFICATE_STYLES = {"valid": "green", "revoked": "bold red", "superseded": "dim"}


def matrix_cell(cell: SkillCell) -> Text:
    """Level and last valid day, coloured by status; a dash where there is no record."""
    if cell.status == "none":
        return Text("-", style=STATUS_STYLES["none"])
    text = f"L{cell.level} {day_text(cell.valid_until)}" if cell.valid_until else f"L{cell.level}"
    return Text(text, style=STATUS_STYLES.get(cell.status, ""))


def source_text(source: str, certificate: str | None, issuer: str | None, reference: str | None) -> str:
    if source == "certificate":
        return certificate or _("certificate")
    if source == "external":
        return " ".join(part for part in (issuer, reference) if part)
    return _("entered by HR")


class SkillsScreen(LmsScreen):
    PLACE = "skills"
    BINDINGS = keys.SKILLS

    @dataclass
    class MatrixLoaded(Message):
        matrix: SkillMatrix
        expiring: list[ExpiringRecord]

    @dataclass
    class PersonLoaded(Message):
        record: PersonRecord

    def __init__(self, person: str | None = None) -> None:
        super().__init__()
        self.matrix: SkillMatrix | None = None
        self.expiring: list[ExpiringRecord] = []
        self.person: str | None = person  # the code whose record is shown below
        self.record: PersonRecord | None = None

    def compose(self) -> ComposeResult:
        yield from self.frame_top()
        yield Static(_("Skill matrix"), id="matrix-title", classes="section-title")
        yield DataTable(id="skill-matrix", cursor_type="row", zebra_stripes=True)
        with Horizontal(id="skills-lower"):
            with Vertical(id="expiring-pane"):
                yield Static(_("Expiring within {days} days").format(days=EXPIRING_DAYS), classes="section-title")
                yield DataTable(id="expiring", cursor_type="row", zebra_stripes=True)
            with Vertical(id="record-pane"):
                yield Static(_("Press Enter on a person for their record"), id="record-title", classes="section-title")
                yield DataTable(id="person-records", cursor_type="row")
                yield Static(_("Certificates"), classes="section-title")
                yield DataTable(id="person-certificates", cursor_type="row")
        yield from self.frame_bottom()

    def table(self, name: str) -> DataTable[Any]:
        return self.query_one(f"#{name}", DataTable)

    def headers(self, name: str) -> list[str]:
        if name == "expiring":
            return [_("Until"), _("Days"), _("Holder"), _("Skill")]  # short: the skill needs the room
        if name == "person-records":
            return [_("Skill"), _("Level"), _("From"), _("Until"), _("State"), _("Source"), _("Scan")]
        if name == "person-certificates":
            return [_("Serial"), _("Course"), _("Issued"), _("Expires"), _("Status")]
        skills = self.matrix.skills if self.matrix else []
        return [_("Code"), _("Person's name")] + [skill.code for skill in skills]

    def on_mount(self) -> None:
        self.table("skill-matrix").fixed_columns = 2  # who stays in view while the skills scroll by
        for name in ("skill-matrix", "expiring", "person-records", "person-certificates"):
            fill_table(self.table(name), self.headers(name), [])
        self.action_refresh()

    def action_refresh(self) -> None:
        self.load()
        if self.person:
            self.load_person(self.person)

    def restart_args(self) -> dict[str, Any]:
        return {"person": self.person}

    @work(thread=True, exclusive=True, group="skills")
    def load(self) -> None:
        today = self.lms.today
        with Session(self.lms.engine) as session:
            matrix = skill_matrix(session, today)
            lapsing = expiring(session, today, EXPIRING_DAYS)
        self.post_message(self.MatrixLoaded(matrix, lapsing))

    def on_skills_screen_matrix_loaded(self, message: MatrixLoaded) -> None:
        self.matrix, self.expiring = message.matrix, message.expiring
        matrix = message.matrix
        rows = [
            [person.code, person.name] + [matrix_cell(matrix.cell(person.id, skill.id)) for skill in matrix.skills]
            for person in matrix.people
        ]
        table = self.table("skill-matrix")
        fill_table(table, self.headers("skill-matrix"), rows)
        table.focus()
        names = [item.name for item in message.expiring]
        skill_width = self.expiring_skill_width(max((cell_len(name) for name in names), default=4))
        lapsing = [
            (
                Text(short_day(item.valid_until), style=STATUS_STYLES["due"]),
                str(item.days_left),
                item.name,
                skill_label(item.skill, bilingual(item.skill_zh, item.skill_en), skill_width),
            )
            for item in message.expiring
        ]
        fill_table(self.table("expiring"), self.headers("expiring"), lapsing)
        counts = dict.fromkeys(("certified", "due", "expired"), 0)
        for cell in matrix.cells.values():
            counts[cell.status] = counts.get(cell.status, 0) + 1
        self.query_one("#matrix-title", Static).update(
            Text.assemble(
                (_("Skill matrix on {day}").format(day=matrix.on), "bold"),
                "  ",
                (f"{status_label('certified')} {counts['certified']}", STATUS_STYLES["certified"]),
                "  ",
                (f"{status_label('due')} {counts['due']}", STATUS_STYLES["due"]),
                "  ",
                (f"{status_label('expired')} {counts['expired']}", STATUS_STYLES["expired"]),
                "  ",
                (f"- {status_label('none')}", ""),
            )
        )
        self.set_status(
            _("{people} people × {skills} skills · {lapsing} records lapse within {days} days").format(
                people=len(matrix.people), skills=len(matrix.skills), lapsing=len(message.expiring), days=EXPIRING_DAYS
            )
        )

    def expiring_skill_width(self, name_width: int) -> int:
        """What the expiring list leaves for its skill column once the day, days left and name are shown."""
        pane = self.query_one("#expiring-pane").size.width or 40
        used = 5 + cell_len(_("Days")) + max(name_width, cell_len(_("Holder")))
        return max(pane - used - 2 * 4 - 1, 12)  # 2 cells of padding per column, 1 for the scroll bar

    def action_open(self) -> None:
        """The record of the person under the cursor (in the matrix or the expiring list)."""
        focused = self.focused
        if not isinstance(focused, DataTable) or focused.row_count == 0:
            return
        row = focused.cursor_row
        if focused.id == "skill-matrix" and self.matrix:
            self.person = self.matrix.people[row].code
        elif focused.id == "expiring" and self.expiring:
            self.person = self.expiring[row].person
        else:
            return
        self.load_person(self.person)

    def on_data_table_row_selected(self, _event: DataTable.RowSelected) -> None:
        self.action_open()

    @work(thread=True, exclusive=True, group="person")
    def load_person(self, code: str) -> None:
        try:
            with Session(self.lms.engine) as session:
                person = person_by_code(session, code)
                assert person.id is not None
                record = person_record(session, person.id, self.lms.today)
        except LmsError as error:
            self.fail(error)
            return
        self.post_message(self.PersonLoaded(record))

    def on_skills_screen_person_loaded(self, message: PersonLoaded) -> None:
        record = self.record = message.record
        self.query_one("#record-title", Static).update(
            Text.assemble(
                (f"{record.code} {record.name}", "bold"),
                " · ",
                bilingual(record.organisation_zh, record.organisation_en),
            )
        )
        rows = [
            (
                line.skill,
                str(line.level),
                day_text(line.valid_from),
                day_text(line.valid_until) or _("no expiry"),
                Text(status_label(line.state), style=STATUS_STYLES.get(line.state, "")),
                clip(source_text(line.source, line.certificate, line.issuer, line.reference), 28),
                clip(", ".join(f.name for f in line.files), 20),
            )
            for line in record.records
        ]
        fill_table(self.table("person-records"), self.headers("person-records"), rows, keep_cursor=False)
        certificates = [
            (
                c.serial,
                f"{c.course} v{c.version}",
                day_text(c.issued_on),
                day_text(c.expires_on) or _("no expiry"),
                Text(certificate_status(c.status), style=CERTIFICATE_STYLES.get(c.status, "")),
            )
            for c in record.certificates
        ]
        fill_table(
            self.table("person-certificates"), self.headers("person-certificates"), certificates, keep_cursor=False
        )

    def export_selection(self) -> ExportChoice | None:
        table = self.table("skill-matrix")
        if not self.matrix or not self.matrix.people:
            return None
        person = self.matrix.people[table.cursor_row]
        return trainer_export(person.code, person.name)


def skill_label(code: str, name: str, width: int) -> str:
    """The skill's code in full, then as much of its name as fits in ``width`` cells."""
    room = width - cell_len(code) - 1
    return f"{code} {clip(name, room)}" if room >= 2 and name else code


def certificate_status(status: str) -> str:
    return {"valid": _("valid"), "revoked": _("revoked"), "superseded": _("superseded")}.get(status, status)
