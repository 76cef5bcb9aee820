"""The document engine: safe rendering (no file or network reads, markup printed as text), embedded subset fonts
with extractable Chinese, rare name characters drawn, PDF/A-3b."""

from __future__ import annotations

import datetime as dt
import subprocess
from pathlib import Path
from typing import Any

import pytest
import segno
from pypdf import PdfReader

from certificates.batch import qr_data_uri, render_certificate
from certificates.engine import ASSETS, DocumentEngine, RefusedResource, make_fetcher
from certificates.seal import seal_data_uri
from tests.certificates.conftest import pdf_fonts, pdf_text

HOSTILE_NAME = '<img src="file:///etc/hostname">'


def certificate_context(**changes: object) -> dict[str, object]:
    context: dict[str, object] = {
        "family": "operator",
        "title_zh": "太阳能热水系统操作培训合格证书",
        "title_en": "Solar hot-water system operator training certificate",
        "holder_name": "王堃喆䶮",
        "holder_name_en": "Wang Kunzhe",
        "id_label_zh": "身份证号",
        "id_label_en": "ID No.",
        "id_value": "1101**********1234",
        "organisation_zh": "北京市第一中学",
        "organisation_en": "Beijing No.1 Middle School",
        "project_zh": "校园太阳能热水改造",
        "project_en": "Campus solar hot water retrofit",
        "course_zh": "太阳能热水系统操作与维护",
        "course_en": "Solar hot-water operation and maintenance",
        "start": dt.date(2026, 11, 2),
        "end": dt.date(2026, 11, 3),
        "hours": "12",
        "result_zh": "合格",
        "result_en": "Pass",
        "score": "86.5",
        "serial": "PX2026-00001",
        "replaces_serial": None,
        "issued_on": dt.date(2026, 11, 5),
        "expires_on": None,
        "renewal_opens_on": None,
        "issuer_zh": "示例科技有限公司",
        "issuer_en": "Example Technology Co., Ltd.",
        "signatory": "李明",
        "seal_url": seal_data_uri("示例科技有限公司", "培训专用章"),
        "seal_title": "培训专用章",
        "logo_url": "",
        "verification_code": "LMS1.test.code",
    }
    context.update(changes)
    return context


def write(tmp_path: Path, pdf: bytes, name: str = "doc.pdf") -> Path:
    path = tmp_path / name
    path.write_bytes(pdf)
    return path


def test_chinese_text_is_extractable_and_rare_name_characters_are_drawn(
    document_engine: DocumentEngine, tmp_path: Path
) -> None:
    path = write(tmp_path, render_certificate(document_engine, certificate_context()))
    text = pdf_text(path)
    assert "太阳能热水系统操作培训合格证书" in text
    assert "王堃喆䶮" in text.replace(" ", "")
    assert "PX2026-00001" in text
    assert "Solar hot-water system operator training certificate" in text


def test_every_font_is_embedded_and_subset(document_engine: DocumentEngine, tmp_path: Path) -> None:
    path = write(tmp_path, render_certificate(document_engine, certificate_context(holder_name="张三")))
    fonts = pdf_fonts(path)
    assert fonts
    for row in fonts:
        name, embedded, subset = row[0], row[-5], row[-4]
        assert (embedded, subset) == ("yes", "yes"), row
        assert "+" in name  # subset fonts carry a six-letter tag
    # a common name needs only the pre-subset faces, not the 65,535-glyph system font
    assert all("LMS-Sans-CJK" in row[0] for row in fonts)


def test_rare_characters_fall_back_to_the_full_system_face(document_engine: DocumentEngine, tmp_path: Path) -> None:
    path = write(tmp_path, render_certificate(document_engine, certificate_context(holder_name="王䶮")))
    assert any("Noto-Sans-CJK" in row[0] for row in pdf_fonts(path))


def test_the_pdf_is_pdf_a_3b_and_carries_the_verification_code(document_engine: DocumentEngine, tmp_path: Path) -> None:
    path = write(tmp_path, render_certificate(document_engine, certificate_context()))
    reader = PdfReader(path)
    assert reader.metadata is not None
    assert reader.metadata["/Keywords"] == "LMS1.test.code"
    xmp = reader.xmp_metadata
    assert xmp is not None
    xml = xmp.stream.get_data().decode()
    assert 'pdfaid:part="3" pdfaid:conformance="B"' in xml


def test_markup_in_a_name_is_printed_as_text_and_reads_no_file(document_engine: DocumentEngine, tmp_path: Path) -> None:
    pdf = render_certificate(document_engine, certificate_context(holder_name=HOSTILE_NAME))
    html = document_engine.html("certificate", {**certificate_context(holder_name=HOSTILE_NAME), "qr_data_uri": ""})
    assert "&lt;img src=&#34;file:///etc/hostname&#34;&gt;" in html
    text = pdf_text(write(tmp_path, pdf))
    assert 'file:///etc/hostname">' in text.replace("\n", "")


def hostile_template(tmp_path: Path, secret: Path) -> dict[str, Path]:
    folder = tmp_path / "hostile"
    folder.mkdir()
    (folder / "fields.yaml").write_text("description: {zh: 测试, en: test}\n", encoding="utf-8")
    (folder / "template.html.j2").write_text(
        f"""<html><head>
<link rel="attachment" href="file://{secret}">
<link rel="stylesheet" href="http://127.0.0.1:9/steal.css">
</head><body><p>正文 body</p>
<img src="file://{secret.parent}/../{secret.parent.name}/{secret.name}">
<img src="file://{secret.parent}/%2e%2e/{secret.parent.name}/{secret.name}">
<img src="{secret.name}">
</body></html>""",
        encoding="utf-8",
    )
    return {"hostile": folder}


def test_a_template_cannot_embed_or_draw_files_outside_the_assets(tmp_path: Path) -> None:
    secret_folder = tmp_path / "private"
    secret_folder.mkdir()
    secret = secret_folder / "secret.svg"
    secret.write_text(
        '<svg xmlns="http://www.w3.org/2000/svg" width="200" height="50"><text y="30">TOPSECRET</text></svg>'
    )
    engine = DocumentEngine(hostile_template(tmp_path, secret))
    pdf = engine.render("hostile", {}).pdf
    path = write(tmp_path, pdf)
    assert "正文" in pdf_text(path)
    assert "TOPSECRET" not in pdf_text(path)
    assert b"TOPSECRET" not in pdf
    reader = PdfReader(path)
    assert not reader.attachments


@pytest.mark.parametrize(
    "url",
    [
        "file:///etc/passwd",
        "http://127.0.0.1:9/x.png",
        "https://example.com/x.png",
        "ftp://example.com/x",
        f"file://{ASSETS}/../engine.py",
        f"file://{ASSETS}/%2e%2e/engine.py",
        f"file://{ASSETS}/%252e%252e/engine.py",
    ],
)
def test_the_fetcher_refuses_everything_outside_its_folders(url: str) -> None:
    fetcher = make_fetcher([ASSETS])
    with pytest.raises(RefusedResource):
        fetcher.fetch(url)


def test_the_fetcher_serves_packaged_assets_and_data_urls() -> None:
    fetcher = make_fetcher([ASSETS])
    response = fetcher.fetch((ASSETS / "seal.svg").as_uri())
    assert response.read().startswith(b"<svg")
    assert response.content_type == "image/svg+xml"
    assert fetcher.fetch(qr_data_uri("LMS1.x.y")).read().startswith(b"\x89PNG")


def test_an_unknown_template_is_a_one_line_error(document_engine: DocumentEngine) -> None:
    from lms.errors import LmsError

    with pytest.raises(LmsError, match="no document template named 'nope'"):
        document_engine.html("nope", {})


SIGNED_LENGTH_CODE = "LMS1." + "e" * 180 + "." + "s" * 86  # as long as a real signed code: QR version 12, 65 modules


def qr_only_template(tmp_path: Path) -> dict[str, Path]:
    folder = tmp_path / "qr-only"
    folder.mkdir()
    (folder / "fields.yaml").write_text("description: {zh: 二维码, en: QR code}\n", encoding="utf-8")
    (folder / "template.html.j2").write_text(
        '<html><body style="margin: 0"><img src="{{ qr }}" style="width: 26mm; height: 26mm"></body></html>',
        encoding="utf-8",
    )
    return {"qr-only": folder}


def printed_modules(pdf: Path, tmp_path: Path) -> list[list[bool]]:
    """The QR code as a printer would draw it: the page rasterised at 600 dpi, the code's box found from its dark
    pixels, and each module read at its centre."""
    from PIL import Image

    subprocess.run(
        ["pdftoppm", "-r", "600", "-gray", "-png", "-singlefile", str(pdf), str(tmp_path / "page")], check=True
    )
    page = Image.open(tmp_path / "page.png").convert("L").point(lambda value: 255 if value > 128 else 0)
    left, top, right, bottom = page.point(lambda value: 255 - value).getbbox() or (0, 0, 0, 0)
    count = len(segno.make(SIGNED_LENGTH_CODE, error="m").matrix)
    step_x, step_y = (right - left) / count, (bottom - top) / count
    return [
        [
            page.getpixel((int(left + (column + 0.5) * step_x), int(top + (row + 0.5) * step_y))) == 0
            for column in range(count)
        ]
        for row in range(count)
    ]


def test_the_printed_qr_code_has_exactly_the_encoded_modules(tmp_path: Path) -> None:
    engine = DocumentEngine(qr_only_template(tmp_path))
    pdf = write(tmp_path, engine.render("qr-only", {"qr": qr_data_uri(SIGNED_LENGTH_CODE)}).pdf)
    expected = [[bool(module) for module in row] for row in segno.make(SIGNED_LENGTH_CODE, error="m").matrix]
    assert len(expected) == 65
    assert printed_modules(pdf, tmp_path) == expected


def test_no_image_asks_for_interpolation_which_pdf_a_forbids(document_engine: DocumentEngine, tmp_path: Path) -> None:
    logo = tmp_path / "logo.png"
    segno.make("logo").save(str(logo), scale=3)
    engine = DocumentEngine(fonts=document_engine.fonts, extra_roots=[tmp_path])
    pdf = write(tmp_path, render_certificate(engine, certificate_context(logo_url=logo.as_uri())))
    resources: list[Any] = [page["/Resources"] for page in PdfReader(pdf).pages]
    images = [
        xobject.get_object()
        for resource in resources
        for xobject in resource["/XObject"].values()
        if xobject.get_object()["/Subtype"] == "/Image"
    ]
    assert len(images) == 2  # the logo and the QR code
    assert all(image.get("/Interpolate") in (None, False) for image in images)
