"""Import the buyer's staff list onto a session (a bad row imports nobody; GBK as Excel writes it is read and
said so) and mark attendance day by day."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlmodel import Session, func, select

from lms.models import Attendance, AuditEntry, Person, RosterEntry, TrainingSession
from scheduler_tui.screens.confirm_dialog import ConfirmDialog
from scheduler_tui.screens.path_dialog import PathDialog
from scheduler_tui.screens.roster import RosterScreen
from scheduler_tui.screens.text_dialog import TextDialog
from tests.certificates.conftest import pdf_text
from tests.scheduler_tui.conftest import screen_text, settle, until


def resident_id(body: str) -> str:
    """An 18-character ID number with a correct check digit for 17 given digits."""
    weights = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
    return body + "10X98765432"[sum(int(d) * w for d, w in zip(body, weights, strict=True)) % 11]


def roster_size(engine: Any, code: str) -> int:
    with Session(engine) as session:
        training = session.exec(select(TrainingSession).where(TrainingSession.code == code)).one()
        return session.exec(select(func.count()).where(RosterEntry.session_id == training.id)).one()


def report(screen: RosterScreen) -> str:
    """What the import said, unwrapped."""
    return str(screen.query_one("#import-report").render())


async def open_roster(app: Any, pilot: Any, code: str) -> RosterScreen:
    app.action_show("roster", session_code=code)
    await until(pilot, lambda: getattr(app.screen, "sheet", None) is not None and app.screen.sheet.code == code)
    screen = app.screen
    assert isinstance(screen, RosterScreen)
    return screen


async def import_file(app: Any, pilot: Any, path: Path) -> None:
    await pilot.press("i")
    await settle(pilot)
    dialog = app.screen
    assert isinstance(dialog, PathDialog)
    dialog.query_one("#path").value = str(path)
    await pilot.press("enter")
    await settle(pilot)


async def test_a_bad_row_imports_nobody_and_names_the_line(app: Any, demo_copy: Any, tmp_path: Path) -> None:
    staff = tmp_path / "staff.csv"
    staff.write_text(
        "姓名,手机,身份证号\n"
        f"钱一,13912345678,{resident_id('33010619900101123')}\n"
        "孙二,12ab,\n"  # not a phone number
        f"李三,13812345678,{resident_id('33010619900101124')[:-1]}0\n",  # wrong check digit (unless it is 0)
        encoding="utf-8-sig",
    )
    before = roster_size(demo_copy, "S-JTXQ20")
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        await open_roster(app, pilot, "S-JTXQ20")
        await import_file(app, pilot, staff)
        text = screen_text(app)
        assert "Nothing was imported" in text
        assert "staff.csv:3:2: 手机: not a phone number: 7 to 15 digits" in text
        assert "staff.csv:4:3: 身份证号: the ID number's check digit is wrong" in text
    assert roster_size(demo_copy, "S-JTXQ20") == before
    with Session(demo_copy) as session:
        assert session.exec(select(Person).where(Person.name == "钱一")).first() is None


async def test_a_gbk_file_from_excel_is_imported_and_the_encoding_reported(
    app: Any, demo_copy: Any, tmp_path: Path
) -> None:
    staff = tmp_path / "名单.csv"
    staff.write_bytes(
        (
            "序号,姓名,工号,手机,岗位\r\n"
            "1,钱一,G001,13912345678,运行值班员\r\n"
            "2,孙二,G002,13812345678,电工\r\n"
            "3,周三,G003,,维修技工\r\n"
        ).encode("gbk")
    )
    before = roster_size(demo_copy, "S-JTXQ20")
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        screen = await open_roster(app, pilot, "S-JTXQ20")
        await import_file(app, pilot, staff)
        text = report(screen)
        assert "read as GBK" in text
        assert "3 added to the roster (3 new people" in text
        assert "columns ignored: 序号" in text
        names = {line.name for line in screen.sheet.lines}
        assert {"钱一", "孙二", "周三"} <= names
        await import_file(app, pilot, staff)  # the same list again adds no one twice
        assert "0 added to the roster (0 new people, 3 known, 3 already on it)" in report(screen)
    assert roster_size(demo_copy, "S-JTXQ20") == before + 3


async def test_mark_attendance_on_a_day(app: Any, demo_copy: Any) -> None:
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        screen = await open_roster(app, pilot, "S-3M5P12")  # held on 2026-11-05, six on the roster
        sheet = screen.query_one("#sheet")
        sheet.focus()
        sheet.move_cursor(row=0, column=3)  # the first day
        first = screen.sheet.lines[0]
        day_id = screen.sheet.days[0][0]
        was = first.marks[day_id]
        await pilot.press("space")
        await until(pilot, lambda: screen.sheet.lines[0].marks[day_id] is (was is not True))
        await pilot.press("a")
        await until(pilot, lambda: all(line.marks[day_id] is True for line in screen.sheet.lines))
    with Session(demo_copy) as session:
        present = session.exec(
            select(func.count()).where(Attendance.session_day_id == day_id, Attendance.present == True)  # noqa: E712
        ).one()
        assert present == len(screen.sheet.lines)


async def test_attendance_waits_for_the_day(app: Any) -> None:
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        screen = await open_roster(app, pilot, "S-JTXQ20")  # its second day is after "today"
        later = next(n for n, (_id, day) in enumerate(screen.sheet.days) if day > app.today)
        screen.query_one("#sheet").move_cursor(row=0, column=3 + later)
        await pilot.press("space")
        await settle(pilot)
        assert "has not come yet" in screen_text(app)


async def test_print_the_sign_in_sheet_from_the_roster(app: Any, tmp_path: Path) -> None:
    output = tmp_path / "signin.pdf"
    async with app.run_test(size=(120, 36)) as pilot:
        await open_roster(app, pilot, "S-3M5P12")
        await pilot.press("p")
        await settle(pilot)
        dialog = app.screen
        assert isinstance(dialog, PathDialog)
        dialog.query_one("#path").value = str(output)
        await pilot.press("enter")
        await until(pilot, output.exists, timeout=60)
    assert output.read_bytes().startswith(b"%PDF-")
    assert "S-3M5P12" in pdf_text(output)


async def test_the_import_dialog_lists_the_columns(app: Any) -> None:
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        await open_roster(app, pilot, "S-JTXQ20")
        await pilot.press("i")
        await settle(pilot)
        dialog = app.screen
        assert isinstance(dialog, PathDialog)
        shown = str(dialog.query_one("#path-help").render())
        assert "员工姓名" in shown and "证件号码" in shown and "工作单位" in shown


async def fill_text(app: Any, pilot: Any, text: str) -> None:
    await settle(pilot)
    dialog = app.screen
    assert isinstance(dialog, TextDialog), dialog
    dialog.query_one("#text").value = text
    await pilot.press("enter")
    await settle(pilot)


async def confirm(app: Any, pilot: Any) -> None:
    await settle(pilot)
    assert isinstance(app.screen, ConfirmDialog)
    app.screen.query_one("#yes").press()
    await settle(pilot)


async def test_add_remove_and_replace_one_person(app: Any, demo_copy: Any) -> None:
    with Session(demo_copy) as session:
        outsider = session.exec(
            select(Person).where(Person.kind == "buyer_staff").order_by(Person.id.desc())  # type: ignore[union-attr]
        ).first()
        assert outsider is not None
    before = roster_size(demo_copy, "S-JTXQ20")
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        screen = await open_roster(app, pilot, "S-JTXQ20")
        screen.query_one("#sheet").focus()
        await pilot.press("n")
        await fill_text(app, pilot, outsider.code.lower())
        await until(pilot, lambda: len(screen.sheet.lines) == before + 1)
        assert f"{outsider.name} ({outsider.code}) added" in report(screen)
        row = next(n for n, line in enumerate(screen.sheet.lines) if line.code == outsider.code)
        screen.query_one("#sheet").move_cursor(row=row, column=0)
        await pilot.press("x")
        await confirm(app, pilot)
        await until(pilot, lambda: len(screen.sheet.lines) == before)
        assert "removed" in report(screen)
        leaving = screen.sheet.lines[0]
        screen.query_one("#sheet").move_cursor(row=0, column=0)
        await pilot.press("r")
        await fill_text(app, pilot, outsider.code)
        await until(pilot, lambda: outsider.code in {line.code for line in screen.sheet.lines})
        assert leaving.code not in {line.code for line in screen.sheet.lines}
        assert "takes the place of" in report(screen)
    assert roster_size(demo_copy, "S-JTXQ20") == before


async def test_removing_someone_who_signed_in_asks_for_a_reason(app: Any, demo_copy: Any) -> None:
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        screen = await open_roster(app, pilot, "S-3M5P12")  # held: everyone has attendance
        count = len(screen.sheet.lines)
        screen.query_one("#sheet").focus()
        screen.query_one("#sheet").move_cursor(row=0, column=0)
        await pilot.press("x")
        await confirm(app, pilot)
        assert isinstance(app.screen, TextDialog)
        assert "days of attendance" in screen_text(app)
        await fill_text(app, pilot, "调岗，不再参加")
        await until(pilot, lambda: len(screen.sheet.lines) == count - 1)
    with Session(demo_copy) as session:
        entry = session.exec(select(AuditEntry).where(AuditEntry.action == "roster.remove")).one()
        assert entry.after == {"forced": "调岗，不再参加"}
