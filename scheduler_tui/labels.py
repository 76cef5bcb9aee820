"""Words and colours the screens share: statuses, day kinds, dates. Looked up at call time (``g`` switches)."""

from __future__ import annotations

import datetime as dt

from rich.text import Text

from lms.i18n import _, current_language

OBLIGATION_STYLES = {
    "overdue": "bold white on red",
    "at_risk": "bold black on yellow",
    "partly_met": "black on dark_orange",
    "planned": "cyan",
    "waiting": "dim",
    "met": "green",
}
SESSION_STYLES = {"planned": "yellow", "confirmed": "bold green", "held": "dim green", "cancelled": "dim strike"}


def session_status_label(status: str) -> str:
    from lms.scheduling.lifecycle import status_name

    return status_name(status)


def session_status(status: str, provisional: bool = False) -> Text:
    """The status; a planned or confirmed session on a year without its holiday notice says 「日历为暂定」."""
    from lms.calendars.workdays import provisional_mark

    return status_text(status, session_status_label(status), provisional_mark() if provisional else "")


PROVISIONAL_SYMBOL = "*"  # ASCII: one column in every terminal, where 「≈」 or 「†」 may take two


def marks_provisional(status: str, provisional_label: str) -> bool:
    """Whether a session's status carries the provisional-calendar mark: planned or confirmed on a year without its
    holiday notice (``provisional_label`` is the mark's words, empty otherwise)."""
    return bool(provisional_label) and status in ("planned", "confirmed")


def status_text(status: str, label: str, provisional_label: str = "", *, compact: bool = False) -> Text:
    """A session's status from words already looked up (the dashboard paints its snapshot before the domain
    modules that know them are imported). ``compact``, where the columns are narrow (the dashboard): the
    provisional mark is one symbol, explained once beside the table."""
    text = Text(label, style=SESSION_STYLES.get(status, ""))
    if marks_provisional(status, provisional_label):
        text.append(PROVISIONAL_SYMBOL if compact else " · " + provisional_label, style="italic yellow")
    return text


def day_text(value: dt.date | None) -> str:
    return value.isoformat() if value else ""


def span_text(first: dt.date | None, last: dt.date | None) -> str:
    if first is None:
        return "—"
    if last is None or last == first:
        return first.isoformat()
    return f"{first.isoformat()} – {last.isoformat()}"


def short_day(value: dt.date | None) -> str:
    """Month and day, for lists of days close to today."""
    return f"{value:%m-%d}" if value else ""


def short_span(first: dt.date, last: dt.date) -> str:
    return short_day(first) if first == last else f"{short_day(first)}–{short_day(last)}"


def window_text(first: dt.date | None, last: dt.date | None) -> str:
    """A window, compact: the year once when both ends fall in it."""
    if first is None or last is None or first.year != last.year:
        return span_text(first, last)
    return f"{first:%Y} {first:%m-%d}–{last:%m-%d}"


def bilingual(zh: str, en: str) -> str:
    """The side of a bilingual name in the language shown now (Chinese when English is missing)."""
    return (en or zh) if current_language() == "en" else (zh or en)


def pad_to(text: str, width: int) -> str:
    """``text`` followed by spaces up to ``width`` terminal columns (Chinese characters take two)."""
    return text + " " * max(0, width - Text(text).cell_len)


def clip(text: str, width: int) -> str:
    """Cut ``text`` to ``width`` terminal columns (Chinese characters take two), with an ellipsis."""
    if Text(text).cell_len <= width:
        return text
    out, used = "", 0
    for char in text:
        size = Text(char).cell_len
        if used + size > width - 1:
            break
        out, used = out + char, used + size
    return out + "…"


def dates_text(first: dt.date, last: dt.date) -> str:
    """A session's days in a list: the day, or the year once and both ends (「2026 11-24–11-25」)."""
    return day_text(first) if first == last else window_text(first, last)


def weekday_name(day: dt.date) -> str:
    return (_("Mon"), _("Tue"), _("Wed"), _("Thu"), _("Fri"), _("Sat"), _("Sun"))[day.weekday()]


def weekday_letter(day: dt.date) -> str:
    """One character for a weekday: 一…日 in Chinese (the last of 周一…周日), M…S in English."""
    name = weekday_name(day)
    return name[-1] if current_language() == "zh" else name[:1]


def day_kind_mark(kind: str) -> str:
    """A short word for a day that is not an ordinary working day or weekend."""
    return {"holiday": _("off"), "makeup": _("make-up"), "unknown": "?"}.get(kind, "")


def day_kind_letter(kind: str) -> str:
    """One character for a month's header: 休/班 as Chinese calendars print them, H/W in English."""
    chinese = current_language() == "zh"
    return {"holiday": "休" if chinese else "H", "makeup": "班" if chinese else "W", "unknown": "?"}.get(kind, "")
