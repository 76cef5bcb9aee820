"""Size limits are checked before a file is read, and the error names the file, its size and the limit."""

from __future__ import annotations

import os
import threading
import time
from pathlib import Path
from typing import Any

import pytest

from lms.errors import LmsError
from lms.files.limits import HOLIDAY_NOTICES, ROSTERS, SCANS, read_limited, size_text
from lms.files.storage import read_evidence_file
from lms.files.textfiles import read_text_file


def sparse_file(path: Path, size: int) -> Path:
    """A file that reports ``size`` bytes but takes no disk space: reading it whole would take the time."""
    with path.open("wb") as handle:
        handle.truncate(size)
    return path


def test_sizes_read_as_people_say_them() -> None:
    assert [size_text(n) for n in (512, 3 * 1024, 20 * 1024**2, 24 * 1024**3, 1536)] == [
        "512 bytes",
        "3 KB",
        "20 MB",
        "24 GB",
        "1.5 KB",
    ]


def test_a_huge_roster_is_refused_by_its_size_before_reading(tmp_path: Path) -> None:
    path = sparse_file(tmp_path / "roster.csv", 24 * 1024**3)
    started = time.monotonic()
    with pytest.raises(LmsError) as caught:
        read_limited(path, ROSTERS)
    assert str(caught.value) == f"{path}: 24 GB is over the 20 MB limit for rosters"
    assert time.monotonic() - started < 1


def test_devices_and_fifos_are_refused_without_waiting(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe.csv"
    os.mkfifo(fifo)
    for path in (Path("/dev/zero"), fifo):
        started = time.monotonic()
        with pytest.raises(LmsError, match="not a regular file"):
            read_limited(path, ROSTERS)
        assert time.monotonic() - started < 1
    with pytest.raises(LmsError, match="is a folder"):
        read_limited(tmp_path, ROSTERS)
    with pytest.raises(LmsError, match="file not found"):
        read_limited(tmp_path / "missing.csv", ROSTERS)


def test_a_file_within_its_limit_is_read_whole(tmp_path: Path) -> None:
    path = tmp_path / "notice.txt"
    path.write_text("\ufeff国务院办公厅关于2027年部分节假日安排的通知\n", encoding="utf-8")
    assert read_text_file(path, HOLIDAY_NOTICES).startswith("国务院办公厅")
    sparse_file(path, HOLIDAY_NOTICES.max_bytes + 1)
    with pytest.raises(LmsError, match="over the 1 MB limit for holiday notices"):
        read_text_file(path, HOLIDAY_NOTICES)


def test_scans_have_a_limit(tmp_path: Path) -> None:
    scan = tmp_path / "signin.pdf"
    with scan.open("wb") as handle:
        handle.write(b"%PDF-1.7\n")
        handle.truncate(SCANS.max_bytes + 1)
    with pytest.raises(LmsError, match="over the 50 MB limit for scans"):
        read_evidence_file(scan)


def test_cli_refuses_dev_zero_as_a_roster_in_one_line(cli: Any) -> None:
    outcome: dict[str, Any] = {}
    worker = threading.Thread(target=lambda: outcome.update(result=cli("roster", "import", "S", "/dev/zero")))
    worker.start()
    worker.join(timeout=20)
    assert not worker.is_alive(), "roster import of /dev/zero did not finish"
    result = outcome["result"]
    assert result.code == 1
    message = "lms: /dev/zero: not a regular file (a device, pipe or socket); save it as a file first"
    assert result.err.strip() == message


def test_cli_names_the_limit_for_scans(cli: Any, demo_database: str, tmp_path: Path) -> None:
    scan = sparse_file(tmp_path / "cert.pdf", 3 * 1024**3)
    args = "skills add --person E003 --skill LV-SWG-OPER --from 2026-01-05 --issuer ABB --scan".split()
    result = cli(*args, str(scan), db=demo_database)  # refused before anything is written
    assert result.code == 1
    assert result.err.strip() == f"lms: {scan}: 3 GB is over the 50 MB limit for scans"


def test_course_files_are_refused_by_size_before_parsing(cli: Any, tmp_path: Path) -> None:
    course = sparse_file(tmp_path / "course.yaml", 70 * 1024**2)
    result = cli("courses", "validate", str(course))
    assert result.code == 1
    assert f"{course}: 70 MB is over the 64 MB limit for course and projects files" in result.err
