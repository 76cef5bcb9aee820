"""Words of the evidence in the reader's language: modes, roles, statuses, outcomes, lists."""

from __future__ import annotations

from collections.abc import Iterable

from lms.i18n import _, current_language
from lms.scheduling.lifecycle import status_name


def mode_label(mode: str) -> str:
    return {"on_site": _("on site"), "centralised": _("centralised"), "online": _("online")}.get(mode, mode)


def role_label(role: str) -> str:
    return {
        "lead": _("lead"),
        "assistant": _("assistant"),
        "technical_lead": _("technical lead"),
        "manufacturer": _("manufacturer engineer"),
    }.get(role, role)


def session_status_label(status: str) -> str:
    return status_name(status)


def certificate_status_label(status: str) -> str:
    return {"valid": _("valid"), "revoked": _("revoked"), "superseded": _("superseded")}.get(status, status)


def outcome_label(outcome: str) -> str:
    return {
        "passed": _("passed"),
        "passed_on_reexam": _("passed on re-exam"),
        "failed": _("failed"),
        "pending": _("awaiting marks"),
        "not_assessed": _("not assessed"),
        "absent": _("absent"),
    }.get(outcome, outcome)


def listing(items: Iterable[str]) -> str:
    """Items joined as the language writes a list: 、 in Chinese, commas in English."""
    return ("、" if current_language() == "zh" else ", ").join(items)


def series(items: Iterable[str]) -> str:
    """Phrases joined with semicolons, full-width in Chinese."""
    return ("；" if current_language() == "zh" else "; ").join(items)
