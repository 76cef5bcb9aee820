"""The trainer's live page: who has started the quiz and who has submitted, refreshed every few seconds.

It opens with the trainer token (``web.trainer_token`` in the configuration, or the one ``lms web`` prints); the token
is then kept in the signed cookie and taken out of the address bar."""

from __future__ import annotations

import hmac

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from lms.access.roles import Role, acting_as
from lms.assessment.progress import quiz_progress
from lms.db import session_scope
from lms.errors import LmsError
from webapp.app import Pages


def routes(pages: Pages) -> list[Route]:
    def live(request: Request) -> Response:
        expected = pages.settings.trainer_token
        given = request.query_params.get("token")
        if expected and given and hmac.compare_digest(given, expected):
            request.session["trainer"] = True
            return RedirectResponse(request.url.path, status_code=303)
        if not expected or request.session.get("trainer") is not True:
            return pages.message(request, "需要讲师令牌。 The trainer's token is needed.", 403)
        try:
            with acting_as(Role.trainer), session_scope(pages.backend.engine) as session:
                code, rows = quiz_progress(session, session_code=request.path_params["code"])
        except LmsError as error:
            return pages.message(request, error.message, 404)
        counts = {state: sum(1 for row in rows if row.state == state) for state in ("in_progress", "submitted")}
        counts["submitted"] += sum(1 for row in rows if row.state == "graded")
        return pages.render(request, "trainer.html.j2", code=code, rows=rows, counts=counts)

    return [Route("/trainer/{code}", live, methods=["GET"])]
