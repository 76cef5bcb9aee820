"""Font faces for batches: the small face of a batch's characters comes first, and nothing it lacks is lost."""

from __future__ import annotations

import io
import os
from pathlib import Path

import pytest
from rich.console import Console

from certificates.batch import printed_text, render_certificate
from certificates.engine import DocumentEngine
from certificates.fonts import BATCH_FACES_KEPT, PreparedFonts, for_batch, prepare_fonts
from lms.cli.progress import BarReporter
from lms.maintenance.progress import set_reporter
from tests.certificates.conftest import pdf_fonts, pdf_text
from tests.certificates.test_engine import certificate_context, write


def font_names(path: Path) -> list[str]:
    return [row[0] for row in pdf_fonts(path)]


def test_a_batch_face_carries_the_batch_and_the_common_face_what_it_missed(
    document_engine: DocumentEngine, tmp_path: Path
) -> None:
    context = certificate_context(holder_name="张三")
    fonts = for_batch(document_engine.fonts, printed_text([context]), cache=tmp_path)
    assert fonts.batch_faces and all(path.stat().st_size < 200_000 for path, _weight in fonts.batch_faces)
    engine = DocumentEngine(fonts=fonts)

    covered = write(tmp_path, render_certificate(engine, context), "covered.pdf")
    assert font_names(covered) and all("Batch" in name for name in font_names(covered))

    # 鑫 is common (GB2312) but not in the batch's text: it comes from the common face, not as a box
    missed = write(tmp_path, render_certificate(engine, {**context, "holder_name": "张鑫"}), "missed.pdf")
    assert "张鑫" in pdf_text(missed).replace(" ", "")
    assert any("LMS-Sans-CJK" in name and "Batch" not in name for name in font_names(missed))


def test_a_batch_face_makes_each_certificate_smaller(document_engine: DocumentEngine, tmp_path: Path) -> None:
    context = certificate_context(holder_name="张三")
    plain = render_certificate(document_engine, context)
    fonts = for_batch(document_engine.fonts, printed_text([context]), cache=tmp_path)
    batched = render_certificate(DocumentEngine(fonts=fonts), context)
    assert len(batched) < len(plain) * 0.6


def test_old_batch_faces_are_removed(document_engine: DocumentEngine, tmp_path: Path) -> None:
    fonts: PreparedFonts = document_engine.fonts
    if not fonts.faces:
        pytest.skip("no CJK font installed")
    made = []
    for index in range(BATCH_FACES_KEPT // len(fonts.faces) + 2):
        made.append(for_batch(fonts, f"第{index}批", cache=tmp_path))
        for path in tmp_path.glob("lms-batch-*.otf"):  # older than the faces made next
            os.utime(path, (path.stat().st_atime, path.stat().st_mtime - 1))
    remaining = set(tmp_path.glob("lms-batch-*.otf"))
    assert len(remaining) <= BATCH_FACES_KEPT
    assert {path for path, _weight in made[-1].batch_faces} <= remaining


def test_a_first_font_build_reports_its_steps_and_a_cached_one_is_quiet(tmp_path: Path) -> None:
    heard: list[tuple[str, int, int]] = []
    before = set_reporter(lambda what, done, total: heard.append((what, done, total)))
    try:
        built = prepare_fonts(tmp_path, characters="培训签到")
        assert built.faces, "no CJK system font (scripts/system-deps.sh installs one)"
        assert heard and "fonts" in heard[0][0] and heard[0][1] == 0
        assert heard[-1][1] == heard[-1][2] == 3 * len(built.faces)  # read, subset, save per face
        heard.clear()
        assert prepare_fonts(tmp_path, characters="培训签到") == built
        assert heard == []
    finally:
        set_reporter(before)


def test_the_command_line_bar_says_what_it_waits_for() -> None:
    console = Console(file=io.StringIO(), force_terminal=False, width=100)
    bar = BarReporter(console)
    for done in range(4):
        bar("Preparing the fonts", done, 3)
    assert "Preparing the fonts" in console.file.getvalue()  # type: ignore[attr-defined]
    assert bar.bar is None  # stopped at the last step
