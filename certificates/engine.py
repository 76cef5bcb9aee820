"""The one rendering path for every document: Jinja2 templates → HTML → WeasyPrint → PDF/A-3b.

Certificates, sign-in sheets, paper quizzes and evidence packs all come through :class:`DocumentEngine`, which holds
what is expensive to make and safe to reuse: one ``FontConfiguration``, the parsed stylesheets (made with that same
font configuration, or their ``@font-face`` rules would be dropped) and the Jinja2 environment.

Templates can neither read files nor reach the network: :class:`AssetFetcher` serves ``data:`` URLs and files inside
the packaged assets, the template folders, the font cache and the configured branding images, and refuses the rest.
Autoescaping is always on, so a trainee named ``<img src="file:///etc/hostname">`` is printed as that text.
"""

from __future__ import annotations

import logging
import mimetypes
import re
import threading
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit
from urllib.request import url2pathname

import jinja2

from certificates.fonts import PreparedFonts, prepare_fonts
from lms.errors import LmsError
from lms.fonts.coverage import unprintable_message
from lms.i18n import _

PACKAGE = Path(__file__).parent
TEMPLATES = PACKAGE / "templates"
ASSETS = PACKAGE / "assets"
BASE_TEMPLATE_FOLDER = "_base"


class RefusedResource(ValueError):
    """A template asked for something outside the allowed folders; WeasyPrint skips it with a warning."""


def builtin_templates() -> dict[str, Path]:
    """The packaged templates: one folder each, with ``template.html.j2``, ``theme.css`` and ``fields.yaml``."""
    return {folder.name: folder for folder in sorted(TEMPLATES.iterdir()) if (folder / "fields.yaml").exists()}


def _allowed(path: Path, roots: Iterable[Path]) -> bool:
    return any(path == root or path.is_relative_to(root) for root in roots)


def make_fetcher(roots: Iterable[Path]) -> Any:
    """A WeasyPrint URL fetcher that serves ``data:`` URLs and files under ``roots`` only."""
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    resolved = tuple(root.resolve() for root in roots)

    class AssetFetcher(URLFetcher):  # type: ignore[misc]
        def fetch(self, url: str, headers: Any = None) -> Any:
            scheme = url.split(":", 1)[0].lower()
            if scheme == "data":
                return super().fetch(url, headers)
            if scheme != "file":
                raise RefusedResource(f"refused (only packaged assets may be used): {url}")
            # url2pathname decodes %2e%2e and friends; resolving afterwards turns any "..", symlink or double slash
            # into the real path, which must then lie inside an allowed folder.
            path = Path(url2pathname(urlsplit(url).path)).resolve()
            if not _allowed(path, resolved) or not path.is_file():
                raise RefusedResource(f"refused (outside the packaged assets): {url}")
            media_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
            return URLFetcherResponse(path.as_uri(), path.read_bytes(), {"Content-Type": media_type})

    return AssetFetcher(allowed_protocols={"data", "file"})


@dataclass(frozen=True)
class RenderedDocument:
    pdf: bytes
    pages: int


class DocumentEngine:
    """Renders named templates to PDF. Make one per process and reuse it: building it costs the WeasyPrint import
    (~0.6 s) and the font preparation; each document afterwards costs only its layout."""

    def __init__(
        self,
        templates: Mapping[str, Path] | None = None,
        *,
        fonts: PreparedFonts | None = None,
        extra_roots: Iterable[Path] = (),
    ) -> None:
        from weasyprint import CSS
        from weasyprint.text.fonts import FontConfiguration

        self.templates = dict(builtin_templates())
        self.templates.update(templates or {})
        self.fonts = fonts if fonts is not None else prepare_fonts()
        roots = [ASSETS, *self.templates.values(), *(path.parent for path in self.fonts.files())]
        roots.extend(extra_roots)
        self.fetcher = make_fetcher(roots)
        self.font_config = FontConfiguration()
        self.jinja = jinja2.Environment(
            loader=jinja2.PrefixLoader(
                {name: jinja2.FileSystemLoader(folder) for name, folder in self.templates.items()}, delimiter="/"
            ),
            autoescape=True,
            undefined=jinja2.StrictUndefined,
            trim_blocks=True,
            lstrip_blocks=True,
        )
        self._base_css = [
            CSS(string=self.fonts.css(), font_config=self.font_config, url_fetcher=self.fetcher),
            self._stylesheet(self.templates[BASE_TEMPLATE_FOLDER] / "base.css"),
        ]
        self._theme_css: dict[str, Any] = {}

    def _stylesheet(self, path: Path) -> Any:
        from weasyprint import CSS

        return CSS(
            string=path.read_text(encoding="utf-8"),
            base_url=path.parent.as_uri() + "/",
            font_config=self.font_config,
            url_fetcher=self.fetcher,
        )

    def stylesheets(self, template: str) -> list[Any]:
        if template not in self._theme_css:
            theme = self.templates[template] / "theme.css"
            self._theme_css[template] = self._stylesheet(theme) if theme.exists() else None
        theme_css = self._theme_css[template]
        return [*self._base_css, *([theme_css] if theme_css is not None else [])]

    def html(self, template: str, context: Mapping[str, Any]) -> str:
        if template not in self.templates:
            raise LmsError(_("no document template named {name!r}").format(name=template))
        return self.jinja.get_template(f"{template}/template.html.j2").render(**context)

    def layout(self, template: str, context: Mapping[str, Any]) -> Any:
        """The laid-out WeasyPrint document (its pages' boxes say where everything landed), not yet drawn."""
        from weasyprint import HTML

        html = self.html(template, context)
        base_url = self.templates[template].as_uri() + "/"
        return HTML(string=html, base_url=base_url, url_fetcher=self.fetcher).render(
            stylesheets=self.stylesheets(template), font_config=self.font_config
        )

    def write(self, document: Any, *, attachments: Iterable[Any] = ()) -> RenderedDocument:
        """Draw a laid-out document as PDF/A-3b with subset, embedded fonts; refused if a character would be a box."""
        with BoxesRefused() as boxes:
            pdf = document.write_pdf(pdf_variant="pdf/a-3b", attachments=list(attachments) or None)
        if boxes.characters:
            raise LmsError(unprintable_message(boxes.characters))
        assert pdf is not None
        return RenderedDocument(pdf, len(document.pages))

    def render(self, template: str, context: Mapping[str, Any], *, attachments: Iterable[Any] = ()) -> RenderedDocument:
        """Render ``template`` with ``context`` to a PDF/A-3b document with subset, embedded fonts."""
        return self.write(self.layout(template, context), attachments=attachments)


class BoxesRefused(logging.Handler):
    """Collects the characters WeasyPrint draws as .notdef (it only logs them): a box on paper, not allowed in PDF/A,
    so the document is refused with the characters named instead of being written."""

    NOTDEF = re.compile(r"\.notdef glyph rendered .*\(U\+([0-9A-F]+)\)")

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.characters: list[str] = []
        self.thread = threading.get_ident()  # the logger is the process's: other threads' documents are not ours

    def emit(self, record: logging.LogRecord) -> None:
        if record.thread != self.thread:
            return
        found = self.NOTDEF.search(record.getMessage())
        if found and chr(int(found.group(1), 16)) not in self.characters:
            self.characters.append(chr(int(found.group(1), 16)))

    def __enter__(self) -> BoxesRefused:
        logging.getLogger("weasyprint").addHandler(self)
        return self

    def __exit__(self, *_exc: object) -> None:
        logging.getLogger("weasyprint").removeHandler(self)
