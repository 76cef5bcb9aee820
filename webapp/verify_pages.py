"""The certificate check page a buyer's phone opens from a certificate's QR code: ``/v/{serial}?c={code}``."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from lms.calendars.dates import local_date
from lms.credentials.public_check import public_check
from lms.db import session_scope
from webapp.app import Pages


def routes(pages: Pages) -> list[Route]:
    def check(request: Request) -> Response:
        serial = str(request.path_params["serial"])[:40]
        code = request.query_params.get("c", "")[:2000] or None
        with session_scope(pages.backend.engine) as session:
            answer = public_check(session, serial=serial, code=code, on=local_date(pages.backend.clock()))
        status_code = 200 if answer.status != "unknown" else 404
        return pages.render(request, "verify.html.j2", status_code=status_code, answer=answer)

    return [Route("/v/{serial}", check, methods=["GET"])]
