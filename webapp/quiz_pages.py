"""The trainee's pages: enter the code from the slip, start, one question per page (saved on every change and on
every step), review, submit, result, feedback. Nothing here takes a trainee's identity from what they type: the
browser holds a signed cookie bound to the code it redeemed, and every call goes through that grant."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, RedirectResponse, Response
from starlette.routing import Route

from lms.assessment.attempts import AlreadySubmitted
from lms.assessment.trainee_access import AccessRefused
from lms.errors import LmsError
from lms.i18n import _, pick
from webapp.answers import answered, order_positions, response_from_form
from webapp.app import Pages
from webapp.backend import Key
from webapp.guard import csrf_ok


def client_of(request: Request) -> str:
    return request.client.host if request.client else "?"


def see_other(path: str) -> RedirectResponse:
    return RedirectResponse(path, status_code=303)


def key_of(request: Request) -> Key | None:
    """The access the browser's signed cookie names (checked against the database by the backend call)."""
    access_id, code_hash = request.session.get("access"), request.session.get("h")
    if not isinstance(access_id, int) or not isinstance(code_hash, str):
        return None
    return Key(access_id, code_hash)


def routes(pages: Pages) -> list[Route]:
    def enter(request: Request) -> Response:
        if request.method == "GET":
            return pages.render(request, "enter.html.j2", code=request.query_params.get("c", "")[:40], error=None)
        return _redeem(request)

    def _redeem(request: Request) -> Response:
        form = request.state.form
        if not csrf_ok(request, form.get("csrf")):
            return pages.message(request, "表单已过期，请重新打开页面。 The form expired; open the page again.", 403)
        client = client_of(request)
        code = str(form.get("code", ""))[:40]
        if pages.guesses.blocked(client):
            return pages.render(request, "enter.html.j2", status_code=429, code="", error="too_many")
        try:
            key = pages.backend.redeem(code)
        except AccessRefused as error:
            pages.guesses.failed(client)
            return pages.render(request, "enter.html.j2", status_code=403, code=code, error=error.message)
        request.session["access"], request.session["h"] = key.access_id, key.code_hash
        return see_other("/quiz")

    def quiz(request: Request, key: Key) -> Response:
        overview = pages.backend.overview(key)
        if overview.paper is None:
            return pages.render(request, "start.html.j2", card=overview.card)
        if overview.paper.submitted:
            return see_other("/quiz/result")
        first_open = next((q.number for q in overview.views if q.body.input != "none" and not answered(q)), 1)
        return see_other(f"/quiz/q/{first_open}")

    def start(request: Request, key: Key) -> Response:
        if not csrf_ok(request, request.state.form.get("csrf")):
            return see_other("/")
        try:
            pages.backend.start(key)
        except LmsError as error:
            return pages.message(request, error.message)
        return see_other("/quiz")

    def question(request: Request, key: Key) -> Response:
        number = int(request.path_params["number"])
        if request.method == "POST":
            return _save(request, key, number)
        shown = pages.backend.question(key, number)
        if shown.paper is None:
            return see_other("/quiz")
        if shown.paper.submitted:
            return see_other("/quiz/result")
        if shown.view is None:
            return see_other("/quiz/review")
        return pages.render(
            request,
            "question.html.j2",
            view=shown.view,
            total=shown.paper.total,
            seconds_left=_seconds_left(shown.paper.deadline, pages.backend.clock()),
            positions=order_positions(shown.view) if shown.view.body.input == "order" else {},
            pick=pick,
            error=None,
        )

    def _save(request: Request, key: Key, number: int) -> Response:
        """The autosave (``X-Autosave: 1``, answered in JSON) and the buttons' save-and-move-on, one transaction."""
        form = request.state.form
        fetched = request.headers.get("x-autosave") == "1"
        if not csrf_ok(request, form.get("csrf")):
            return JSONResponse({"saved": False}, 403) if fetched else see_other(f"/quiz/q/{number}")
        try:
            shown = pages.backend.save(key, number, lambda view: response_from_form(view, form))
        except AccessRefused as error:
            if not fetched:
                raise  # back to the code form
            request.session.pop("access", None)
            return JSONResponse({"saved": False, "error": error.message}, 403)
        except LmsError as error:
            if fetched:
                return JSONResponse({"saved": False, "error": error.message}, 409)
            return pages.message(request, error.message, 409, back="/quiz")
        if shown.paper is None or shown.view is None:
            if fetched:
                return JSONResponse({"saved": False, "error": _("No such question")}, 409)
            return see_other("/quiz" if shown.paper is None else "/quiz/review")
        if fetched:
            return JSONResponse({"saved": True})
        total = shown.paper.total
        step = {"prev": number - 1, "next": number + 1, "review": total + 1}.get(str(form.get("go")), number + 1)
        return see_other(f"/quiz/q/{step}" if 1 <= step <= total else "/quiz/review")

    def review(request: Request, key: Key) -> Response:
        overview = pages.backend.overview(key)
        if overview.paper is None or overview.paper.submitted:
            return see_other("/quiz")
        return pages.render(
            request,
            "review.html.j2",
            views=overview.views,
            answered=answered,
            seconds_left=_seconds_left(overview.paper.deadline, pages.backend.clock()),
        )

    def submit(request: Request, key: Key) -> Response:
        if not csrf_ok(request, request.state.form.get("csrf")):
            return see_other("/")
        try:
            pages.backend.submit(key)
        except AlreadySubmitted:
            pass  # submitted already (another tab, or the clock): the result page tells
        except LmsError as error:  # nothing was kept (grading or the certificate failed): say so; they may try again
            return pages.message(request, error.message, status_code=409)
        return see_other("/quiz/result")

    def result(request: Request, key: Key) -> Response:
        outcome = pages.backend.result(key)
        if outcome is None:
            return see_other("/quiz")
        return pages.render(request, "result.html.j2", result=outcome)

    def survey(request: Request, key: Key) -> Response:
        questions = pages.backend.survey()
        if request.method == "GET":
            return pages.render(request, "survey.html.j2", survey=questions, pick=pick, error=None, done=False)
        form = request.state.form
        if not csrf_ok(request, form.get("csrf")):
            return see_other("/quiz/feedback")
        ratings = {item.id: _rating(form.get(item.id)) for item in questions.ratings}
        comments = {item.id: form.get(item.id) for item in questions.comments}
        try:
            pages.backend.feedback(key, ratings, comments)
        except LmsError as error:
            return pages.render(
                request, "survey.html.j2", 400, survey=questions, pick=pick, error=error.message, done=False
            )
        return pages.render(request, "survey.html.j2", survey=questions, pick=pick, error=None, done=True)

    def threaded(handler: Any) -> Any:
        async def endpoint(request: Request) -> Response:
            if request.method == "POST":
                request.state.form = await request.form(max_files=0, max_fields=200)
            return await _threaded(handler, request)

        return endpoint

    def trainee(handler: Callable[[Request, Key], Response]) -> Any:
        """A page for a trainee who has redeemed a code: without the cookie, or once the backend refuses it (code
        reissued, session over), the browser goes back to the code form."""

        def checked(request: Request) -> Response:
            key = key_of(request)
            if key is None:
                return see_other("/")
            try:
                return handler(request, key)
            except AccessRefused:
                request.session.pop("access", None)
                return see_other("/")

        return threaded(checked)

    return [
        Route("/", threaded(enter), methods=["GET", "POST"]),
        Route("/q", threaded(enter), methods=["GET", "POST"]),
        Route("/quiz", trainee(quiz), methods=["GET"]),
        Route("/quiz/start", trainee(start), methods=["POST"]),
        Route("/quiz/q/{number:int}", trainee(question), methods=["GET", "POST"]),
        Route("/quiz/review", trainee(review), methods=["GET"]),
        Route("/quiz/submit", trainee(submit), methods=["POST"]),
        Route("/quiz/result", trainee(result), methods=["GET"]),
        Route("/quiz/feedback", trainee(survey), methods=["GET", "POST"]),
    ]


async def _threaded(handler: Any, request: Request) -> Response:
    """Database work runs in the thread pool, so one slow query never stalls the other phones."""
    from starlette.concurrency import run_in_threadpool

    response: Response = await run_in_threadpool(handler, request)
    return response


def _rating(value: Any) -> int | None:
    return int(value) if isinstance(value, str) and value in {"1", "2", "3", "4", "5"} else None


def _seconds_left(deadline: dt.datetime | None, now: dt.datetime) -> int | None:
    return None if deadline is None else max(0, int((deadline - now).total_seconds()))
