"""Item analysis of 10,000 attempts × 40 questions (target: under 1 s): the statistics on a matrix of marks, and the
whole ``lms quiz stats`` path from an SQLite database.

Run: .venv/bin/python benchmarks/item_analysis.py [ATTEMPTS] [QUESTIONS]
Trainees answer by a two-parameter logistic model (ability, difficulty, discrimination), so the figures look real.
"""

from __future__ import annotations

import math
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
from sqlalchemy import insert
from sqlmodel import Session, select

import courses.plugin
from lms import models
from lms.assessment.item_analysis import analyse
from lms.assessment.statistics import course_statistics
from lms.catalog.service import LIBRARY, import_paths
from lms.db import make_engine, upgrade_schema
from lms.plugins import make_plugin_manager
from lms.questions.types import registry


def simulated(attempts: int, questions: int, seed: int = 3) -> np.ndarray:
    rng = np.random.default_rng(seed)
    ability = rng.normal(0, 1, size=(attempts, 1))
    difficulty = rng.normal(-0.5, 1, size=(1, questions))
    discrimination = rng.uniform(0.3, 2.0, size=(1, questions))
    chance = 1 / (1 + np.exp(-discrimination * (ability - difficulty)))
    return (rng.random((attempts, questions)) < chance).astype(float)


def matrix_figures(attempts: int, questions: int) -> None:
    marks = simulated(attempts, questions)
    start = time.perf_counter()
    stats = analyse(
        marks, np.ones(questions), ["all"] * questions, [f"q{j}" for j in range(questions)], ["x"] * questions
    )
    elapsed = time.perf_counter() - start
    print(f"item analysis, {attempts:,} attempts × {questions} questions (matrix): {elapsed:.3f} s (target < 1 s)")
    print(f"  Cronbach's alpha {stats.cic}%, error ratio {stats.error_ratio}%, standard error {stats.standard_error}%")


def database_figures(attempts: int, questions: int) -> None:
    pm = make_plugin_manager(load_entrypoints=False)
    pm.register(courses.plugin, name="courses")
    engine = make_engine(f"sqlite:///{Path(tempfile.mkdtemp()) / 'stats.db'}")
    upgrade_schema(engine)
    marks = simulated(attempts, questions)
    with Session(engine) as session:
        [(version, _created)] = import_paths(session, pm, [LIBRARY / "solar-hot-water.yaml"])
        bank = list(session.exec(select(models.Question).where(models.Question.course_version_id == version.id)))
        chosen = [q for q in bank if q.points > 0 and q.qtype not in ("essay", "description")][:questions]
        ids = [q.id for q in chosen]
        session.add(models.Organisation(id=1, code="B", kind="buyer", name_zh="买方", name_en="Buyer"))
        session.flush()
        connection = session.connection()
        connection.execute(
            insert(models.Person),
            [
                {"id": i + 1, "code": f"P{i}", "kind": "buyer_staff", "name": f"学员{i}", "organisation_id": 1}
                for i in range(attempts)
            ],
        )
        points = sum(q.points for q in chosen)
        connection.execute(
            insert(models.Attempt),
            [
                {
                    "id": i + 1,
                    "person_id": i + 1,
                    "course_version_id": version.id,
                    "question_ids": ids,
                    "status": "graded",
                    "score": round(100 * float(marks[i] @ np.array([q.points for q in chosen])) / points, 2),
                }
                for i in range(attempts)
            ],
        )
        connection.execute(
            insert(models.Answer),
            [
                {"attempt_id": i + 1, "question_id": ids[j], "response": None, "fraction": float(marks[i, j])}
                for i in range(attempts)
                for j in range(len(ids))
            ],
        )
        session.commit()
    with Session(engine) as session:
        start = time.perf_counter()
        _version, _which, stats = course_statistics(session, course_code="SHW-OM", types=registry(pm))
        elapsed = time.perf_counter() - start
    low = min(stats.items, key=lambda item: item.discrimination_index or math.inf)
    print(f"lms quiz stats path (SQLite, {attempts * len(ids):,} answers): {elapsed:.3f} s")
    print(f"  lowest discrimination: {low.question} {low.discrimination_index}%")


if __name__ == "__main__":
    attempts = int(sys.argv[1]) if len(sys.argv) > 1 else 10_000
    questions = int(sys.argv[2]) if len(sys.argv) > 2 else 40
    matrix_figures(attempts, questions)
    database_figures(attempts, questions)
