"""The shipped curricula: valid, bilingual, three curricula each, a real question bank; versioned on re-import."""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from sqlmodel import select

from lms.catalog.loader import expand_paths, load_course
from lms.catalog.service import import_paths, list_courses
from lms.models import Attempt, CourseVersion, Person
from lms.questions.types import registry
from tests.conftest import LIBRARY

FILES = expand_paths([LIBRARY])


def test_library_has_at_least_four_courses() -> None:
    assert len(FILES) >= 4


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.stem)
def test_course_is_complete(path: Path, pm: Any) -> None:
    spec = load_course(path, registry(pm)).spec
    assert {module.curriculum for module in spec.modules} == {"operation", "maintenance", "fault_handling"}
    graded = [q for q in spec.questions if q.points > 0]
    assert len(graded) >= 30
    per_curriculum = Counter({m.id: m.curriculum for m in spec.modules}[q.module] for q in graded)
    assert min(per_curriculum.values()) >= 5
    assert len({q.type for q in spec.questions}) >= 5
    assert spec.practical and spec.skills and spec.blueprint
    assert all(module.objectives and module.hours > 0 for module in spec.modules)
    assert spec.certificate.family in ("operator", "engineer")


def test_import_then_reimport_unchanged_then_changed_makes_a_new_version(pm: Any, session: Any, tmp_path: Path) -> None:
    source = LIBRARY / "solar-hot-water.yaml"
    (version, created), *_ = import_paths(session, pm, [source])
    assert (version.version, created) == (1, True)
    person = Person(code="T1", kind="buyer_staff", name="张三", organisation_id=_org(session))
    session.add(person)
    session.flush()
    session.add(Attempt(person_id=person.id, course_version_id=version.id))
    session.flush()

    (again, created_again), *_ = import_paths(session, pm, [source])
    assert (again.id, created_again) == (version.id, False)

    changed = tmp_path / "solar-hot-water.yaml"
    changed.write_text(source.read_text(encoding="utf-8").replace("pass_mark: 60", "pass_mark: 65"), encoding="utf-8")
    (newer, created_newer), *_ = import_paths(session, pm, [changed])
    assert (newer.version, created_newer) == (2, True)
    attempt = session.exec(select(Attempt)).one()
    assert attempt.course_version_id == version.id
    assert (session.get(CourseVersion, version.id).pass_mark, newer.pass_mark) == (60, 65)
    assert {row["code"]: row["version"] for row in list_courses(session)}["SHW-OM"] == 2


def _org(session: Any) -> int:
    from lms.models import Organisation

    organisation = Organisation(code="B", kind="buyer", name_zh="买方", name_en="Buyer")
    session.add(organisation)
    session.flush()
    return organisation.id


def test_schema_command_prints_json_schema(cli) -> None:  # type: ignore[no-untyped-def]
    import json

    result = cli("courses", "schema")
    schema = json.loads(result.out)
    assert schema["title"] == "Course"
    assert "questions" in schema["properties"]
    assert "single" in json.dumps(schema)


def test_cli_import_and_list(cli) -> None:  # type: ignore[no-untyped-def]
    assert cli("courses", "import", str(LIBRARY)).code == 0
    listed = cli("courses", "list", "--format", "json")
    import json

    codes = {row["code"] for row in json.loads(listed.out)}
    assert {"SHW-OM"} <= codes
