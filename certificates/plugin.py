"""The documents plugin: certificates and other PDFs. WeasyPrint is imported only when a document is rendered."""

from __future__ import annotations

from lms.doctor import Check
from lms.hookspecs import hookimpl


@hookimpl
def lms_doctor_checks() -> list[Check]:
    from certificates.fonts import check_cjk_font, check_harfbuzz_subset

    return [Check("cjk-font", check_cjk_font), Check("harfbuzz-subset", check_harfbuzz_subset)]
