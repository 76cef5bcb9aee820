"""Turning the core's report data into PDFs: sign-in sheets and evidence packs (certificates: batch.py)."""

from __future__ import annotations

import atexit
from typing import Any

from certificates.batch import qr_data_uri
from certificates.engine import DocumentEngine
from lms.documents.evidence_pack import EvidencePack
from lms.documents.signin_sheets import SigninSheet
from lms.master_data.issuer import IssuerName, configured_issuer

_ENGINE: DocumentEngine | None = None


def shared_engine() -> DocumentEngine:
    """One engine per process for single documents (building one costs the WeasyPrint import and font loading)."""
    global _ENGINE
    if _ENGINE is None:
        _ENGINE = DocumentEngine()
        atexit.register(_drop_engine)
    return _ENGINE


def _drop_engine() -> None:
    """Free the engine while its libraries are still loaded (WeasyPrint's font cleanup fails at interpreter exit)."""
    global _ENGINE
    _ENGINE = None


def issuer_context(issuer: IssuerName | None = None) -> dict[str, Any]:
    """The names a document is issued in: those its builder read from the database, else the configuration's."""
    issuer = issuer or configured_issuer()
    return {"issuer_zh": issuer.zh, "issuer_en": issuer.en}


def render_signin_sheet(sheet: SigninSheet) -> bytes:
    context = {
        "evidence": sheet.evidence,
        "project_zh": sheet.project_zh,
        "project_en": sheet.project_en,
        "quiz_qr": qr_data_uri(sheet.evidence.code),
        "blank_rows": sheet.blank_rows,
        "slips": [{"slip": slip, "qr": qr_data_uri(slip.url)} for slip in sheet.slips],
        **issuer_context(sheet.issuer),
    }
    return shared_engine().render("signin_sheet", context).pdf


def render_evidence_pack(pack: EvidencePack) -> bytes:
    """The evidence pack with the scanned sign-in sheets embedded as PDF/A-3 attachments."""
    import io

    from weasyprint import Attachment

    attachments = [
        Attachment(file_obj=io.BytesIO(item.path.read_bytes()), name=item.name, description=f"SHA-256 {item.sha256}")
        for item in pack.files
    ]
    context = {
        "zh": pack.zh,
        "en": pack.en,
        "counts": pack.counts,
        "manifest": pack.manifest,
        "attachments": [{"name": item.name, "size": item.size, "sha256": item.sha256} for item in pack.files],
        "generated_on": pack.generated_on,
        "documents": pack.documents,
        **issuer_context(pack.issuer),
    }
    return shared_engine().render("evidence_pack", context, attachments=attachments).pdf
