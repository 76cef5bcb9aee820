"""The columns of a staff list, in ONE table: the names buyers give them (Chinese and English) and what each holds.

`lms roster import --help`, the import dialog of the roster screen and the README are all written from this table,
so they cannot drift apart. Headers are matched after folding case, full-width forms and spaces, and dropping a
trailing "*" or "(必填)" that templates add to required columns.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass

from lms.i18n import _


@dataclass(frozen=True)
class RosterColumn:
    field: str
    aliases: tuple[str, ...]  # the first Chinese and the first English ones are shown in the help
    meaning: Callable[[], str]
    stored: bool = True  # department is recognised and checked but the schema has no place for it yet


COLUMNS: tuple[RosterColumn, ...] = (
    RosterColumn("name", ("姓名", "name", "员工姓名", "学员姓名", "名字", "full name"), lambda: _("required")),
    RosterColumn(
        "id_number",
        ("身份证号", "id number", "身份证号码", "证件号码", "身份证", "证件号", "id_number", "id no"),
        lambda: _("18 characters, check digit verified; matches a known person"),
    ),
    RosterColumn(
        "phone",
        ("手机", "phone", "手机号", "手机号码", "联系电话", "电话", "mobile", "telephone"),
        lambda: _("7 to 15 digits"),
    ),
    RosterColumn(
        "department",
        ("部门", "department", "单位", "工作单位", "所在部门", "科室", "dept"),
        lambda: _("read and checked, not kept yet"),
        stored=False,
    ),
    RosterColumn(
        "employee_number",
        ("工号", "employee number", "员工号", "员工编号", "employee no", "employee_number", "staff number"),
        lambda: _("matches a known person of the same buyer"),
    ),
    RosterColumn("title", ("岗位", "title", "职务", "职位", "position", "job title"), lambda: _("job title")),
    RosterColumn("email", ("邮箱", "email", "电子邮箱", "e-mail", "mail"), lambda: _("an e-mail address")),
    RosterColumn("name_en", ("英文名", "english name", "拼音", "name_en"), lambda: _("name in Latin letters")),
    RosterColumn("code", ("编号", "code", "人员编号"), lambda: _("our person code; matches first")),
)
_REQUIRED_MARK = re.compile(r"(\*|＊|\(必填\)|\(required\))$")


def header_key(cell: str) -> str:
    """A header cell folded for matching: ``" 身份证号码（必填） "`` and ``"ID Number*"`` match their aliases."""
    text = unicodedata.normalize("NFKC", cell).casefold().strip()
    text = _REQUIRED_MARK.sub("", text).strip()
    return " ".join(text.replace("_", " ").split())


HEADER_TO_FIELD: dict[str, str] = {header_key(alias): column.field for column in COLUMNS for alias in column.aliases}
COLUMN_BY_FIELD = {column.field: column for column in COLUMNS}


def columns_help() -> str:
    """One line per column for --help and the import dialog: 姓名 / name (员工姓名, 学员姓名…): required."""
    lines = []
    for column in COLUMNS:
        shown = " / ".join(column.aliases[:2])
        others = ", ".join(column.aliases[2:5])
        lines.append(f"{shown} ({others}): {column.meaning()}" if others else f"{shown}: {column.meaning()}")
    return "\n".join(lines)
