"""The public keyring: every key the issuer ever signed verification codes with, each with its validity period, as
one text file a buyer keeps for checking certificates offline (``lms certs keys export``, ``lms certs verify
--public-key KEYRING``).

The file is plain PEM blocks, each after a comment line ``# key ID valid from START until END`` (END ``-`` for the
current key). Any Ed25519 tool can use a block; the comment says which certificates it may have signed.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from sqlmodel import Session

from lms.credentials.signing import issuer_keys, key_id_of, load_public_key
from lms.errors import LmsError
from lms.i18n import _

HEADER = "# LMS issuer keyring: every Ed25519 public key that signed certificate verification codes"
PERIOD = re.compile(r"^# key ([0-9a-f]{16}) valid from (\S+) until (\S+)\s*$")
BLOCK = re.compile(r"-----BEGIN PUBLIC KEY-----.+?-----END PUBLIC KEY-----", re.S)


@dataclass(frozen=True)
class PublicKeyEntry:
    key_id: str
    pem: str
    valid_from: dt.date | None
    valid_until: dt.date | None  # None: still the current key


def keyring_text(session: Session) -> str:
    """Every issuer key this database knows, oldest first, with its period."""
    lines = [HEADER]
    for key in issuer_keys(session):
        until = key.retired_at.date().isoformat() if key.retired_at else "-"
        lines.append(f"# key {key.key_id} valid from {key.created_at.date().isoformat()} until {until}")
        lines.append(key.public_key_pem.strip())
    return "\n".join(lines) + "\n"


def _date(text: str) -> dt.date | None:
    try:
        return None if text == "-" else dt.date.fromisoformat(text)
    except ValueError:
        return None


def read_keyring(text: str) -> list[PublicKeyEntry]:
    """The keys in a keyring file, or in a file with one bare PEM public key (no period known)."""
    periods = {
        match.group(1): (match.group(2), match.group(3)) for match in map(PERIOD.match, text.splitlines()) if match
    }
    entries = []
    for block in BLOCK.findall(text):
        key_id = key_id_of(load_public_key(block))
        start, end = periods.get(key_id, ("-", "-"))
        entries.append(PublicKeyEntry(key_id, block + "\n", _date(start), _date(end)))
    if not entries:
        raise LmsError(_("not an Ed25519 public key in PEM form"))
    return entries


def key_for(entries: list[PublicKeyEntry], key_id: str) -> PublicKeyEntry | None:
    return next((entry for entry in entries if entry.key_id == key_id), None)


def outside_period(entry: PublicKeyEntry, issued_on: str | None) -> bool:
    """A code dated after its key was retired was not signed while the key was in use. (The start is not checked:
    a certificate may carry the date of the session it records, before the key existed.)"""
    try:
        issued = dt.date.fromisoformat(issued_on) if issued_on else None
    except ValueError:
        return True
    if issued is None:
        return False
    return bool(entry.valid_until and issued > entry.valid_until)
