"""Fuzzing the file readers: a fixed hypothesis profile, hostile-input strategies built from our own files, the
property every reader must keep, and a count of the inputs tried per target (printed after the run).

``LMS_FUZZ_EXAMPLES=5000 .venv/bin/pytest tests/fuzz`` runs a longer session by hand (``LMS_FUZZ_RANDOM=1`` draws
new inputs instead of the fixed ones, ``LMS_FUZZ_REASONS=1`` lists the commonest refusals per target); the default
(200 per property, derandomised) keeps CI deterministic and the whole package under a minute.
"""

from __future__ import annotations

import os
import re
import signal
from collections import Counter, defaultdict
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TypeVar

import pytest
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

from lms.errors import LmsError

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = int(os.environ.get("LMS_FUZZ_EXAMPLES", "200"))
HANG_SECONDS = 60  # far above any honest input; only turns a hang into a failure naming the input

settings.register_profile(
    "lms-fuzz",
    derandomize=not os.environ.get("LMS_FUZZ_RANDOM"),  # set it for a session that explores new inputs
    max_examples=EXAMPLES,
    deadline=None,
    database=None,
    print_blob=False,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.large_base_example],
)
FUZZ = settings.get_profile("lms-fuzz")
"""Decorate each property with ``@FUZZ`` (the profile is not loaded globally, so other tests keep their own)."""

TRIED: Counter[str] = Counter()
REFUSED: Counter[str] = Counter()
READERS: set[str] = set()  # the targets that read files (the others are properties of the arithmetic)
REASONS: dict[str, Counter[str]] = defaultdict(Counter)  # shown with LMS_FUZZ_REASONS=1: how deep inputs get


class Hang(BaseException):
    """An input a reader did not finish within HANG_SECONDS (a BaseException: no ``except Exception`` hides it)."""


@contextmanager
def no_hang(seconds: int = HANG_SECONDS) -> Iterator[None]:
    """Fail (not block) when the body runs for minutes; SIGALRM interrupts pure-Python loops."""

    def expired(_signum: int, _frame: Any) -> None:
        raise Hang(f"no result after {seconds} s")

    previous = signal.signal(signal.SIGALRM, expired)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


def assert_one_line_naming(error: LmsError, path: Path | str) -> None:
    """What the CLI prints for an LmsError: one line (no line break of any kind) that names the file."""
    text = str(error)
    assert text.strip(), "an empty error message"
    assert text.splitlines() == [text], f"more than one line: {text!r}"
    assert str(path) in text, f"the file is not named: {text!r}"


T = TypeVar("T")


def survives(target: str, path: Path | str, read: Callable[[], T]) -> T | None:
    """The property: ``read()`` returns a value or raises LmsError (one line naming ``path``); anything else fails
    the example. Counts the input for ``target``."""
    TRIED[target] += 1
    READERS.add(target)
    with no_hang():
        try:
            return read()
        except LmsError as error:
            REFUSED[target] += 1
            REASONS[target][re.sub(r"\d+", "N", error.message)[:70]] += 1
            assert_one_line_naming(error, path)
            return None


def pytest_terminal_summary(terminalreporter: Any) -> None:
    if not TRIED:
        return
    terminalreporter.write_sep("-", f"fuzz inputs tried (LMS_FUZZ_EXAMPLES={EXAMPLES})")
    for target in sorted(TRIED):
        tried, refused = TRIED[target], REFUSED[target]
        outcome = f": {tried - refused:>6} read, {refused:>6} refused with one line" if target in READERS else ""
        terminalreporter.write_line(f"{target:<34} {tried:>7} inputs{outcome}")
        if os.environ.get("LMS_FUZZ_REASONS"):
            for reason, count in REASONS[target].most_common(12):
                terminalreporter.write_line(f"    {count:>6}  {reason}")


# Hostile input, built from real files: seeds mutated byte by byte, cut short, re-encoded, or made from tokens.

TOKENS: list[bytes] = [
    b"\x00",
    b"\x01",
    b"\x0c",
    b"\x1b[31m",
    b"\x7f",
    b"\xff",
    b"\xfe\xff",
    b"\xef\xbb\xbf",
    b"\xc3",
    b"\xed\xa0\x80",  # an encoded surrogate: not UTF-8
    "\u2028".encode(),
    "\u0085".encode(),
    "\u202e".encode(),
    "\ufeff".encode(),
    "中文".encode("gbk"),
    b"\r",
    b"\r\n",
    b"\n\n",
    b"\t",
    b'"',
    b"'",
    b"\\",
    b"9" * 25,
    b"-" + b"9" * 60,
    b"1e999",
    b"-.inf",
    b".nan",
    b"0x7fffffffffffffff",
    b"9999-12-31",
    b"0000-00-00",
    b"2026-02-30",
]


SEEDS: dict[str, list[bytes]] = {}
"""Valid files per reader, by name (strategies take the name, so a failure report stays short)."""


@st.composite
def mutated(draw: st.DrawFn, seeds: str, tokens: list[bytes] = TOKENS) -> bytes:
    """A seed with a few edits: bits flipped, bytes or tokens inserted, ranges deleted or repeated, cut short."""
    data = bytearray(draw(st.sampled_from(SEEDS[seeds])))
    for _ in range(draw(st.integers(min_value=1, max_value=6))):
        where = draw(st.integers(min_value=0, max_value=len(data)))
        kind = draw(st.sampled_from(["flip", "insert", "token", "delete", "repeat", "truncate"]))
        if kind == "flip" and where < len(data):
            data[where] ^= 1 << draw(st.integers(min_value=0, max_value=7))
        elif kind == "insert":
            data[where:where] = draw(st.binary(min_size=1, max_size=8))
        elif kind == "token":
            data[where:where] = draw(st.sampled_from(tokens))
        elif kind == "delete":
            del data[where : where + draw(st.integers(min_value=1, max_value=64))]
        elif kind == "repeat":
            chunk = data[where : where + draw(st.integers(min_value=1, max_value=64))]
            data[where:where] = chunk * draw(st.integers(min_value=1, max_value=20))
        elif kind == "truncate":
            del data[where:]
    return bytes(data)


@st.composite
def reencoded(draw: st.DrawFn, seeds: str) -> bytes:
    """A seed saved by another editor: GBK, GB18030, Big5, UTF-16 (with or without BOM), Latin-1."""
    text = draw(st.sampled_from(SEEDS[seeds])).decode("utf-8", errors="ignore")  # seeds may be cut mid-character
    encoding = draw(st.sampled_from(["gbk", "gb18030", "big5", "utf-16", "utf-16-le", "utf-16-be", "latin-1"]))
    if draw(st.booleans()):
        text = text[: draw(st.integers(min_value=0, max_value=len(text)))]
    return text.encode(encoding, errors="replace")


def hostile(seeds: str, *extra: st.SearchStrategy[bytes]) -> st.SearchStrategy[bytes]:
    """Every kind of bad file for one reader: mutated seeds (most), re-encoded seeds, random bytes and text."""
    return st.one_of(
        mutated(seeds),
        mutated(seeds),
        reencoded(seeds),
        st.binary(max_size=512),
        st.text(max_size=256).map(lambda text: text.encode("utf-8")),
        *extra,
    )


def write(folder: Path, name: str, data: bytes) -> Path:
    path = folder / name
    path.write_bytes(data)
    return path


@pytest.fixture(scope="module")
def workdir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One folder per module for the inputs (hypothesis runs many examples in one test call)."""
    return tmp_path_factory.mktemp("fuzz")


@pytest.fixture(scope="session")
def fuzz_pm() -> Any:
    import certificates.plugin
    import courses.plugin
    from lms.plugins import make_plugin_manager

    manager = make_plugin_manager(load_entrypoints=False)
    manager.register(courses.plugin, name="courses")
    manager.register(certificates.plugin, name="certificates")
    return manager


@pytest.fixture(scope="session")
def fuzz_engine(tmp_path_factory: pytest.TempPathFactory, fuzz_pm: Any) -> Iterator[Any]:
    """A database with the course library and the quiz course (trainees T001–T003 on session S-QUIZ1); each
    example works in a transaction that is rolled back."""
    from sqlmodel import Session

    from courses.plugin import LIBRARY
    from lms.catalog.service import import_paths
    from lms.db import make_engine, upgrade_schema
    from tests.conftest import POSTGRES_URL, fresh_postgres_database
    from tests.lms.quiz_fixtures import quiz_world

    folder = tmp_path_factory.mktemp("fuzz-db")
    url, drop = f"sqlite:///{folder / 'lms.db'}", lambda: None
    if POSTGRES_URL:
        url, drop = fresh_postgres_database(POSTGRES_URL)
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("LMS_CONFIG", str(folder / "no-config.yaml"))
        patch.setenv("LMS_LANG", "en")
        engine = make_engine(url)
        upgrade_schema(engine)
        with Session(engine, expire_on_commit=False) as session:
            import_paths(session, fuzz_pm, [LIBRARY])
            session.commit()
            quiz_world(session, fuzz_pm, folder)
    yield engine
    engine.dispose()
    drop()


def row_counts(engine: Any) -> dict[str, int]:
    """Rows in every table: what "nothing was written" is checked against."""
    from sqlalchemy import func, select
    from sqlmodel import SQLModel

    with engine.connect() as connection:
        return {
            name: connection.execute(select(func.count()).select_from(table)).scalar_one()
            for name, table in SQLModel.metadata.tables.items()
        }


def assert_cli_refuses(cli: Any, engine: Any, path: Path, *args: str) -> None:
    """``lms ARGS`` on a bad file: exit 1, one line on stderr naming the file, no traceback, no row written."""
    before = row_counts(engine)
    result = cli(*args, db=engine.url.render_as_string(hide_password=False))
    assert result.code == 1, (result.code, result.err)
    lines = result.err.strip().splitlines()
    assert len(lines) == 1 and path.name in lines[0], result.err
    assert "Traceback" not in result.err and "internal error" not in result.err
    assert row_counts(engine) == before
