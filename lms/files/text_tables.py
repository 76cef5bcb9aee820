"""Plain-text tables for terminals and text reports: columns aligned for wide (Chinese) characters."""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from typing import Any


def display_width(text: str) -> int:
    """Terminal columns: Chinese characters take two."""
    return sum(2 if unicodedata.east_asian_width(char) in "WF" else 1 for char in text)


def pad(text: str, width: int) -> str:
    return text + " " * max(0, width - display_width(text))


def format_table(headers: Sequence[str], rows: Sequence[Sequence[Any]]) -> str:
    """Columns aligned for wide characters."""
    cells = [[str(value) if value is not None else "" for value in row] for row in rows]
    widths = [display_width(header) for header in headers]
    for row in cells:
        widths = [max(width, display_width(value)) for width, value in zip(widths, row, strict=True)]
    lines = ["  ".join(pad(header, width) for header, width in zip(headers, widths, strict=True)).rstrip()]
    lines.append("  ".join("-" * width for width in widths))
    lines.extend("  ".join(pad(v, w) for v, w in zip(row, widths, strict=True)).rstrip() for row in cells)
    return "\n".join(lines)
