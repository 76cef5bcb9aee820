"""A course version's questions, read once per process and kept for every attempt drawn from it.

A page or an autosave needs one question of a paper; reading and decoding every question of the version each time
was most of a phone request's work. A version's questions do not change once imported (a new course file is a new
version). The one exception, ``lms quiz regrade``, corrects only answer-key fields, which no view or ``from_view``
reads (grading reads the database, never this cache). The cache is keyed by the database, the version's id and its
content hash, and a paper asking for a question the kept copy lacks (a database restored under the server) reads
the version again.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Iterable
from dataclasses import dataclass

from sqlmodel import Session, col, select

from lms.models import Question

KEPT = 32  # versions kept; a server sees a handful of courses on a day


@dataclass(frozen=True)
class PaperDefinition:
    """The questions of one course version by id, as plain rows no database session owns, and its time limit."""

    version_id: int
    content_hash: str
    time_limit_minutes: int | None
    questions: dict[int, Question]


_kept: OrderedDict[tuple[str, int, str], PaperDefinition] = OrderedDict()
_lock = threading.Lock()


def paper_definition(
    session: Session,
    *,
    version_id: int,
    content_hash: str,
    time_limit_minutes: int | None,
    question_ids: Iterable[int] = (),
) -> PaperDefinition:
    """The version's definition holding ``question_ids``, from this process's cache or read now (one query)."""
    key = (session.connection().engine.url.render_as_string(hide_password=True), version_id, content_hash)
    with _lock:
        found = _kept.get(key)
        if found is not None and found.time_limit_minutes == time_limit_minutes:
            if all(question_id in found.questions for question_id in question_ids):
                _kept.move_to_end(key)
                return found
    rows = session.exec(select(Question).where(Question.course_version_id == version_id).order_by(col(Question.id)))
    questions = {row.id: _detached(row) for row in rows if row.id is not None}
    definition = PaperDefinition(version_id, content_hash, time_limit_minutes, questions)
    with _lock:
        _kept[key] = definition
        while len(_kept) > KEPT:
            _kept.popitem(last=False)
    return definition


def _detached(row: Question) -> Question:
    """A copy of ``row`` outside any session, safe to share between threads (nobody writes to it)."""
    return Question(
        id=row.id,
        course_version_id=row.course_version_id,
        module_id=row.module_id,
        code=row.code,
        qtype=row.qtype,
        curriculum=row.curriculum,
        points=row.points,
        prompt_zh=row.prompt_zh,
        prompt_en=row.prompt_en,
        data=row.data,
    )
