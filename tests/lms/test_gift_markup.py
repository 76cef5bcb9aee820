"""GIFT ``[html]`` and ``[markdown]`` texts: what plain course text can hold is kept (link addresses, ``<pre>``
indentation, list items), the rest is named in a warning with file, line and question; a YAML import that
replaces a GIFT-imported bank says so, with the bank's size before and after."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from sqlmodel import Session, select

from lms.catalog.gift.markup import course_text
from lms.db import make_engine
from lms.models import Course, CourseVersion, Question

ROOT = Path(__file__).resolve().parents[2]
LIBRARY_COURSE = ROOT / "courses" / "library" / "solar-hot-water.yaml"

HTML_QUESTION = (
    '::pump-manual::[html]<p>读 <a href="https://example.com/pump.pdf">泵手册</a>。</p> | '
    '<p>Read <a href="https://example.com/pump.pdf">the pump manual</a>.</p>'
    '<p><img src="@@PLUGINFILE@@/pump.png" alt="pump"></p>{T}'
)
# As Moodle exports it: the newlines of a text escaped as \n, so the indentation survives GIFT's trimmed lines.
PRE_QUESTION = "::loop::[html]<p>What does it print?</p><pre>for x in range(2):\\n    print(x)</pre>{=0 1 ~1 2}"
MARKDOWN_QUESTION = "::md::[markdown]Which valve is **right**? See [the drawing](https://example.com/d.pdf).{T}"
PLAIN_QUESTION = "::plain::The pump runs by day.{T}"


def test_links_keep_their_address_and_images_are_named() -> None:
    converted = course_text(
        '<p>See <a href="https://example.com/m.pdf">the manual</a>.</p><img src="a.png" alt="valve">', "html"
    )
    assert converted.text == "See the manual (https://example.com/m.pdf).\n[valve]"
    assert converted.lost == ["the image a.png"]


def test_preformatted_text_keeps_its_indentation_and_lists_their_items() -> None:
    source = "<pre>if hot:\n    open()\n</pre><ol><li>one</li><li>two</li></ol><ul><li>x</li></ul>"
    converted = course_text(source, "html")
    assert converted.text == "if hot:\n    open()\n1. one\n2. two\n• x"
    assert converted.lost == []


def test_what_plain_text_cannot_hold_is_listed() -> None:
    converted = course_text("<table><tr><td>a</td><td>b</td></tr></table><iframe src='v'></iframe><b>x</b>", "html")
    assert converted.text == "a b\nx"
    assert converted.lost == [
        "a table's layout (its rows are kept as lines)",
        "the <iframe> element",
        "bold, italic or other formatting (shown as plain text)",
    ]


def test_markdown_is_converted_not_shown_raw() -> None:
    source = "Pick **one**.\n\n    code\n        deeper\n\n[site](https://s.org) ![d](d.png)"
    converted = course_text(source, "markdown")
    assert converted.text == "Pick one.\ncode\n    deeper\nsite (https://s.org) [d]"
    assert "the image d.png" in converted.lost


@pytest.fixture
def vendor_course(cli: Any) -> None:
    """An empty database with the one course a vendor starts from."""
    for step in (["init"], ["courses", "import", str(LIBRARY_COURSE)]):
        assert cli(*step).code == 0


def stored(db_url: str, code: str) -> Question:
    engine = make_engine(db_url)
    with Session(engine) as session:
        course = session.exec(select(Course).where(Course.code == "SHW-OM")).one()
        versions = select(CourseVersion.id).where(CourseVersion.course_id == course.id)
        found = session.exec(
            select(Question)
            .where(Question.code == code, Question.course_version_id.in_(versions))  # type: ignore[union-attr]
            .order_by(Question.id.desc())  # type: ignore[union-attr]
        ).first()
    engine.dispose()
    assert found is not None
    return found


def test_gift_import_keeps_links_and_indentation_and_warns_per_question(  # type: ignore[no-untyped-def]
    cli, vendor_course, db_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    bank = tmp_path / "bank.gift"
    bank.write_text(f"{PLAIN_QUESTION}\n\n{HTML_QUESTION}\n\n{PRE_QUESTION}\n\n{MARKDOWN_QUESTION}\n", encoding="utf-8")
    result = cli("quiz", "import-gift", str(bank), "--course", "SHW-OM", "--module", "op-1")
    assert result.code == 0 and "4 questions added" in result.out
    warnings = result.err.splitlines()
    assert warnings == [
        f"warning: {bank}:3: question pump-manual: a course keeps plain text only; left out: "
        "the image @@PLUGINFILE@@/pump.png",
        f"warning: {bank}:7: question md: a course keeps plain text only; left out: "
        "bold, italic or other formatting (shown as plain text)",
    ]
    manual = stored(db_url, "pump-manual")
    assert manual.prompt_zh == "读 泵手册 (https://example.com/pump.pdf)。"
    assert manual.prompt_en == "Read the pump manual (https://example.com/pump.pdf).\n[pump]"
    loop = stored(db_url, "loop")
    assert loop.prompt_en == "What does it print?\nfor x in range(2):\n    print(x)"
    markdown = stored(db_url, "md")
    assert markdown.prompt_en == "Which valve is right? See the drawing (https://example.com/d.pdf)."

    monkeypatch.setenv("LMS_LANG", "zh")
    again = tmp_path / "again.gift"
    again.write_text(MARKDOWN_QUESTION.replace("::md::", "::md-2::") + "\n", encoding="utf-8")
    chinese = cli("quiz", "import-gift", str(again), "--course", "SHW-OM", "--module", "op-1")
    assert chinese.err == (
        f"警告：{again}:1: 试题 md-2：课程只保存纯文本，以下内容未保留：粗体、斜体等格式（按纯文本显示）\n"
    )


def test_a_yaml_import_after_gift_shows_the_bank_shrinking(  # type: ignore[no-untyped-def]
    cli, vendor_course, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    [course] = json.loads(cli("courses", "list", "--format", "json").out)
    bank = tmp_path / "bank.gift"
    bank.write_text(f"{PLAIN_QUESTION}\n\n::plain-2::The tank holds water.{{T}}\n", encoding="utf-8")
    assert cli("quiz", "import-gift", str(bank), "--course", "SHW-OM", "--module", "op-1").code == 0
    monkeypatch.setenv("LMS_LANG", "zh")
    replaced = cli("courses", "import", str(LIBRARY_COURSE))
    before, after = course["questions"] + 2, course["questions"]
    assert replaced.code == 0
    assert f"题目数 {before} → {after}" in replaced.err and "plain, plain-2" in replaced.err
    assert "bank.gift" in replaced.err
