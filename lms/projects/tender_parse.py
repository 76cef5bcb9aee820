"""Proposed obligations from pasted tender text: one per training duty, each quoting the clause it came from.

The text is cut into sentences and comma fragments. A fragment that names a new time (a milestone rule, a date or a
cadence) while the current piece already has one starts a new piece; so does a sentence about something other than
training after a training piece. Pieces that speak of training become proposals. Whatever a proposal could not read
is None and named in ``unknown``; readings that are not word for word are explained in ``notes``.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import asdict, dataclass, field
from typing import Any

from lms.i18n import _
from lms.projects import tender_amounts as amounts
from lms.projects.tender_terms import ASSESSMENT, CERTIFICATE, FOLLOW_UP, REEXAM, TRAINING
from lms.projects.tender_text import Fragment, fold_width, fragments, quote, require_readable
from lms.projects.tender_timing import Timing, read_timing

THEREAFTER = re.compile(r"(?:此后|之后|以后|其后|今后)")
# The keys a PM must confirm when the text does not give them (booleans default to "not asked for").
REQUIRED = (
    "anchor",
    "offset",
    "mode",
    "place",
    "min_trainees",
    "min_days",
    "min_hours",
    "audience",
    "curricula",
    "cadence",
)


@dataclass
class Proposal:
    """One proposed obligation, with the keys of the projects YAML."""

    clause: str
    anchor: str | None = None
    offset: str | None = None
    deadline: dt.date | None = None
    mode: str | None = None
    place: str | None = None
    min_trainees: int | None = None
    min_days: float | None = None
    min_hours: float | None = None
    audience: list[str] | None = None
    curricula: list[str] | None = None
    assessment: bool = False
    certificate: bool = False
    reexam: bool = False
    cadence: str | None = "once"  # None: a repetition the text names but we cannot keep (每年3次)
    unknown: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["deadline"] = self.deadline.isoformat() if self.deadline else None
        return data


@dataclass
class Piece:
    parts: list[Fragment]
    timing: bool
    training: bool
    closed: bool = False  # a heading: whatever follows starts afresh


def parse_tender(text: str) -> list[Proposal]:
    """Every training duty in ``text`` as a proposal; [] for text that holds none. Raises ``TenderTextError`` for
    text it cannot read at all."""
    require_readable(text)
    proposals: list[Proposal] = []
    for piece in pieces(fragments(text)):
        if piece.training:
            proposals.append(propose(text, piece, proposals[-1] if proposals else None))
    return proposals


def pieces(parts: list[Fragment]) -> list[Piece]:
    found: list[Piece] = []
    for part in parts:
        timing = read_timing(part.text).found
        training = bool(TRAINING.search(part.text))
        current = found[-1] if found else None
        if part.heading:
            found.append(Piece([part], False, False, closed=True))
            continue
        starts_new = (
            current is None
            or current.closed
            or part.numbered
            or (
                (timing and current.timing and (current.training or part.opens_sentence))
                or (part.opens_sentence and current.training and not training and not FOLLOW_UP.search(part.text))
            )
        )
        if starts_new:
            found.append(Piece([part], timing, training))
        else:
            assert current is not None
            current.parts.append(part)
            current.timing = current.timing or timing
            current.training = current.training or training
    return found


def propose(original: str, piece: Piece, previous: Proposal | None = None) -> Proposal:
    start, end = piece.parts[0].start, piece.parts[-1].end
    text = _joined(original, piece.parts)
    proposal = Proposal(clause=quote(original, start, end))
    timing = read_timing(text)
    _apply_timing(proposal, timing)
    if (
        previous is not None
        and previous.anchor is not None
        and proposal.anchor is None
        and proposal.cadence != "once"
        and (THEREAFTER.match(text) or previous.cadence != "once")
    ):
        proposal.anchor, proposal.offset = previous.anchor, "0 calendar days after"
        proposal.notes.append(_("counted from the previous duty's milestone, as the text goes on from it"))
    said, proposal.min_trainees = amounts.min_trainees(text)
    proposal.min_days = amounts.min_days(text, timing.span)
    proposal.min_hours = amounts.min_hours(text, timing.span)
    outside_timing = _blank(text, timing.span)
    proposal.mode = amounts.mode(outside_timing)
    proposal.place = amounts.place(outside_timing)
    proposal.audience = amounts.audience(text)
    proposal.curricula = amounts.curricula(text)
    proposal.assessment = bool(ASSESSMENT.search(text))
    proposal.certificate = bool(CERTIFICATE.search(text))
    proposal.reexam = bool(REEXAM.search(text))
    if proposal.min_days is not None and proposal.min_hours is None:
        proposal.min_hours = 0  # a length in days says all there is about the length
    if proposal.min_hours is not None and proposal.min_days is None:
        proposal.min_days = 0
    proposal.unknown = [key for key in REQUIRED if getattr(proposal, key) is None and not _known(key, said, proposal)]
    return proposal


def _apply_timing(proposal: Proposal, timing: Timing) -> None:
    proposal.anchor, proposal.offset, proposal.deadline = timing.anchor, timing.offset, timing.deadline
    proposal.cadence = timing.cadence or (None if timing.repeats else "once")
    proposal.notes.extend(timing.notes)
    if (timing.cadence or timing.repeats) and timing.anchor and timing.offset is None:
        proposal.offset = "0 calendar days after"  # a repeated duty runs from the milestone on


def _known(key: str, trainees_said: bool, proposal: Proposal) -> bool:
    """A None that the text gave on purpose, or that another field makes unnecessary."""
    if key == "min_trainees":
        return trainees_said
    if key in ("anchor", "offset"):
        return proposal.deadline is not None and proposal.anchor is None
    return False


def _joined(original: str, parts: list[Fragment]) -> str:
    """The piece's folded text with the separators between fragments kept, so positions match within it."""
    start, end = parts[0].start, parts[-1].end
    return fold_width(original[start:end])


def _blank(text: str, span: tuple[int, int] | None) -> str:
    if span is None:
        return text
    return text[: span[0]] + "□" * (span[1] - span[0]) + text[span[1] :]
