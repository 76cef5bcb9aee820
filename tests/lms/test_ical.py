"""iCalendar: sessions exported as .ics (checked by two independent parsers and our own strict rules, re-imported
with icalendar), and trainers' own calendars imported as busy times."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from zoneinfo import ZoneInfo

import pluggy
import pytest
import vobject
from ical.calendar_stream import IcsCalendarStream
from icalendar import Calendar
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, func, select

from lms.calendars.ical import export_ics
from lms.calendars.ical_busy import import_busy
from lms.calendars.ical_events import IcsMethod, Selection
from lms.catalog.service import import_paths
from lms.errors import LmsError, NotFoundError
from lms.models import Obligation, Organisation, Person, Project, SessionDay, TrainerBusy, TrainingSession
from lms.scheduling.sessions import create_session, move_session, set_status
from tests.conftest import LIBRARY

SHANGHAI = ZoneInfo("Asia/Shanghai")
TITLE_ZH = "太阳能集中热水系统运行与维护"
PLACE = "杭州市上城区解放路 261 号 住院楼"
# Tuesday, Wednesday and the next Monday: the weekend in between is skipped.
DAYS = [dt.date(2026, 11, 24), dt.date(2026, 11, 25), dt.date(2026, 11, 30)]


@dataclass
class World:
    lead: Person
    assistant: Person  # no e-mail address
    project: Project
    confirmed: TrainingSession  # three days, lead + assistant
    planned: TrainingSession  # one day, lead only
    cancelled: TrainingSession  # two days, assistant only


@pytest.fixture
def world(session: Session, pm: pluggy.PluginManager) -> World:
    (version, _created), *_ = import_paths(session, pm, [LIBRARY / "solar-hot-water.yaml"])
    vendor = Organisation(code="JN", kind="vendor", name_zh="江南智联工程有限公司", name_en="Jiangnan", city="杭州")
    buyer = Organisation(
        code="HZ-HOSP", kind="buyer", name_zh="杭州市第一人民医院", name_en="Hangzhou No.1", city="杭州"
    )
    session.add_all([vendor, buyer])
    session.flush()
    assert vendor.id is not None and buyer.id is not None
    lead = Person(
        code="E001",
        kind="trainer",
        name="陈立峰",
        name_en="Chen Lifeng",
        organisation_id=vendor.id,
        email="e001@example.com",
    )
    assistant = Person(code="E002", kind="trainer", name="王海燕", organisation_id=vendor.id)
    project = Project(
        code="P2026-HZ-SHW", name_zh="热水系统", name_en="Hot water", buyer_id=buyer.id, site=PLACE, city="杭州"
    )
    session.add_all([lead, assistant, project])
    session.flush()
    obligation = Obligation(
        project_id=project.id or 0,
        code="OB-1",
        clause_text="验收合格后集中培训",
        anchor="acceptance",
        mode="centralised",
    )
    session.add(obligation)
    session.flush()
    common = {"course_version": version, "mode": "centralised", "place": PLACE, "city": "杭州", "pm": pm}
    confirmed = create_session(
        session,
        days=DAYS,
        trainers=[(lead, "lead"), (assistant, "assistant")],
        project_id=project.id,
        obligation_id=obligation.id,
        status="confirmed",
        code="S-CONF1",
        **common,
    )
    planned = create_session(session, days=[dt.date(2026, 12, 8)], trainers=[(lead, "lead")], code="S-PLAN1", **common)
    cancelled = create_session(
        session,
        days=[dt.date(2026, 12, 1), dt.date(2026, 12, 2)],
        trainers=[(assistant, "lead")],
        project_id=project.id,
        code="S-CANC1",
        **common,
    )
    set_status(session, cancelled, "cancelled", pm)
    session.commit()
    return World(lead, assistant, project, confirmed, planned, cancelled)


def export_text(
    session: Session, tmp_path: Path, selection: Selection | None = None, method: IcsMethod = IcsMethod.publish
) -> str:
    output = tmp_path / "sessions.ics"
    export_ics(session, selection=selection or Selection(), output=output, method=method)
    return output.read_bytes().decode("utf-8")


def unfolded_lines(text: str) -> list[str]:
    return re.sub(r"\r\n[ \t]", "", text).split("\r\n")


def blocks(text: str, name: str) -> Iterator[list[str]]:
    """The unfolded content lines of each ``name`` component, straight from the text (no library fills gaps)."""
    current: list[str] | None = None
    for line in unfolded_lines(text):
        if line == f"BEGIN:{name}":
            current = []
        elif line == f"END:{name}":
            assert current is not None
            yield current
            current = None
        elif current is not None:
            current.append(line)


def names(lines: list[str]) -> list[str]:
    return [re.split("[;:]", line, maxsplit=1)[0] for line in lines]


def strict_check(text: str) -> None:
    """What the independent parsers let through: a TZID without VTIMEZONE, a VEVENT without DTSTAMP, and so on."""
    assert text.endswith("\r\n") and "\n" not in text.replace("\r\n", "")
    for line in text.split("\r\n"):
        assert len(line.encode("utf-8")) <= 75, line  # folded at 75 octets
    lines = unfolded_lines(text)
    assert lines[0] == "BEGIN:VCALENDAR"
    end_of_header = next(index for index, line in enumerate(lines) if index and line.startswith(("BEGIN:", "END:")))
    header = names(lines[:end_of_header])
    assert {"VERSION", "PRODID", "METHOD"} <= set(header)
    assert "VERSION:2.0" in lines
    used = set(re.findall(r";TZID=([^;:]+)", "\n".join(lines)))
    defined = {
        line.split(":", 1)[1] for block in blocks(text, "VTIMEZONE") for line in block if line.startswith("TZID:")
    }
    assert used <= defined, f"TZID without VTIMEZONE: {used - defined}"
    events = list(blocks(text, "VEVENT"))
    for event in events:
        present = names(event)
        for required in ("UID", "DTSTAMP", "SEQUENCE", "DTSTART", "DTEND", "SUMMARY"):
            assert present.count(required) == 1, (required, event)
    method = next(line for line in lines if line.startswith("METHOD:")).split(":", 1)[1]
    if method in ("REQUEST", "CANCEL"):
        for event in events:
            assert "ORGANIZER" in names(event)
    if method == "CANCEL":
        for event in events:
            assert "STATUS:CANCELLED" in event


def parse_independently(text: str) -> None:
    calendar = IcsCalendarStream.calendar_from_ics(text)
    vcalendar = vobject.readOne(text)
    assert len(calendar.events) == len(getattr(vcalendar, "vevent_list", []))


def test_export_passes_two_independent_parsers_and_strict_checks(
    session: Session, world: World, tmp_path: Path
) -> None:
    text = export_text(session, tmp_path)
    strict_check(text)
    parse_independently(text)
    calendar = IcsCalendarStream.calendar_from_ics(text)
    assert [event.uid for event in calendar.events] == [world.confirmed.uid, world.cancelled.uid, world.planned.uid]
    assert {timezone.tz_id for timezone in calendar.timezones} == {"Asia/Shanghai"}
    vcalendar = vobject.readOne(text)
    assert vcalendar.method.value == "PUBLISH"
    assert vcalendar.vevent.dtstart.value == dt.datetime(2026, 11, 24, 9, 0, tzinfo=SHANGHAI)


def test_export_reimports_into_the_same_events(session: Session, world: World, tmp_path: Path) -> None:
    text = export_text(session, tmp_path)
    calendar = Calendar.from_ical(text)
    events = {str(event["UID"]): event for event in calendar.walk("VEVENT")}
    assert set(events) == {world.confirmed.uid, world.planned.uid, world.cancelled.uid}
    confirmed = events[world.confirmed.uid]
    assert str(confirmed["SUMMARY"]) == (
        f"培训：{TITLE_ZH} / Training: Central solar hot-water system operation and maintenance (S-CONF1)"
    )
    assert confirmed.start == dt.datetime(2026, 11, 24, 9, 0, tzinfo=SHANGHAI)
    assert confirmed.end == dt.datetime(2026, 11, 24, 17, 0, tzinfo=SHANGHAI)
    assert [start for start, _end in confirmed.rdates] == [
        dt.datetime(2026, 11, 25, 9, 0, tzinfo=SHANGHAI),
        dt.datetime(2026, 11, 30, 9, 0, tzinfo=SHANGHAI),
    ]
    assert [confirmed.start.date()] + [start.date() for start, _end in confirmed.rdates] == DAYS
    assert confirmed["STATUS"] == "CONFIRMED"
    assert events[world.planned.uid]["STATUS"] == "TENTATIVE"
    assert events[world.planned.uid].rdates == []
    description = str(confirmed["DESCRIPTION"])
    assert "培训日期 Days: 2026-11-24, 2026-11-25, 2026-11-30" in description
    for expected in ("P2026-HZ-SHW", "OB-1", "陈立峰", "王海燕", "confirmed"):
        assert expected in description
    assert calendar["PRODID"] == "-//LMS//Training Scheduler//ZH"
    # The same session exported again keeps its UID; the file's events come out the same apart from DTSTAMP.
    again = Calendar.from_ical(export_text(session, tmp_path))
    assert [str(event["UID"]) for event in again.walk("VEVENT")] == [str(e["UID"]) for e in calendar.walk("VEVENT")]


def test_chinese_summary_and_location_round_trip(session: Session, world: World, tmp_path: Path) -> None:
    text = export_text(session, tmp_path, Selection(project_code="P2026-HZ-SHW"))
    summary = f"培训：{TITLE_ZH} / Training: Central solar hot-water system operation and maintenance (S-CONF1)"
    icalendar_event = Calendar.from_ical(text).walk("VEVENT")[0]
    assert str(icalendar_event["SUMMARY"]) == summary
    assert str(icalendar_event["LOCATION"]) == PLACE
    ical_event = IcsCalendarStream.calendar_from_ics(text).events[0]
    assert (ical_event.summary, ical_event.location) == (summary, PLACE)
    vobject_event = vobject.readOne(text).vevent
    assert (vobject_event.summary.value, vobject_event.location.value) == (summary, PLACE)


def test_location_adds_the_city_when_the_place_lacks_it(
    session: Session, world: World, pm: pluggy.PluginManager, tmp_path: Path
) -> None:
    world.planned.place = "培训中心 101 教室"
    session.add(world.planned)
    session.commit()
    event = Calendar.from_ical(export_text(session, tmp_path)).walk("VEVENT")[-1]
    assert str(event["LOCATION"]) == "培训中心 101 教室（杭州）"


def sequence_and_status(session: Session, tmp_path: Path, uid: str) -> tuple[int, str, dt.datetime]:
    for event in Calendar.from_ical(export_text(session, tmp_path)).walk("VEVENT"):
        if str(event["UID"]) == uid:
            return int(event["SEQUENCE"]), str(event["STATUS"]), event.start
    raise AssertionError(uid)


def test_sequence_increases_on_every_change(
    session: Session, world: World, pm: pluggy.PluginManager, tmp_path: Path
) -> None:
    uid = world.planned.uid
    before = sequence_and_status(session, tmp_path, uid)
    assert before[:2] == (0, "TENTATIVE")
    move_session(session, world.planned, [dt.date(2026, 12, 9), dt.date(2026, 12, 10)], pm)
    session.commit()
    moved = sequence_and_status(session, tmp_path, uid)
    assert moved[0] > before[0]
    assert moved[2] == dt.datetime(2026, 12, 9, 9, 0, tzinfo=SHANGHAI)
    set_status(session, world.planned, "cancelled", pm)
    session.commit()
    cancelled = sequence_and_status(session, tmp_path, uid)
    assert cancelled[0] > moved[0]
    assert cancelled[1] == "CANCELLED"


def test_publish_keeps_cancelled_sessions_with_status_cancelled(session: Session, world: World, tmp_path: Path) -> None:
    calendar = Calendar.from_ical(export_text(session, tmp_path))
    assert calendar["METHOD"] == "PUBLISH"
    statuses = {str(event["UID"]): str(event["STATUS"]) for event in calendar.walk("VEVENT")}
    assert statuses[world.cancelled.uid] == "CANCELLED"
    assert not (tmp_path / "sessions-cancel.ics").exists()


def test_request_invites_trainers_and_cancels_in_a_second_file(session: Session, world: World, tmp_path: Path) -> None:
    text = export_text(session, tmp_path, method=IcsMethod.request)
    strict_check(text)
    parse_independently(text)
    calendar = Calendar.from_ical(text)
    assert calendar["METHOD"] == "REQUEST"
    events = {str(event["UID"]): event for event in calendar.walk("VEVENT")}
    assert set(events) == {world.confirmed.uid, world.planned.uid}
    confirmed = events[world.confirmed.uid]
    assert str(confirmed["ORGANIZER"]) == "mailto:training@example.com"
    attendees = confirmed.get("ATTENDEE")
    attendees = attendees if isinstance(attendees, list) else [attendees]
    # The assistant has no e-mail address: skipped, no crash.
    assert [str(attendee) for attendee in attendees] == ["mailto:e001@example.com"]
    params = attendees[0].params
    assert (params["CN"], params["ROLE"], params["PARTSTAT"], params["RSVP"]) == (
        "陈立峰",
        "REQ-PARTICIPANT",
        "NEEDS-ACTION",
        "TRUE",
    )

    cancel_text = (tmp_path / "sessions-cancel.ics").read_bytes().decode("utf-8")
    strict_check(cancel_text)
    parse_independently(cancel_text)
    cancel = Calendar.from_ical(cancel_text)
    assert cancel["METHOD"] == "CANCEL"
    (cancelled,) = cancel.walk("VEVENT")
    assert str(cancelled["UID"]) == world.cancelled.uid
    assert cancelled["STATUS"] == "CANCELLED"
    assert int(cancelled["SEQUENCE"]) == world.cancelled.sequence >= 1


def test_request_for_only_cancelled_sessions_is_one_cancel_file(session: Session, world: World, tmp_path: Path) -> None:
    text = export_text(session, tmp_path, Selection(trainer_code="E002"), IcsMethod.request)
    # E002 teaches the confirmed and the cancelled session; cancel the confirmed one too.
    assert Calendar.from_ical(text)["METHOD"] == "REQUEST"
    set_status(session, world.confirmed, "cancelled")
    session.commit()
    (tmp_path / "sessions-cancel.ics").unlink()
    text = export_text(session, tmp_path, Selection(trainer_code="E002"), IcsMethod.request)
    strict_check(text)
    calendar = Calendar.from_ical(text)
    assert calendar["METHOD"] == "CANCEL"
    assert len(calendar.walk("VEVENT")) == 2
    assert not (tmp_path / "sessions-cancel.ics").exists()


def test_later_days_with_other_hours_keep_their_own_start(session: Session, world: World, tmp_path: Path) -> None:
    last = session.exec(
        select(SessionDay).where(SessionDay.session_id == world.confirmed.id, SessionDay.day == DAYS[-1])
    ).one()
    last.start_time, last.end_time = dt.time(13, 30), dt.time(17, 0)
    session.add(last)
    session.commit()
    text = export_text(session, tmp_path, Selection(project_code="P2026-HZ-SHW"))
    strict_check(text)
    event = Calendar.from_ical(text).walk("VEVENT")[0]
    assert [start for start, _end in event.rdates][-1] == dt.datetime(2026, 11, 30, 13, 30, tzinfo=SHANGHAI)
    assert "2026-11-30 13:30–17:00" in str(event["DESCRIPTION"])


def test_trainer_selection_and_empty_calendar(session: Session, world: World, tmp_path: Path) -> None:
    text = export_text(session, tmp_path, Selection(trainer_code="E001"))
    uids = [str(event["UID"]) for event in Calendar.from_ical(text).walk("VEVENT")]
    assert uids == [world.confirmed.uid, world.planned.uid]
    session.add(Person(code="E009", kind="trainer", name="刘建华", organisation_id=world.lead.organisation_id))
    session.commit()
    empty = export_text(session, tmp_path, Selection(trainer_code="E009"))
    strict_check(empty)
    parse_independently(empty)
    assert "BEGIN:VTIMEZONE" in empty  # a calendar needs one component


def test_unknown_codes_write_nothing(session: Session, world: World, tmp_path: Path) -> None:
    folder = tmp_path / "out"
    folder.mkdir()
    output = folder / "kept.ics"
    output.write_text("old", encoding="utf-8")
    with pytest.raises(NotFoundError, match="NOPE"):
        export_ics(session, selection=Selection(trainer_code="NOPE"), output=output)
    with pytest.raises(NotFoundError, match="P-NONE"):
        export_ics(session, selection=Selection(project_code="P-NONE"), output=output, method=IcsMethod.request)
    assert output.read_text(encoding="utf-8") == "old"
    assert [path.name for path in folder.iterdir()] == ["kept.ics"]  # no temporary file left behind
    with pytest.raises(LmsError, match="folder does not exist"):
        export_ics(session, selection=Selection(), output=tmp_path / "missing" / "x.ics")


# --- the command line -------------------------------------------------------------------------------------------


def test_cli_export_unknown_trainer_or_project_exits_1_without_a_file(cli, world: World, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    for option, code in (("--trainer", "NOPE"), ("--project", "P-NONE")):
        output = tmp_path / "out.ics"
        result = cli("schedule", "export-ics", option, code, "-o", str(output))
        assert result.code == 1
        assert len(result.err.strip().splitlines()) == 1
        assert code in result.err
        assert not output.exists()
    assert not [path for path in tmp_path.iterdir() if path.name.startswith(".out.ics")]


def test_cli_export_needs_exactly_one_selector(cli, world: World, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    for args in ((), ("--all", "--trainer", "E001")):
        result = cli("schedule", "export-ics", *args, "-o", str(tmp_path / "x.ics"))
        assert result.code == 1
        assert len(result.err.strip().splitlines()) == 1
        assert not (tmp_path / "x.ics").exists()


def test_cli_export_request_says_where_the_cancellations_went(cli, world: World, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    output = tmp_path / "plan.ics"
    result = cli("schedule", "export-ics", "--all", "--method", "request", "-o", str(output))
    assert result.code == 0, result.err
    assert "plan-cancel.ics" in result.out
    assert "METHOD:CANCEL" in result.out
    assert "S-CANC1" not in output.read_bytes().decode("utf-8")
    assert "S-CANC1" in (tmp_path / "plan-cancel.ics").read_bytes().decode("utf-8")


def test_cli_export_of_the_demo_database(cli, demo_database: str, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    output = tmp_path / "demo.ics"
    result = cli("schedule", "export-ics", "--all", "-o", str(output), db=demo_database)
    assert result.code == 0, result.err
    text = output.read_bytes().decode("utf-8")
    strict_check(text)
    parse_independently(text)
    assert text.count("BEGIN:VEVENT") >= 5
    request = tmp_path / "e001.ics"
    result = cli(
        "schedule", "export-ics", "--trainer", "E001", "--method", "request", "-o", str(request), db=demo_database
    )
    assert result.code == 0, result.err
    strict_check(request.read_bytes().decode("utf-8"))


WEEKLY = """BEGIN:VCALENDAR
VERSION:2.0
PRODID:-//Example//Trainer calendar//ZH
BEGIN:VEVENT
UID:weekly-meeting@example.com
DTSTAMP:20261001T000000Z
DTSTART;TZID=Asia/Shanghai:20261102T140000
DTEND;TZID=Asia/Shanghai:20261102T160000
RRULE:FREQ=WEEKLY;COUNT=6
EXDATE;TZID=Asia/Shanghai:20261116T140000
SUMMARY:部门周会 Weekly meeting
END:VEVENT
BEGIN:VEVENT
UID:weekly-meeting@example.com
RECURRENCE-ID;TZID=Asia/Shanghai:20261123T140000
DTSTAMP:20261001T000000Z
DTSTART;TZID=Asia/Shanghai:20261124T100000
DTEND;TZID=Asia/Shanghai:20261124T120000
SUMMARY:部门周会（改期）
END:VEVENT
BEGIN:VEVENT
UID:leave@example.com
DTSTAMP:20261001T000000Z
DTSTART;VALUE=DATE:20261201
DTEND;VALUE=DATE:20261203
SUMMARY:年假
END:VEVENT
BEGIN:VEVENT
UID:free@example.com
DTSTAMP:20261001T000000Z
DTSTART;TZID=Asia/Shanghai:20261105T090000
DTEND;TZID=Asia/Shanghai:20261105T100000
TRANSP:TRANSPARENT
SUMMARY:可选讲座 (free)
END:VEVENT
END:VCALENDAR
"""


def busy_rows(engine: Engine, code: str) -> list[TrainerBusy]:
    with Session(engine) as fresh:
        person = fresh.exec(select(Person).where(Person.code == code)).one()
        return list(
            fresh.exec(
                select(TrainerBusy).where(TrainerBusy.person_id == person.id).order_by(col(TrainerBusy.starts_at))
            )
        )


def test_cli_import_busy_expands_recurring_events_and_reimport_replaces(  # type: ignore[no-untyped-def]
    cli, world: World, engine: Engine, tmp_path: Path
) -> None:
    calendar = tmp_path / "chen.ics"
    calendar.write_text(WEEKLY, encoding="utf-8")
    args = ("schedule", "import-busy", str(calendar), "--trainer", "E001", "--from", "2026-11-01", "--to", "2026-12-31")
    result = cli(*args)
    assert result.code == 0, result.err
    rows = busy_rows(engine, "E001")
    # 6 weekly meetings - 1 EXDATE (one of the other 5 moved to Tuesday) + 1 leave (2 days); the free event is not busy.
    assert len(rows) == 6
    starts = [row.starts_at.astimezone(SHANGHAI) for row in rows]
    assert dt.datetime(2026, 11, 16, 14, 0, tzinfo=SHANGHAI) not in starts
    assert dt.datetime(2026, 11, 24, 10, 0, tzinfo=SHANGHAI) in starts
    leave = next(row for row in rows if row.summary == "年假")
    assert leave.starts_at.astimezone(SHANGHAI) == dt.datetime(2026, 12, 1, tzinfo=SHANGHAI)
    assert leave.ends_at.astimezone(SHANGHAI) == dt.datetime(2026, 12, 3, tzinfo=SHANGHAI)
    assert all(row.source == str(calendar.resolve()) for row in rows)

    again = cli(*args)
    assert again.code == 0, again.err
    assert len(busy_rows(engine, "E001")) == 6
    assert busy_rows(engine, "E002") == []


def test_cli_import_busy_refuses_a_file_that_is_not_icalendar(  # type: ignore[no-untyped-def]
    cli, world: World, engine: Engine, tmp_path: Path
) -> None:
    good = tmp_path / "chen.ics"
    good.write_text(WEEKLY, encoding="utf-8")
    assert (
        cli(
            "schedule", "import-busy", str(good), "--trainer", "E001", "--from", "2026-11-01", "--to", "2026-12-31"
        ).code
        == 0
    )
    before = len(busy_rows(engine, "E001"))
    bad_files = {
        "notes.ics": "会议纪要\n下周一开会\n".encode(),
        "gbk.ics": "BEGIN:VCALENDAR\nSUMMARY:培训\nEND:VCALENDAR\n".encode("gbk"),
        "broken.ics": b"BEGIN:VCALENDAR\nBEGIN:VEVENT\nUID:x\nDTSTART:garbage\nEND:VEVENT\nEND:VCALENDAR\n",
        "missing.ics": None,
    }
    for name, content in bad_files.items():
        path = tmp_path / name
        if content is not None:
            path.write_bytes(content)
        result = cli("schedule", "import-busy", str(path), "--trainer", "E001")
        assert result.code == 1, name
        assert len(result.err.strip().splitlines()) == 1, result.err
        assert name in result.err
    assert "notes.ics:1:" in cli("schedule", "import-busy", str(tmp_path / "notes.ics"), "--trainer", "E001").err
    assert "broken.ics:4:" in cli("schedule", "import-busy", str(tmp_path / "broken.ics"), "--trainer", "E001").err
    # Replacing the good file's source by a bad file's content changes nothing either.
    good.write_bytes(bad_files["notes.ics"] or b"")
    assert cli("schedule", "import-busy", str(good), "--trainer", "E001").code == 1
    assert len(busy_rows(engine, "E001")) == before
    unknown = cli("schedule", "import-busy", str(tmp_path / "gbk.ics"), "--trainer", "NOPE")
    assert unknown.code == 1 and "NOPE" in unknown.err


def test_import_busy_default_range_and_own_sessions(session: Session, world: World, tmp_path: Path) -> None:
    # Our own export, put into the trainer's calendar, is not "busy elsewhere".
    ours = tmp_path / "ours.ics"
    export_ics(session, selection=Selection(trainer_code="E001"), output=ours)
    result = import_busy(session, path=ours, trainer_code="E001", today=dt.date(2026, 11, 20))
    assert result.added == 0 and result.skipped_own_sessions == 2

    today = dt.date(2026, 6, 1)
    old = today - dt.timedelta(days=40)
    recent = today - dt.timedelta(days=10)
    far = today + dt.timedelta(days=420)
    events = "".join(
        f"BEGIN:VEVENT\r\nUID:{uid}\r\nDTSTAMP:20260101T000000Z\r\nDTSTART:{day:%Y%m%d}T010000Z\r\n"
        f"DTEND:{day:%Y%m%d}T020000Z\r\nSUMMARY:{uid}\r\nEND:VEVENT\r\n"
        for uid, day in (("old", old), ("recent", recent), ("far", far))
    )
    path = tmp_path / "range.ics"
    path.write_text(f"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//t//t//EN\r\n{events}END:VCALENDAR\r\n", "utf-8")
    result = import_busy(session, path=path, trainer_code="E001", today=today)
    assert (result.first, result.last) == (today - dt.timedelta(days=30), today + dt.timedelta(days=400))
    assert result.added == 1
    summaries = session.exec(select(TrainerBusy.summary).where(TrainerBusy.source == str(path.resolve()))).all()
    assert summaries == ["recent"]
    count = session.exec(select(func.count()).select_from(TrainerBusy)).one()
    assert count == 1


def test_import_busy_range_check(session: Session, world: World, tmp_path: Path) -> None:
    path = tmp_path / "x.ics"
    path.write_text(WEEKLY, encoding="utf-8")
    with pytest.raises(LmsError, match="before"):
        import_busy(session, path=path, trainer_code="E001", first=dt.date(2026, 12, 1), last=dt.date(2026, 11, 1))


def test_strict_checks_catch_what_the_parsers_let_through(session: Session, world: World, tmp_path: Path) -> None:
    text = export_text(session, tmp_path)
    without_timezone = re.sub(r"BEGIN:VTIMEZONE\r\n.*?END:VTIMEZONE\r\n", "", text, flags=re.DOTALL)
    without_stamp = re.sub(r"DTSTAMP:[^\r]*\r\n", "", text)
    for broken in (without_timezone, without_stamp):
        parse_independently(broken)  # both parsers accept it ...
        with pytest.raises(AssertionError):
            strict_check(broken)  # ... our checks do not
