"""The issuer's seal: a round seal with the vendor's name along the upper arc (each character on its own, turned
with the arc), the star in the centre and the seal title below, or the vendor's own seal image when configured."""

from __future__ import annotations

import io
import re
from pathlib import Path
from typing import Any

import pytest
import segno
from sqlalchemy.engine import Engine
from sqlmodel import Session

from certificates.batch import issue_certificates
from certificates.seal import seal_svg
from lms.config import settings
from lms.errors import LmsError
from tests.certificates.conftest import notdef_fonts
from tests.certificates.rare_world import passed_trainees
from tests.certificates.test_fitting import Box, image_boxes, words

VENDOR = "堃喆环境科技有限公司"  # rare characters on the arc too


def configure(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, extra: str = "") -> None:
    config = tmp_path / "config.yaml"
    config.write_text(f"branding:\n  vendor_name_zh: {VENDOR}\n{extra}", encoding="utf-8")
    monkeypatch.setenv("LMS_CONFIG", str(config))
    settings.cache_clear()


def issued(engine: Engine, session: Session, pm: Any, tmp_path: Path) -> Path:
    passed_trainees(session, pm, tmp_path, ("王五",))
    report = issue_certificates(engine, pm, workers=1, output_dir=tmp_path / "out")
    assert report.refused == [] and report.rendered == ["PX2026-00001"]
    return tmp_path / "out" / "PX2026-00001.pdf"


def in_seal(box: Box) -> bool:
    """The seal sits in the bottom-right corner of the A4 landscape page (842 × 595 pt), right of its caption."""
    return box[0] >= 690 and box[1] >= 440


def test_the_drawn_seal_has_the_name_on_the_arc_and_the_title_below(
    engine: Engine, session: Session, pm: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    configure(tmp_path, monkeypatch)
    pdf = issued(engine, session, pm, tmp_path)
    seal_words = [text for text, box in words(pdf) if in_seal(box)]
    # each character of the name stands alone (turned on the arc), none printed straight across the star
    assert set(VENDOR) <= set(seal_words) and VENDOR not in seal_words
    assert "培训专用章" in seal_words
    assert notdef_fonts(pdf) == []
    assert len(image_boxes(pdf)) == 1  # the QR code; the seal is vector art


def test_each_character_is_placed_and_turned_on_the_upper_arc() -> None:
    svg = seal_svg("示例<科技>", "")
    angles = [float(angle) for angle in re.findall(r"rotate\((-?[\d.]+)\)", svg)]
    assert len(angles) == 6 and angles == sorted(angles) and angles[0] == -angles[-1]
    assert "&lt;" in svg and "<科" not in svg  # the name is text, never markup
    assert "培训专用章" not in svg


def test_a_configured_seal_image_is_used_instead(
    engine: Engine, session: Session, pm: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    image = tmp_path / "seal.png"
    buffer = io.BytesIO()
    segno.make("seal").save(buffer, kind="png", scale=10)
    image.write_bytes(buffer.getvalue())
    configure(tmp_path, monkeypatch, "  seal_image: seal.png\n")  # relative to the configuration's folder
    pdf = issued(engine, session, pm, tmp_path)
    boxes = image_boxes(pdf)
    assert len(boxes) == 2 and any(in_seal(box) for box in boxes)
    assert not [text for text, box in words(pdf) if in_seal(box) and text in VENDOR]


@pytest.mark.parametrize(
    ("name", "content", "expected"), [("seal.txt", "x", "PNG or SVG"), ("none.png", None, "no such")]
)
def test_a_configured_seal_that_is_not_an_image_file_is_refused(
    engine: Engine, session: Session, pm: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
    name: str, content: str | None, expected: str,
) -> None:  # fmt: skip
    if content is not None:
        (tmp_path / name).write_text(content, encoding="utf-8")
    configure(tmp_path, monkeypatch, f"  seal_image: {name}\n")
    passed_trainees(session, pm, tmp_path, ("王五",))
    with pytest.raises(LmsError, match=expected) as refused:
        issue_certificates(engine, pm, workers=1, output_dir=tmp_path / "out")
    assert refused.value.field == "branding.seal_image"
    assert not list((tmp_path / "out").glob("*.pdf"))
