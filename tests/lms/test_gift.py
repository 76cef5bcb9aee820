"""GIFT: read as Moodle's importer reads it (every construct of its documentation, written afresh here), errors
that name the line, import as a new course version with bilingual texts, and an export that comes back unchanged."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session, func, select

from lms.catalog.gift.export import export_gift
from lms.catalog.gift.importer import import_gift
from lms.catalog.gift.parser import parse_gift
from lms.catalog.gift.text import join_bilingual, split_bilingual
from lms.catalog.service import import_paths
from lms.errors import LmsError
from lms.models import CourseVersion, Question
from lms.questions.types import registry
from tests.conftest import LIBRARY
from tests.lms.quiz_fixtures import quiz_world

DOCUMENTED = r"""
// Every construct of Moodle's GIFT documentation, one per question.
$CATEGORY: QZ-1/op

::tank::Which part stores the hot water?{~The pump ~The collector =The tank}

The pump runs when the collector is {~colder =warmer ~as warm} than the tank.

The expansion vessel never needs a check.{FALSE}

The sun rises in the east.{T}

Name the gas in the vessel.{=nitrogen =N2}

How many kWh heat a cubic metre by one kelvin?{#1.163:0.01}

Pick a value of pi.{#3.141..3.142}

When was the tank installed? {#
    =2019:0
    =%50%2019:1}

::match::Match the sensor to its place. {
    =Hot side -> Collector outlet
    =Cold side  -> Tank bottom
    = -> Roof edge
    }

[markdown]Which is **right**?{
~wrong answer#feedback on the wrong one
=right answer#Very good!}

Grade it.{~wrong ~%50%half credit =full credit}

Which two? {
    ~%-50%None
    ~%50%First
    ~%50%Second
    ~%-50%Third }

Which equals 5? {
     ~ \= 2 + 2
     = \= 2 + 3
     ~ \= 2 + 4  }

::specials::
Which is NOT special in GIFT? {
   ~ \~     # \~ is special.
   = \\     # Right: \\ only escapes
              the others.
}

::essay-1:: Describe the collector loop. {}

::tf-fb:: A pump needs no power.{
FALSE#wrong one#right one
####General note.}

::range::Pick 1 to 5. {#3:2~#Completely wrong}

::sa::Best pump brand?{
    =Grundfos#Good!
    =%50%Wilo#Half
    =%0%*#No
}

Only a description here, no braces.
"""


def parsed() -> list[Any]:
    return parse_gift(DOCUMENTED, "documented.gift")


def test_every_documented_construct_is_read_as_moodle_reads_it() -> None:
    questions = parsed()
    kinds = [q.kind for q in questions]
    assert kinds == [
        "multichoice",
        "multichoice",
        "truefalse",
        "truefalse",
        "shortanswer",
        "numerical",
        "numerical",
        "numerical",
        "match",
        "multichoice",
        "multichoice",
        "multichoice",
        "multichoice",
        "multichoice",
        "essay",
        "truefalse",
        "numerical",
        "shortanswer",
        "description",
    ]
    tank, missing, false, true, short, tolerance, span, several, match, markdown, partial, multi, escaped = questions[
        :13
    ]
    specials, essay, tf_feedback, wrong, weighted, description = questions[13:]
    assert tank.title == "tank" and tank.category == "QZ-1/op" and [a.fraction for a in tank.answers] == [0, 0, 1]
    assert missing.text == "The pump runs when the collector is _____ than the tank."
    assert (false.truth, true.truth) == (False, True)
    assert [a.text for a in short.answers] == ["nitrogen", "N2"]
    assert (tolerance.answers[0].value, tolerance.answers[0].tolerance) == (1.163, 0.01)
    assert (span.answers[0].low, span.answers[0].high) == (3.141, 3.142)
    assert [(a.value, a.tolerance, a.fraction) for a in several.answers] == [(2019, 0, 1), (2019, 1, 0.5)]
    assert match.pairs == [("Hot side", "Collector outlet"), ("Cold side", "Tank bottom"), ("", "Roof edge")]
    assert markdown.text_format == "markdown" and markdown.text == "Which is **right**?"
    assert [a.feedback for a in markdown.answers] == ["feedback on the wrong one", "Very good!"]
    assert partial.single and [a.fraction for a in partial.answers] == [0, 0.5, 1]
    assert not multi.single and [a.fraction for a in multi.answers] == [-0.5, 0.5, 0.5, -0.5]
    assert [a.text for a in escaped.answers] == ["= 2 + 2", "= 2 + 3", "= 2 + 4"]
    assert [a.text for a in specials.answers] == ["~", "\\"]
    assert specials.answers[1].feedback == "Right: \\ only escapes\nthe others."
    assert essay.title == "essay-1" and essay.text == "Describe the collector loop."
    assert (tf_feedback.feedback_wrong, tf_feedback.feedback_right) == ("wrong one", "right one")
    assert tf_feedback.general_feedback == "General note."
    assert wrong.answers[-1].any_other and wrong.answers[-1].feedback == "Completely wrong"
    assert [(a.text, a.fraction) for a in weighted.answers] == [("Grundfos", 1), ("Wilo", 0.5), ("*", 0)]
    assert description.text == "Only a description here, no braces."


@pytest.mark.parametrize(
    ("source", "line", "message"),
    [
        ("Q1 {=a ~b\n\nQ2 {=c ~d}", 1, "unclosed {"),
        ("ok {=a ~b}\n\nThe tank holds\nwater {=a ~b\nQ3 {=c ~d}", 4, "unclosed {"),
        ("text } then {=a ~b}", 1, "without an opening {"),
        ("Q {=a ~b} and {=c}", 1, "more than one answer block"),
        ("Match {=a -> 1 =b 2}", 1, "needs ->"),
        ("Q {~only one}", 1, "at least two answers"),
        ("Q {#twelve}", 1, "not a number"),
        ("::unclosed title {T}", 1, "title is not closed"),
        ("// lms: {points: 2}\nQ {T}", 1, "not valid JSON"),
    ],
)
def test_malformed_gift_names_the_line(source: str, line: int, message: str) -> None:
    with pytest.raises(LmsError) as caught:
        parse_gift(source, "bad.gift")
    assert (caught.value.file, caught.value.line) == ("bad.gift", line)
    assert message in caught.value.message


def test_bilingual_convention_and_escapes() -> None:
    assert split_bilingual("水箱 | Tank") == {"zh": "水箱", "en": "Tank"}
    assert split_bilingual("Tank | 水箱") == {"zh": "水箱", "en": "Tank"}
    assert split_bilingual("Tank") == {"zh": "Tank", "en": "Tank"}
    assert split_bilingual("a \\| b | c") == {"zh": "a | b", "en": "c"}
    spans = '<span lang="zh_cn" class="multilang">水箱</span><span lang="en" class="multilang">Tank</span>'
    assert split_bilingual(spans) == {"zh": "水箱", "en": "Tank"}
    for text in ({"zh": "温度 | 压力 {x}", "en": "a|b = #1 ~ :"}, {"zh": "[注] 行1\n行2", "en": "[note]"}):
        written = join_bilingual(text)
        [question] = parse_gift(f"::q::{written}{{T}}")
        assert split_bilingual(question.text) == text


def test_import_adds_questions_as_a_new_course_version(session: Session, pm: Any, tmp_path: Path) -> None:
    quiz_world(session, pm, tmp_path)
    path = tmp_path / "extra.gift"
    html = "::Kanji Origins::[html]<p>汉字来自哪里？</p> | <p>Where do <b>kanji</b> come from?</p>{=China ~India}"
    numeric = '// lms: {"points": 3, "unit": "kWh"}\n::q-num::电量？ | Energy?{#93:1}'
    extra = f"\n$CATEGORY: QZ-1/fh\n\n{html}\n\n::Kanji Origins::Same title again.{{T}}\n\n{numeric}\n"
    path.write_text(DOCUMENTED + extra, encoding="utf-8")
    result = import_gift(session, path=path, course_code="QZ-1", pm=pm, types=registry(pm))
    assert result.created and result.version.version == 2 and result.replaced == ["q-num"]
    questions = {
        q.code: q for q in session.exec(select(Question).where(Question.course_version_id == result.version.id))
    }
    kanji = questions["Kanji-Origins"]
    assert (kanji.prompt_zh, kanji.prompt_en) == ("汉字来自哪里？", "Where do kanji come from?")
    assert kanji.data["name"] == "Kanji Origins" and "Kanji-Origins-2" in questions  # type: ignore[index]
    assert questions["q-num"].points == 3 and questions["q-num"].data["unit"] == "kWh"  # type: ignore[index]
    assert questions["match"].qtype == "matching" and questions["match"].data["distractors"]  # type: ignore[index]
    assert questions["sa"].data["answers"][2] == {"text": "*", "weight": 0.0, "feedback": {"zh": "No", "en": "No"}}  # type: ignore[index]
    kinds = {q.qtype for q in questions.values()}
    assert {"single", "multiple", "truefalse", "numeric", "shortanswer", "matching", "essay", "description"} <= kinds
    again = import_gift(session, path=path, course_code="QZ-1", pm=pm, types=registry(pm))
    assert not again.created and again.version.id == result.version.id


def test_export_then_import_keeps_every_question_of_the_library(session: Session, pm: Any, tmp_path: Path) -> None:
    types = registry(pm)
    for version, _created in import_paths(session, pm, [LIBRARY]):
        code = version.spec["code"]  # type: ignore[index]
        text, skipped = export_gift(session, course_code=code)
        assert skipped == []
        path = tmp_path / f"{code}.gift"
        path.write_text(text, encoding="utf-8")
        back = import_gift(session, path=path, course_code=code, pm=pm, types=types)
        assert not back.created, code  # the same content: no new version
        assert len(back.replaced) == len(version.spec["questions"])  # type: ignore[index]


def test_ordering_and_checklist_survive_the_round_trip(session: Session, pm: Any, tmp_path: Path) -> None:
    extra = """
  - id: q-check
    module: fh
    type: checklist
    points: 4
    prompt: {zh: 实操, en: Practical}
    items:
      - {id: p1, text: {zh: 断电, en: Isolate}, points: 2, critical: true}
      - {id: p2, text: {zh: 验电, en: Test}}
"""
    from tests.lms.quiz_fixtures import write_course

    folder = tmp_path / "course"
    folder.mkdir()
    [(version, _c)] = import_paths(session, pm, [write_course(folder, essay=True, extra=extra)])
    text, _skipped = export_gift(session, course_code="QZ-1")
    assert '// lms: {"type": "ordering"}' in text and "=1 -> 断电 | Switch off" in text
    path = tmp_path / "qz.gift"
    path.write_text(text, encoding="utf-8")
    back = import_gift(session, path=path, course_code="QZ-1", pm=pm, types=registry(pm))
    assert not back.created and back.version.id == version.id


def test_a_bad_file_records_nothing_and_the_command_says_where(
    qcli: Any, engine: Engine, pm: Any, tmp_path: Path
) -> None:
    with Session(engine, expire_on_commit=False) as session:
        quiz_world(session, pm, tmp_path)
    bad = tmp_path / "bad.gift"
    bad.write_text("::fine::A {T}\n\n::broken::The tank holds {=water ~air\n", encoding="utf-8")
    failed = qcli("quiz", "import-gift", str(bad), "--course", "QZ-1")
    assert (
        failed.code == 1
        and failed.err.strip() == f"lms: {bad}:3: an unclosed {{: every answer block needs a closing }}"
    )
    no_module = tmp_path / "nomodule.gift"
    no_module.write_text("::x::A {T}\n", encoding="utf-8")
    assert "no module for this question" in qcli("quiz", "import-gift", str(no_module), "--course", "QZ-1").err
    with Session(engine) as session:
        assert session.exec(select(func.count()).select_from(CourseVersion)).one() == 1
    good = qcli("quiz", "import-gift", str(no_module), "--course", "QZ-1", "--module", "op")
    assert good.code == 0 and "1 questions added" in good.out
    out = tmp_path / "out.gift"
    exported = qcli("quiz", "export-gift", "--course", "QZ-1", "-o", str(out))
    assert exported.code == 0 and "::x::A{TRUE}" in out.read_text(encoding="utf-8")


@pytest.fixture
def qcli(cli: Any) -> Any:
    """The in-process command line; the quiz group is registered like every other."""
    return cli


def test_a_yaml_import_after_a_gift_import_warns_which_questions_it_drops(qcli: Any, pm: Any, tmp_path: Path) -> None:
    from tests.lms.quiz_fixtures import write_course

    folder = tmp_path / "course"
    folder.mkdir()
    course = write_course(folder)
    assert qcli("courses", "import", str(course)).code == 0
    extra = tmp_path / "extra.gift"
    extra.write_text("::gift-1::Pumps need power {T}\n\n::gift-2::Tanks hold air {F}\n", encoding="utf-8")
    assert qcli("quiz", "import-gift", str(extra), "--course", "QZ-1", "--module", "op").code == 0
    again = qcli("courses", "import", str(course))  # the YAML as it was, without the GIFT questions
    assert again.code == 0 and "version 3" in again.out
    assert "gift-1, gift-2" in again.err and "version 2" in again.err and "extra.gift" in again.err
    quiet = qcli("courses", "import", str(course))
    assert quiet.code == 0 and quiet.err == ""
