"""``lms web``: serve the trainees' phone quiz, the trainer's live page and the certificate check page."""

from __future__ import annotations

import secrets
from pathlib import Path

import typer

from lms.cli.support import emit, runtime
from lms.errors import LmsError
from lms.i18n import _

SECRET_FILE = "lms-web-secret"


def cookie_secret(files_dir: Path) -> str:
    """The key that signs browser cookies, kept beside the files folder so that a restart logs nobody out."""
    from lms.credentials.signing import write_private_file

    path = files_dir.parent / SECRET_FILE
    if not path.exists():
        write_private_file(path, secrets.token_urlsafe(48).encode(), replace=False)
    return path.read_text().strip()


def register(app: typer.Typer) -> None:
    @app.command(help=_("Serve trainees' quizzes on their phones and the certificate check page (a web app)."))
    def web(
        ctx: typer.Context,
        host: str = typer.Option("127.0.0.1", help=_("address to listen on (0.0.0.0: every network)")),
        port: int = typer.Option(8080, help=_("port to listen on")),
        public_url: str | None = typer.Option(
            None, "--public-url", help=_("the address phones reach, printed in QR codes (else web.public_url)")
        ),
        tls_cert: Path | None = typer.Option(None, "--tls-cert", help=_("certificate file to serve HTTPS")),
        tls_key: Path | None = typer.Option(None, "--tls-key", help=_("private key of the HTTPS certificate")),
    ) -> None:
        """Serve trainees' quizzes on their phones and the certificate check page (a web app)."""
        import uvicorn

        from lms.access.roles import Role, set_role
        from lms.config import settings
        from lms.files.storage import files_root
        from lms.i18n import set_language
        from webapp.app import WebSettings, make_web_app

        if (tls_cert is None) != (tls_key is None):
            raise LmsError(_("give both --tls-cert and --tls-key, or neither"), field="--tls-cert")
        rt = runtime(ctx)
        engine = rt.engine()
        configured = settings().web
        token = configured.trainer_token or secrets.token_urlsafe(18)
        url = (public_url or configured.public_url or f"http://{host}:{port}").rstrip("/")
        web_settings = WebSettings(
            secret=cookie_secret(files_root(engine)), public_url=url, trainer_token=token, tls=tls_cert is not None
        )
        set_role(Role.trainee)  # every page acts for a trainee; the trainer's page raises its own role
        set_language("zh")
        emit(
            _("trainees open {url}; the trainer's live page: {url}/trainer/SESSION?token={token}").format(
                url=url, token=token
            )
        )
        application = make_web_app(engine=engine, pm=rt.pm, settings=web_settings)
        uvicorn.run(
            application,
            host=host,
            port=port,
            log_level="warning",
            ssl_certfile=str(tls_cert) if tls_cert else None,
            ssl_keyfile=str(tls_key) if tls_key else None,
            proxy_headers=False,
        )
