"""Health checks for ``lms doctor``: each says what it found and how to fix a failure."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from sqlalchemy.engine import Engine
from sqlalchemy.exc import SQLAlchemyError
from sqlmodel import Session

from lms.calendars.dates import working_today
from lms.i18n import _

if TYPE_CHECKING:
    from lms.calendars.workdays import WorkdayCalendar


@dataclass(frozen=True)
class CheckResult:
    name: str
    ok: bool
    detail: str
    fix: str = ""
    warning: bool = False  # ok, but someone should act (a provisional calendar year)


@dataclass(frozen=True)
class Check:
    """A named check; ``run`` gets the engine (or None when the database could not be opened)."""

    name: str
    run: Callable[[Engine | None], CheckResult]


def check_database(engine: Engine | None) -> CheckResult:
    from lms.db import current_revision, head_revision

    name = _("database")
    if engine is None:
        return CheckResult(name, False, _("cannot be opened"), _("check --db or LMS_DATABASE_URL"))
    try:
        current = current_revision(engine)
    except Exception as error:  # noqa: BLE001 - any driver error means unreachable
        return CheckResult(name, False, str(error).splitlines()[0], _("check --db or LMS_DATABASE_URL"))
    head = head_revision()
    if current != head:
        return CheckResult(
            name,
            False,
            _("schema {current}, expected {head}").format(current=current, head=head),
            _("run: lms init"),
        )
    return CheckResult(name, True, _("reachable, schema {head} is current").format(head=head))


def check_calendar(engine: Engine | None, today: dt.date | None = None) -> CheckResult:
    """This year and next must be covered; a year planned on the statutory holidays alone is a warning."""
    from lms.calendars.workdays import get_calendar, provisional_years

    name = _("working-day calendar")
    today = today or working_today()
    calendar = _calendar_with_notices(engine) or get_calendar()
    years = calendar.covered_years()
    missing = [year for year in (today.year, today.year + 1) if year not in years]
    if missing:
        return CheckResult(
            name,
            False,
            _("{code} has no official schedule for {years}").format(
                code=calendar.code, years=", ".join(map(str, missing))
            ),
            _(
                "import the State Council's notice (lms calendar import-notice FILE), or enter it under "
                "calendar.official in {path}"
            ).format(path=_config_path()),
        )
    covers = _("{code} covers {first}–{last}").format(code=calendar.code, first=years[0], last=years[-1])
    estimated = sorted(year for year in provisional_years(calendar) if year <= today.year + 1)
    if estimated:
        return CheckResult(
            name,
            True,
            covers
            + "; "
            + _("{years}: provisional calendar (statutory holidays only, no make-up days)").format(
                years=", ".join(map(str, estimated))
            ),
            _("import the notice when it is published: lms calendar import-notice FILE"),
            warning=True,
        )
    return CheckResult(name, True, covers)


def _calendar_with_notices(engine: Engine | None) -> WorkdayCalendar | None:
    """The calendar with the imported notices, when the database can be read."""
    from lms.calendars.workdays import get_calendar

    if engine is None:
        return None
    try:
        with Session(engine) as session:
            return get_calendar(session=session)
    except SQLAlchemyError:
        return None


def _config_path() -> str:
    from lms.config import config_path

    return str(config_path())


def check_issuer(engine: Engine | None) -> CheckResult:
    """Documents need the vendor's own name; the configuration's example name is a warning."""
    from lms.master_data.issuer import IssuerSource, configured_issuer, issuer_name, placeholder_fix

    name = _("vendor name on documents")
    issuer = configured_issuer()
    if engine is not None:
        try:
            with Session(engine) as session:
                issuer = issuer_name(session=session)
        except SQLAlchemyError:  # no schema yet: the database check says so
            pass
    detail = f"{issuer.zh} / {issuer.en}"
    if issuer.is_placeholder:
        return CheckResult(name, True, _("{names} (an example)").format(names=detail), placeholder_fix(), warning=True)
    if issuer.source is IssuerSource.organisation:
        return CheckResult(name, True, _("{names} (vendor organisation)").format(names=detail))
    return CheckResult(name, True, _("{names} (configuration)").format(names=detail))


def check_plugins(pm: Any) -> CheckResult:
    names = sorted(name for name, _plugin in pm.list_name_plugin() if name != "lms.builtin")
    expected = {"courses", "scheduler_tui", "certificates"}
    missing = sorted(expected - set(names))
    if missing:
        return CheckResult(
            _("plugins"),
            False,
            _("not loaded: {names}").format(names=", ".join(missing)),
            _("reinstall: .venv/bin/pip install -e ."),
        )
    return CheckResult(_("plugins"), True, ", ".join(names))


def run_checks(pm: Any, engine: Engine | None) -> list[CheckResult]:
    """Run the core checks and every plugin's; a check that crashes is reported as failed, not raised."""
    checks: list[Check] = [
        Check("database", check_database),
        Check("calendar", check_calendar),
        Check("issuer", check_issuer),
    ]
    for contributed in pm.hook.lms_doctor_checks():
        checks.extend(contributed)
    results = [check_plugins(pm)]
    for check in checks:
        try:
            results.append(check.run(engine))
        except Exception as error:  # noqa: BLE001 - report, keep checking
            results.append(CheckResult(check.name, False, str(error).splitlines()[0] if str(error) else repr(error)))
    return results
