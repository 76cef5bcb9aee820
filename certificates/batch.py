"""Issuing certificates in batch: rows for passed attempts, then one PDF per certificate, in worker processes.

A batch can be killed at any point and run again:
- certificate rows are created in one transaction (serials from the locked counter, so never twice);
- each PDF is written to a temporary file and renamed to ``<serial>.pdf`` — a re-run overwrites the same name, so no
  second copy and no half-written file remain;
- its SHA-256 is recorded only after the file is in place; certificates without one are what a re-run renders.

Workers are forked after the parent has imported WeasyPrint and prepared the fonts, so each starts in milliseconds,
then keeps one :class:`~certificates.engine.DocumentEngine` for all the certificates it renders.
"""

from __future__ import annotations

import datetime as dt
import gc
import multiprocessing
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NamedTuple

import pluggy
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from certificates.context import branding_files, certificate_contexts
from certificates.engine import BASE_TEMPLATE_FOLDER, DocumentEngine, builtin_templates
from certificates.fitting import FIT_STEPS, does_not_fit, layout_problems
from certificates.fonts import PreparedFonts, for_batch, missing_glyphs, prepare_fonts, with_rare_characters
from lms.access.roles import Permission, require
from lms.calendars.dates import working_today
from lms.config import settings
from lms.credentials.certificates import record_pdf
from lms.credentials.eligibility import Refusal, passed_refusals
from lms.credentials.issuing import issue_missing_rows
from lms.credentials.pades import PadesKey, PdfSigner, load_pades_key, pades_key_path
from lms.credentials.signing import issuer_key_path
from lms.db import session_scope
from lms.documents.templates import document_templates
from lms.errors import LmsError
from lms.files.storage import files_root, sha256_of, write_atomically
from lms.fonts.coverage import unprintable_message
from lms.master_data.issuer import issuer_name
from lms.models import Certificate, CertificateStatus
from lms.models.lookup import session_by_id_or_code

RECORD_EVERY = 25  # certificates whose hashes are committed together
BATCH_FACE_FROM = 20  # certificates in a batch from which a face of just their characters pays for itself (~1 s)


@dataclass
class IssueReport:
    created: list[str] = field(default_factory=list)
    rendered: list[str] = field(default_factory=list)
    refused: list[tuple[str, str]] = field(default_factory=list)
    not_certified: list[Refusal] = field(default_factory=list)  # passed, but not on the roster or not attended
    output_dir: Path | None = None
    placeholder_issuer: bool = False  # the PDFs carry the example vendor name: no branding, no vendor organisation


def certificates_folder(engine: Engine) -> Path:
    return files_root(engine) / "certificates"


def pending_certificates(session: Session, *, session_id: int | None) -> list[Certificate]:
    """Valid certificates whose PDF has not been produced yet."""
    query = select(Certificate).where(
        col(Certificate.status) == CertificateStatus.valid, col(Certificate.pdf_sha256).is_(None)
    )
    if session_id is not None:
        query = query.where(col(Certificate.session_id) == session_id)
    return list(session.exec(query.order_by(col(Certificate.serial))))


def printed_text(contexts: Sequence[dict[str, Any]], templates: Mapping[str, Path] | None = None) -> str:
    """Every character the certificates of a batch can print: the template's own text and the contexts' values."""
    templates = {**builtin_templates(), **(templates or {})}
    sources = [
        path.read_text(encoding="utf-8")
        for folder in (templates["certificate"], templates[BASE_TEMPLATE_FOLDER])
        for path in folder.glob("*.j2")
    ]
    values = {str(value) for context in contexts for value in context.values()}
    return "".join(sources) + "".join(values)


def shown_text(context: Mapping[str, Any]) -> str:
    """The text values one certificate prints (names, titles, issuer), not its image addresses."""
    return "".join(value for key, value in context.items() if isinstance(value, str) and not key.endswith("_url"))


QR_PIXELS_PER_MODULE = 4
QR_QUIET_ZONE = 2  # modules of white around the code


def qr_data_uri(text: str) -> str:
    """The QR code of ``text`` as a PNG with whole pixels per module, drawn without interpolation (the stylesheets
    set ``image-rendering: crisp-edges``), so every module prints as a sharp square at any resolution.

    A raster rather than SVG because WeasyPrint parses SVG path data coordinate by coordinate in Python: the ~1,100
    runs of a signed verification code (QR version 12) cost 25–45 ms a certificate as SVG, ~3 ms as this image."""
    import segno

    return str(segno.make(text, error="m").png_data_uri(scale=QR_PIXELS_PER_MODULE, border=QR_QUIET_ZONE))


def render_certificate(engine: DocumentEngine, context: dict[str, Any]) -> bytes:
    """The certificate in the largest type it fits in (see :mod:`certificates.fitting`); refused if none does."""
    qr_text = context.get("verification_url") or context["verification_code"]
    context = {**context, "qr_data_uri": qr_data_uri(qr_text)}
    for fit in range(FIT_STEPS):
        document = engine.layout("certificate", {**context, "fit": fit})
        if not layout_problems(document):
            return engine.write(document).pdf
    raise does_not_fit(context)


# --- worker processes ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class RenderJob:
    """One certificate to render and where its PDF goes (the worker writes it, so the parent only records)."""

    certificate_id: int
    context: dict[str, Any]
    stored: Path
    copy: Path | None


@dataclass
class Renderer:
    """What one process renders with: the document engine and, when PDFs are signed, the signer."""

    engine: DocumentEngine
    signer: PdfSigner | None = None


@dataclass(frozen=True)
class RenderSetup:
    """What every process renders with: prepared fonts, the templates (plugins' included), allowed extra folders
    (branding images) and the PAdES key when PDFs are signed."""

    fonts: PreparedFonts
    templates: dict[str, Path]
    extra_roots: list[Path]
    pades_key: PadesKey | None = None


_WORKER: Renderer | None = None


def _make_renderer(setup: RenderSetup) -> Renderer:
    engine = DocumentEngine(setup.templates, fonts=setup.fonts, extra_roots=setup.extra_roots)
    return Renderer(engine, PdfSigner(setup.pades_key) if setup.pades_key is not None else None)


def _start_worker(setup: RenderSetup) -> None:
    global _WORKER
    _WORKER = _make_renderer(setup)


class Rendered(NamedTuple):
    """A certificate written (its SHA-256 and where), or refused (why: it does not fit, or has a box in it)."""

    certificate_id: int
    digest: str = ""
    stored: str = ""
    refused: str = ""


def _render_and_write(renderer: Renderer, job: RenderJob) -> Rendered:
    try:
        pdf = render_certificate(renderer.engine, job.context)
    except LmsError as error:  # this certificate only: the rest of the batch goes on
        return Rendered(job.certificate_id, refused=str(error))
    if renderer.signer is not None:
        pdf = renderer.signer.sign(pdf)
    write_atomically(job.stored, pdf)
    if job.copy is not None:
        write_atomically(job.copy, pdf)
    return Rendered(job.certificate_id, sha256_of(pdf), str(job.stored))


def _render_in_worker(job: RenderJob) -> Rendered:
    assert _WORKER is not None
    return _render_and_write(_WORKER, job)


def render_all(
    jobs: Sequence[RenderJob],
    *,
    workers: int,
    setup: RenderSetup,
) -> Iterator[Rendered]:
    """Render (and sign, with a PAdES key in ``setup``) and write certificates, yielding each as it is done."""
    if workers <= 1 or len(jobs) <= 1:
        renderer = _make_renderer(setup)
        for job in jobs:
            yield _render_and_write(renderer, job)
        return
    import weasyprint  # noqa: F401  imported before forking, so the workers share it instead of each importing it

    # Everything the parent has allocated so far goes to the permanent generation: the workers' garbage collections
    # then skip those inherited objects instead of walking them (and copying their pages) again and again (~10%).
    gc.freeze()
    try:
        fork = multiprocessing.get_context("fork")
        with fork.Pool(workers, initializer=_start_worker, initargs=(setup,)) as pool:
            yield from pool.imap_unordered(_render_in_worker, jobs, chunksize=4)
    finally:
        gc.unfreeze()


def issue_certificates(
    engine: Engine,
    pm: pluggy.PluginManager,
    *,
    session_ref: int | str | None = None,
    workers: int = 1,
    output_dir: Path | None = None,
    issued_on: dt.date | None = None,
    on_total: Callable[[int], None] | None = None,
    on_rendered: Callable[[str], None] | None = None,
    sign_pdf: bool = False,
) -> IssueReport:
    """Issue what is due and render every certificate still without its PDF, with the ``certificate`` template
    plugins register (``lms_document_templates``; the packaged one otherwise); ``sign_pdf`` adds a PAdES signature
    to each (see :mod:`lms.credentials.pades`)."""
    require(Permission.issue_certificates)
    branding = settings().branding
    pades_key = None
    if sign_pdf:  # a bad key file stops the batch before anything is written
        key_file = pades_key_path(issuer_key_path(engine))
        with session_scope(engine) as session:
            issuer = issuer_name(session=session, branding=branding)
        pades_key = load_pades_key(key_file, vendor_zh=issuer.zh, vendor_en=issuer.en)
    issued_on = issued_on or working_today()
    templates = document_templates(pm)
    session_id: int | None = None
    report = IssueReport(output_dir=output_dir)
    with session_scope(engine) as session:
        if session_ref is not None:
            session_id = session_by_id_or_code(session, session_ref).id
        report.created = [
            certificate.serial
            for certificate in issue_missing_rows(session, session_id=session_id, issued_on=issued_on, pm=pm)
        ]
        report.not_certified = passed_refusals(session, session_id=session_id)
    fonts = prepare_fonts()
    with session_scope(engine) as session:
        pending = pending_certificates(session, session_id=session_id)
        contexts = certificate_contexts(session, pending, branding)
        report.placeholder_issuer = bool(pending) and issuer_name(session=session, branding=branding).is_placeholder
        serials = {certificate.id: certificate.serial for certificate in pending}
    fonts = with_rare_characters(fonts, "".join(map(shown_text, contexts)))
    if len(contexts) >= BATCH_FACE_FROM:
        fonts = for_batch(fonts, printed_text(contexts, templates))
    folder = certificates_folder(engine)
    if output_dir is not None:
        output_dir.mkdir(parents=True, exist_ok=True)
    jobs: list[RenderJob] = []
    for certificate, context in zip(pending, contexts, strict=True):
        assert certificate.id is not None
        missing = missing_glyphs(shown_text(context))
        if missing:
            report.refused.append((certificate.serial, unprintable_message(missing)))
            continue
        serial = certificate.serial
        copy = output_dir / f"{serial}.pdf" if output_dir is not None else None
        jobs.append(RenderJob(certificate.id, context, folder / serial.split("-")[0] / f"{serial}.pdf", copy))
    if on_total:
        on_total(len(jobs))
    done: list[tuple[int, str, str]] = []
    for rendered in render_all(
        jobs, workers=workers, setup=RenderSetup(fonts, templates, branding_files(branding), pades_key)
    ):
        if rendered.refused:
            report.refused.append((serials[rendered.certificate_id], rendered.refused))
            continue
        done.append((rendered.certificate_id, rendered.digest, rendered.stored))
        report.rendered.append(serials[rendered.certificate_id])
        if on_rendered:
            on_rendered(serials[rendered.certificate_id])
        if len(done) >= RECORD_EVERY:
            _record(engine, done)
            done = []
    _record(engine, done)
    return report


def _record(engine: Engine, done: list[tuple[int, str, str]]) -> None:
    if not done:
        return
    with session_scope(engine) as session:
        for certificate_id, digest, path in done:
            certificate = session.get(Certificate, certificate_id)
            assert certificate is not None
            record_pdf(session, certificate, digest, path)
