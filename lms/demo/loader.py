"""Demo data: one vendor, its trainers and engineers, three buyers, six projects at different stages, with
sessions, attendance, attempts (a fail and its re-exam among them), certificates and skill records.

The same seed and the same ``today`` give the same data. Projects go in through the projects-file importer,
exactly as ``lms projects import`` does.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlmodel import Session, col, func, select

from lms import models
from lms.assessment.quizzes import current_version, grade_attempt, save_answer, start_attempt
from lms.calendars.dates import add_months
from lms.calendars.workdays import get_calendar
from lms.credentials.certificates import issue_for_attempt
from lms.demo.projects import DemoCalendar, projects_spec
from lms.errors import LmsError
from lms.feedback.survey import add_demo_feedback
from lms.i18n import _
from lms.models import CourseVersion, Organisation, Person, Project, Question, Room, SkillRecord
from lms.models.lookup import project_by_code
from lms.projects.projects_file import import_projects
from lms.questions.types import registry
from lms.scheduling.sessions import add_to_roster, create_session, mark_attendance, session_days

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何林罗高梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕苏卢蒋蔡贾丁魏薛叶阎"
GIVEN_NAMES = (
    "伟 芳 娜 敏 静 磊 洋 勇 艳 杰 军 涛 明 超 霞 平 刚 桂英 建华 志强 晓东 丽华 海燕 国栋 子涵 浩然 欣怡 宇轩 "
    "梓萱 俊杰 雨桐 文博 思远 嘉怡 明轩 佳琪 晨曦 志明 春梅 秀兰 玉兰 建国 永强 立新"
).split()
REGION_CODES = {"杭州": "330106", "上海": "310104", "南京": "320102", "苏州": "320505", "宁波": "330203"}


@dataclass(frozen=True)
class StaffMember:
    code: str
    name: str
    name_en: str
    kind: str
    title: str
    city: str
    lead: bool = False
    manufacturer: bool = False


STAFF = (
    StaffMember("E001", "陈立峰", "Chen Lifeng", "trainer", "技术负责人 Technical lead", "杭州", lead=True),
    StaffMember("E002", "王海燕", "Wang Haiyan", "trainer", "培训讲师 Trainer", "杭州"),
    StaffMember("E003", "李国栋", "Li Guodong", "engineer", "售后工程师 After-sales engineer", "杭州"),
    StaffMember("E004", "周晓东", "Zhou Xiaodong", "engineer", "售后工程师 After-sales engineer", "上海"),
    StaffMember("E005", "赵子涵", "Zhao Zihan", "trainer", "培训讲师 Trainer", "南京"),
    StaffMember("E006", "孙志强", "Sun Zhiqiang", "engineer", "电气工程师 Electrical engineer", "南京", lead=True),
    StaffMember("E007", "吴佳琪", "Wu Jiaqi", "engineer", "系统工程师 Systems engineer", "上海"),
    StaffMember("E008", "郑明轩", "Zheng Mingxuan", "engineer", "售后工程师 After-sales engineer", "苏州"),
    StaffMember("E009", "刘建华", "Liu Jianhua", "trainer", "培训讲师 Trainer", "宁波"),
    StaffMember(
        "M001",
        "黄思远",
        "Huang Siyuan",
        "engineer",
        "厂家工程师 Manufacturer engineer",
        "上海",
        manufacturer=True,
    ),
)


def id_number(rng: random.Random, city: str) -> str:
    """A well-formed 18-digit resident ID (GB 11643 check digit) for a made-up person."""
    birth = dt.date(1970, 1, 1) + dt.timedelta(days=rng.randrange(0, 365 * 32))
    body = REGION_CODES.get(city, "330106") + birth.strftime("%Y%m%d") + f"{rng.randrange(0, 1000):03d}"
    weights = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
    check = "10X98765432"[sum(int(d) * w for d, w in zip(body, weights, strict=True)) % 11]
    return body + check


def person_name(rng: random.Random, used: set[str]) -> str:
    while True:
        name = rng.choice(SURNAMES) + rng.choice(GIVEN_NAMES)
        if name not in used:
            used.add(name)
            return name


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


def _project(session: Session, code: str) -> Project:
    return project_by_code(session, code)


def _acceptance(session: Session, project: Project) -> dt.date | None:
    milestone = session.exec(
        select(models.Milestone).where(models.Milestone.project_id == project.id, models.Milestone.kind == "acceptance")
    ).one()
    return milestone.actual_date or milestone.planned_date


def load_demo(session: Session, pm: Any, *, seed: int = 7, today: dt.date | None = None) -> dict[str, int]:
    """Fill an empty database with the demo; returns how many of each thing were made. The caller commits."""
    today = today or dt.date.today()
    paths = [path for group in pm.hook.lms_course_library() for path in group]
    if not paths or pm.hook.lms_import_courses(session=session, paths=paths, pm=pm) is None:
        raise LmsError(_("no plugin provides the course library; reinstall the package"))
    builder = DemoBuilder(session, pm, seed, today)
    cal = builder.cal
    vendor, maker = builder.organisations()
    staff = builder.staff(vendor, maker)
    rooms = builder.rooms(vendor)
    import_projects(session, projects_spec(today, cal), pm=pm)
    versions = {code: current_version(session, code) for code in ("SHW-OM", "SEC-AC", "REC-CLS", "LV-SWG", "SRV-DB")}
    lead, trainer_hz, trainer_nj = staff["E001"], staff["E002"], staff["E005"]

    # Engineers qualified in-house: switchgear two months ago, servers almost three years ago (expiring soon).
    engineers = [staff[code] for code in ("E003", "E004", "E006", "E007", "E008")]
    builder.held_session(
        version=versions["LV-SWG"],
        days=cal.run(cal.shift(today, -45), 3),
        trainees=engineers,
        trainers=[(staff["E006"], "lead"), (staff["M001"], "manufacturer")],
        project=None,
        obligation_code=None,
        place=rooms[1].name,
        city="杭州",
        mode="centralised",
        room=rooms[1],
    )
    old_start = add_months(today, -36) + dt.timedelta(days=21)
    builder.held_session(
        version=versions["SRV-DB"],
        days=cal.run(old_start, 2),
        trainees=[staff["E007"], staff["E004"], staff["E008"]],
        trainers=[(lead, "lead")],
        project=None,
        obligation_code=None,
        place=rooms[0].name,
        city="杭州",
        mode="centralised",
        room=rooms[0],
    )

    # Trainers may teach the operator courses: the course's first skill, entered by HR, one lapsing next month.
    for course_code, person, months in (
        ("SHW-OM", lead, 36),
        ("SHW-OM", trainer_hz, 24),
        ("REC-CLS", trainer_nj, 24),
        ("REC-CLS", lead, 24),
        ("SEC-AC", trainer_hz, 1),
        ("SEC-AC", staff["E009"], 24),
    ):
        grant = session.exec(
            select(models.CourseSkillGrant)
            .where(models.CourseSkillGrant.course_version_id == versions[course_code].id)
            .order_by(col(models.CourseSkillGrant.id))
        ).first()
        if grant is None or person.id is None:
            raise LmsError(_("course {code} grants no skill").format(code=course_code))
        session.add(
            SkillRecord(
                person_id=person.id,
                skill_id=grant.skill_id,
                level=2,
                source="hr",
                valid_from=add_months(today, -12),
                valid_until=add_months(today, months),
            )
        )

    # P2026-HZ-SHW: accepted two months ago, trained on time, one trainee failed and passed the re-exam.
    project = _project(session, "P2026-HZ-SHW")
    trainees = builder.buyer_staff(project, 8)
    accepted = _acceptance(session, project)
    assert accepted is not None
    builder.held_session(
        version=versions["SHW-OM"],
        days=[cal.shift(accepted, 1), cal.shift(accepted, 2)],
        trainees=trainees,
        trainers=[(lead, "lead"), (trainer_hz, "assistant")],
        project=project,
        obligation_code="OB-1",
        place=project.site,
        city=project.city,
        mode="centralised",
        absent=trainees[-1:],
        reexam=trainees[2],
    )
    builder.held_session(
        version=versions["SHW-OM"],
        days=[cal.shift(today, -12)],
        trainees=trainees[:6],
        trainers=[(trainer_hz, "lead")],
        project=project,
        obligation_code="OB-2",
        place=project.site,
        city=project.city,
        mode="on_site",
        assess=False,
        period=f"{today.year}-autumn",
    )

    # P2025-HZ-SHW: accepted long ago; only three operators came, so the duty is partly met.
    project = _project(session, "P2025-HZ-SHW")
    trainees = builder.buyer_staff(project, 6)
    accepted = _acceptance(session, project)
    assert accepted is not None
    builder.held_session(
        version=versions["SHW-OM"],
        days=[cal.shift(accepted, 1), cal.shift(accepted, 2)],
        trainees=trainees,
        trainers=[(lead, "lead")],
        project=project,
        obligation_code="OB-1",
        place=project.site,
        city=project.city,
        mode="centralised",
        absent=trainees[3:],
    )

    # P2026-NJ-REC: accepted yesterday; the session is planned but not yet confirmed (at risk).
    project = _project(session, "P2026-NJ-REC")
    accepted = _acceptance(session, project)
    assert accepted is not None
    upcoming = create_session(
        session,
        course_version=versions["REC-CLS"],
        days=cal.run(cal.shift(accepted, 1), 2),
        mode="centralised",
        place=project.site,
        city=project.city,
        trainers=[(trainer_nj, "lead"), (lead, "technical_lead")],
        project_id=project.id,
        obligation_id=builder._obligation_id(project, "OB-1"),
        code=builder.code("S"),
        pm=pm,
    )
    add_to_roster(session, upcoming, builder.buyer_staff(project, 9))

    # P2026-SZ-SEC: acceptance in three working days; training confirmed right after it.
    project = _project(session, "P2026-SZ-SEC")
    accepted = _acceptance(session, project)
    assert accepted is not None
    confirmed = create_session(
        session,
        course_version=versions["SEC-AC"],
        days=cal.run(cal.shift(accepted, 1), 2),
        mode="centralised",
        place=project.site,
        city=project.city,
        status="confirmed",
        trainers=[(trainer_hz, "lead"), (lead, "technical_lead")],
        project_id=project.id,
        obligation_id=builder._obligation_id(project, "OB-1"),
        code=builder.code("S"),
        pm=pm,
    )
    add_to_roster(session, confirmed, builder.buyer_staff(project, 7))

    # P2026-NJ-REC2: acceptance slipped from two days ago to next week; the old plan now falls outside its window,
    # and it double-books the technical lead with the Nanjing session.
    project = _project(session, "P2026-NJ-REC2")
    slipped_plan = cal.run(cal.shift(today, 1), 2)
    stale = create_session(
        session,
        course_version=versions["REC-CLS"],
        days=slipped_plan,
        mode="centralised",
        place=project.site,
        city=project.city,
        trainers=[(lead, "lead")],
        project_id=project.id,
        obligation_id=builder._obligation_id(project, "OB-1"),
        code=builder.code("S"),
        pm=pm,
    )
    add_to_roster(session, stale, builder.buyer_staff(project, 6))

    builder.buyer_staff(_project(session, "P2026-SZ-SEC2"), 5)
    add_demo_feedback(session, seed=seed)  # trainees' feedback on the held sessions
    session.flush()
    return summary(session)


def summary(session: Session) -> dict[str, int]:
    def count(model: Any, *where: Any) -> int:
        return int(session.exec(select(func.count()).select_from(model).where(*where)).one())

    return {
        "courses": count(models.Course),
        "questions": count(models.Question),
        "trainers/engineers": count(Person, col(Person.kind).in_(["trainer", "engineer"])),
        "buyers": count(Organisation, Organisation.kind == "buyer"),
        "buyer staff": count(Person, Person.kind == "buyer_staff"),
        "projects": count(Project),
        "obligations": count(models.Obligation),
        "sessions": count(models.TrainingSession),
        "attendance": count(models.Attendance),
        "attempts": count(models.Attempt),
        "certificates": count(models.Certificate),
        "skill records": count(SkillRecord),
    }
