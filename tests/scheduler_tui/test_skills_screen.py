"""HR's skills screen: reached with 8, the matrix coloured by status, what lapses soon, a person's record on Enter."""

from __future__ import annotations

from typing import Any

from rich.text import Text

from scheduler_tui.screens.skills import SkillsScreen
from tests.scheduler_tui.conftest import open_screen, screen_text, settle, until


async def test_the_matrix_and_a_persons_record(app: Any) -> None:
    async with app.run_test(size=(120, 36)) as pilot:
        screen = await open_screen(pilot, "8", SkillsScreen)
        await until(pilot, lambda: screen.matrix is not None)
        matrix = screen.table("skill-matrix")
        assert matrix.row_count == 10  # the demo's trainers and engineers
        codes = [str(matrix.get_row_at(row)[0]) for row in range(matrix.row_count)]
        assert codes[:2] == ["E001", "E002"]
        skills = [str(column.label) for column in matrix.columns.values()][2:]
        due = matrix.get_row_at(1)[2 + skills.index("SEC-AC-OPERATE")]
        certified = matrix.get_row_at(1)[2 + skills.index("SHW-OPERATE")]
        missing = matrix.get_row_at(1)[2 + skills.index("LV-SWG-OPER")]
        assert isinstance(due, Text) and due.plain == "L2 2026-12-20" and "yellow" in str(due.style)
        assert isinstance(certified, Text) and "green" in str(certified.style)
        assert isinstance(missing, Text) and str(missing.style) == "dim"
        lapsing = screen.table("expiring")
        # the demo's HR records cover every skill a course grants (持证上岗 needs all of them), one more lapses
        assert lapsing.row_count == 11 and str(lapsing.get_row_at(0)[2]) == "郑明轩"  # E008
        text = screen_text(app)
        assert "王海燕" in text
        skills_lapsing = {str(lapsing.get_row_at(row)[3]).split(" ")[0] for row in range(lapsing.row_count)}
        assert "SEC-AC-OPERATE" in skills_lapsing

        await pilot.press("down", "down", "down", "enter")  # E004: switchgear and servers, the servers due
        await until(pilot, lambda: screen.record is not None)
        assert screen.record is not None and screen.record.code == "E004"
        records = screen.table("person-records")
        assert records.row_count == 6
        states = {str(records.get_row_at(row)[0]): records.get_row_at(row)[4].plain for row in range(6)}
        assert states["SRV-DB-HW"] == "due for renewal" and states["LV-SWG-OPER"] == "certified"
        certificates = screen.table("person-certificates")
        assert sorted(str(certificates.get_row_at(row)[1]) for row in range(2)) == ["LV-SWG v1", "SRV-DB v1"]
        assert "E004 周晓东" in screen_text(app)

        await pilot.press("g")  # the other language keeps the person shown
        await settle(pilot)
        rebuilt = app.screen
        assert isinstance(rebuilt, SkillsScreen) and rebuilt is not screen
        await until(pilot, lambda: rebuilt.record is not None)
        assert rebuilt.record is not None and rebuilt.record.code == "E004"
