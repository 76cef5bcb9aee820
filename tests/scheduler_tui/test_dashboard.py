"""The TUI opens on the demo data, loads in a worker, and switches language with a key."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from lms.db import make_engine
from lms.i18n import current_language, set_language, translations
from scheduler_tui.app import make_app
from tests.conftest import DEMO_TODAY


async def loaded(app: Any, pilot: Any) -> None:
    await app.workers.wait_for_complete()
    await pilot.pause()


async def test_dashboard_shows_obligations_sessions_and_conflicts(demo_database: str, pm: Any) -> None:
    app = make_app(engine=make_engine(demo_database), pm=pm, today=DEMO_TODAY)
    async with app.run_test(size=(120, 36)) as pilot:
        await loaded(app, pilot)
        obligations = app.screen.query_one("#obligations")
        first = obligations.get_row_at(0)
        assert str(first[0]).strip() == "overdue"  # most urgent first
        projects = {str(obligations.get_row_at(i)[1]) for i in range(obligations.row_count)}
        assert {"P2026-NJ-REC", "P2026-NJ-REC2", "P2026-SZ-SEC2"} <= projects
        assert app.screen.query_one("#sessions").row_count >= 3
        conflicts = app.screen.query_one("#conflicts")
        assert any("double-booked" in str(conflicts.get_row_at(i)[1]) for i in range(conflicts.row_count))
        status = str(app.screen.query_one("#status").render())
        assert f"conflicts: {conflicts.row_count}" in status  # a label and its count: never "1 conflicts"
        assert not re.search(r"\b1 (conflicts|sessions|obligations)\b", status)


async def test_language_key_switches_between_chinese_and_english(demo_database: str, pm: Any) -> None:
    set_language("zh")
    app = make_app(engine=make_engine(demo_database), pm=pm, today=DEMO_TODAY)
    async with app.run_test(size=(120, 36)) as pilot:
        await loaded(app, pilot)
        assert current_language() == "zh"
        # Compared with the catalog, not a literal: the words come from it at call time, whatever it holds today.
        assert str(app.screen.query_one("#obligations").get_row_at(0)[0]).strip() == translations("zh").gettext(
            "overdue"
        )
        assert app.title == translations("zh").gettext("Training and certification") != "Training and certification"
        await pilot.press("g")
        await loaded(app, pilot)
        assert current_language() == "en"
        assert app.title == "Training and certification"
        assert str(app.screen.query_one("#obligations").get_row_at(0)[0]).strip() == "overdue"


async def test_long_work_shows_one_line_in_the_app(demo_database: str, pm: Any) -> None:
    from lms.maintenance.progress import report

    app = make_app(engine=make_engine(demo_database), pm=pm, today=DEMO_TODAY)
    async with app.run_test(size=(120, 36)) as pilot:
        await loaded(app, pilot)
        for done in range(4):  # as the first font build reports it; only the first step shows
            report("Preparing the fonts", done, 3)
        await pilot.pause()
        shown = [note.message for note in app._notifications]
        assert shown.count("Preparing the fonts") == 1


async def test_upcoming_sessions_keep_every_column_readable_at_120_columns(demo_copy: Any, pm: Any, cli: Any) -> None:
    """A session into a year without its holiday notice is marked provisional; in Chinese and in English the
    mark stays short (its meaning in the panel's title) and the trainers' column keeps its names."""
    url = demo_copy.url.render_as_string(hide_password=False)
    made = cli("sessions", "new", "--project", "P2026-NJ-REC2", "--obligation", "OB-1", "--start", "2026-12-31",
               "--days", "2", "--trainer", "E001", db=url)  # fmt: skip
    assert made.code == 0, made.err
    set_language("zh")
    app = make_app(engine=demo_copy, pm=pm, today=DEMO_TODAY)
    async with app.run_test(size=(120, 36)) as pilot:
        for language, mark in (("zh", "日历为暂定"), ("en", "provisional calendar")):
            await loaded(app, pilot)
            assert current_language() == language
            table = app.screen.query_one("#sessions")
            shown = sum(column.get_render_width(table) for column in table.columns.values())
            assert shown <= table.scrollable_content_region.width, (language, shown)
            row = next(i for i, row in enumerate(app.screen.sessions) if row["first_day"] == dt.date(2026, 12, 31))
            provisional = str(table.get_row_at(row)[3])
            assert provisional.endswith("*") and mark not in provisional
            assert mark in str(app.screen.query_one("#upcoming-pane .section-title").render())
            trainers = [str(table.get_row_at(i)[4]) for i in range(table.row_count)]
            assert all(len(name) >= 3 for name in trainers), trainers
            await pilot.press("g")
