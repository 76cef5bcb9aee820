"""The State Council's holiday notice: read as published, checked, stored; the provisional year before it."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest
from sqlmodel import Session

from lms.calendars.notices import parse_notice
from lms.calendars.official import statutory_holidays
from lms.calendars.workdays import ChinaCalendar
from lms.config import CalendarConfig, OfficialYear
from lms.errors import LmsError
from lms.hookspecs import hookimpl
from tests.lms.test_conflicts import make, setup

D = dt.date
NOTICES = Path(__file__).parent / "data" / "notices"


@pytest.fixture(autouse=True)
def december_2026(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LMS_TODAY", "2026-12-07")


def every_day(year: int) -> list[dt.date]:
    return [D(year, 1, 1) + dt.timedelta(days=n) for n in range((D(year + 1, 1, 1) - D(year, 1, 1)).days)]


@pytest.mark.parametrize("year", [2024, 2025, 2026])
def test_published_notices_give_exactly_the_verified_calendar(cli, year: int) -> None:  # type: ignore[no-untyped-def]
    result = cli("calendar", "import-notice", str(NOTICES / f"{year}.txt"), "--dry-run", "--format", "json")
    assert result.code == 0, result.err
    printed = json.loads(result.out)
    assert set(printed) == {"year", "days_off", "working_days"} and printed["year"] == year
    assert printed["days_off"] == sorted(printed["days_off"])
    verified = ChinaCalendar().schedule(year)  # the holidays package's 调休 data, checked day by day elsewhere
    assert printed["working_days"] == [day.isoformat() for day in sorted(verified.working_days)]
    weekdays_off = {day for day in map(D.fromisoformat, printed["days_off"]) if day.weekday() < 5}
    assert weekdays_off == {day for day in verified.days_off if day.weekday() < 5}
    from_notice = ChinaCalendar(notices={year: parse_notice((NOTICES / f"{year}.txt").read_text()).schedule})
    assert [from_notice.is_working_day(day) for day in every_day(year)] == [
        ChinaCalendar().is_working_day(day) for day in every_day(year)
    ]


@pytest.mark.parametrize("year", ["2024", "2025", "2026", "2027-made-up"])
def test_a_notice_pasted_as_one_paragraph_reads_the_same(year: str) -> None:
    text = (NOTICES / f"{year}.txt").read_text()
    assert parse_notice(text.replace("\n", "")).schedule == parse_notice(text).schedule


def test_encouraged_days_change_nothing() -> None:
    schedule = parse_notice((NOTICES / "2024.txt").read_text()).schedule
    assert D(2024, 2, 9) not in schedule.days_off  # 「鼓励…安排职工在除夕（2月9日）休息」


def edited(year: int, old: str, new: str) -> str:
    text = (NOTICES / f"{year}.txt").read_text()
    assert old in text
    return text.replace(old, new)


@pytest.mark.parametrize(
    ("text", "says"),
    [
        (edited(2026, "2月14日（周六）、", "2月14日（周日）、"), "「二、春节」: 2026-02-14 is a Saturday, not 周日"),
        (edited(2026, "2月28日（周六）上班", "2月23日（周一）上班"), "「二、春节」: 2026-02-23 is listed both"),
        (
            edited(2026, "共7天。9月20日", "共7天。2027年1月4日（周一）、9月20日"),
            "「七、国庆节」: 2027-01-04 is not in 2026",
        ),
        (edited(2026, "9月25日（周五）至27日", "9月25日（周五）至2x7日"), "「六、中秋节」: cannot read"),
        (edited(2026, "七、国庆节：", "（国庆节另行通知）"), "National Day (2026-10-01) is not a day off"),
        (edited(2026, "共9天", "共8天"), "「二、春节」: the item says 8 days but lists 9"),
        (edited(2025, "1月1日（周三）放假1天", "1月1日放假2天"), "「一、元旦」: the item says 2 days"),
        ("一、元旦：1月1日放假。", "does not say which year"),
        ("国务院办公厅关于2027年部分节假日安排的通知\n元旦放假。", "no numbered items"),
    ],
    ids=["weekday", "both", "other year", "unreadable", "partial", "count", "one day", "no year", "no items"],
)
def test_bad_notices_are_refused_naming_the_item(cli, text: str, says: str, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "notice.txt"
    path.write_text(text, encoding="utf-8")
    result = cli("calendar", "import-notice", str(path), "--dry-run")
    assert result.code == 1
    assert says in result.err and len(result.err.strip().splitlines()) == 1, result.err


def test_a_huge_file_is_refused_before_it_is_read(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "notice.txt"
    path.write_bytes(b"x" * 2_000_000)
    result = cli("calendar", "import-notice", str(path))
    assert result.code == 1 and "over the 1 MB limit for holiday notices" in result.err


@pytest.mark.parametrize(
    ("official", "says"),
    [
        (OfficialYear(holidays=[D(2027, 2, 5), D(2027, 2, 6)]), "New Year's Day (2027-01-01) is not a day off"),
        (OfficialYear(holidays=[*statutory_holidays(2027), D(2028, 1, 3)]), "2028-01-03 is not in 2027"),
        (OfficialYear(holidays=list(statutory_holidays(2027)), working_days=[D(2027, 10, 1)]), "both"),
    ],
)
def test_a_partial_or_wrong_year_in_the_configuration_is_refused(official: OfficialYear, says: str) -> None:
    with pytest.raises(LmsError, match="calendar.official.2027") as caught:
        ChinaCalendar(CalendarConfig(official={2027: official}))
    assert says in str(caught.value)


def test_a_provisional_year_has_the_statutory_days_on_their_real_dates(cli) -> None:  # type: ignore[no-untyped-def]
    calendar = ChinaCalendar(provisional_through=2027)
    assert calendar.provisional_years() == [2027]
    for day in (D(2027, 1, 1), D(2027, 2, 5), D(2027, 2, 8), D(2027, 4, 5), D(2027, 6, 9), D(2027, 10, 1)):
        assert not calendar.is_working_day(day), day
    for day in (D(2027, 2, 9), D(2027, 2, 10), D(2027, 5, 3), D(2027, 5, 4), D(2027, 10, 4), D(2027, 10, 5)):
        assert calendar.is_working_day(day), day  # the holidays package's own bridging guesses are not taken
    assert cli("calendar", "workdays", "2026-12-31", "2").out.strip() == "2027-01-05"
    assert cli("calendar", "workdays", "2027-09-30", "1").out.strip() == "2027-10-04"
    outside = cli("calendar", "workdays", "2031-03-01", "1")
    assert outside.code == 1 and "2031-03-01 is outside" in outside.err


def test_doctor_warns_about_a_provisional_year_and_passes(cli) -> None:  # type: ignore[no-untyped-def]
    result = cli("doctor", "--format", "json")
    calendar = next(
        check for check in json.loads(result.out) if check["name"] in ("working-day calendar", "工作日日历")
    )
    assert calendar["ok"] and calendar["warning"] and "2027" in calendar["detail"]


def test_importing_2027_lists_the_session_on_a_new_day_off_and_the_window_that_moved(
    cli, session: Session, pm: Any, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    things = setup(session, pm)
    on_new_day_off = make(session, things, [D(2027, 2, 9), D(2027, 2, 10)], "alice")
    make(session, things, [D(2027, 3, 9)], "alice")
    session.commit()
    assert cli("projects", "import", str(Path(__file__).parents[2] / "examples" / "projects.yaml")).code == 0
    assert cli("projects", "set-date", "P2026-WX-SHW", "acceptance", "2027-02-04", "--planned").code == 0
    before = json.loads(cli("schedule", "conflicts", "--as-of", "2026-12-07", "--format", "json").out)
    assert {row["kind"] for row in before if row["sessions"] == [on_new_day_off.code]} == {"provisional_calendar"}
    status = cli("obligations", "status", "--project", "P2026-WX-SHW", "--as-of", "2026-12-07")
    assert "provisional calendar" in status.out
    ics = tmp_path / "all.ics"
    assert cli("schedule", "export-ics", "--all", "-o", str(ics)).code == 0
    assert ics.read_text(encoding="utf-8").count("日历为暂定") == 2  # both 2027 sessions

    monkeypatch.setenv("LMS_ROLE", "trainer")
    refused = cli("calendar", "import-notice", str(NOTICES / "2027-made-up.txt"))
    assert refused.code == 1 and "administer" in refused.err
    monkeypatch.setenv("LMS_ROLE", "admin")
    result = cli("calendar", "import-notice", str(NOTICES / "2027-made-up.txt"), "--format", "json")
    assert result.code == 0, result.err
    imported = json.loads(result.out)
    assert imported["stored"] and imported["year"] == 2027
    assert [(found["code"], found["days"]) for found in imported["sessions_on_days_off"]] == [
        (on_new_day_off.code, ["2027-02-09", "2027-02-10"])
    ]
    moved = {(m["obligation"], tuple(m["before"]), tuple(m["after"])) for m in imported["moved_windows"]}
    assert any(before[1] == "2027-02-10" and after[1] == "2027-02-16" for _code, before, after in moved), moved

    after = json.loads(cli("schedule", "conflicts", "--as-of", "2026-12-07", "--format", "json").out)
    assert {row["kind"] for row in after if row["sessions"] == [on_new_day_off.code]} == {"non_working_day"}
    assert cli("calendar", "workdays", "2027-02-04", "1").out.strip() == "2027-02-15"
    assert "provisional" not in cli("doctor").out
    assert cli("schedule", "export-ics", "--all", "-o", str(ics)).code == 0
    assert "日历为暂定" not in ics.read_text(encoding="utf-8")


class Ruritania:
    """A tiny country calendar from a plugin: weekends off, its own holiday, provisional after its data ends."""

    code = "RU"

    def __init__(self, notices: dict[int, Any], through: int) -> None:
        self.notices, self.through = notices, through

    def covered_years(self) -> list[int]:
        return list(range(2026, self.through + 1))

    def provisional_years(self) -> list[int]:
        return [year for year in self.covered_years() if year > 2026 and year not in self.notices]

    def is_working_day(self, day: dt.date) -> bool:
        notice = self.notices.get(day.year)
        if notice is not None and day in notice.days_off:
            return False
        return day.weekday() < 5 and (day.month, day.day) != (7, 14)


class RuritaniaPlugin:
    @hookimpl
    def lms_workday_calendars(self, notices: dict[str, Any], provisional_through: int) -> dict[str, Any]:
        return {"RU": Ruritania(notices.get("RU", {}), provisional_through)}


def test_another_country_provides_its_own_calendar_through_the_hook(pm: Any, session: Session) -> None:
    from lms.calendars.workdays import depends_on_provisional, get_calendar, working_days_after

    pm.register(RuritaniaPlugin())
    calendar = get_calendar("RU", pm, session=session)
    assert working_days_after(calendar, D(2027, 7, 13), 1) == D(2027, 7, 15)
    assert depends_on_provisional(calendar, D(2027, 7, 13)) and not depends_on_provisional(calendar, D(2026, 7, 13))
    assert get_calendar("CN", pm, session=session).code == "CN"  # the core's calendar is still there


def test_after_the_notice_schedule_auto_proposes_moving_sessions_off_new_days_off(cli) -> None:  # type: ignore[no-untyped-def]
    assert cli("demo", "--as-of", "2026-11-20").code == 0
    auto = ("schedule", "auto", "--as-of", "2026-12-07", "--solver", "greedy", "--format", "json")
    assert json.loads(cli(*auto, "--apply").out)["created"]  # 2027 periods are placed on the provisional calendar
    imported = json.loads(cli("calendar", "import-notice", str(NOTICES / "2027-made-up.txt"), "--format", "json").out)
    displaced = [found["code"] for found in imported["sessions_on_days_off"]]
    assert displaced
    reasons = [proposal["reason"] for proposal in json.loads(cli(*auto).out)["proposals"]]
    for code in displaced:  # each displaced session is named in a proposal that replaces it, with why
        assert any(code in reason and "which is not a working day" in reason for reason in reasons), reasons


def test_conflicts_speak_of_sessions_in_years_the_calendar_does_not_know(session: Session, pm: Any) -> None:
    from lms.scheduling.conflicts import find_conflicts

    things = setup(session, pm)
    unknown = make(session, things, [D(2031, 3, 3)], "alice")
    estimated = make(session, things, [D(2027, 3, 3)], "alice")
    found = {c.sessions[0]: c for c in find_conflicts(session, ChinaCalendar(provisional_through=2028), D(2026, 12, 7))}
    assert found[unknown.code].kind == "calendar_unknown" and "2031" in found[unknown.code].message
    assert (
        found[estimated.code].kind == "provisional_calendar" and "provisional calendar" in found[estimated.code].message
    )
