"""A small course with one question of each kind, a session with a roster, for the quiz tests (lms and TUI)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from sqlmodel import Session

from lms.catalog.service import import_paths
from lms.models import CourseVersion, Organisation, Person, TrainingSession
from lms.scheduling.sessions import add_to_roster, create_session

COURSE = """
code: QZ-1
title: {zh: 测验课程, en: Quiz course}
system: {zh: 测验系统, en: Quiz system}
audience: [operator]
pass_mark: 60
time_limit_minutes: 30
reexam: {max_attempts: 2, wait_days: 1, tutoring_required: true, grading: highest, cap_percent: 60}
certificate: {family: operator, title: {zh: 合格证, en: Certificate}}
modules:
  - {id: op, curriculum: operation, title: {zh: 操作, en: Operation}, hours: 1, objectives: [{zh: 会操作, en: Operate}]}
  - {id: mt, curriculum: maintenance, title: {zh: 维护, en: Upkeep}, hours: 1, objectives: [{zh: 会维护, en: Keep}]}
  - {id: fh, curriculum: fault_handling, title: {zh: 故障, en: Faults}, hours: 1, objectives: [{zh: 会排故, en: Fix}]}
questions:
  - id: intro
    module: op
    type: description
    prompt: {zh: 以下题目关于水泵。, en: The questions below are about pumps.}
  - id: q-single
    module: op
    type: single
    prompt: {zh: 哪个部件储存热水？, en: "Which part stores hot water?"}
    choices:
      - {id: a, text: {zh: 水泵, en: The pump}}
      - {id: b, text: {zh: 水箱, en: The tank}}
      - {id: c, text: {zh: 阀门, en: The valve}}
    answer: b
  - id: q-multi
    module: op
    type: multiple
    prompt: {zh: 哪些是安全措施？, en: "Which are safety measures?"}
    choices:
      - {id: a, text: {zh: 断电, en: Switch off}}
      - {id: b, text: {zh: 挂牌, en: Tag out}}
      - {id: c, text: {zh: 带电作业, en: Work live}}
    weights: {a: 50, b: 50, c: -100}
  - id: q-tf
    module: mt
    type: truefalse
    prompt: {zh: 膨胀罐需要定期检查。, en: The expansion vessel needs regular checks.}
    answer: true
  - id: q-num
    module: mt
    type: numeric
    prompt: {zh: 1 kWh 等于多少 kJ？, en: "How many kJ is 1 kWh?"}
    answer: 3600
    tolerance: 5
    unit: kJ
  - id: q-short
    module: mt
    type: shortanswer
    prompt: {zh: 膨胀罐里充的是什么气体？, en: "Which gas fills the expansion vessel?"}
    answers:
      - {text: 氮气, weight: 100}
      - {text: nitrogen, weight: 100}
      - {text: air, weight: 50}
  - id: q-match
    module: fh
    type: matching
    prompt: {zh: 把故障和原因配对。, en: Match each fault with its cause.}
    pairs:
      - {left: {zh: 泵不转, en: Pump idle}, right: {zh: 没电, en: No power}}
      - {left: {zh: 没流量, en: No flow}, right: {zh: 气堵, en: Air lock}}
      - {left: {zh: 压力高, en: High pressure}, right: {zh: 过热, en: Overheating}}
  - id: q-order
    module: fh
    type: ordering
    prompt: {zh: 排列检修步骤。, en: Put the service steps in order.}
    items:
      - {zh: 断电, en: Switch off}
      - {zh: 挂牌, en: Tag out}
      - {zh: 验电, en: Prove dead}
"""

ESSAY = """
  - id: q-essay
    module: fh
    type: essay
    points: 2
    prompt: {zh: 说明夜间倒流的原因。, en: Explain reverse circulation at night.}
"""

# Keys of the course above, as the trainee's screen answers (view form).
RIGHT = {
    "q-single": "b",
    "q-multi": ["a", "b"],
    "q-tf": "T",
    "q-num": "3600",
    "q-short": "氮气",
}


def write_course(folder: Path, *, essay: bool = False, extra: str = "") -> Path:
    path = folder / "quiz-course.yaml"
    path.write_text(COURSE + (ESSAY if essay else "") + extra, encoding="utf-8")
    return path


def quiz_world(
    session: Session, pm: Any, folder: Path, *, essay: bool = False, names: tuple[str, ...] = ()
) -> dict[str, Any]:
    """The course imported, a held session QZ with trainees (ID numbers ...0001, ...0002, ...) on the roster."""
    [(version, _created)] = import_paths(session, pm, [write_course(folder, essay=essay)])
    buyer = Organisation(code="BUYER", kind="buyer", name_zh="买方", name_en="Buyer")
    session.add(buyer)
    session.flush()
    people = []
    for number, name in enumerate(names or ("张三", "李四", "王五"), start=1):
        person = Person(
            code=f"T{number:03d}",
            kind="buyer_staff",
            name=name,
            organisation_id=buyer.id or 0,
            id_number=f"33010619900101{number:04d}",
        )
        session.add(person)
        people.append(person)
    session.flush()
    training = create_session(
        session,
        course_version=version,
        days=[dt.date(2026, 11, 18)],
        mode="on_site",
        place="Site",
        city="杭州",
        status="held",
        code="S-QUIZ1",
    )
    add_to_roster(session, training, people)
    session.commit()
    return {"version": version, "session": training, "people": people}


def version_of(session: Session, training: TrainingSession) -> CourseVersion:
    version = session.get(CourseVersion, training.course_version_id)
    assert version is not None
    return version
