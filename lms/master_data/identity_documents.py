"""Identity documents: the 18-character mainland resident ID checked in full, other documents by shape.

The resident ID (GB 11643-1999) is checked with python-stdnum's pieces: 17 digits, a real birth date, the
ISO 7064 MOD 11-2 check digit. Its region check is left out on purpose: new districts appear every year and a
valid number from one must not be refused. Passports and permits (Hong Kong, Macao, Taiwan, foreigners) have no
public checksum; they are taken only when the user says which document it is (``--id-type``), so a mistyped
resident ID is never stored as "some other document".
"""

from __future__ import annotations

import datetime as dt
import re
from enum import StrEnum

from stdnum.cn import ric
from stdnum.exceptions import ValidationError

from lms.errors import LmsError
from lms.i18n import _

OTHER_DOCUMENT = re.compile(r"^[A-Z0-9]{5,20}$")
EARLIEST_BIRTH = dt.date(1900, 1, 1)


class IdType(StrEnum):
    resident = "resident"  # 居民身份证
    passport = "passport"  # 护照
    permit = "permit"  # 港澳台居民来往内地通行证、居住证, 外国人永久居留身份证
    other = "other"


def id_type_label(id_type: str) -> str:
    return {
        "resident": _("resident ID card"),
        "passport": _("passport"),
        "permit": _("permit"),
        "other": _("other document"),
    }.get(id_type, id_type)


def parse_id_type(value: str | None, field: str = "id_type") -> IdType:
    if not value:
        return IdType.resident
    try:
        return IdType(value.strip().lower())
    except ValueError:
        choices = ", ".join(kind.value for kind in IdType)
        message = _("{value!r} is not a kind of document ({choices})").format(value=value, choices=choices)
        raise LmsError(message, field=field) from None


def normalise_id_number(value: str) -> str:
    """Spaces and hyphens dropped, letters upper-cased (the check character X is written either way)."""
    return re.sub(r"[\s-]", "", value).upper()


def id_type_of(value: str) -> IdType:
    """The document a stored number is: a valid resident ID, else another document."""
    return IdType.resident if resident_id_problem(value) is None else IdType.other


def id_number_problem(value: str, id_type: IdType = IdType.resident, *, today: dt.date | None = None) -> str | None:
    """Why ``value`` (already normalised) is not a number of that document, or None."""
    if id_type == IdType.resident:
        return resident_id_problem(value, today=today)
    if not OTHER_DOCUMENT.match(value):
        return _("a document number is 5 to 20 letters and digits")
    if len(value) == 18 and value[:17].isdigit():
        # It has the resident ID's shape: the person probably meant one, and the checks must apply.
        return resident_id_problem(value, today=today)
    return None


def resident_id_problem(value: str, *, today: dt.date | None = None) -> str | None:
    """Why a mainland resident ID number is wrong: length, digits, birth date, check digit."""
    if len(value) == 15 and value.isdigit():
        return _("a 15-digit ID number has not been valid since 2013; ask for the 18-character one")
    if len(value) != 18 or not value[:17].isdigit():
        hint = _("an ID number has 18 characters: 17 digits and a check digit")
        if OTHER_DOCUMENT.match(value):
            hint += _("; for a passport or permit say which with --id-type")
        return hint
    try:
        born = ric.get_birth_date(value)
    except ValidationError:
        return _("characters 7 to 14 of an ID number are the birth date; {text} is not a date").format(text=value[6:14])
    if not EARLIEST_BIRTH <= born <= (today or dt.date.max):
        return _("the birth date in the ID number ({date}) cannot be right").format(date=born.isoformat())
    check = ric.calc_check_digit(value)
    if value[17] != check:
        return _("the ID number's check digit is wrong (expected {check})").format(check=check)
    return None
