"""The issuer's round seal, drawn as SVG: a red ring, the vendor's name along the upper arc, a star in the centre and
an optional seal title (培训专用章) below it, the way a Chinese company seal is cut.

Each character is its own ``<text>`` placed on the arc and turned to face outward: WeasyPrint's SVG renderer draws
transforms on single glyphs faithfully, while ``<textPath>`` is not something to rely on. A vendor with a seal of its
own configures ``branding.seal_image`` (PNG or SVG) instead.
"""

from __future__ import annotations

import base64
import math
from xml.sax.saxutils import escape

from certificates.fonts import svg_font_list

RED = "#c8161d"
# An SVG image inherits nothing from the page: name the document's faces, or its text would come from the full
# system face (~65,000 glyphs to subset in every certificate).
DOCUMENT_FONTS = svg_font_list()
CENTRE = 100.0
NAME_RADIUS = 70.0  # the baseline circle of the name, inside the ring (r 94) and clear of the star (r 30)
MAX_SPAN = 250.0  # degrees of the upper arc the name may take
MAX_STEP = 28.0  # degrees between two characters of a short name
LARGEST, SMALLEST = 27.0, 9.0  # font sizes (viewBox units) of a short and of the longest names


def _star(radius: float, centre_y: float) -> str:
    points = []
    for index in range(10):
        angle = math.radians(-90 + index * 36)
        reach = radius if index % 2 == 0 else radius * 0.382
        points.append(f"{CENTRE + reach * math.cos(angle):.2f},{centre_y + reach * math.sin(angle):.2f}")
    return f'<polygon fill="{RED}" points="{" ".join(points)}"/>'


def _name_on_arc(name: str) -> list[str]:
    """One ``<text>`` per character, centred on the top of the seal and turned with the arc, upright at the top."""
    characters = [char for char in name if not char.isspace()]
    if not characters:
        return []
    step = min(MAX_STEP, MAX_SPAN / len(characters))
    size = max(SMALLEST, min(LARGEST, 2 * math.pi * NAME_RADIUS * step / 360 * 0.92))
    first = -step * (len(characters) - 1) / 2
    texts = []
    for index, char in enumerate(characters):
        angle = first + index * step  # 0 at the top, clockwise
        x = CENTRE + NAME_RADIUS * math.sin(math.radians(angle))
        y = CENTRE - NAME_RADIUS * math.cos(math.radians(angle))
        texts.append(
            f'<text transform="translate({x:.2f} {y:.2f}) rotate({angle:.2f})" x="0" y="{size * 0.36:.2f}" '
            f'font-size="{size:.2f}" text-anchor="middle">{escape(char)}</text>'
        )
    return texts


def seal_svg(name: str, title: str = "") -> str:
    """The seal of ``name`` with ``title`` under the star (none when empty)."""
    title_text = (
        f'<text x="{CENTRE}" y="152" font-size="15" text-anchor="middle">{escape(title)}</text>'
        if title.strip()
        else ""
    )
    parts = [
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 200 200" width="200" height="200">',
        f'<g fill="none" stroke="{RED}"><circle cx="100" cy="100" r="94" stroke-width="6"/></g>',
        _star(30, 100 if not title_text else 96),
        f'<g fill="{RED}" font-weight="700" font-family="{DOCUMENT_FONTS}">',
        *_name_on_arc(name),
        title_text,
        "</g>",
        "</svg>",
    ]
    return "".join(parts)


def seal_data_uri(name: str, title: str = "") -> str:
    encoded = base64.b64encode(seal_svg(name, title).encode("utf-8")).decode("ascii")
    return f"data:image/svg+xml;base64,{encoded}"
