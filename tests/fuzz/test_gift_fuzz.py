"""GIFT files against hostile input: whatever the bytes, ``quiz import-gift``'s reading (decode, parse, our question
specs, the new course version) returns or raises one LmsError line naming the file."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from sqlmodel import Session

from lms.catalog.gift.importer import import_gift, question_specs
from lms.catalog.gift.parser import parse_gift
from lms.errors import LmsError
from lms.files.textfiles import decode_utf8, read_bytes
from lms.questions.types import registry
from tests.fuzz.conftest import FUZZ, SEEDS, assert_cli_refuses, hostile, survives, write
from tests.lms.test_gift import DOCUMENTED

# ``lms quiz export-gift`` of the quiz course (tests/lms/quiz_fixtures.py, with its essay), as written.
EXPORTED = """// QZ-1 version 1: GIFT export (texts are 中文 | English)

$CATEGORY: QZ-1/op

::intro::以下题目关于水泵。 | The questions below are about pumps.

::q-single::哪个部件储存热水？ | Which part stores hot water?{
\t~水泵 | The pump
\t=水箱 | The tank
\t~阀门 | The valve
}

::q-multi::哪些是安全措施？ | Which are safety measures?{
\t~%50%断电 | Switch off
\t~%50%挂牌 | Tag out
\t~%-100%带电作业 | Work live
}

$CATEGORY: QZ-1/mt

::q-tf::膨胀罐需要定期检查。 | The expansion vessel needs regular checks.{TRUE}

// lms: {"unit": "kJ"}
::q-num::1 kWh 等于多少 kJ？ | How many kJ is 1 kWh?{#3600:5}

::q-short::膨胀罐里充的是什么气体？ | Which gas fills the expansion vessel?{
\t=%100%氮气
\t=%100%nitrogen
\t=%50%air
}

$CATEGORY: QZ-1/fh

::q-match::把故障和原因配对。 | Match each fault with its cause.{
\t=泵不转 | Pump idle -> 没电 | No power
\t=没流量 | No flow -> 气堵 | Air lock
\t=压力高 | High pressure -> 过热 | Overheating
}

// lms: {"type": "ordering"}
::q-order::排列检修步骤。 | Put the service steps in order.{
\t=1 -> 断电 | Switch off
\t=2 -> 挂牌 | Tag out
\t=3 -> 验电 | Prove dead
}

// lms: {"points": 2.0}
::q-essay::说明夜间倒流的原因。 | Explain reverse circulation at night.{}
"""
SEEDS["gift"] = [DOCUMENTED.encode(), EXPORTED.encode()]
MODULES = ["op", "mt", "fh"]

# GIFT's own punctuation and the constructs around it, to be strung together at random.
GIFT_TOKENS = [
    "::",
    "::t::",
    "{",
    "}",
    "{}",
    "~",
    "=",
    "#",
    "####",
    "->",
    " -> ",
    "%",
    "%50%",
    "%-100%",
    "%100.5%",
    "\\",
    "\\:",
    "\\=",
    "\\{",
    "\\|",
    "\\n",
    " | ",
    "|",
    "..",
    ":",
    "*",
    "T",
    "TRUE",
    "F",
    "FALSE",
    "1",
    "-2.5",
    "1e999",
    "nan",
    "inf",
    "0x10",
    "[html]",
    "[markdown]",
    "[moodle]",
    "[plain]",
    "[unknown]",
    "<b>",
    '<span lang="zh" class="multilang">中</span><span lang="en" class="multilang">en</span>',
    "$CATEGORY: ",
    "$CATEGORY: QZ-1/op",
    "op",
    "mt",
    "// ",
    "// lms: ",
    '// lms: {"points": 2}',
    '// lms: {"choices": ["a", "b"]}',
    '// lms: {"choices": 5}',
    '// lms: {"type": "checklist", "items": [{"id": "x"}]}',
    '// lms: {"type": "ordering"}',
    '// lms: {"unit": []}',
    "// lms: [1]",
    "// lms: {",
    "// lms: " + "[" * 2000,
    "中文",
    "English",
    " ",
    "\t",
    "\n",
    "\n\n",
    "\r",
    "\r\n",
    "\u2028",
    "\x00",
    "\ufeff",
]


@st.composite
def gift_like(draw: st.DrawFn) -> bytes:
    """Text made of GIFT's tokens in any order: reaches every branch of the parser quickly."""
    tokens = draw(st.lists(st.sampled_from(GIFT_TOKENS), max_size=60))
    return "".join(tokens).encode("utf-8")


def import_gift_file(session: Session, path: Path, pm: Any, module: str | None) -> Any:
    return import_gift(session, path=path, course_code="QZ-1", pm=pm, types=registry(pm), module=module)


@FUZZ
@given(data=hostile("gift", gift_like(), gift_like(), gift_like()), module=st.sampled_from([None, "op", "fh"]))
def test_any_gift_file_imports_or_names_the_file(
    workdir: Path, fuzz_pm: Any, fuzz_engine: Any, data: bytes, module: str | None
) -> None:
    path = write(workdir, "questions.gift", data)
    with Session(fuzz_engine) as session:
        try:
            survives("GIFT import", path, lambda: import_gift_file(session, path, fuzz_pm, module))
        finally:
            session.rollback()


@FUZZ
@given(data=hostile("gift", gift_like(), gift_like(), gift_like()))
def test_any_gift_file_parses_or_names_the_file(workdir: Path, fuzz_pm: Any, data: bytes) -> None:
    """The parser and the question specs alone (no database), many more inputs per second."""
    path = write(workdir, "parse.gift", data)

    def read() -> Any:
        questions = parse_gift(decode_utf8(read_bytes(path, limit=20_000_000), path), path)
        return question_specs(questions, types=registry(fuzz_pm), modules=MODULES, module=None, path=path)

    survives("GIFT parse", path, read)


def test_the_seeds_import(tmp_path: Path, fuzz_pm: Any, fuzz_engine: Any) -> None:
    for number, seed in enumerate(SEEDS["gift"]):
        path = write(tmp_path, f"seed-{number}.gift", seed)
        with Session(fuzz_engine) as session:
            assert import_gift_file(session, path, fuzz_pm, "op").added or seed == EXPORTED.encode()
            session.rollback()


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('// lms: {"choices": 5}\nQ{~a =b}', "choices must be a list"),
        ("// lms: " + "[" * 100_000 + "\nQ{T}", "not valid JSON"),
        ("Q{=a->b =c\nd}", "needs ->: c d"),
        ("Q{#nan}", "'nan' is not a number"),
        ("Q{#1e999}", "'1e999' is not a number"),
        ('// lms: {"points": 1e999}\nQ{T}', "'1e999' is not a number"),
    ],
    ids=["choices-int", "json-deep", "line-break-in-message", "nan", "overflow", "json-infinity"],
)
def test_what_the_fuzzing_found_stays_fixed(text: str, message: str, fuzz_pm: Any) -> None:
    with pytest.raises(LmsError, match=message) as caught:
        question_specs(
            parse_gift(text, "found.gift"),
            types=registry(fuzz_pm),
            modules=MODULES,
            module="op",
            path=Path("found.gift"),
        )
    assert str(caught.value).splitlines() == [str(caught.value)] and "found.gift" in str(caught.value)


def test_import_gift_refuses_broken_files_in_one_line(cli, fuzz_engine: Any, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    variants = {
        "gbk.gift": EXPORTED.encode("gbk", errors="replace"),
        "utf16.gift": EXPORTED.encode("utf-16"),
        "truncated.gift": EXPORTED.encode()[: EXPORTED.encode().index(b"{#3600") + 4],
        "choices.gift": b'// lms: {"choices": 5}\nQ{~a =b}\n',
        "json.gift": b"// lms: " + b"[" * 100_000 + b"\nQ{T}\n",
        "nan.gift": b"Q{#nan}\n",
        "unclosed.gift": b"::t::Q{~a =b\n\nR{T}\n",
    }
    for name, data in variants.items():
        path = write(tmp_path, name, data)
        assert_cli_refuses(cli, fuzz_engine, path, "quiz", "import-gift", str(path), "--course", "QZ-1")
