"""Issue 1,000 bilingual certificates: the straightforward loop against ``lms certs issue``'s path, in one run.

Run: .venv/bin/python benchmarks/certificate_batch.py [COUNT] [BASELINE_SAMPLE]

- baseline: what a first version would write — per certificate, ``HTML(string=...).write_pdf()`` with the stylesheets
  parsed again, the system Noto Sans CJK font (no subset, no shared FontConfiguration) and segno's SVG QR code, one
  process. Timed on BASELINE_SAMPLE certificates (default 60) and reported per certificate; timed again with our PNG
  QR code, to show what the fonts, reuse and workers gain on their own.
- ours: ``issue_certificates`` on an SQLite database holding COUNT pending certificates (default 1,000): contexts from
  the database in a few queries, a font face of just the batch's characters, one engine per worker, one worker per
  core, the QR code as a crisp PNG, each PDF written atomically and its SHA-256 recorded.
Every certificate carries a real signed verification code (its length decides the QR code's size). One holder in seven
has a rare character (堃, 喆, 䶮) in the name; every PDF's text is checked for its holder's name.
"""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from sqlmodel import Session, select

from certificates.batch import issue_certificates, qr_data_uri
from certificates.context import certificate_contexts
from certificates.engine import DocumentEngine
from certificates.fonts import prepare_fonts
from lms.credentials.certificates import next_serial, seal
from lms.db import make_engine, upgrade_schema
from lms.demo.loader import load_demo
from lms.models import Certificate, Organisation, Person
from lms.plugins import make_plugin_manager

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗"
GIVEN = ["伟", "芳", "娜", "秀英", "敏", "静", "丽", "强", "磊", "军", "洋", "勇", "艳", "杰", "娟", "涛", "明", "超"]
RARE = ["堃", "喆", "䶮"]


def holder_name(index: int) -> str:
    name = SURNAMES[index % len(SURNAMES)] + GIVEN[index % len(GIVEN)]
    return name + RARE[index % 3] if index % 7 == 0 else name


def build_database(folder: Path, count: int) -> str:
    url = f"sqlite:///{folder / 'bench.db'}"
    engine = make_engine(url)
    upgrade_schema(engine)
    pm = make_plugin_manager()
    with Session(engine) as session:
        load_demo(session, pm, today=dt.date(2026, 11, 20))
        session.commit()
        template = session.exec(select(Certificate).where(Certificate.family == "operator")).first()
        assert template is not None
        buyer = session.exec(select(Organisation).where(Organisation.kind == "buyer")).first()
        assert buyer is not None and buyer.id is not None
        for index in range(count):
            person = Person(
                code=f"BENCH{index:05d}",
                kind="buyer_staff",
                name=holder_name(index),
                name_en=f"Trainee {index}",
                organisation_id=buyer.id,
                id_number=f"11010119900101{index:04d}",
            )
            session.add(person)
            session.flush()
            assert person.id is not None
            certificate = Certificate(
                serial=next_serial(session, "operator", 2026),
                family="operator",
                person_id=person.id,
                course_version_id=template.course_version_id,
                session_id=template.session_id,
                issued_on=dt.date(2026, 11, 20),
            )
            seal(session, certificate)  # a real signed code: its length decides the QR code's size
            session.add(certificate)
        session.commit()
    return url


def svg_qr_data_uri(text: str) -> str:
    """The QR code as a first version draws it: segno's SVG."""
    import segno

    return str(segno.make(text, error="m").svg_data_uri(scale=4, border=2))


def baseline(url: str, sample: int, qr: Callable[[str], str] = svg_qr_data_uri) -> float:
    """Seconds per certificate for the straightforward loop (system font, everything made again each time)."""
    from weasyprint import CSS, HTML

    engine = make_engine(url)
    templates = DocumentEngine(fonts=prepare_fonts()).templates
    html_engine = DocumentEngine(fonts=prepare_fonts())
    with Session(engine) as session:
        certificates = session.exec(select(Certificate).where(Certificate.pdf_sha256.is_(None)).limit(sample)).all()  # type: ignore[union-attr]
        contexts = certificate_contexts(session, certificates)
    css_paths = [templates["_base"] / "base.css", templates["certificate"] / "theme.css"]
    start = time.perf_counter()
    for context in contexts:
        html = html_engine.html("certificate", {**context, "qr_data_uri": qr(context["verification_code"])})
        stylesheets = [CSS(string="html { font-family: 'Noto Sans CJK SC', sans-serif; }")]
        stylesheets += [CSS(filename=str(path)) for path in css_paths]
        HTML(string=html, base_url=templates["certificate"].as_uri() + "/").write_pdf(stylesheets=stylesheets)
    return (time.perf_counter() - start) / len(contexts)


def check_names(url: str, count_rare: int) -> tuple[int, int]:
    """(PDFs checked, PDFs whose extracted text lacks the holder's name)."""
    engine = make_engine(url)
    with Session(engine) as session:
        rows = session.exec(select(Certificate).where(Certificate.serial.startswith("PX"))).all()  # type: ignore[attr-defined]
        people = {person.id: person.name for person in session.exec(select(Person))}
    checked = missing = 0
    rare_rows = [row for row in rows if any(char in people[row.person_id] for char in RARE)][:count_rare]
    for row in [*rare_rows, *rows[:20]]:
        assert row.pdf_path
        text = subprocess.run(["pdftotext", row.pdf_path, "-"], capture_output=True, text=True, check=True).stdout
        checked += 1
        missing += people[row.person_id] not in text.replace(" ", "")
    return checked, missing


def main() -> None:
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 1000
    sample = int(sys.argv[2]) if len(sys.argv) > 2 else 60
    with tempfile.TemporaryDirectory() as folder:
        url = build_database(Path(folder), count)
        prepare_fonts()  # the subset is made once per machine (~30 s) and cached; not part of either figure
        per_certificate = baseline(url, sample)
        print(f"baseline (straightforward loop, system font, SVG QR, 1 process): {per_certificate * 1000:.0f} ms each")
        print(f"  → {count:,} certificates would take {per_certificate * count:.1f} s")
        same_qr = baseline(url, sample, qr_data_uri)
        print(f"  the same loop with our PNG QR code: {same_qr * 1000:.0f} ms a certificate")
        workers = os.cpu_count() or 1
        engine = make_engine(url)
        start = time.perf_counter()
        report = issue_certificates(engine, make_plugin_manager(), workers=workers, issued_on=dt.date(2026, 11, 20))
        elapsed = time.perf_counter() - start
        rendered = len(report.rendered)
        print(f"ours (lms certs issue path, {workers} workers): {rendered:,} certificates in {elapsed:.1f} s")
        print(f"  {elapsed / rendered * 1000:.0f} ms a certificate; refused {len(report.refused)}")
        print(f"throughput ratio: {per_certificate * rendered / elapsed:.1f}× the baseline (target ≥ 4×)")
        print(f"  {same_qr * rendered / elapsed:.1f}× the loop with the same QR code (fonts, reuse and workers alone)")
        sizes = [Path(path).stat().st_size for path in Path(folder).glob("bench-files/certificates/*/*.pdf")]
        print(f"PDF size: mean {sum(sizes) / len(sizes) / 1024:.0f} KB")
        checked, missing = check_names(url, 30)
        print(f"holder names found in the extracted text: {checked - missing}/{checked} (rare characters included)")
        signing = signing_cost(Path(folder))
        print(f"PAdES signing (lms certs issue --sign-pdf), one core: {signing * 1000:.0f} ms more a PDF")


def signing_cost(folder: Path, sample: int = 20) -> float:
    """Seconds to sign one rendered certificate with the issuer's RSA key, averaged over ``sample`` files."""
    from lms.credentials.pades import PdfSigner, load_pades_key

    signer = PdfSigner(load_pades_key(folder / "pades.pem"))
    files = sorted(folder.glob("bench-files/certificates/*/*.pdf"))[:sample]
    signer.sign(files[0].read_bytes())
    start = time.perf_counter()
    for path in files:
        signer.sign(path.read_bytes())
    return (time.perf_counter() - start) / len(files)


if __name__ == "__main__":
    main()
