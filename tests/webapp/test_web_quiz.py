"""The phone quiz over real HTTP: each code opens only its own trainee's attempt, autosave, submit, result, feedback,
and the refusals (other origins, missing CSRF tokens, wrong, used, locked and expired codes)."""

from __future__ import annotations

import datetime as dt
import re

import httpx
import pluggy
import pytest
from sqlmodel import Session, select

from lms.assessment.trainee_access import MAX_FAILED_GUESSES
from lms.errors import LmsError
from lms.hookspecs import hookimpl
from lms.i18n import in_language
from lms.models import Answer, Attempt, AttemptStatus, FeedbackResponse, TraineeAccess, TrainingSession
from tests.webapp.conftest import Site
from webapp.backend import WebBackend


def csrf_of(page: httpx.Response) -> str:
    found = re.search(r'name="csrf" value="([^"]+)"', page.text)
    assert found, page.text[:500]
    return found.group(1)


def enter(site: Site, code: str) -> tuple[httpx.Client, httpx.Response]:
    client = site.client()
    form = client.get("/q", params={"c": code})
    return client, client.post("/q", data={"csrf": csrf_of(form), "code": code})


def started(site: Site, code: str) -> tuple[httpx.Client, httpx.Response]:
    client, page = enter(site, code)
    assert page.status_code == 200 and "Begin" in page.text, page.text[:300]
    question = client.post("/quiz/start", data={"csrf": csrf_of(page)})
    assert question.status_code == 200 and "/quiz/q/" in str(question.url)
    return client, question


def test_a_trainee_sits_the_quiz_on_a_phone_and_gives_feedback(site: Site) -> None:
    mine = site.codes[0]
    client, page = enter(site, mine.code)
    assert mine.name in page.text and "3301**********0001" in page.text  # their own card, ID masked
    question = client.post("/quiz/start", data={"csrf": csrf_of(page)})
    assert "Question 1 of" in question.text or "Question 2 of" in question.text
    with Session(site.engine) as session:
        attempt = session.exec(select(Attempt).where(Attempt.person_id == mine.person_id)).one()
    numbers = range(1, len(attempt.question_ids or []) + 1)
    for number in numbers:
        page = client.get(f"/quiz/q/{number}")
        assert (
            "answer" not in page.text.lower()
            or 'name="answer"' in page.text
            or "match-" in page.text
            or "order-" in page.text
        )
        if 'value="b"' in page.text and "stores hot water" in page.text:
            saved = client.post(
                f"/quiz/q/{number}", data={"csrf": csrf_of(page), "answer": "b"}, headers={"X-Autosave": "1"}
            )
            assert saved.json() == {"saved": True}
    # A dropped connection: a new request with the same cookie resumes at the first unanswered question.
    resumed = client.get("/quiz")
    assert "/quiz/q/" in str(resumed.url)
    review = client.get("/quiz/review")
    result = client.post("/quiz/submit", data={"csrf": csrf_of(review)})
    assert "Result" in result.text and mine.name in result.text
    survey = client.get("/quiz/feedback")
    sent = client.post("/quiz/feedback", data={"csrf": csrf_of(survey), "overall": "5"})
    assert "Thank you" in sent.text, sent.text[:400]
    with Session(site.engine) as session:
        assert session.exec(select(FeedbackResponse).where(FeedbackResponse.person_id == mine.person_id)).one()
        assert session.exec(select(Answer).where(Answer.attempt_id == attempt.id)).first() is not None


def test_the_answer_key_never_reaches_the_page(site: Site) -> None:
    client, first = started(site, site.codes[0].code)
    pages = [client.get(f"/quiz/q/{number}").text for number in range(1, 10)]
    text = "\n".join(pages)
    for secret in ("weights", "tolerance", '"answer":', "correct", "nitrogen", "3600"):
        assert secret not in text


def test_one_code_cannot_read_or_write_another_trainees_attempt(site: Site) -> None:
    mine, theirs = site.codes[0], site.codes[1]
    my_client, _page = started(site, mine.code)
    their_client, their_page = started(site, theirs.code)
    with Session(site.engine) as session:
        their_attempt = session.exec(select(Attempt).where(Attempt.person_id == theirs.person_id)).one()
    # Everything my browser can reach is my attempt: the pages name me, never them.
    for number in range(1, len(their_attempt.question_ids or []) + 1):
        page = my_client.get(f"/quiz/q/{number}")
        assert theirs.name not in page.text
    # Posting an answer with their question ids goes to my attempt or nowhere: theirs keeps no answer of mine.
    page = my_client.get("/quiz/q/2")
    for question_id in their_attempt.question_ids or []:
        my_client.post("/quiz/q/2", data={"csrf": csrf_of(page), "answer": "b", "question_id": str(question_id)})
    with Session(site.engine) as session:
        assert session.exec(select(Answer).where(Answer.attempt_id == their_attempt.id)).first() is None
    # A forged cookie naming their access row is refused (the cookie is signed).
    forged = site.client()
    forged.cookies.set("lms_web", my_client.cookies["lms_web"].replace("a", "b", 1))
    assert "/quiz/q/" not in str(forged.get("/quiz").url)
    # Their code, once used by them, opens nothing for me.
    _client, refused = enter(site, theirs.code)
    assert refused.status_code == 403 and "used already" in refused.text


def test_cross_origin_posts_and_missing_csrf_tokens_are_refused(site: Site) -> None:
    client, page = enter(site, site.codes[0].code)
    token = csrf_of(page)
    evil = client.post("/quiz/start", data={"csrf": token}, headers={"Origin": "http://evil.example"})
    assert evil.status_code == 403
    no_origin = httpx.post(f"{site.url}/q", data={"csrf": token, "code": "1-AAAAAAAA"})
    assert no_origin.status_code == 403
    without_token = client.post("/quiz/start", data={})
    assert "/quiz/q/" not in str(without_token.url)
    with Session(site.engine) as session:
        assert session.exec(select(Attempt)).first() is None
    headers = client.get("/").headers
    assert "frame-ancestors 'none'" in headers["content-security-policy"]


def test_wrong_guesses_lock_a_code_and_a_client(site: Site) -> None:
    target = site.codes[2]
    number = target.code.split("-")[0]
    client = site.client()
    for _ in range(MAX_FAILED_GUESSES):
        form = client.get("/q")
        wrong = client.post("/q", data={"csrf": csrf_of(form), "code": f"{number}-ZZZZZZZZ"})
        assert wrong.status_code == 403
    form = client.get("/q")
    locked = client.post("/q", data={"csrf": csrf_of(form), "code": target.code})
    assert locked.status_code == 403 and "locked" in locked.text
    with Session(site.engine) as session:
        assert session.get(TraineeAccess, int(number)).failed_guesses == MAX_FAILED_GUESSES  # type: ignore[union-attr]
    # The same client keeps guessing other codes: after ten failures it is held off, even with a right code.
    for _ in range(5):
        form = client.get("/q")
        client.post("/q", data={"csrf": csrf_of(form), "code": "999-ZZZZZZZZ"})
    form = client.get("/q")
    held = client.post("/q", data={"csrf": csrf_of(form), "code": site.codes[0].code})
    assert held.status_code == 429


def test_codes_open_only_on_the_sessions_days_and_expire_with_it(site: Site) -> None:
    site.clock.now += dt.timedelta(days=1)  # the day after the session: expired
    _client, expired = enter(site, site.codes[0].code)
    assert expired.status_code == 403 and "expired" in expired.text
    site.clock.now -= dt.timedelta(days=2)  # the day before: not a quiz day
    _client, early = enter(site, site.codes[1].code)
    assert early.status_code == 403 and "only on the session" in early.text


def test_a_started_quiz_ends_with_the_session(site: Site) -> None:
    client, question = started(site, site.codes[0].code)
    site.clock.now += dt.timedelta(days=1)
    assert "Enter the personal code" in client.get("/quiz").text


def test_the_time_limit_counts_on_the_server(site: Site) -> None:
    client, question = started(site, site.codes[0].code)
    token = csrf_of(question)
    site.clock.now += dt.timedelta(minutes=31)
    late = client.post("/quiz/q/2", data={"csrf": token, "answer": "b"}, headers={"X-Autosave": "1"})
    assert late.status_code == 409
    assert "Result" in client.get("/quiz").text  # submitted by the server when the time ran out


def test_the_trainers_live_page_needs_the_token(site: Site) -> None:
    code = site.world["session"].code
    anyone = site.client()
    assert anyone.get(f"/trainer/{code}").status_code == 403
    assert anyone.get(f"/trainer/{code}", params={"token": "wrong"}).status_code == 403
    started(site, site.codes[0].code)
    trainer = site.client()
    page = trainer.get(f"/trainer/{code}", params={"token": site.token})
    assert page.status_code == 200 and "token" not in str(page.url)
    assert site.codes[0].name in page.text and "in progress" in page.text


def single_choice(client: httpx.Client, total: int) -> tuple[int, httpx.Response]:
    """The number and page of the paper's single-choice question (its place is drawn per attempt)."""
    for number in range(1, total + 1):
        page = client.get(f"/quiz/q/{number}")
        if "stores hot water" in page.text:
            return number, page
    raise AssertionError("the paper has no single-choice question")


def test_an_autosave_replaces_the_answer_and_the_page_shows_it_again(site: Site) -> None:
    mine = site.codes[0]
    client, _question = started(site, mine.code)
    with Session(site.engine) as session:
        attempt = session.exec(select(Attempt).where(Attempt.person_id == mine.person_id)).one()
    number, page = single_choice(client, len(attempt.question_ids or []))
    assert "checked" not in page.text
    for choice in ("a", "c"):
        saved = client.post(
            f"/quiz/q/{number}", data={"csrf": csrf_of(page), "answer": choice}, headers={"X-Autosave": "1"}
        )
        assert saved.json() == {"saved": True}
    with Session(site.engine) as session:
        answers = session.exec(select(Answer).where(Answer.attempt_id == attempt.id)).all()
    assert [answer.response for answer in answers] == ["c"]  # one row, the last answer
    again = client.get(f"/quiz/q/{number}").text
    assert re.search(r'value="c"\s+checked', again) and not re.search(r'value="a"\s+checked', again)
    # A number beyond the paper is no question: the review page, and an autosave to it is refused.
    beyond = len(attempt.question_ids or []) + 1
    assert "/quiz/review" in str(client.get(f"/quiz/q/{beyond}").url)
    refused = client.post(f"/quiz/q/{beyond}", data={"csrf": csrf_of(page), "answer": "a"}, headers={"X-Autosave": "1"})
    assert refused.status_code == 409 and refused.json()["error"] == "No such question"
    with in_language("zh"):
        refused = client.post(
            f"/quiz/q/{beyond}", data={"csrf": csrf_of(page), "answer": "a"}, headers={"X-Autosave": "1"}
        )
    assert refused.json()["error"] == "没有这道题"


def test_an_answer_after_the_submit_is_refused_and_not_kept(site: Site) -> None:
    mine = site.codes[0]
    client, question = started(site, mine.code)
    with Session(site.engine) as session:
        attempt = session.exec(select(Attempt).where(Attempt.person_id == mine.person_id)).one()
    number, page = single_choice(client, len(attempt.question_ids or []))
    review = client.get("/quiz/review")
    assert "Result" in client.post("/quiz/submit", data={"csrf": csrf_of(review)}).text
    late = client.post(f"/quiz/q/{number}", data={"csrf": csrf_of(page), "answer": "b"}, headers={"X-Autosave": "1"})
    assert late.status_code == 409 and late.json()["saved"] is False
    with Session(site.engine) as session:
        assert session.exec(select(Answer).where(Answer.attempt_id == attempt.id)).first() is None
    assert "/quiz/result" in str(client.get(f"/quiz/q/{number}").url)


class FailingCertifier:
    """A pass hook that refuses (as a certificate plugin may): the submit is not kept, and the trainee is told."""

    @hookimpl
    def lms_attempt_graded(self, session: Session, attempt: Attempt) -> None:
        raise LmsError("no certificate template")


def test_a_submit_whose_grading_fails_says_so_and_keeps_the_quiz_open(site: Site, web_pm: pluggy.PluginManager) -> None:
    mine = site.codes[0]
    client, question = started(site, mine.code)
    with Session(site.engine) as session:
        attempt = session.exec(select(Attempt).where(Attempt.person_id == mine.person_id)).one()
    single_choice(client, len(attempt.question_ids or []))
    failing = FailingCertifier()
    web_pm.register(failing)
    refused = client.post("/quiz/submit", data={"csrf": csrf_of(client.get("/quiz/review"))})
    assert refused.status_code == 409 and "no certificate template" in refused.text
    with Session(site.engine) as session:
        assert session.get(Attempt, attempt.id).status == AttemptStatus.in_progress  # type: ignore[union-attr]
    web_pm.unregister(failing)
    assert "Result" in client.post("/quiz/submit", data={"csrf": csrf_of(client.get("/quiz/review"))}).text


def test_a_cancelled_session_ends_every_open_quiz_at_once(site: Site) -> None:
    client, question = started(site, site.codes[0].code)
    with Session(site.engine) as session:
        training = session.get(TrainingSession, site.world["session"].id)
        assert training is not None
        training.status = "cancelled"
        session.add(training)
        session.commit()
    save = client.post("/quiz/q/1", data={"csrf": csrf_of(question), "answer": "b"}, headers={"X-Autosave": "1"})
    assert save.status_code == 403 and "expired" in save.json()["error"]  # shown beside the question
    assert "Enter the personal code" in client.get("/quiz/q/1").text
    with Session(site.engine) as session:
        assert session.exec(select(Answer)).first() is None


def test_a_submit_before_starting_is_refused_in_the_trainees_language(site: Site, web_pm: pluggy.PluginManager) -> None:
    backend = WebBackend(site.engine, web_pm, site.clock)
    key = backend.redeem(site.codes[0].code)
    with in_language("zh"), pytest.raises(LmsError) as refused:
        backend.submit(key)
    assert refused.value.message == "还没有开始答题"
