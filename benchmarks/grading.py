"""Grading throughput: 1,000,000 answers to the shipped question banks, on one core, in pure Python over plain dicts;
then an answer sheet (CSV) graded end to end against a database, without and with recording the attempts.

Run: .venv/bin/python benchmarks/grading.py [ANSWERS] [SHEET_ROWS]
Target: over 200,000 answers/second for the grading itself.
"""

from __future__ import annotations

import csv
import random
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from sqlalchemy import insert
from sqlmodel import Session, select

import courses.plugin
from lms import models
from lms.assessment.answer_sheets import grade_sheet
from lms.catalog.loader import expand_paths, load_course
from lms.catalog.service import LIBRARY, import_paths
from lms.db import make_engine, upgrade_schema
from lms.plugins import make_plugin_manager
from lms.questions.types import question_data, registry
from lms.questions.views import item_tokens, letters


def response(kind: str, data: dict[str, Any], right: bool, rng: random.Random) -> Any:
    """A stored response, right or wrong, as a trainee's screen would save it."""
    if kind == "single":
        return data["answer"] if right else rng.choice([c["id"] for c in data["choices"]])
    if kind == "multiple":
        ids = [c["id"] for c in data["choices"]]
        return sorted(k for k, w in data["weights"].items() if w > 0) if right else rng.sample(ids, 2)
    if kind == "truefalse":
        return data["answer"] if right else not data["answer"]
    if kind == "numeric":
        value = data["answer"] if data.get("answer") is not None else sum(data["range"]) / 2
        return f"{value if right else value * 1.5 + 3:g}"
    if kind == "shortanswer":
        return data["answers"][0]["text"].upper() if right else "不知道"
    if kind in ("matching", "ordering"):
        size = len(data.get("pairs") or data.get("items") or [])
        order = list(range(size))
        if not right:
            rng.shuffle(order)
        return order
    return "按规程操作" if kind == "essay" else None


def bank(types: dict[str, Any]) -> list[tuple[str, str, dict[str, Any]]]:
    questions = []
    for path in expand_paths([LIBRARY]):
        for spec in load_course(path, types).spec.questions:
            if types[spec.type].graded:
                questions.append((f"{path.stem}/{spec.id}", spec.type, question_data(spec)))
    return questions


def grading(count: int) -> None:
    types = registry(make_pm())
    questions = bank(types)
    rng = random.Random(5)
    graders = {key: types[kind].grader(data) for key, kind, data in questions}
    answers = []
    for _ in range(count):
        key, kind, data = rng.choice(questions)
        answers.append((key, response(kind, data, rng.random() < 0.75, rng)))
    start = time.perf_counter()
    fractions = [graders[key](given) for key, given in answers]
    elapsed = time.perf_counter() - start
    earned = sum(f for f in fractions if f is not None)
    print(f"grading: {count:,} answers to {len(questions)} questions in {elapsed:.3f} s")
    print(f"  {count / elapsed:,.0f} answers/second on one core (target > 200,000); mean fraction {earned / count:.3f}")


def make_pm() -> Any:
    pm = make_plugin_manager(load_entrypoints=False)
    pm.register(courses.plugin, name="courses")
    return pm


def typed(kind: str, code: str, data: dict[str, Any], rng: random.Random) -> str:
    """An answer as typed from a paper: letters, T/F, numbers, text."""
    if kind in ("single", "multiple"):
        picks = rng.sample(range(len(data["choices"])), 1 if kind == "single" else 2)
        return ";".join(letters(len(data["choices"]))[i] for i in picks)
    if kind == "truefalse":
        return rng.choice("TF")
    if kind == "numeric":
        return str(rng.randint(1, 100))
    if kind in ("matching", "ordering"):
        size = len(data.get("pairs") or data.get("items") or [])
        tokens = item_tokens(code, size)
        rng.shuffle(tokens)
        return ";".join(tokens)
    return "不知道"


def sheet(rows: int) -> None:
    pm = make_pm()
    types = registry(pm)
    folder = Path(tempfile.mkdtemp())
    engine = make_engine(f"sqlite:///{folder / 'bench.db'}")
    upgrade_schema(engine)
    rng = random.Random(9)
    with Session(engine, expire_on_commit=False) as session:
        import_paths(session, pm, [LIBRARY / "solar-hot-water.yaml"])
        session.add(models.Organisation(id=1, code="B", kind="buyer", name_zh="买方", name_en="Buyer"))
        session.flush()
        trainees = rows // 40
        session.connection().execute(
            insert(models.Person),
            [
                {"code": f"P{i:06d}", "kind": "buyer_staff", "name": f"学员{i}", "organisation_id": 1}
                for i in range(trainees)
            ],
        )
        questions = [q for q in session.exec(select(models.Question)) if q.points > 0 and q.qtype != "essay"]
        session.commit()
    path = folder / "answers.csv"
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["trainee", "question", "answer"])
        for i in range(trainees):
            for question in rng.sample(questions, 40 if len(questions) >= 40 else len(questions)):
                writer.writerow(
                    [f"P{i:06d}", question.code, typed(question.qtype, question.code, question.data or {}, rng)]
                )
    lines = sum(1 for _ in path.open(encoding="utf-8")) - 1
    for record in (False, True):
        with Session(engine) as session:
            start = time.perf_counter()
            results = grade_sheet(session, path=path, course_code="SHW-OM", types=types, record=record, pm=pm)
            session.commit()
            elapsed = time.perf_counter() - start
        label = "read, check, grade and record" if record else "read, check and grade"
        rate = f"{lines / elapsed:,.0f} rows/s"
        print(f"answer sheet: {lines:,} rows, {len(results):,} trainees — {label}: {elapsed:.2f} s ({rate})")


if __name__ == "__main__":
    grading(int(sys.argv[1]) if len(sys.argv) > 1 else 1_000_000)
    sheet(int(sys.argv[2]) if len(sys.argv) > 2 else 100_000)
