"""The day-by-day teaching schedule (教学进度) of a session: the course's modules fitted into its days in half hours,
the assessment last."""

from __future__ import annotations

from collections.abc import Sequence

from lms.documents.plan_models import AssessmentPlan, CoursePlan, ScheduleDay, ScheduleItem
from lms.evidence.session_lines import DayLine

PRACTICAL_CHECK_HOURS = 0.5  # the practical checklist, when the course weighs it


def half_hours(hours: float) -> int:
    return max(0, round(hours * 2))


def fit(units: list[int], budget: int) -> list[int]:
    """Shorten module lengths (in half hours) in proportion to fit ``budget``; each keeps at least half an hour."""
    need = sum(units)
    if need <= budget or not units:
        return list(units)
    shares = [unit * budget / need for unit in units]
    fitted = [max(1, int(share)) for share in shares]
    spare = budget - sum(fitted)
    for index in sorted(range(len(units)), key=lambda i: shares[i] - int(shares[i]), reverse=True):
        if spare <= 0:
            break
        fitted[index] += 1
        spare -= 1
    return fitted


def assessment_hours(assessment: AssessmentPlan) -> float:
    """Time kept on the last day for the written quiz (its time limit) and the practical check."""
    if not assessment.assessed:
        return 0.0
    written = half_hours(-(-(assessment.time_limit_minutes or 60) // 30) / 2) / 2
    return written + (PRACTICAL_CHECK_HOURS if assessment.practical_weight > 0 else 0.0)


def teaching_schedule(course: CoursePlan, days: Sequence[DayLine]) -> tuple[list[ScheduleDay], bool]:
    """Spread the course's modules over the session's days by their hours, in syllabus order; a module that does not
    fit in what is left of a day goes on the next. The assessment takes the end of the last day. Returns the days and
    whether the modules had to be shortened to fit."""
    if not days:
        return [], False
    exam = half_hours(assessment_hours(course.assessment))
    capacity = [half_hours(day.hours) for day in days]
    capacity[-1] = max(0, capacity[-1] - exam)
    modules = course.modules
    wanted = [half_hours(module.hours) for module in modules]
    allotted = fit(wanted, sum(capacity))
    items: list[list[ScheduleItem]] = [[] for _day in days]
    index = 0
    for module, units in zip(modules, allotted, strict=True):
        first = True
        while units > 0:
            while index < len(days) - 1 and capacity[index] <= 0:
                index += 1
            take = units if index == len(days) - 1 else min(units, capacity[index])
            capacity[index] -= take
            units -= take
            items[index].append(
                ScheduleItem(
                    kind="module",
                    hours=take / 2,
                    module=module.code,
                    curriculum=module.curriculum,
                    title=module.title,
                    methods=list(module.methods),
                    continued=not first,
                    continues=units > 0,
                )
            )
            first = False
    for day_items, left in zip(items, capacity, strict=True):
        if left > 0:
            day_items.append(ScheduleItem(kind="review", hours=left / 2))
    if exam:
        items[-1].append(ScheduleItem(kind="assessment", hours=exam / 2))
    schedule = [
        ScheduleDay(day.day, day.start_time, day.end_time, day.hours, day_items)
        for day, day_items in zip(days, items, strict=True)
    ]
    return schedule, sum(allotted) < sum(wanted)
