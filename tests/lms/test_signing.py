"""The issuer key and signed verification codes: round trip, tampering, unknown keys, rotation, offline checks."""

from __future__ import annotations

import base64
import json
import stat
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from lms.credentials.signing import (
    CodeRejected,
    decode_code,
    expanded_payload,
    issuer_key,
    issuer_key_path,
    rotate_key,
    sign_certificate_payload,
    verify_code,
)
from lms.db import make_engine, upgrade_schema
from lms.errors import LmsError
from lms.models import AuditEntry, IssuerKey

PAYLOAD: dict[str, Any] = {
    "s": "PX2026-00001",
    "n": "张三",
    "i": "3301**********0001",
    "c": "QZ-1",
    "d": "2026-11-19",
    "e": "2028-11-19",
    "f": "operator",
}


@pytest.fixture(autouse=True)
def key_file(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    """Each test signs with its own key file, whatever database it runs on."""
    path = tmp_path / "keys" / "issuer.pem"
    monkeypatch.setenv("LMS_ISSUER_KEY", str(path))
    return path


def b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def test_the_key_file_defaults_beside_the_data_and_the_environment_moves_it(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'site' / 'lms.db'}")
    assert issuer_key_path(engine) == tmp_path / "keys" / "issuer.pem"
    monkeypatch.delenv("LMS_ISSUER_KEY")
    monkeypatch.delenv("LMS_FILES_DIR")
    assert issuer_key_path(engine) == tmp_path / "site" / "issuer-ed25519.pem"
    monkeypatch.setenv("LMS_FILES_DIR", str(tmp_path / "evidence" / "files"))
    assert issuer_key_path(engine) == tmp_path / "evidence" / "issuer-ed25519.pem"
    monkeypatch.setenv("LMS_ISSUER_KEY", str(tmp_path / "elsewhere.pem"))
    assert issuer_key_path(engine) == tmp_path / "elsewhere.pem"
    engine.dispose()


def test_first_use_creates_a_private_key_file_and_records_its_public_key(session: Session, key_file: Path) -> None:
    assert not key_file.exists()
    key = issuer_key(session)
    assert key_file.is_file()
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    assert key_file.read_text().startswith("-----BEGIN PRIVATE KEY-----")
    row = session.get(IssuerKey, key.key_id)
    assert row is not None and row.retired_at is None and "PUBLIC KEY" in row.public_key_pem
    assert len(key.key_id) == 16 and int(key.key_id, 16) >= 0
    again = issuer_key(session)
    assert again.key_id == key.key_id
    assert list(key_file.parent.iterdir()) == [key_file]  # no temporary file left behind


def test_a_code_round_trips_and_stays_small(session: Session) -> None:
    key = issuer_key(session)
    code = sign_certificate_payload(session, key, PAYLOAD)
    assert code.startswith("LMS1.") and code.count(".") == 2 and "=" not in code
    assert len(code) < 400
    payload, signature = decode_code(code)
    assert payload == {**PAYLOAD, "k": key.key_id}
    assert len(signature) == 64
    assert verify_code(session, code) == payload
    assert expanded_payload(payload)["holder_name"] == "张三"
    assert expanded_payload(payload)["serial"] == "PX2026-00001"


def test_a_changed_payload_or_signature_is_tampered(session: Session) -> None:
    key = issuer_key(session)
    code = sign_certificate_payload(session, key, PAYLOAD)
    prefix, body, signature = code.split(".")
    payload = json.loads(base64.urlsafe_b64decode(body + "=" * (-len(body) % 4)))
    forged = f"{prefix}.{b64(json.dumps({**payload, 'n': '李四'}).encode())}.{signature}"
    with pytest.raises(CodeRejected) as rejected:
        verify_code(session, forged)
    assert rejected.value.status == "tampered"
    assert rejected.value.payload is not None and rejected.value.payload["n"] == "李四"
    flipped = signature[:10] + ("A" if signature[10] != "A" else "B") + signature[11:]
    with pytest.raises(CodeRejected) as rejected:
        verify_code(session, f"{prefix}.{body}.{flipped}")
    assert rejected.value.status == "tampered"
    with pytest.raises(CodeRejected) as rejected:
        verify_code(session, f"{prefix}.{body[:-3]}!!.{signature}")
    assert rejected.value.status == "tampered"
    assert "damaged" in rejected.value.message


def test_text_that_is_not_a_code_is_refused_in_one_line(session: Session) -> None:
    for text in ("hello", "LMS2.abc.def", "LMS1.only-two"):
        with pytest.raises(LmsError) as error:
            decode_code(text)
        assert "\n" not in str(error.value)
    with pytest.raises(CodeRejected) as rejected:
        verify_code(session, "PX2026-00001")
    assert rejected.value.status == "unknown"
    not_an_object = f"LMS1.{b64(b'[1,2]')}.{b64(bytes(64))}"
    with pytest.raises(LmsError, match="damaged"):
        decode_code(not_an_object)


@pytest.fixture
def other_engine(tmp_path: Path) -> Iterator[Engine]:
    engine = make_engine(f"sqlite:///{tmp_path / 'other.db'}")
    upgrade_schema(engine)
    yield engine
    engine.dispose()


def test_a_code_signed_by_a_key_we_never_had_is_unknown(session: Session, other_engine: Engine, tmp_path: Path) -> None:
    with Session(other_engine) as other:
        foreign_key = issuer_key(other, path=tmp_path / "foreign.pem")
        foreign_code = sign_certificate_payload(other, foreign_key, PAYLOAD)
        other.commit()
    ours = issuer_key(session)
    assert ours.key_id != foreign_key.key_id
    with pytest.raises(CodeRejected) as rejected:
        verify_code(session, foreign_code)
    assert rejected.value.status == "unknown"
    assert foreign_key.key_id in rejected.value.message


def test_a_rotated_key_still_verifies_old_codes_and_signs_no_more(session: Session, key_file: Path) -> None:
    old = issuer_key(session)
    old_code = sign_certificate_payload(session, old, PAYLOAD)
    session.commit()
    retired, new = rotate_key(session)
    session.commit()
    assert retired == [old.key_id] and new.key_id != old.key_id
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    assert issuer_key(session).key_id == new.key_id
    old_row = session.get(IssuerKey, old.key_id)
    assert old_row is not None and old_row.retired_at is not None
    assert verify_code(session, old_code)["k"] == old.key_id
    new_code = sign_certificate_payload(session, new, {**PAYLOAD, "s": "PX2026-00002"})
    assert verify_code(session, new_code)["k"] == new.key_id
    with pytest.raises(LmsError, match="not the current key"):
        sign_certificate_payload(session, old, PAYLOAD)
    [entry] = session.exec(select(AuditEntry).where(AuditEntry.action == "issuer_key.rotate")).all()
    assert entry.before == {"active": [old.key_id]} and entry.after is not None
    assert entry.after["active"] == [new.key_id]


def test_a_restored_retired_key_file_is_refused(session: Session, key_file: Path) -> None:
    issuer_key(session)
    saved = key_file.read_bytes()
    rotate_key(session)
    session.commit()
    key_file.write_bytes(saved)
    session.info.clear()
    with pytest.raises(LmsError, match="was retired"):
        issuer_key(session)


def test_a_broken_key_file_is_named(session: Session, key_file: Path) -> None:
    key_file.parent.mkdir(parents=True)
    key_file.write_text("not a key")
    with pytest.raises(LmsError) as error:
        issuer_key(session)
    assert str(key_file) in str(error.value) and "Ed25519" in str(error.value)


def test_offline_verification_uses_the_given_public_key_only(
    session: Session, other_engine: Engine, tmp_path: Path
) -> None:
    key = issuer_key(session)
    code = sign_certificate_payload(session, key, PAYLOAD)
    assert verify_code(None, code, public_key_pem=key.public_key_pem)["s"] == "PX2026-00001"
    with Session(other_engine) as other:
        stranger = issuer_key(other, path=tmp_path / "stranger.pem")
    with pytest.raises(CodeRejected) as rejected:
        verify_code(None, code, public_key_pem=stranger.public_key_pem)
    assert rejected.value.status == "unknown"
    with pytest.raises(LmsError, match="public key"):
        verify_code(None, code, public_key_pem="garbage")
