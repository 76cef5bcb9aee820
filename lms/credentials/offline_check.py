"""Checking a certificate without our database: the code's Ed25519 signature against the public keyring, and for a
PDF the file itself — the holder and serial printed on the page must be the ones the signed code names, and a PAdES
signature, when the file has one, must still cover every byte. Whether a certificate was revoked or superseded since
cannot be known offline; the ``/v/`` page of ``lms web`` answers that."""

from __future__ import annotations

import datetime as dt
import io
import logging
from pathlib import Path
from typing import Any

from lms.credentials.keyring import key_for, outside_period, read_keyring
from lms.credentials.signing import CODE_PREFIX, CodeRejected, decode_code, verify_code
from lms.credentials.verification import PDF_MAGIC, VerificationResult, VerificationStatus, embedded_code
from lms.errors import LmsError
from lms.i18n import _


def code_from_target(target: str) -> str:
    """The code in what was given: the code itself, or a ``/v/SERIAL?c=CODE`` address read from a QR code."""
    text = "".join(target.split())
    if "?c=" in text or "&c=" in text:
        from urllib.parse import parse_qs, urlsplit

        values = parse_qs(urlsplit(text).query).get("c")
        if values:
            return values[0]
    return text


def printed_text(data: bytes) -> str:
    """The text printed on the PDF's pages, without spaces (Chinese names are laid out glyph by glyph)."""
    from pypdf import PdfReader

    logging.getLogger("pypdf").setLevel(logging.ERROR)
    reader = PdfReader(io.BytesIO(data))
    return "".join("".join((page.extract_text() or "").split()) for page in reader.pages)


def _check_code(code: str, keyring: str, on: dt.date) -> VerificationResult:
    entries = read_keyring(keyring)
    try:
        payload, _signature = decode_code(code)
    except LmsError as error:
        return VerificationResult(VerificationStatus.tampered, error.message)
    entry = key_for(entries, str(payload.get("k")))
    if entry is None:
        return VerificationResult(
            VerificationStatus.unknown,
            _("signed by key {key_id}, not by the key given").format(key_id=payload.get("k")),
            payload=payload,
        )
    try:
        payload = verify_code(None, code, public_key_pem=entry.pem)
    except CodeRejected as rejected:
        return VerificationResult(rejected.status, rejected.message, payload=rejected.payload)
    if outside_period(entry, payload.get("d")):
        return VerificationResult(
            VerificationStatus.tampered,
            _("dated {issued}, after its key {key_id} was retired").format(
                issued=payload.get("d"), key_id=entry.key_id
            ),
            payload=payload,
        )
    expires = payload.get("e")
    if isinstance(expires, str) and expires < on.isoformat():
        return VerificationResult(
            VerificationStatus.expired, _("expired on {date}").format(date=expires), payload=payload
        )
    reason = _(
        "signature good for {serial}: {holder}, {course}, issued {issued} (checked offline; a revocation "
        "would not show)"
    ).format(serial=payload.get("s"), holder=payload.get("n"), course=payload.get("c"), issued=payload.get("d"))
    return VerificationResult(VerificationStatus.valid, reason, payload=payload)


def _check_pdf(data: bytes, keyring: str, on: dt.date) -> VerificationResult:
    code = embedded_code(data)
    if code is None:
        return VerificationResult(VerificationStatus.unknown, _("this PDF carries no verification code of ours"))
    result = _check_code(code, keyring, on)
    payload: dict[str, Any] = result.payload or {}
    from lms.credentials.pades import pdf_signature

    signature = pdf_signature(data, None)
    described = signature.describe() if signature is not None else None
    if signature is not None and not (signature.intact and signature.whole_file):
        return VerificationResult(
            VerificationStatus.tampered, described or "", payload=payload, pdf_signature=described
        )
    if result.status in (VerificationStatus.valid, VerificationStatus.expired):
        text = printed_text(data)
        for field, label in (("s", _("serial")), ("n", _("holder"))):
            wanted = "".join(str(payload.get(field, "")).split())
            if wanted and wanted not in text:
                reason = _("the {what} printed on the page is not the {value} the signed code names").format(
                    what=label, value=wanted
                )
                return VerificationResult(VerificationStatus.tampered, reason, payload=payload, pdf_signature=described)
    return VerificationResult(result.status, result.reason, payload=result.payload, pdf_signature=described)


def verify_offline(target: str, keyring: str, *, on: dt.date) -> VerificationResult:
    """Check a code, a QR address or a certificate PDF against a keyring (or one public key), without the database.

    Raises:
        LmsError: the keyring holds no Ed25519 public key.
    """
    code = code_from_target(target)
    if code.startswith(f"{CODE_PREFIX}."):
        return _check_code(code, keyring, on)
    path = Path(target.strip())
    if not path.is_file():
        return VerificationResult(
            VerificationStatus.unknown, _("offline checks need a verification code or a PDF file")
        )
    try:
        data = path.read_bytes()
    except OSError as error:
        return VerificationResult(
            VerificationStatus.unknown, _("cannot read the file: {reason}").format(reason=error.strerror)
        )
    if not data.startswith(PDF_MAGIC):
        return VerificationResult(VerificationStatus.unknown, _("not a PDF file"))
    try:
        return _check_pdf(data, keyring, on)
    except LmsError as error:
        if error.message == _("not an Ed25519 public key in PEM form"):
            raise
        return VerificationResult(VerificationStatus.unknown, error.message)
