"""Question types grade as Moodle does: weights floored at 0, normalised short answers, numeric tolerance and
ranges, matching, ordering, manual types; new optional fields leave existing course hashes alone."""

from __future__ import annotations

from typing import Any

import pytest

from lms.questions.grading import normalise_text_answer, parse_number
from lms.questions.types import BUILTIN_TYPES, SingleChoiceSpec

TYPES = {t.name: t for t in BUILTIN_TYPES}


def grade(kind: str, data: dict[str, Any], response: Any) -> float | None:
    fast = TYPES[kind].grader(data)(response)
    assert fast == TYPES[kind].grade(data, response)  # the compiled and the two-argument forms agree
    return fast


CHOICES = [{"id": key, "text": {"zh": key, "en": key}} for key in "abcd"]


def test_single_choice_with_partial_credit_never_below_zero() -> None:
    data = {"choices": CHOICES, "answer": "b", "weights": {"c": 50, "d": -50}}
    assert [grade("single", data, r) for r in ("b", "c", "d", "a", None, ["b"])] == [1, 0.5, 0, 0, 0, 0]


def test_multiple_response_sums_weights_floored_at_zero_and_capped_at_one() -> None:
    data = {"choices": CHOICES, "weights": {"a": 50, "b": 50, "c": -100, "d": -50}}
    assert grade("multiple", data, ["a", "b"]) == 1.0
    assert grade("multiple", data, ["a"]) == 0.5
    assert grade("multiple", data, ["a", "d"]) == 0.0
    assert grade("multiple", data, ["a", "b", "c", "d"]) == 0.0  # choosing everything never pays
    assert grade("multiple", data, ["a", "a"]) == 0.5  # a repeated id counts once
    assert grade("multiple", data, []) == grade("multiple", data, None) == 0.0


def test_true_false_takes_only_booleans() -> None:
    assert grade("truefalse", {"answer": False}, False) == 1.0
    assert grade("truefalse", {"answer": False}, True) == 0.0
    assert grade("truefalse", {"answer": False}, 0) == 0.0


@pytest.mark.parametrize(
    ("typed", "value"),
    [
        ("93", 93.0),
        ("９３．５", 93.5),
        ("93。5", 93.5),
        ("0,5", 0.5),
        ("1,500", 1500.0),
        ("−4", -4.0),
        (" 93 kWh", 93.0),
        ("93kwh", 93.0),
        ("1e3", 1000.0),
        ("abc", None),
        ("", None),
        ("nan", None),
        (True, None),
        (7, 7.0),
    ],
)
def test_numbers_as_trainees_type_them(typed: Any, value: float | None) -> None:
    assert parse_number(typed, "kWh") == value


def test_numeric_tolerance_range_and_further_answers() -> None:
    assert grade("numeric", {"answer": 3600, "tolerance": 5}, "3604.9") == 1.0
    assert grade("numeric", {"answer": 3600, "tolerance": 5}, "3606") == 0.0
    assert grade("numeric", {"answer": 0.3, "tolerance": 0}, 0.1 + 0.2) == 1.0  # floating error is not a mistake
    assert grade("numeric", {"answer": None, "range": [91, 95]}, "95") == 1.0
    assert grade("numeric", {"answer": None, "range": [91, 95]}, "95.1") == 0.0
    data = {"answer": 1822, "tolerance": 0, "answers": [{"value": 1822, "tolerance": 2, "weight": 50}]}
    assert [grade("numeric", data, v) for v in ("1822", "1823", "1825", "x")] == [1.0, 0.5, 0.0, 0.0]


def test_short_answers_normalise_width_case_and_spaces_and_take_the_best_weight() -> None:
    assert normalise_text_answer(" ＰＬＣ　控制器 ") == "plc控制器"
    data = {"answers": [{"text": "PLC", "weight": 100}, {"text": "controller", "weight": 50}]}
    assert [grade("shortanswer", data, r) for r in ("ｐｌｃ", " p l c ", "Controller", "", None, "x")] == [
        1.0,
        1.0,
        0.5,
        0.0,
        0.0,
        0.0,
    ]


def test_short_answer_wildcards_as_moodle() -> None:
    data = {"answers": [{"text": "nitro*", "weight": 100}, {"text": "a\\*b", "weight": 80}, {"text": "*", "weight": 0}]}
    assert grade("shortanswer", data, "Nitrogen gas") == 1.0
    assert grade("shortanswer", data, "a*b") == 0.8
    assert grade("shortanswer", data, "axb") == 0.0


def _text(value: str) -> dict[str, str]:
    return {"zh": value, "en": value}


def test_matching_counts_right_pairs_and_accepts_a_shared_answer_text() -> None:
    data = {
        "pairs": [
            {"left": _text("A"), "right": _text("1")},
            {"left": _text("B"), "right": _text("2")},
            {"left": _text("C"), "right": _text("1")},
        ],
        "distractors": [_text("9")],
    }
    assert grade("matching", data, [0, 1, 2]) == 1.0
    assert grade("matching", data, [2, 1, 0]) == 1.0  # both "1"s are the same answer
    assert grade("matching", data, [3, 1, None]) == pytest.approx(1 / 3)
    assert grade("matching", data, [7, "x", 1]) == 0.0
    assert grade("matching", data, None) == 0.0


def test_ordering_by_absolute_position() -> None:
    data = {"items": [_text(x) for x in "abcd"]}
    assert grade("ordering", data, [0, 1, 2, 3]) == 1.0
    assert grade("ordering", data, [1, 0, 2, 3]) == 0.5
    assert grade("ordering", data, [3, 2, 1, 0]) == 0.0


def test_manual_types_wait_for_the_trainer_and_descriptions_are_not_graded() -> None:
    checklist = {
        "items": [
            {"id": "p1", "text": _text("x"), "points": 3, "critical": False},
            {"id": "p2", "text": _text("y"), "points": 1, "critical": True},
        ]
    }
    assert grade("essay", {}, "my answer") is None
    assert grade("checklist", checklist, None) is None
    assert grade("checklist", checklist, ["p2"]) == 0.25
    assert grade("checklist", checklist, ["p1"]) == 0.0  # a missed critical item fails the checklist
    assert TYPES["checklist"].answered_by == "trainer"
    assert not TYPES["description"].graded and not TYPES["essay"].auto_graded


def test_optional_fields_stay_out_of_dumps_so_course_hashes_do_not_change() -> None:
    spec = SingleChoiceSpec.model_validate(
        {"id": "q", "module": "m", "type": "single", "prompt": _text("?"), "choices": CHOICES, "answer": "a"}
    )
    dumped = spec.model_dump(mode="json")
    assert "weights" not in dumped and "name" not in dumped
    assert all("feedback" not in choice for choice in dumped["choices"])
    with pytest.raises(ValueError, match="names no choice"):
        SingleChoiceSpec.model_validate(
            {"id": "q", "module": "m", "type": "single", "prompt": _text("?"), "choices": CHOICES, "answer": "z"}
        )
