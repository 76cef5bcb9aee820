"""Periods, solvers and the demo summary in words: 一次性, 2026年第一季度, 2027年春季, 贪心算法 — codes stay in JSON."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from sqlmodel import Session

from lms.demo.loader import summary, summary_label
from lms.i18n import in_language
from lms.projects.periods import cadence_periods, period_name
from lms.scheduling.auto.types import solver_name, solver_status_label

ROOT = Path(__file__).resolve().parents[2]
TODAY = "2026-12-07"
QUARTERLY = "质保期内每季度开展一次复训，每次不少于1天，参训人员不少于3人。"
SPRING_AUTUMN = "质保期内每年春秋两季各开展一次复训，每次不少于1天，参训人员不少于3人。"
CHINESE = re.compile(r"[\u4e00-\u9fff]")


@pytest.mark.parametrize(
    ("code", "zh", "en"),
    [
        ("once", "一次性", "one-off"),
        ("2026-Q1", "2026年第一季度", "2026 Q1"),
        ("2026-Q4", "2026年第四季度", "2026 Q4"),
        ("2026-H2", "2026年下半年", "2026 second half"),
        ("2027-spring", "2027年春季", "2027 spring"),
        ("2027-autumn", "2027年秋季", "2027 autumn"),
        ("2027-05", "2027年5月", "May 2027"),
        ("Y2", "质保第2年", "year 2 of the warranty"),
        ("odd-code", "odd-code", "odd-code"),
        (None, "", ""),
    ],
)
def test_a_period_code_in_words(code: str | None, zh: str, en: str) -> None:
    with in_language("zh"):
        assert period_name(code) == zh
    with in_language("en"):
        assert period_name(code) == en


def test_every_cadence_names_all_its_periods_in_chinese() -> None:
    import datetime as dt

    for cadence in ("monthly", "quarterly", "semiannual", "spring_autumn", "yearly"):
        for period in cadence_periods(cadence, dt.date(2026, 12, 28), 24):
            with in_language("zh"):
                shown = period_name(period.label)
            assert shown != period.label and CHINESE.search(shown), (cadence, period.label, shown)


def test_solver_names_and_statuses_in_chinese() -> None:
    with in_language("zh"):
        assert (solver_name("greedy"), solver_name("cpsat")) == ("贪心算法", "约束求解")
        assert solver_status_label("OPTIMAL") == "最优解"


def test_the_demo_summary_names_each_count(session: Session) -> None:
    keys = list(summary(session))  # an empty database: the same lines the demo prints
    with in_language("zh"):
        shown = [summary_label(key) for key in keys]
    assert all(CHINESE.search(label) for label in shown), shown


def vendor_with_cadences(cli) -> None:  # type: ignore[no-untyped-def]
    """From an empty database: a buyer, a project accepted on 2026-12-28 and two repeating clauses."""
    library = ROOT / "courses" / "library" / "solar-hot-water.yaml"
    steps = [
        ["init"],
        ["courses", "import", str(library)],
        "orgs add WX-HOSP --kind buyer --name 无锡市第二人民医院 --city 无锡".split(),
        "projects new P-WX --buyer WX-HOSP --name 热水系统 --city 无锡 --warranty-months 24 --acceptance 2026-12-28 "
        "--course SHW-OM".split(),
    ]
    settings = "--set courses=[SHW-OM] --set audience=[operator] --set mode=on_site --set place=buyer_site "
    settings += "--set curricula=[operation] --accept-unknown"
    for clause in (QUARTERLY, SPRING_AUTUMN):
        steps.append(["obligations", "add", "--project", "P-WX", "--clause", clause, *settings.split()])
    for step in steps:
        result = cli(*step)
        assert result.code == 0, (step, result.err)


def test_obligation_status_names_periods_in_words_and_json_keeps_codes(cli, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("LMS_TODAY", TODAY)
    vendor_with_cadences(cli)

    monkeypatch.setenv("LMS_LANG", "zh")
    shown = cli("obligations", "status", "--project", "P-WX").out
    assert "2027年第一季度" in shown and "2027年春季" in shown and "2028年秋季" in shown
    assert "2027-Q1" not in shown and "spring" not in shown

    rows = json.loads(cli("obligations", "status", "--project", "P-WX", "--format", "json").out)
    first_quarter = next(row for row in rows if row["period"] == "2027-Q1")
    assert first_quarter["period_name"] == "2027年第一季度"

    monkeypatch.setenv("LMS_LANG", "en")
    assert "2027 spring" in cli("obligations", "status", "--project", "P-WX").out


def test_auto_schedule_names_periods_and_solvers(cli, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("LMS_TODAY", TODAY)
    vendor_with_cadences(cli)
    monkeypatch.setenv("LMS_LANG", "zh")
    shown = cli("schedule", "auto", "--project", "P-WX", "--solver", "greedy").out
    assert "贪心算法（greedy）" in shown and "（可行解）" in shown
    assert "2026年第四季度" in shown and "2027年秋季" in shown  # no trainer yet: each period is in "not placed"
    assert "2026-Q4" not in shown
