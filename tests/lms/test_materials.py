"""Materials bundles for a session: the plan, the syllabus and the course's handouts with a manifest of hashes; a
missing handout stops everything with one line naming it; sending is recorded with the manifest's hash and shows in
the session's evidence."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlmodel import Session, col, select

from lms.catalog.handouts import Handout, store_handouts
from lms.db import make_engine, session_scope
from lms.evidence.session_evidence import evidence_of_session
from lms.files.storage import files_root, sha256_file
from lms.models import CourseVersion, IssuedDocument, MaterialsDispatch, TrainingSession
from tests.conftest import copy_database


@pytest.fixture
def demo_copy(demo_database: str, tmp_path: Path) -> Iterator[str]:
    url, drop = copy_database(demo_database, tmp_path)
    yield url
    drop()


def project_session(url: str) -> str:
    with Session(make_engine(url)) as session:
        training = session.exec(
            select(TrainingSession)
            .where(col(TrainingSession.project_id).is_not(None), col(TrainingSession.obligation_id).is_not(None))
            .order_by(col(TrainingSession.code))
        ).first()
        assert training is not None
        return training.code


def give_handouts(url: str, code: str, folder: Path, names: list[str]) -> None:
    """Give the session's course version the files ``names`` in ``folder`` as handouts, kept in the file store as a
    course import keeps them; a name with no file is recorded with a hash the store does not hold."""
    engine = make_engine(url)
    root = files_root(engine)
    with session_scope(engine) as session:
        training = session.exec(select(TrainingSession).where(TrainingSession.code == code)).one()
        version = session.get(CourseVersion, training.course_version_id)
        assert version is not None
        recorded: list[dict[str, object]] = []
        for name in names:
            path = folder / name
            if path.exists():
                recorded += store_handouts(root, [Handout(path.name, path, path.stat().st_size)])
            else:
                recorded.append({"name": path.name, "sha256": "0" * 64, "size": 0})
        version.handouts = recorded
        session.add(version)


def test_bundle_holds_plan_syllabus_and_handouts_with_their_hashes(cli, demo_copy: str, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    code = project_session(demo_copy)
    course = tmp_path / "course"
    (course / "sheets").mkdir(parents=True)
    (course / "manual.pdf").write_bytes(b"%PDF-1.7 operating manual")
    (course / "sheets" / "wiring.txt").write_text("接线图说明\n", encoding="utf-8")
    give_handouts(demo_copy, code, course, ["manual.pdf", "sheets/wiring.txt"])
    out = tmp_path / "bundle"
    result = cli("report", "materials", "--session", code, "-o", str(out), db=demo_copy)
    assert result.code == 0, result.err
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["session"] == code and manifest["training_plan_version"] == 1
    kinds = [item["kind"] for item in manifest["files"]]
    assert kinds == ["training_plan", "syllabus", "handout", "handout"]
    names = [item["name"] for item in manifest["files"]]
    assert names[2:] == ["manual.pdf", "wiring.txt"]
    assert sorted(p.name for p in out.iterdir()) == sorted([*names, "manifest.json"])
    for item in manifest["files"]:
        assert sha256_file(out / item["name"]) == item["sha256"]
        assert (out / item["name"]).stat().st_size == item["size"]
    assert (out / "manual.pdf").read_bytes() == b"%PDF-1.7 operating manual"
    digest = sha256_file(out / "manifest.json")
    assert digest in result.out

    again = cli("report", "materials", "--session", code, "-o", str(tmp_path / "again"), db=demo_copy)
    assert again.code == 0 and sha256_file(tmp_path / "again" / "manifest.json") == digest
    with Session(make_engine(demo_copy)) as session:
        bundles = session.exec(select(IssuedDocument).where(IssuedDocument.kind == "materials_bundle")).all()
    assert [(b.subject, b.version, b.sha256) for b in bundles] == [(code, 1, digest)]


def test_a_missing_handout_is_one_line_naming_it_and_nothing_is_written(cli, demo_copy: str, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    code = project_session(demo_copy)
    (tmp_path / "course").mkdir()
    (tmp_path / "course" / "manual.pdf").write_bytes(b"%PDF-1.7 manual")
    give_handouts(demo_copy, code, tmp_path / "course", ["manual.pdf", "missing-quick-guide.pdf"])
    out = tmp_path / "bundle"
    result = cli("report", "materials", "--session", code, "-o", str(out), db=demo_copy)
    assert result.code == 1
    assert "missing-quick-guide.pdf" in result.err and result.err.strip().count("\n") == 0
    assert not out.exists()
    with Session(make_engine(demo_copy)) as session:
        assert session.exec(select(IssuedDocument)).first() is None


def test_sending_records_the_manifest_hash_and_shows_in_the_evidence(cli, demo_copy: str, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    code = project_session(demo_copy)
    out = tmp_path / "bundle"
    assert cli("report", "materials", "--session", code, "-o", str(out), db=demo_copy).code == 0
    digest = sha256_file(out / "manifest.json")
    sent = cli(
        "report", "materials-sent", "--session", code, "--to", "设备科 张工", "--on", "2026-08-20",
        "--channel", "post", "--bundle", str(out), db=demo_copy,
    )  # fmt: skip
    assert sent.code == 0, sent.err
    with Session(make_engine(demo_copy)) as session:
        (dispatch,) = session.exec(select(MaterialsDispatch)).all()
        evidence = evidence_of_session(session, code)
    assert (dispatch.sent_to, dispatch.channel, dispatch.bundle_sha256) == ("设备科 张工", "post", digest)
    assert str(dispatch.sent_on) == "2026-08-20"
    assert [(d.sent_to, d.bundle_sha256) for d in evidence.dispatches] == [("设备科 张工", digest)]


def test_a_changed_bundle_file_is_refused_and_nothing_recorded(cli, demo_copy: str, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    code = project_session(demo_copy)
    out = tmp_path / "bundle"
    assert cli("report", "materials", "--session", code, "-o", str(out), db=demo_copy).code == 0
    syllabus = next(out.glob("syllabus-*.pdf"))
    syllabus.write_bytes(syllabus.read_bytes() + b"\n% edited")
    sent = cli("report", "materials-sent", "--session", code, "--to", "buyer", "--bundle", str(out), db=demo_copy)
    assert sent.code == 1 and syllabus.name in sent.err
    bad_channel = cli("report", "materials-sent", "--session", code, "--to", "buyer", "--channel", "fax", db=demo_copy)
    assert bad_channel.code != 0
    with Session(make_engine(demo_copy)) as session:
        assert session.exec(select(MaterialsDispatch)).first() is None


def test_unknown_session_exits_1_and_writes_nothing(cli, demo_copy: str, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    out = tmp_path / "bundle"
    result = cli("report", "materials", "--session", "S-NOPE", "-o", str(out), db=demo_copy)
    assert result.code == 1 and "S-NOPE" in result.err and result.err.strip().count("\n") == 0
    assert not out.exists()
    sent = cli("report", "materials-sent", "--session", "S-NOPE", "--to", "buyer", db=demo_copy)
    assert sent.code == 1 and "S-NOPE" in sent.err
    with Session(make_engine(demo_copy)) as session:
        assert session.exec(select(MaterialsDispatch)).first() is None
