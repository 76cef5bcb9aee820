"""The obligation parser against real tender wording (tests/lms/data/tender_clauses.yaml)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
import yaml

from lms.projects.tender_parse import parse_tender
from lms.projects.tender_text import TenderTextError

CLAUSES = yaml.safe_load((Path(__file__).parent / "data" / "tender_clauses.yaml").read_text(encoding="utf-8"))
DEFAULTS = {
    "deadline": None,
    "assessment": False,
    "certificate": False,
    "reexam": False,
    "cadence": "once",
    "unknown": [],
}


def expected_proposals(paragraph: dict[str, Any]) -> list[dict[str, Any]]:
    proposals = []
    for item in paragraph["expected"]:
        proposal = {**DEFAULTS, **item}
        if isinstance(proposal["deadline"], dt.date):
            proposal["deadline"] = proposal["deadline"].isoformat()
        proposals.append(proposal)
    return proposals


def parsed(text: str) -> list[dict[str, Any]]:
    proposals = []
    for proposal in parse_tender(text):
        data = proposal.as_dict()
        data.pop("notes")
        proposals.append(data)
    return proposals


def test_the_set_is_big_enough() -> None:
    paragraphs = CLAUSES["paragraphs"]
    assert len(paragraphs) >= 15
    assert any(len(p["expected"]) >= 2 for p in paragraphs)
    assert any(not p["expected"] for p in paragraphs)


@pytest.mark.parametrize("paragraph", CLAUSES["paragraphs"], ids=lambda p: p["name"])
def test_paragraph(paragraph: dict[str, Any]) -> None:
    assert parsed(paragraph["text"]) == expected_proposals(paragraph)


def test_every_clause_is_an_exact_substring() -> None:
    for paragraph in CLAUSES["paragraphs"]:
        for proposal in parse_tender(paragraph["text"]):
            assert proposal.clause in paragraph["text"]


def test_readings_that_are_not_word_for_word_say_so() -> None:
    (proposal,) = parse_tender("系统投入使用后，每年春、秋两季各组织一次集中复训。")
    assert proposal.anchor == "acceptance"
    assert any("投入使用" in note for note in proposal.notes)
    (signing,) = parse_tender("合同签订后15个工作日内进行培训。")
    assert signing.anchor is None and "anchor" in signing.unknown
    assert any("合同签订" in note for note in signing.notes)


def test_months_are_not_guessed_as_days() -> None:
    (proposal,) = parse_tender("验收合格后1个月内完成操作培训。")
    assert proposal.anchor == "acceptance" and proposal.offset is None
    assert "offset" in proposal.unknown


def test_three_times_a_year_is_reported_not_guessed() -> None:
    (proposal,) = parse_tender("质保期内每年3次对操作人员进行培训。")
    assert proposal.cadence is None and "cadence" in proposal.unknown
    assert any("3 times a year" in note for note in proposal.notes)


@pytest.mark.parametrize("text", ["", "   ", "Training within 2 working days after acceptance."])
def test_unreadable_text_is_refused_naming_it(text: str) -> None:
    with pytest.raises(TenderTextError) as error:
        parse_tender(text)
    assert "\n" not in str(error.value)
    if text.strip():
        assert "Training within" in str(error.value)
