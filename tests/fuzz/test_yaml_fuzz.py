"""Course and projects YAML against hostile files: whatever the bytes, the readers return a value or raise one
LmsError line naming the file; and what they accept imports (and gives obligation statuses) without a crash."""

from __future__ import annotations

import copy
import datetime as dt
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st
from sqlmodel import Session, select

from courses.plugin import LIBRARY
from lms.calendars.workdays import ChinaCalendar
from lms.catalog.importer import import_course
from lms.catalog.loader import load_course
from lms.errors import LmsError
from lms.files.yamlsource import load_yaml_file
from lms.models import Obligation, Project
from lms.projects.obligations import obligation_status
from lms.projects.projects_file import import_projects, load_projects_file
from lms.questions.types import registry
from tests.fuzz.conftest import FUZZ, ROOT, SEEDS, assert_cli_refuses, hostile, no_hang, survives, write
from tests.lms.quiz_fixtures import COURSE

FAST_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml when built with it: seeds load quickly
FAST_DUMPER = getattr(yaml, "CSafeDumper", yaml.SafeDumper)


def small_course(path: Path) -> dict[str, Any]:
    """A library course cut down to one module per curriculum and one question of each type: valid, and quick to
    read (the full files take ~80 ms each)."""
    data = yaml.load(path.read_text(encoding="utf-8"), Loader=FAST_LOADER)
    curriculum = {module["id"]: module["curriculum"] for module in data["modules"]}
    modules = {}
    for module in data["modules"]:
        modules.setdefault(module["curriculum"], dict(module, objectives=module["objectives"][:1]))
    questions, types = [], set()
    for question in data["questions"]:
        if question["type"] not in types:
            types.add(question["type"])
            questions.append(dict(question, module=modules[curriculum[question["module"]]]["id"]))
    data |= {"modules": list(modules.values()), "questions": questions, "practical": data["practical"][:2]}
    data |= {"skills": data["skills"][:1], "blueprint": [], "description": None}
    return {key: value for key, value in data.items() if value is not None}


def dumped(value: Any) -> bytes:
    return yaml.dump(value, Dumper=FAST_DUMPER, allow_unicode=True, sort_keys=False).encode("utf-8")


LIBRARY_FILES = sorted(LIBRARY.glob("*.yaml"))
COURSE_DATA = [small_course(path) for path in LIBRARY_FILES] + [yaml.safe_load(COURSE)]
PROJECT_TEXT = (ROOT / "examples" / "projects.yaml").read_bytes()
PROJECT_DATA = [yaml.safe_load(PROJECT_TEXT)]
# Byte mutations start from small valid files as people write them (comments, flow style) and from the start
# of each library file (cut short, which is itself a kind of broken file).
SEEDS["course"] = [dumped(data) for data in COURSE_DATA] + [COURSE.encode()]
SEEDS["course"] += [path.read_bytes()[:3000] for path in LIBRARY_FILES]
SEEDS["projects"] = [PROJECT_TEXT]
SEEDS["yaml"] = SEEDS["course"] + SEEDS["projects"]
DATA = {"course": COURSE_DATA, "projects": PROJECT_DATA}
TODAY = dt.date(2026, 11, 20)


@st.composite
def deep_nesting(draw: st.DrawFn) -> bytes:
    depth = draw(st.integers(min_value=1, max_value=3000))
    style = draw(st.sampled_from(["flow-seq", "flow-map", "block-map", "block-seq", "mixed"]))
    if style == "flow-seq":
        return b"a: " + b"[" * depth + b"]" * depth + b"\n"
    if style == "flow-map":
        return b"a: " + b"{b: " * depth + b"1" + b"}" * depth + b"\n"
    depth = min(depth, 150)  # block styles grow with the square of the depth; the limit is 100
    if style == "block-map":
        return b"".join(b"  " * level + b"k:\n" for level in range(depth)) + b"  " * depth + b"v\n"
    if style == "block-seq":
        return b"".join(b"  " * level + b"-\n" for level in range(depth)) + b"  " * depth + b"x\n"
    return b"a: " + b"[{b: " * depth + b"1" + b"}]" * depth + b"\n"


@st.composite
def alias_bomb(draw: st.DrawFn) -> bytes:
    """Billion laughs: each level repeats the one below; or an alias inside the value it names."""
    if draw(st.booleans()):
        cycle = draw(st.sampled_from([b"a: &a [*a]\n", b"a: &a {b: *a}\n", b"a: &a [1, [2, {c: *a}]]\n"]))
        return cycle
    levels = draw(st.integers(min_value=1, max_value=12))
    width = draw(st.integers(min_value=2, max_value=12))
    lines = [b"l0: &l0 [" + b", ".join([b"x"] * width) + b"]"]
    for level in range(1, levels):
        below = b"*l%d" % (level - 1)
        lines.append(b"l%d: &l%d [" % (level, level) + b", ".join([below] * width) + b"]")
    return b"\n".join(lines) + b"\n"


SCALARS = st.sampled_from(
    [
        "9" * 30,
        "-" + "9" * 5000,
        "2147483648",
        "0x" + "f" * 20,
        "0o777777777777777777",
        "1_000_000_000_000",
        "190:20:30",
        "1e999",
        ".inf",
        "-.Inf",
        ".nan",
        "2026-13-45",
        "9999-12-31",
        "0001-01-01",
        "2026-02-29",
        "2026-01-01 25:00:00",
        "~",
        "null",
        "yes",
        "''",
        '"\\u2028\\x00\\ud800"',
        "!!python/object/apply:os.system ['true']",
        "!!binary aGVsbG8=",
        "!custom x",
        "!!set {a, b}",
        "!!omap [a: 1]",
        "*undefined",
        "&anchor",
        "<<: {a: 1}",
        "|\n  block\n  text",
        "[unclosed",
        "{a: 1, a: 2}",
        "? [complex]\n: key",
    ]
)


@st.composite
def hostile_scalars(draw: st.DrawFn) -> bytes:
    keys = draw(st.lists(st.sampled_from(["code", "a", "pass_mark", "projects", "buyers", "1", "true"]), min_size=1))
    return "".join(f"{key}: {draw(SCALARS)}\n" for key in keys).encode()


JSON_LIKE = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=20),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8), children, max_size=4),
    max_leaves=30,
)


@st.composite
def perturbed(draw: st.DrawFn, seeds: str) -> bytes:
    """A valid file, parsed, with one to three values swapped for hostile ones, written back as YAML: this reaches
    the schema and what comes after it, where byte mutations mostly stop at the syntax."""
    data = copy.deepcopy(draw(st.sampled_from(DATA[seeds])))
    for _ in range(draw(st.integers(min_value=1, max_value=3))):
        parent: Any = data
        key: Any = None
        while True:
            children = list(parent.keys()) if isinstance(parent, dict) else list(range(len(parent)))
            if not children:
                break
            key = draw(st.sampled_from(children))
            if not isinstance(parent[key], dict | list) or draw(st.integers(0, 3)) == 0:
                break
            parent, key = parent[key], None
        replacement = draw(
            st.one_of(
                st.integers(min_value=-(2**70), max_value=2**70),
                st.sampled_from([0, -1, 2**31 - 1, 2**31, 10**9, 999999999999]),
                st.floats(),
                st.text(max_size=30),
                st.sampled_from(["", " ", "\u2028", "x\ny", "中文", "99999999999999 working days after"]),
                st.dates(),
                st.sampled_from([dt.date(9999, 12, 31), dt.date(1, 1, 1)]),
                JSON_LIKE,
            )
        )
        if key is not None and draw(st.integers(0, 5)) == 0 and isinstance(parent, dict):
            del parent[key]
        elif key is not None:
            parent[key] = replacement
    return dumped(data)


def test_the_seeds_are_valid_files(tmp_path: Path, pm: Any) -> None:
    """The mutations start from files the readers accept, so they explore near real input."""
    for number, data in enumerate(COURSE_DATA):
        load_course(write(tmp_path, f"course-{number}.yaml", dumped(data)), registry(pm))
    load_projects_file(write(tmp_path, "projects.yaml", PROJECT_TEXT))


@FUZZ
@given(
    data=hostile(
        "yaml",
        deep_nesting(),
        alias_bomb(),
        hostile_scalars(),
        JSON_LIKE.map(dumped),
    )
)
def test_any_bytes_read_as_yaml_or_one_line_error(workdir: Path, data: bytes) -> None:
    path = write(workdir, "any.yaml", data)
    survives("yaml", path, lambda: load_yaml_file(path))


@FUZZ
@given(data=hostile("course", perturbed("course"), perturbed("course"), perturbed("course")))
def test_course_files_load_or_name_the_file(workdir: Path, fuzz_pm: Any, fuzz_engine: Any, data: bytes) -> None:
    path = write(workdir, "course.yaml", data)
    loaded = survives("course YAML", path, lambda: load_course(path, registry(fuzz_pm)))
    if loaded is None:
        return
    with no_hang(), Session(fuzz_engine) as session:  # what the loader accepts must also store
        import_course(session, loaded.spec, path)
        session.flush()
        session.rollback()


@FUZZ
@given(data=hostile("projects", perturbed("projects"), perturbed("projects"), perturbed("projects")))
def test_projects_files_load_or_name_the_file(workdir: Path, fuzz_pm: Any, fuzz_engine: Any, data: bytes) -> None:
    path = write(workdir, "projects.yaml", data)
    loaded = survives("projects YAML", path, lambda: load_projects_file(path))
    if loaded is None:
        return
    spec, document = loaded
    with no_hang(), Session(fuzz_engine) as session:  # accepted: imports and gives statuses, or says why not
        try:
            import_projects(session, spec, document, pm=fuzz_pm)
            codes = [project.code for project in spec.projects]
            projects = session.exec(select(Project).where(Project.code.in_(codes))).all()  # type: ignore[attr-defined]
            calendar = ChinaCalendar()
            for project in projects:
                for obligation in session.exec(select(Obligation).where(Obligation.project_id == project.id)):
                    obligation_status(session, obligation, calendar, TODAY)
        except LmsError as error:
            assert str(error).splitlines() == [str(error)]
        finally:
            session.rollback()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"a: &a [*a]\n", "contains it"),
        (b"a: " + b"[" * 5000 + b"]" * 5000 + b"\n", "nested more than"),
        (b"a: " + b"[" * 150 + b"]" * 150 + b"\n", "nested more than"),
        (b"code: ab\x01c\n", r"U\+0001"),
        (b"n: " + b"9" * 5000 + b"\n", "too large a whole number"),
        (b"n: 2147483648\n", "too large a whole number"),
        (b"n: .inf\n", "not a finite number"),
        (b'a: 1\n"x\\u2028y": 2\n"x\\u2028y": 3\n', "duplicate key"),
    ],
    ids=["alias-cycle", "5000-deep", "150-deep", "control", "5000-digits", "2**31", "inf", "U+2028-key"],
)
def test_what_the_fuzzing_found_stays_fixed(tmp_path: Path, data: bytes, message: str) -> None:
    path = write(tmp_path, "found.yaml", data)
    with pytest.raises(LmsError, match=message) as caught:
        load_yaml_file(path)
    assert str(caught.value).splitlines() == [str(caught.value)] and str(path) in str(caught.value)


def broken_files(valid: bytes) -> dict[str, bytes]:
    """One valid file broken each way the fuzzing showed matters."""
    text = valid.decode("utf-8")
    return {
        "truncated.yaml": valid[: len(valid) // 2 + 1],
        "gbk.yaml": text.encode("gbk", errors="replace"),
        "utf16.yaml": text.encode("utf-16"),
        "control.yaml": valid.replace(b"\n", b"\n\x1b", 1),
        "alias-cycle.yaml": b"x: &a [*a]\n" + valid,
        "deep.yaml": b"x: " + b"[" * 3000 + b"]" * 3000 + b"\n" + valid,
        "digits.yaml": b"x: " + b"9" * 5000 + b"\n" + valid,
        "bomb.yaml": b"".join(
            b"l%d: &l%d [%s]\n" % (n, n, b", ".join([b"*l%d" % (n - 1)] * 9)) for n in range(1, 9)
        ).replace(b"*l0", b"x")
        + valid,
    }


def test_courses_import_refuses_broken_files_in_one_line(cli, fuzz_engine: Any, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    variants = broken_files(COURSE.encode())
    variants["time-limit.yaml"] = COURSE.replace("time_limit_minutes: 30", "time_limit_minutes: 99999999999").encode()
    for name, data in variants.items():
        path = write(tmp_path, name, data)
        assert_cli_refuses(cli, fuzz_engine, path, "courses", "import", str(path))


def test_projects_import_refuses_broken_files_in_one_line(cli, fuzz_engine: Any, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    variants = broken_files(PROJECT_TEXT)
    variants["min-trainees.yaml"] = PROJECT_TEXT.replace(b"min_trainees: 5", b"min_trainees: 99999999999999999999")
    variants["offset.yaml"] = PROJECT_TEXT.replace(b"offset: 2 working", b"offset: 99999999999999999999 working")
    variants["year-9999.yaml"] = PROJECT_TEXT.replace(b"{planned: 2026-12-01}", b"{planned: 9999-12-01}")
    for name, data in variants.items():
        path = write(tmp_path, name, data)
        assert_cli_refuses(cli, fuzz_engine, path, "projects", "import", str(path))
