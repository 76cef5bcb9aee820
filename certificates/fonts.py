"""Fonts for documents: Chinese text needs a CJK font that WeasyPrint (Pango/fontconfig) can find."""

from __future__ import annotations

import ctypes.util
import shutil
import subprocess
from typing import Any

from lms.doctor import CheckResult
from lms.i18n import _

APT_PACKAGES = "fonts-noto-cjk libharfbuzz-subset0"


def cjk_font_families() -> list[str]:
    """Font families fontconfig offers for Simplified Chinese."""
    if not shutil.which("fc-list"):
        return []
    result = subprocess.run(
        ["fc-list", ":lang=zh-cn", "family"], capture_output=True, text=True, check=False, timeout=30
    )
    return sorted({line.split(",")[0].strip() for line in result.stdout.splitlines() if line.strip()})


def check_cjk_font(_engine: Any) -> CheckResult:
    families = cjk_font_families()
    name = _("Chinese font for PDFs")
    if not families:
        return CheckResult(name, False, _("no font covers Chinese"), _("run: sudo apt-get install -y fonts-noto-cjk"))
    return CheckResult(name, True, ", ".join(families[:3]))


def check_harfbuzz_subset(_engine: Any) -> CheckResult:
    name = _("font subsetting (libharfbuzz-subset)")
    if ctypes.util.find_library("harfbuzz-subset") is None:
        return CheckResult(
            name,
            False,
            _("missing: PDFs take seconds each"),
            _("run: sudo apt-get install -y libharfbuzz-subset0"),
        )
    return CheckResult(name, True, _("available"))
