"""The Chinese TUI: Textual's own palette entries and the period labels read in Chinese (from an empty database)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from textual.command import CommandList, CommandPalette

from lms.db import make_engine
from scheduler_tui.app import make_app
from scheduler_tui.screens.projects import ProjectsScreen
from tests.lms.test_period_names import TODAY, vendor_with_cadences
from tests.scheduler_tui.conftest import screen_text, settle, until

TEXTUAL_ENGLISH = (
    "Change the current theme",
    "Quit the application as soon as possible",
    "Show help for the focused widget",
    "Save an SVG 'screenshot'",
    "Search for commands",
)


def palette_lines(app: Any) -> list[str]:
    """Every entry the open command palette lists (the list scrolls; its options hold them all)."""
    options = app.screen.query_one(CommandList).options
    return [str(option.prompt) for option in options]


def notices(app: Any) -> list[str]:
    """The notifications the app has shown (toasts are drawn on their own layer)."""
    return [notification.message for notification in app._notifications]


@pytest.fixture
def vendor_app(cli: Any, db_url: str, pm: Any, monkeypatch: pytest.MonkeyPatch) -> Any:
    monkeypatch.setenv("LMS_TODAY", TODAY)
    vendor_with_cadences(cli)
    monkeypatch.setenv("LMS_LANG", "zh")
    engine = make_engine(db_url)
    yield make_app(engine=engine, pm=pm, today=dt.date.fromisoformat(TODAY))
    engine.dispose()


async def test_textual_palette_entries_are_in_chinese(vendor_app: Any) -> None:
    async with vendor_app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        titles = {command.title for command in vendor_app.get_system_commands(vendor_app.screen)}
        assert {"配色主题", "退出", "按键帮助", "截图"} <= titles
        assert not titles & {"Theme", "Quit", "Keys", "Screenshot", "Maximize", "Minimize"}

        await pilot.press("ctrl+p")
        await until(pilot, lambda: isinstance(vendor_app.screen, CommandPalette) and palette_lines(vendor_app))
        assert "搜索命令…" in screen_text(vendor_app)
        shown = "\n".join(palette_lines(vendor_app))
        assert "配色主题" in shown and "更换界面配色主题" in shown and "退出应用程序" in shown
        assert "截图" in shown and "将当前屏幕保存为图片（SVG）" in shown and "按键帮助" in shown
        for english in TEXTUAL_ENGLISH:
            assert english not in shown, english
        await pilot.press("escape")
        await settle(pilot)
        assert "命令面板" in screen_text(vendor_app)  # the footer's ctrl+p label


async def test_palette_follows_a_language_switch(vendor_app: Any) -> None:
    async with vendor_app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        vendor_app.action_toggle_language()
        await settle(pilot)
        titles = {command.title for command in vendor_app.get_system_commands(vendor_app.screen)}
        assert {"Theme", "Quit", "Keys", "Screenshot"} <= titles


async def test_periods_read_in_chinese_on_dashboard_and_projects(vendor_app: Any) -> None:
    async with vendor_app.run_test(size=(120, 36)) as pilot:
        await until(pilot, lambda: "2026年第四季度" in screen_text(vendor_app))
        assert "2026-Q4" not in screen_text(vendor_app)
        await pilot.press("2")
        await until(pilot, lambda: isinstance(vendor_app.screen, ProjectsScreen) and vendor_app.screen.detail)
        table = vendor_app.screen.table("periods")
        shown = {str(table.get_row_at(row)[2]) for row in range(table.row_count)}
        assert {"2026年第四季度", "2027年第一季度", "2027年春季", "2028年秋季"} <= shown
        assert not any("-Q" in cell or "spring" in cell for cell in shown)


async def test_ctrl_c_and_the_screenshot_answer_in_chinese(
    vendor_app: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HOME", str(tmp_path))  # Textual saves the screenshot in the user's downloads folder
    monkeypatch.delenv("XDG_DOWNLOAD_DIR", raising=False)
    (tmp_path / "Downloads").mkdir()
    async with vendor_app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+c")
        await until(pilot, lambda: notices(vendor_app))
        assert notices(vendor_app) == ["按 ^q 退出"]
        [screenshot] = [c for c in vendor_app.get_system_commands(vendor_app.screen) if c.title == "截图"]
        screenshot.callback()
        await until(pilot, lambda: len(notices(vendor_app)) == 2)
        assert notices(vendor_app)[1].startswith("截图已保存：")
    assert list((tmp_path / "Downloads").glob("lms-*.svg"))


async def test_a_long_footer_keeps_the_command_palette_key_whole(app: Any) -> None:
    """The roster screen's keys overflow 120 columns; they stop before the palette key instead of running under it
    and cutting its Chinese characters in half (「命令  板」)."""
    from lms.i18n import set_language, translations

    set_language("zh")
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        await pilot.press("6")
        await settle(pilot)
        footer = screen_text(app).splitlines()[-1]
        palette = translations("zh").gettext("palette")
        assert footer.rstrip().endswith("^p " + palette), footer
        assert "i 导入名单" in footer
