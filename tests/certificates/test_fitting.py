"""Long course, vendor and holder texts, from an empty database: the certificate shrinks its text to fit on its one
page with the QR code clear of everything, or is refused with the field named and the command exits 1."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path
from tempfile import mkdtemp
from typing import Any

import pytest
from pypdf import PdfReader
from pypdf.generic import ContentStream
from sqlalchemy.engine import Engine
from sqlmodel import Session

from certificates.batch import issue_certificates, qr_data_uri, render_certificate
from certificates.engine import DocumentEngine
from certificates.fitting import layout_problems
from tests.certificates.rare_world import passed_trainees
from tests.certificates.test_engine import certificate_context, write

LONG_COURSE = (
    "太阳能与空气源热泵耦合集中供热水系统的运行管理、日常维护保养、常见故障诊断排除及安全操作规程综合培训",
    "Integrated training on the operation management, routine maintenance, fault diagnosis and safe operating "
    "procedures of coupled solar and air-source heat-pump central hot-water systems",
)
LONG_TITLE = ("太阳能与空气源热泵耦合集中供热水系统运行维护操作人员培训合格证书", "Certificate of competence " * 4)
LONG_BUYER = ("某某省某某市第一人民医院后勤保障服务中心设备运行维护管理科", "Equipment Maintenance Section " * 3)
Box = tuple[float, float, float, float]  # left, top, right, bottom in points from the top-left corner


@pytest.fixture(autouse=True)
def own_files(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("LMS_FILES_DIR", str(tmp_path / "files"))
    monkeypatch.setenv("LMS_ISSUER_KEY", str(tmp_path / "keys" / "issuer.pem"))


def words(pdf: Path) -> list[tuple[str, Box]]:
    """Every word pdftotext finds, with its box."""
    html = subprocess.run(["pdftotext", "-bbox", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    pattern = r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</word>'
    return [(text, (float(a), float(b), float(c), float(d))) for a, b, c, d, text in re.findall(pattern, html)]


def times(first: list[float], then: list[float]) -> list[float]:
    """The PDF matrix product ``first × then`` (a transform applied inside another)."""
    a, b, c, d, e, f = first
    m = then
    return [
        a * m[0] + b * m[2],
        a * m[1] + b * m[3],
        c * m[0] + d * m[2],
        c * m[1] + d * m[3],
        e * m[0] + f * m[2] + m[4],
        e * m[1] + f * m[3] + m[5],
    ]


def image_boxes(pdf: Path) -> list[Box]:
    """Where each image is drawn on the first page (the QR code; the packaged seal is vector art)."""
    reader = PdfReader(pdf)
    page = reader.pages[0]
    height = float(page.mediabox.height)
    found: list[Box] = []

    def walk(contents: Any, resources: Any, matrix: list[float]) -> None:
        stack: list[list[float]] = []
        for operands, operator in ContentStream(contents, reader).operations:
            if operator == b"q":
                stack.append(matrix)
            elif operator == b"Q":
                matrix = stack.pop()
            elif operator == b"cm":
                matrix = times([float(value) for value in operands], matrix)
            elif operator == b"Do":
                xobject = resources["/XObject"][operands[0]].get_object()
                if xobject["/Subtype"] == "/Image":
                    xs = (matrix[4], matrix[4] + matrix[0] + matrix[2])
                    ys = (matrix[5], matrix[5] + matrix[1] + matrix[3])
                    found.append((min(xs), height - max(ys), max(xs), height - min(ys)))
                elif xobject["/Subtype"] == "/Form":
                    form = [float(value) for value in xobject.get("/Matrix", [1, 0, 0, 1, 0, 0])]
                    walk(xobject, xobject.get("/Resources", resources), times(form, matrix))

    walk(page.get_contents(), page["/Resources"], [1, 0, 0, 1, 0, 0])
    return found


def overlap(one: Box, other: Box) -> bool:
    return one[0] < other[2] and other[0] < one[2] and one[1] < other[3] and other[1] < one[3]


def test_long_titles_shrink_until_everything_fits_beside_the_qr_code(
    engine: Engine, session: Session, pm: Any, tmp_path: Path
) -> None:
    passed_trainees(session, pm, tmp_path, ("欧阳堃喆",), course=LONG_COURSE, title=LONG_TITLE, buyer=LONG_BUYER)
    report = issue_certificates(engine, pm, workers=1, output_dir=tmp_path / "out")
    assert report.refused == [] and report.rendered == ["PX2026-00001"]
    pdf = tmp_path / "out" / "PX2026-00001.pdf"
    page = PdfReader(pdf).pages
    assert len(page) == 1
    width, height = float(page[0].mediabox.width), float(page[0].mediabox.height)
    placed = words(pdf)
    [qr] = image_boxes(pdf)
    assert all(0 <= box[0] and box[2] <= width and 0 <= box[1] and box[3] <= height for _text, box in placed)
    assert [text for text, box in placed if overlap(box, qr)] == []
    text = "".join(text for text, _box in placed)
    assert "欧阳堃喆" in text and "PX2026-00001" in text and LONG_COURSE[0][:20] in text


def test_a_title_too_long_for_the_smallest_type_is_refused_naming_it(
    cli: Any, engine: Engine, session: Session, pm: Any, tmp_path: Path
) -> None:
    # As long as each may be stored (course and certificate titles 300 characters, an organisation's name 200):
    # longer ones are refused when the course or the buyer is added.
    endless = ((LONG_COURSE[0] * 7)[:300], (LONG_COURSE[1] * 2)[:300])
    title = ((LONG_TITLE[0] * 10)[:300], (LONG_TITLE[1] * 3)[:300])
    buyer = ((LONG_BUYER[0] * 7)[:200], (LONG_BUYER[1] * 3)[:200])
    passed_trainees(session, pm, tmp_path, ("王五",), course=endless, title=title, buyer=buyer)
    result = cli("certs", "issue", "--jobs", "1", "-o", str(tmp_path / "out"))
    assert result.code == 1
    assert "PX2026-00001: title: the certificate title is too long for the certificate" in result.out
    assert not list((tmp_path / "out").glob("*.pdf"))


def test_a_long_title_keeps_clear_of_the_reissue_mark(document_engine: DocumentEngine) -> None:
    context = certificate_context(title_zh=LONG_TITLE[0] + "（第二版）", replaces_serial="PX2026-00001")
    document = document_engine.layout("certificate", {**context, "qr_data_uri": qr_data_uri("x"), "fit": 3})
    assert layout_problems(document) == []
    fitted = words(write(Path(mkdtemp()), render_certificate(document_engine, context), "reissue.pdf"))
    [mark] = [box for text, box in fitted if text == "补发/更正"]
    assert not [text for text, box in fitted if overlap(box, mark) and text != "补发/更正"]
