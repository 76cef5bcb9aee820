"""Fitting a certificate's text on its one page: long course, vendor or holder names shrink step by step to a
smallest size, and a certificate that still does not fit is refused with the field named, never printed with its QR
code over the table or its name, serial and QR cut off.

Whether it fits is read from WeasyPrint's layout boxes (positions in CSS px), not guessed from character counts:
- one page only;
- everything inside the frame stays inside it (the seal may overlap the frame's border, as a stamp does), and
  everything on the page inside the page;
- the text of each table cell inside its cell (a long unbroken serial or name would run out of it);
- the facts table ends above the footer that holds the QR code, the signature and the seal;
- a re-issue's mark in the top corner leaves the title's lines clear.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from lms.errors import LmsError
from lms.i18n import _

FIT_STEPS = 4  # the theme's html.fit-0 … fit-3: 10.5pt down to 7.5pt body text
TOLERANCE = 0.75  # px: rounding in the layout


@dataclass(frozen=True)
class Rect:
    left: float
    top: float
    right: float
    bottom: float

    @classmethod
    def of(cls, box: Any) -> Rect:
        x, y = box.border_box_x(), box.border_box_y()
        return cls(x, y, x + box.border_width(), y + box.border_height())

    def holds(self, other: Rect) -> bool:
        return (
            other.left >= self.left - TOLERANCE
            and other.top >= self.top - TOLERANCE
            and other.right <= self.right + TOLERANCE
            and other.bottom <= self.bottom + TOLERANCE
        )


def _classes(box: Any) -> set[str]:
    element = getattr(box, "element", None)
    return set((element.get("class") or "").split()) if element is not None else set()


def _boxes(box: Any) -> Iterator[Any]:
    yield box
    for child in getattr(box, "children", ()):
        yield from _boxes(child)


def _first(root: Any, *, tag: str | None = None, css_class: str | None = None) -> Any | None:
    for box in _boxes(root):
        if (tag is None or box.element_tag == tag) and (css_class is None or css_class in _classes(box)):
            return box
    return None


def _spills(box: Any, limit: Rect) -> bool:
    """Whether ``box`` or anything in it leaves ``limit`` (a table cell's contents are held to the cell)."""
    if "seal-block" in _classes(box):
        return False
    if box.width is None or box.height is None:
        return False
    rect = Rect.of(box)
    if rect.right - rect.left > 0 and not limit.holds(rect):
        return True
    inner = rect if box.element_tag in ("td", "th") and box.element is not None else limit
    return any(_spills(child, inner) for child in getattr(box, "children", ()))


def layout_problems(document: Any) -> list[str]:
    """What does not fit on the laid-out certificate (empty when everything does), in words for a test to show."""
    problems = []
    if len(document.pages) != 1:
        problems.append(f"{len(document.pages)} pages")
    page = document.pages[0]._page_box
    frame = _first(page, css_class="frame")
    table = _first(page, tag="table")
    footer = _first(page, tag="footer")
    if frame is not None and any(_spills(child, Rect.of(frame)) for child in frame.children):
        problems.append("text outside the frame or its table cell")
    if table is not None and footer is not None and Rect.of(table).bottom > Rect.of(footer).top + TOLERANCE:
        problems.append("the facts table runs into the footer (QR code, signature, seal)")
    reissue = _first(page, css_class="reissue")
    titles = [box for name in ("title", "title-en") if (box := _first(page, css_class=name)) is not None]
    if reissue is not None and any(_text_meets(title, Rect.of(reissue)) for title in titles):
        problems.append("the title runs under the reissue mark")
    return problems


def _text_meets(box: Any, mark: Rect) -> bool:
    """Whether a line of text in ``box`` meets ``mark`` (the title's block spans the page; only its lines count)."""
    for line in _boxes(box):
        if type(line).__name__ != "TextBox":
            continue
        rect = Rect.of(line)
        if rect.left < mark.right and mark.left < rect.right and rect.top < mark.bottom and mark.top < rect.bottom:
            return True
    return False


# The long texts a certificate prints, by the name a user knows them by.
LONG_FIELDS = {
    "title": ("title_zh", "title_en"),
    "course": ("course_zh", "course_en"),
    "organisation": ("organisation_zh", "organisation_en"),
    "project": ("project_zh", "project_en"),
    "holder": ("holder_name", "holder_name_en"),
    "vendor": ("issuer_zh", "issuer_en"),
}


def field_label(field: str) -> str:
    return {
        "title": _("certificate title"),
        "course": _("course title"),
        "organisation": _("organisation name"),
        "project": _("project name"),
        "holder": _("holder's name"),
        "vendor": _("vendor name"),
    }[field]


def _width(text: str) -> int:
    """About how wide ``text`` prints, in Latin letters: a Chinese character takes about two."""
    return sum(2 if ord(char) > 0x2E7F else 1 for char in text)


def longest_field(context: Mapping[str, Any]) -> str:
    """The field most likely to blame for a certificate that does not fit: the widest of the long texts."""
    widths = {field: sum(_width(str(context.get(key) or "")) for key in keys) for field, keys in LONG_FIELDS.items()}
    return max(widths, key=lambda field: widths[field])


def does_not_fit(context: Mapping[str, Any]) -> LmsError:
    field = longest_field(context)
    message = _("the {what} is too long for the certificate even in the smallest type: shorten it")
    return LmsError(message.format(what=field_label(field)), field=field)
