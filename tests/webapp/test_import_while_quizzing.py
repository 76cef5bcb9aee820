"""A big roster import while 30 trainees answer on their phones (issue 18): every answer a phone was told is saved is
in the database afterwards, none is refused, and no save waits anywhere near the busy timeout. The import commits in
short chunks, so a save waits at most for one chunk. Scaled down here (3,000 staff); ``benchmarks/
import_while_quizzing.py`` runs the 20,000 rows against a real ``lms web`` and a real ``lms roster import``."""

from __future__ import annotations

import datetime as dt
import re
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlmodel import Session, select

from lms.access.roles import Role, acting_as
from lms.assessment.trainee_access import issue_codes
from lms.db import SQLITE_BUSY_TIMEOUT_MS
from lms.models import Answer, Attempt, Person, TrainingSession
from lms.scheduling.rosters import import_roster
from lms.scheduling.sessions import add_to_roster, create_session
from tests.lms.roster_fixtures import person_id_number
from tests.webapp.conftest import QUIZ_DAY, Site
from tests.webapp.test_web_quiz import csrf_of

TRAINEES = 30
STAFF = 3_000  # the benchmark imports 20,000
RADIO = re.compile(r'type="radio" name="answer" value="([^"]+)"')
STORED = {"T": True, "F": False}  # a true/false answer is stored as a boolean; a choice as its id


@dataclass
class Phone:
    """One trainee's phone: what it was told was saved, last value per question, and how long each save took."""

    code: str
    person_id: int
    last: dict[int, Any] = field(default_factory=dict)  # question number -> value the page sent
    saves: list[tuple[float, float, int]] = field(default_factory=list)  # (started, seconds, HTTP status)
    refused: list[str] = field(default_factory=list)


def thirty_trainees(site: Site) -> list[Phone]:
    """The quiz session's roster grown to 30, each with a fresh code."""
    with Session(site.engine, expire_on_commit=False) as session:
        training = session.get(TrainingSession, site.world["session"].id)
        buyer = session.exec(select(Person)).first()
        assert training is not None and buyer is not None
        people = [
            Person(code=f"Q{n:03d}", kind="buyer_staff", name=f"学员{n}", organisation_id=buyer.organisation_id)
            for n in range(TRAINEES - 3)
        ]
        session.add_all(people)
        session.flush()
        add_to_roster(session, training, people)
        codes = issue_codes(session, session_id=training.id or 0, now=QUIZ_DAY - dt.timedelta(days=1))
        create_session(
            session,
            course_version=site.world["version"],
            days=[dt.date(2026, 12, 3)],
            mode="on_site",
            place="Site",
            city="杭州",
            code="S-BIG",
        )
        session.commit()
    return [Phone(issued.code, issued.person_id) for issued in codes]


def staff_list(path: Path, rows: int) -> Path:
    lines = ["姓名,身份证号码,手机,工号"]
    lines += [f"员工{n},{person_id_number(n)},139{n:08d},E-{n:05d}" for n in range(rows)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8-sig")
    return path


def sit(site: Site, phone: Phone, ready: threading.Barrier, done: threading.Event) -> None:
    """Start the quiz, then keep changing every choice answer until the import is over (and once more)."""
    client = site.client()
    form = client.get("/q", params={"c": phone.code})
    card = client.post("/q", data={"csrf": csrf_of(form), "code": phone.code})
    first = client.post("/quiz/start", data={"csrf": csrf_of(card)})
    token = csrf_of(first)
    choices = {}
    for number in range(1, 20):
        page = client.get(f"/quiz/q/{number}")
        if "/quiz/review" in str(page.url):
            break
        if options := RADIO.findall(page.text):
            choices[number] = options
    ready.wait(120)  # every phone has started: the import begins now
    rounds = 0
    while not done.is_set() or rounds < 2:
        rounds += 1
        for number, options in choices.items():
            value = options[rounds % len(options)]
            began = time.perf_counter()
            saved = client.post(f"/quiz/q/{number}", data={"csrf": token, "answer": value}, headers={"X-Autosave": "1"})
            phone.saves.append((began, time.perf_counter() - began, saved.status_code))
            if saved.status_code == 200 and saved.json() == {"saved": True}:
                phone.last[number] = value
            else:
                phone.refused.append(saved.text[:200])


def stored_answers(site: Site, phone: Phone) -> dict[int, Any]:
    """The phone's answers as the database holds them, by question number."""
    with Session(site.engine) as session:
        attempt = session.exec(select(Attempt).where(Attempt.person_id == phone.person_id)).one()
        answers = {
            a.question_id: a.response for a in session.exec(select(Answer).where(Answer.attempt_id == attempt.id))
        }
    return {number: answers.get(qid) for number, qid in enumerate(attempt.question_ids or [], start=1)}


def test_a_big_roster_import_never_loses_or_refuses_a_trainees_answer(site: Site, tmp_path: Path) -> None:
    phones = thirty_trainees(site)
    staff = staff_list(tmp_path / "staff.csv", STAFF)
    ready, done = threading.Barrier(TRAINEES + 1), threading.Event()
    window: list[float] = []

    def run_import() -> None:
        with acting_as(Role.admin), Session(site.engine, expire_on_commit=False) as session:
            window.append(time.perf_counter())
            result = import_roster(session, session_code="S-BIG", path=staff, organisation_code="BUYER")
            window.append(time.perf_counter())
            assert result.created == STAFF
        done.set()

    threads = [threading.Thread(target=sit, args=(site, phone, ready, done)) for phone in phones]
    for thread in threads:
        thread.start()
    ready.wait(120)  # the phones have signed in and started
    importer = threading.Thread(target=run_import)
    importer.start()
    importer.join(300)
    for thread in threads:
        thread.join(300)
    assert len(window) == 2, "the import did not finish"

    saves = [save for phone in phones for save in phone.saves]
    during = [seconds for began, seconds, _status in saves if window[0] <= began <= window[1]]
    longest = max(seconds for _began, seconds, _status in saves)
    figures = (
        f"{len(saves)} saves, {len(during)} during the {window[1] - window[0]:.1f} s import, longest {longest:.2f} s"
    )
    assert len(during) >= TRAINEES, f"the phones did not save while the import ran: {figures}"
    assert [refusal for phone in phones for refusal in phone.refused] == []
    for phone in phones:
        stored = stored_answers(site, phone)
        for number, value in phone.last.items():
            assert stored[number] == STORED.get(value, value), (phone.code, number)
    assert longest < SQLITE_BUSY_TIMEOUT_MS / 1000, figures  # no save ever waited out the busy timeout
