"""Feedback figures as text for terminals and screens: rating bars, sparklines, percentages, headings."""

from __future__ import annotations

from collections.abc import Sequence

from lms.feedback.summaries import FeedbackSummary
from lms.feedback.survey import SCALE
from lms.i18n import _, pick

EIGHTHS = " ▏▎▍▌▋▊▉"
SPARKS = "▁▂▃▄▅▆▇█"


def rating_bar(mean: float | None, width: int = 20) -> str:
    """A mean on the 1–5 scale as a bar of block characters; 5 fills ``width`` cells."""
    if mean is None:
        return ""
    full, part = divmod(round(mean / SCALE[-1] * width * 8), 8)
    return "█" * full + (EIGHTHS[part] if part else "")


def distribution_spark(distribution: Sequence[int]) -> str:
    """How many gave 1 … 5, one character each, the most common the tallest; · where nobody did."""
    top = max(distribution, default=0)
    return "".join(SPARKS[max(1, round(n / top * 7))] if n else "·" for n in distribution)


def percent(rate: float | None) -> str:
    return "—" if rate is None else f"{rate:.0%}"


def mean_text(mean: float | None) -> str:
    return "—" if mean is None else f"{mean:.2f}"


def scope_label(scope: str) -> str:
    return {"session": _("Session"), "course": _("Course"), "trainer": _("Trainer")}.get(scope, scope)


def summary_heading(summary: FeedbackSummary) -> list[str]:
    """Two lines for a summary: what it is about, and how many answered."""
    what = f"{scope_label(summary.scope)} {summary.code} — {pick(summary.title)}"
    if summary.scope != "session":
        what += " · " + _("{count} sessions with feedback").format(count=summary.sessions)
    answered = _("{responses} responses from {present} trainees present ({rate}), {anonymous} anonymous").format(
        responses=summary.responses,
        present=summary.present,
        rate=percent(summary.response_rate),
        anonymous=summary.anonymous,
    )
    return [what, answered]
