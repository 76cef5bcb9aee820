"""The compliance report as lines of plain text: the project, each obligation with its sessions, what is
outstanding. ``lms report compliance`` prints it; the portfolio screen shows an obligation's part."""

from __future__ import annotations

import datetime as dt
from collections import Counter

from lms.evidence.compliance_records import ObligationEvidence, ProjectCompliance
from lms.evidence.labels import listing, outcome_label, series
from lms.evidence.session_lines import SessionEvidence
from lms.files.text_tables import format_table
from lms.i18n import _, pick

OUTCOMES = ("passed", "passed_on_reexam", "failed", "pending", "not_assessed", "absent")


def bilingual(zh: str, en: str | None) -> str:
    return pick({"zh": zh, "en": en or ""})


def day_or_dash(day: dt.date | None) -> str:
    return day.isoformat() if day else "—"


def span(first: dt.date | None, last: dt.date | None) -> str:
    """A day, or the first and last day of a stretch."""
    if first is None or last is None or first == last:
        return day_or_dash(first)
    return f"{first} – {last}"


def compliance_text(found: ProjectCompliance) -> list[str]:
    """The report as lines for a terminal: the project, then each obligation, then what is outstanding."""
    lines = [
        f"{found.code}  {bilingual(found.name_zh, found.name_en)}",
        _("Buyer: {buyer} · tender {tender} · warranty {months} months").format(
            buyer=bilingual(found.buyer.name_zh, found.buyer.name_en),
            tender=found.tender_ref or "—",
            months=found.warranty_months,
        ),
        _("Site: {site}").format(site=found.site),
        _("Milestones: {milestones}").format(
            milestones=series(
                _("{milestone} planned {planned}, actual {actual}").format(
                    milestone=m.label, planned=day_or_dash(m.planned), actual=day_or_dash(m.actual)
                )
                for m in found.milestones
            )
        ),
        _("As of {day}").format(day=found.today),
    ]
    for obligation in found.obligations:
        lines.append("")
        lines.extend(obligation_text(obligation))
    outstanding = found.outstanding
    lines.append("")
    if outstanding:
        lines.append(_("Outstanding ({count}):").format(count=len(outstanding)))
        lines.extend(f"  - {item.text}" for item in outstanding)
    else:
        lines.append(_("Nothing outstanding."))
    return lines


def asks(obligation: ObligationEvidence) -> str:
    """What the clause asks, in a few words."""
    parts = [obligation.mode_label, obligation.place_label]
    if obligation.min_trainees:
        parts.append(_("at least {count} trainees").format(count=obligation.min_trainees))
    if obligation.min_days:
        parts.append(_("at least {days} working days").format(days=f"{obligation.min_days:g}"))
    if obligation.min_hours:
        parts.append(_("at least {hours} hours").format(hours=f"{obligation.min_hours:g}"))
    if obligation.assessment_required:
        parts.append(_("assessment"))
    if obligation.certificate_required:
        parts.append(_("certificates for those who pass"))
    parts.append(obligation.cadence_label)
    return listing(parts)


def obligation_text(obligation: ObligationEvidence) -> list[str]:
    reference = f" {obligation.clause_ref}" if obligation.clause_ref else ""
    lines = [
        f"{obligation.code}{reference}  [{obligation.status_label}]",
        "  " + _("Clause: {text}").format(text=obligation.clause_text),
        "  " + _("Asks: {what}").format(what=asks(obligation)),
    ]
    if obligation.window_start is not None:
        window = span(obligation.window_start, obligation.window_end)
        if obligation.working_days is not None:
            window = _("{window} ({days} working days)").format(window=window, days=obligation.working_days)
        lines.append("  " + _("Window: {window}").format(window=window))
    lines.append(
        "  " + _("Status: {status} — {reason}").format(status=obligation.status_label, reason=obligation.reason)
    )
    if obligation.cadence != "once":
        rows = [
            [
                period.name,
                span(period.window_start, period.window_end),
                period.status_label,
                listing(period.sessions) or "—",
            ]
            for period in obligation.periods
        ]
        table = format_table([_("Period"), _("Window"), _("Status"), _("Sessions")], rows)
        lines.extend("    " + line for line in table.splitlines())
    for training in obligation.sessions:
        lines.extend(session_text(training))
    return lines


def session_text(training: SessionEvidence) -> list[str]:
    place = training.room_name or training.place
    lines = [
        "  "
        + _("Session {code} ({status}) {days} · {mode} · {place} · {course}").format(
            code=training.code,
            status=training.status_label,
            days=span(training.first_day, training.last_day),
            mode=training.mode_label,
            place=place,
            course=f"{training.course_code} v{training.course_version}",
        )
    ]
    trainers = listing(_("{name} ({role})").format(name=t.name, role=t.role_label) for t in training.trainers) or "—"
    lines.append("    " + _("Trainers: {trainers}").format(trainers=trainers))
    if training.status in ("held", "closed"):
        days = series(
            _("{day} {hours} h, {present} present").format(day=d.day, hours=f"{d.hours:g}", present=d.present)
            for d in training.days
        )
    else:  # no one has signed in yet
        days = series(_("{day} {hours} h").format(day=d.day, hours=f"{d.hours:g}") for d in training.days)
    lines.append(
        "    "
        + _("Days: {days} — {total} h in all, {rostered} on the roster, {required} required").format(
            days=days,
            total=f"{training.total_hours:g}",
            rostered=training.rostered,
            required=training.required_trainees,
        )
    )
    if training.problems:
        lines.append("    " + _("Against the clause: {problems}").format(problems=series(training.problems)))
    if training.results:
        counts = Counter(result.outcome for result in training.results)
        summary = listing(f"{outcome_label(outcome)} {counts[outcome]}" for outcome in OUTCOMES if counts[outcome])
        lines.append("    " + _("Results: {summary}").format(summary=summary))
    if training.certificates:
        serials = [c.serial for c in training.certificates]
        shown = serials[0] if len(serials) == 1 else f"{serials[0]} … {serials[-1]}"
        rendered = sum(1 for c in training.certificates if c.pdf_sha256)
        lines.append(
            "    "
            + _("Certificates: {count} ({serials}), {rendered} with a PDF").format(
                count=len(serials), serials=shown, rendered=rendered
            )
        )
    scans = listing(f"{day_or_dash(s.day)} {s.original_name}" for s in training.scans) or _("none")
    lines.append("    " + _("Sign-in scans: {scans}").format(scans=scans))
    sent = listing(f"{d.sent_on} → {d.sent_to} ({d.channel})" for d in training.dispatches) or _("none")
    lines.append("    " + _("Materials sent: {sent}").format(sent=sent))
    return lines
