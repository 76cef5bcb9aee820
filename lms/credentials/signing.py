"""The issuer's Ed25519 key and the signed verification codes printed on certificates (and in their QR codes).

A code is ``LMS1.<payload>.<signature>``: the payload is canonical JSON with short keys, the signature covers the
text before the last dot, both are base64url without padding so the whole code stays small enough for a QR code.
The private key lives in a PEM file (mode 0600) beside the data, or where ``LMS_ISSUER_KEY`` says; every public key
ever used is kept in the ``IssuerKey`` table, so certificates signed before a key rotation still verify.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import hashlib
import json
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from lms.access import audit
from lms.errors import LmsError
from lms.files.storage import files_root
from lms.i18n import _
from lms.models import IssuerKey

KEY_ENV = "LMS_ISSUER_KEY"
KEY_FILE_NAME = "issuer-ed25519.pem"
CODE_PREFIX = "LMS1"
_CACHE = "lms.issuer_key"
BASE64URL = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_")

# Short payload keys (they go into a QR code) and what they hold.
PAYLOAD_FIELDS = {
    "s": "serial",
    "n": "holder_name",
    "i": "holder_id",
    "c": "course",
    "d": "issued_on",
    "e": "expires_on",
    "k": "key_id",
    "f": "family",
}


class CodeRejected(LmsError):
    """A verification code that does not verify; ``status`` is ``tampered`` or ``unknown``."""

    def __init__(self, message: str, *, status: str, payload: dict[str, Any] | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.payload = payload


@dataclass(frozen=True)
class SigningKey:
    """The issuer's private key as loaded from its file, with the id its public half is recorded under."""

    key_id: str
    private_key: Ed25519PrivateKey
    path: Path

    @property
    def public_key_pem(self) -> str:
        return public_pem(self.private_key.public_key())


def issuer_key_path(engine: Engine) -> Path:
    """Where the private key file is: ``LMS_ISSUER_KEY``, else beside the database's files folder."""
    explicit = os.environ.get(KEY_ENV)
    if explicit:
        return Path(explicit)
    return files_root(engine).parent / KEY_FILE_NAME


def key_id_of(public_key: Ed25519PublicKey) -> str:
    """First 16 hex characters of the SHA-256 of the raw 32-byte public key."""
    raw = public_key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return hashlib.sha256(raw).hexdigest()[:16]


def public_pem(public_key: Ed25519PublicKey) -> str:
    return public_key.public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo).decode(
        "ascii"
    )


def load_public_key(pem: str | bytes) -> Ed25519PublicKey:
    """An Ed25519 public key from PEM text, or an error saying it is not one."""
    try:
        key = serialization.load_pem_public_key(pem.encode("ascii") if isinstance(pem, str) else pem)
    except (ValueError, TypeError, UnicodeEncodeError):
        raise LmsError(_("not an Ed25519 public key in PEM form")) from None
    if not isinstance(key, Ed25519PublicKey):
        raise LmsError(_("not an Ed25519 public key in PEM form"))
    return key


def _private_pem(key: Ed25519PrivateKey) -> bytes:
    return key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )


def write_private_file(path: Path, data: bytes, *, replace: bool) -> None:
    """Write the key through a private temporary file: a crash leaves no half-written key under the real name.

    Without ``replace`` the file is linked into place only if none exists, so two first uses keep one key.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".part")  # mode 0600
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        os.chmod(temporary, 0o600)
        if replace:
            os.replace(temporary, path)
        else:
            try:
                os.link(temporary, path)
            except FileExistsError:
                pass
    finally:
        Path(temporary).unlink(missing_ok=True)


def _read_private_key(path: Path) -> Ed25519PrivateKey:
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        write_private_file(path, _private_pem(Ed25519PrivateKey.generate()), replace=False)
        data = path.read_bytes()
    except OSError as error:
        raise LmsError(_("cannot read the issuer key: {reason}").format(reason=error.strerror), file=path) from None
    try:
        key = serialization.load_pem_private_key(data, password=None)
    except (ValueError, TypeError):
        raise LmsError(_("not an unencrypted Ed25519 private key in PEM form"), file=path) from None
    if not isinstance(key, Ed25519PrivateKey):
        raise LmsError(_("not an unencrypted Ed25519 private key in PEM form"), file=path)
    return key


def engine_of(session: Session) -> Engine:
    bind = session.get_bind()
    return bind if isinstance(bind, Engine) else bind.engine


def issuer_key(session: Session, *, path: Path | None = None) -> SigningKey:
    """The key new certificates are signed with, created on first use and recorded in ``IssuerKey``.

    Raises:
        LmsError: the file is unreadable or not an Ed25519 key, or its key was retired by a rotation.
    """
    path = path or issuer_key_path(engine_of(session))
    cached = session.info.get(_CACHE)
    if isinstance(cached, SigningKey) and cached.path == path:
        key = cached
        row = session.get(IssuerKey, key.key_id)
        if row is not None and row.retired_at is not None:  # rotated by another process since: read the file again
            session.info.pop(_CACHE, None)
            return issuer_key(session, path=path)
    else:
        private_key = _read_private_key(path)
        key = SigningKey(key_id_of(private_key.public_key()), private_key, path)
    # Checked on every use: a rolled-back first issue takes its new IssuerKey row with it.
    row = session.get(IssuerKey, key.key_id)
    if row is None:
        session.add(IssuerKey(key_id=key.key_id, public_key_pem=key.public_key_pem))
        session.flush()
    elif row.retired_at is not None:
        raise LmsError(
            _("the issuer key {key_id} was retired on {date}; restore the current key file or rotate again").format(
                key_id=key.key_id, date=row.retired_at.date().isoformat()
            ),
            file=path,
        )
    session.info[_CACHE] = key
    return key


def rotate_key(session: Session, *, path: Path | None = None) -> tuple[list[str], SigningKey]:
    """Make a new issuer key, retire the keys in use so far and replace the key file.

    Old public keys stay in ``IssuerKey``, so the codes they signed still verify. Returns the retired key ids and
    the new key. The file is replaced last, after the rows were flushed; the caller commits.
    """
    path = path or issuer_key_path(engine_of(session))
    private_key = Ed25519PrivateKey.generate()
    key = SigningKey(key_id_of(private_key.public_key()), private_key, path)
    now = dt.datetime.now(dt.UTC)
    retired = []
    for row in session.exec(select(IssuerKey).where(col(IssuerKey.retired_at).is_(None))):
        row.retired_at = now
        session.add(row)
        retired.append(row.key_id)
    session.add(IssuerKey(key_id=key.key_id, public_key_pem=key.public_key_pem, created_at=now))
    session.flush()
    audit.record(
        session,
        action="issuer_key.rotate",
        entity="issuer_key",
        key=key.key_id,
        before={"active": retired},
        after={"active": [key.key_id], "path": str(path)},
    )
    write_private_file(path, _private_pem(private_key), replace=True)
    session.info[_CACHE] = key
    return retired, key


def _b64encode(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _b64decode(text: str) -> bytes:
    if not text or not set(text) <= BASE64URL:
        raise ValueError("not base64url")
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def canonical_json(payload: dict[str, Any]) -> bytes:
    return json.dumps(payload, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode("utf-8")


def sign_certificate_payload(session: Session, key: SigningKey, payload: dict[str, Any]) -> str:
    """Sign ``payload`` (its ``k`` is set to the key's id) and return the verification code text."""
    row = session.get(IssuerKey, key.key_id)
    if row is None or row.retired_at is not None:
        raise LmsError(_("the issuer key {key_id} is not the current key").format(key_id=key.key_id))
    body = f"{CODE_PREFIX}.{_b64encode(canonical_json({**payload, 'k': key.key_id}))}"
    return f"{body}.{_b64encode(key.private_key.sign(body.encode('ascii')))}"


def _split(code: str) -> tuple[str, dict[str, Any], bytes]:
    text = "".join(code.split())
    parts = text.split(".")
    if len(parts) != 3 or parts[0] != CODE_PREFIX:
        raise LmsError(_("not a verification code (it starts with {prefix}.)").format(prefix=CODE_PREFIX))
    try:
        payload = json.loads(_b64decode(parts[1]).decode("utf-8"))
        signature = _b64decode(parts[2])
    except (ValueError, binascii.Error):  # UnicodeDecodeError and JSONDecodeError are ValueErrors
        raise LmsError(_("the verification code is damaged or altered")) from None
    if not isinstance(payload, dict) or not isinstance(payload.get("s"), str) or not isinstance(payload.get("k"), str):
        raise LmsError(_("the verification code is damaged or altered"))
    return f"{parts[0]}.{parts[1]}", payload, signature


def decode_code(code: str) -> tuple[dict[str, Any], bytes]:
    """The payload and signature of a code, unchecked.

    Raises:
        LmsError: the text is not a code or does not decode.
    """
    _body, payload, signature = _split(code)
    return payload, signature


def verify_code(session: Session | None, code: str, *, public_key_pem: str | None = None) -> dict[str, Any]:
    """The payload of a code whose signature holds, checked against the recorded issuer keys or, offline, against
    ``public_key_pem``.

    Raises:
        CodeRejected: ``unknown`` for text that is not a code or a key we never had; ``tampered`` for a damaged code
            or a signature that does not match.
    """
    try:
        body, payload, signature = _split(code)
    except LmsError as error:
        status = "tampered" if "".join(code.split()).startswith(f"{CODE_PREFIX}.") else "unknown"
        raise CodeRejected(error.message, status=status) from None
    key_id = payload["k"]
    if public_key_pem is not None:
        public_key = load_public_key(public_key_pem)
        if key_id_of(public_key) != key_id:
            raise CodeRejected(
                _("signed by key {key_id}, not by the key given").format(key_id=key_id),
                status="unknown",
                payload=payload,
            )
    else:
        if session is None:
            raise LmsError("internal: verify_code needs a database session or a public key")
        row = session.get(IssuerKey, key_id)
        if row is None:
            raise CodeRejected(
                _("signed by a key this issuer never used ({key_id})").format(key_id=key_id),
                status="unknown",
                payload=payload,
            )
        public_key = load_public_key(row.public_key_pem)
    try:
        public_key.verify(signature, body.encode("ascii"))
    except InvalidSignature:
        raise CodeRejected(
            _("the signature does not match the code's contents"), status="tampered", payload=payload
        ) from None
    return payload


def expanded_payload(payload: dict[str, Any]) -> dict[str, Any]:
    """The payload with readable keys, for JSON output."""
    return {PAYLOAD_FIELDS.get(key, key): value for key, value in payload.items()}


def issuer_keys(session: Session) -> list[IssuerKey]:
    return list(session.exec(select(IssuerKey).order_by(col(IssuerKey.created_at))))
