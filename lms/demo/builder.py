"""Building the demo piece by piece: organisations, staff, rooms, buyers' staff, and held sessions with attendance,
attempts (answers right or wrong on purpose), grades and certificates."""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Sequence
from typing import Any

from sqlmodel import Session, col, select

from lms import models
from lms.assessment.quizzes import grade_attempt, save_answer, start_attempt
from lms.calendars.workdays import get_calendar
from lms.credentials.certificates import issue_for_attempt
from lms.demo.people import STAFF, id_number, person_name
from lms.demo.projects import DemoCalendar
from lms.models import CourseVersion, Organisation, Person, Project, Question, Room
from lms.questions.types import registry
from lms.scheduling.sessions import add_to_roster, create_session, mark_attendance, session_days


def _response(question: Question, correct: bool, rng: random.Random) -> Any:
    data = question.data or {}
    kind = question.qtype
    if kind == "single":
        wrong = [c["id"] for c in data["choices"] if c["id"] != data["answer"]]
        return data["answer"] if correct else rng.choice(wrong)
    if kind == "multiple":
        right = [key for key, weight in data["weights"].items() if weight > 0]
        wrong = [c["id"] for c in data["choices"] if data["weights"].get(c["id"], 0) <= 0]
        return right if correct else [rng.choice(wrong)]
    if kind == "truefalse":
        return data["answer"] if correct else not data["answer"]
    if kind == "numeric":
        value = data["answer"] if data.get("answer") is not None else sum(data["range"]) / 2
        return value if correct else value * 3 + 7
    if kind == "shortanswer":
        return data["answers"][0]["text"] if correct else "不清楚"
    if kind in ("matching", "ordering"):
        size = len(data.get("pairs") or data.get("items") or [])
        return list(range(size)) if correct else list(reversed(range(size)))
    if kind == "checklist":
        return [item["id"] for item in data["items"]] if correct else []
    return "按规程操作，先断电验电，再排查故障。" if correct else "不会"


class DemoBuilder:
    def __init__(self, session: Session, pm: Any, seed: int, today: dt.date) -> None:
        self.session, self.pm, self.today = session, pm, today
        self.rng = random.Random(seed)
        self.cal = DemoCalendar(get_calendar(pm=pm, session=session, today=today))
        self.types = registry(pm)
        self.names: set[str] = {member.name for member in STAFF}
        self.serial = 0

    def code(self, prefix: str) -> str:
        self.serial += 1
        letters = "".join(self.rng.choice("ABCDEFGHJKMNPQRSTUVWXYZ23456789") for _ in range(4))
        return f"{prefix}-{letters}{self.serial}"

    def organisations(self) -> tuple[Organisation, Organisation]:
        vendor = Organisation(
            code="VENDOR",
            kind="vendor",
            name_zh="江南智联工程有限公司",
            name_en="Jiangnan Smart Engineering Co., Ltd.",
            city="杭州",
        )
        maker = Organisation(
            code="NORTHSTAR",
            kind="manufacturer",
            name_zh="北辰电气设备制造有限公司",
            name_en="Northstar Electrical Equipment Manufacturing Co., Ltd.",
            city="上海",
        )
        self.session.add_all([vendor, maker])
        self.session.flush()
        return vendor, maker

    def staff(self, vendor: Organisation, maker: Organisation) -> dict[str, Person]:
        people = {}
        for member in STAFF:
            person = Person(
                code=member.code,
                kind=member.kind,
                name=member.name,
                name_en=member.name_en,
                organisation_id=(maker if member.manufacturer else vendor).id or 0,
                title=member.title,
                id_number=id_number(self.rng, member.city),
                employee_number=member.code,
                home_city=member.city,
                phone=f"138{self.rng.randrange(10**7, 10**8)}",
                email=f"{member.code.lower()}@example.com",
                is_technical_lead=member.lead,
            )
            self.session.add(person)
            people[member.code] = person
        self.session.flush()
        return people

    def rooms(self, vendor: Organisation) -> list[Room]:
        rooms = [
            Room(
                code="HZ-TC-101",
                name="杭州培训中心 101 教室",
                organisation_id=vendor.id,
                city="杭州",
                address="杭州市滨江区江南大道 3888 号",
                capacity=24,
            ),
            Room(
                code="HZ-TC-LAB",
                name="杭州培训中心 实操车间",
                organisation_id=vendor.id,
                city="杭州",
                address="杭州市滨江区江南大道 3888 号",
                capacity=12,
            ),
            Room(
                code="NJ-TC-201",
                name="南京办事处 培训室",
                organisation_id=vendor.id,
                city="南京",
                address="南京市建邺区江东中路 108 号",
                capacity=16,
            ),
        ]
        self.session.add_all(rooms)
        self.session.flush()
        return rooms

    def buyer_staff(self, project: Project, count: int) -> list[Person]:
        buyer = self.session.get(Organisation, project.buyer_id)
        assert buyer is not None
        titles = [
            "运行值班员 Operator",
            "电工 Electrician",
            "设备管理员 Equipment manager",
            "维修技工 Maintenance technician",
        ]
        people = []
        for _index in range(count):
            name = person_name(self.rng, self.names)
            person = Person(
                code=self.code("B"),
                kind="buyer_staff",
                name=name,
                organisation_id=buyer.id or 0,
                title=self.rng.choice(titles),
                id_number=id_number(self.rng, project.city),
                home_city=project.city,
                phone=f"139{self.rng.randrange(10**7, 10**8)}",
            )
            self.session.add(person)
            people.append(person)
        self.session.flush()
        return people

    def sit(
        self,
        person: Person,
        version: CourseVersion,
        session_id: int | None,
        skill: float,
        number: int,
        sat_on: dt.date,
    ) -> models.Attempt:
        assert person.id is not None
        attempt = start_attempt(
            self.session,
            person_id=person.id,
            version=version,
            session_id=session_id,
            seed=self.rng.randrange(2**31),
            number=number,
        )
        questions = {
            q.id: q for q in self.session.exec(select(Question).where(col(Question.id).in_(attempt.question_ids or [])))
        }
        for question_id in attempt.question_ids or []:
            question = questions[question_id]
            answer = save_answer(
                self.session,
                attempt=attempt,
                question_id=question_id,
                response=_response(question, self.rng.random() < skill, self.rng),
            )
            if question.qtype == "essay":
                answer.fraction = round(min(1.0, skill + self.rng.uniform(-0.2, 0.1)), 2)
        practical = round(min(100.0, 100 * skill + self.rng.uniform(-10, 8)), 1)
        attempt.started_at = dt.datetime.combine(sat_on, dt.time(14, 0), tzinfo=dt.UTC)
        attempt.submitted_at = attempt.started_at + dt.timedelta(minutes=40)
        return grade_attempt(self.session, attempt=attempt, types=self.types, practical_score=practical, pm=self.pm)

    def held_session(
        self,
        *,
        version: CourseVersion,
        days: Sequence[dt.date],
        trainees: Sequence[Person],
        trainers: Sequence[tuple[Person, str]],
        project: Project | None,
        obligation_code: str | None,
        place: str,
        city: str,
        mode: str,
        room: Room | None = None,
        absent: Sequence[Person] = (),
        assess: bool = True,
        reexam: Person | None = None,
        period: str | None = None,
    ) -> dict[str, int]:
        """A session that has taken place: attendance per day, attempts, a fail re-examined, certificates."""
        obligation_id = self._obligation_id(project, obligation_code)
        training_session = create_session(
            self.session,
            course_version=version,
            days=days,
            mode=mode,
            place=place,
            city=city,
            trainers=trainers,
            room=room,
            project_id=project.id if project else None,
            obligation_id=obligation_id,
            status="held",
            code=self.code("S"),
            period_label=period,
            pm=self.pm,
        )
        add_to_roster(self.session, training_session, trainees)
        for day in session_days(self.session, training_session):
            for person in trainees:
                present = person not in absent
                signed = dt.datetime.combine(day.day, dt.time(8, 50 + self.rng.randrange(9)), tzinfo=dt.UTC)
                mark_attendance(self.session, day, person, present, signed)
        counts = {"attempts": 0, "certificates": 0}
        if not assess:
            return counts
        last_day = days[-1]
        for person in trainees:
            if person in absent:
                continue
            skill = 0.35 if person is reexam else self.rng.uniform(0.72, 0.97)
            attempt = self.sit(person, version, training_session.id, skill, 1, last_day)
            counts["attempts"] += 1
            if not attempt.passed:
                retake_day = self.cal.shift(last_day, 3)
                if retake_day >= self.today:
                    continue
                attempt = self.sit(person, version, training_session.id, 0.9, 2, retake_day)
                counts["attempts"] += 1
            if attempt.passed:
                issue_for_attempt(self.session, attempt=attempt, issued_on=self.cal.shift(last_day, 1), pm=self.pm)
                counts["certificates"] += 1
        return counts

    def _obligation_id(self, project: Project | None, code: str | None) -> int | None:
        if project is None or code is None:
            return None
        obligation = self.session.exec(
            select(models.Obligation).where(models.Obligation.project_id == project.id, models.Obligation.code == code)
        ).one()
        return obligation.id
