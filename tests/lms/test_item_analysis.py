"""Item analysis matches Moodle's definitions, checked against textbook formulas computed independently here."""

from __future__ import annotations

import datetime as dt
import json
import math
import statistics
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session

from lms.assessment.item_analysis import analyse
from lms.assessment.statistics import pick_attempts
from tests.lms.quiz_fixtures import quiz_world

# Five attempts at a fixed paper of three questions worth 1, 2 and 1 points.
MARKS = [[1, 2, 0], [1, 1, 1], [0, 0, 0], [1, 2, 1], [0, 1, 1]]
MAX = [1.0, 2.0, 1.0]


def test_item_figures_are_moodles() -> None:
    stats = analyse(np.array(MARKS, dtype=float), np.array(MAX), ["all"] * 3, ["q1", "q2", "q3"], ["single"] * 3)
    totals = [sum(row) for row in MARKS]
    for j, item in enumerate(stats.items):
        marks = [row[j] for row in MARKS]
        rest = [t - m for t, m in zip(totals, marks, strict=True)]
        assert item.attempts == 5
        assert item.facility == pytest.approx(100 * statistics.mean(marks) / MAX[j], abs=0.01)
        assert item.sd == pytest.approx(100 * statistics.stdev(marks) / MAX[j], abs=0.01)
        assert item.discrimination_index == pytest.approx(100 * statistics.correlation(marks, rest), abs=0.01)
        best = statistics.covariance(sorted(marks), sorted(rest))
        assert item.discriminative_efficiency == pytest.approx(
            100 * statistics.covariance(marks, rest) / best, abs=0.01
        )
        assert item.intended_weight == pytest.approx(100 * MAX[j] / 4, abs=0.01)


def test_quiz_figures_are_cronbachs_alpha_and_its_error() -> None:
    stats = analyse(np.array(MARKS, dtype=float), np.array(MAX), ["all"] * 3, ["q1", "q2", "q3"], ["single"] * 3)
    totals = [sum(row) for row in MARKS]
    items = sum(statistics.variance([row[j] for row in MARKS]) for j in range(3))
    alpha = 1.5 * (1 - items / statistics.variance(totals))
    percent = [100 * t / 4 for t in totals]
    assert stats.mean == pytest.approx(statistics.mean(percent), abs=0.01)
    assert stats.median == statistics.median(percent)
    assert stats.sd == pytest.approx(statistics.stdev(percent), abs=0.01)
    assert stats.cic == pytest.approx(100 * alpha, abs=0.01)
    assert stats.error_ratio == pytest.approx(100 * math.sqrt(1 - alpha), abs=0.01)
    assert stats.standard_error == pytest.approx(math.sqrt(1 - alpha) * statistics.stdev(percent), abs=0.01)
    assert stats.questions == 3


def test_random_draws_count_each_question_over_the_papers_that_held_it() -> None:
    rng = np.random.default_rng(1)
    marks = np.full((200, 6), np.nan)
    for row in range(200):
        for group in (0, 3):  # two draws of two questions from pools of three
            for column in rng.choice([group, group + 1, group + 2], size=2, replace=False):
                marks[row, column] = float(rng.random() < 0.7)
    stats = analyse(marks, np.ones(6), ["a", "a", "a", "b", "b", "b"], list("uvwxyz"), ["truefalse"] * 6)
    assert stats.questions == 4
    assert sum(item.attempts for item in stats.items) == 800
    assert all(item.facility is not None and 50 < item.facility < 90 for item in stats.items)
    assert stats.cic is not None and stats.error_ratio is not None


def test_attempts_used_follow_the_grading_method() -> None:
    rows = [(1, 7, 1, 1, 40.0), (2, 7, 1, 2, 70.0), (3, 8, 1, 1, 90.0), (4, 7, 1, 3, 50.0)]
    assert pick_attempts(rows, "first") == [1, 3]
    assert pick_attempts(rows, "last") == [3, 4]
    assert pick_attempts(rows, "highest") == [2, 3]
    assert pick_attempts(rows, "all") == [1, 2, 3, 4]


def test_stats_command_reports_json(qcli: Any, engine: Engine, pm: Any, tmp_path: Path) -> None:
    from tests.lms.test_quiz_reexams import sit

    with Session(engine, expire_on_commit=False) as session:
        world = quiz_world(session, pm, tmp_path)
        for person, right in zip(world["people"], (True, False, True), strict=True):
            sit(session, world | {"people": [person]}, pm, right=right, now=dt.datetime(2026, 11, 18, 2, tzinfo=dt.UTC))
        session.commit()
    shown = qcli("quiz", "stats", "--course", "QZ-1", "--format", "json")
    report = json.loads(shown.out)
    assert (report["attempts"], report["questions"], report["attempts_used"]) == (3, 7, "highest")
    assert {item["question"] for item in report["items"]} >= {"q-single", "q-order"}
    text = qcli("quiz", "stats", "--course", "QZ-1")
    assert "Cronbach" in text.out and "q-match" in text.out
    assert qcli("quiz", "stats", "--course", "QZ-1", "--attempts", "best").code == 1


@pytest.fixture
def qcli(cli: Any) -> Any:
    """The in-process command line; the quiz group is registered like every other."""
    return cli
