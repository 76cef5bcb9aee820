"""Projects and obligations by hand, from an empty database: new, add from a clause, edit with version checks."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from sqlmodel import Session, select

from lms.models import AuditEntry, Obligation, Organisation, Project

CLAUSE = (
    "验收合格后2个工作日内，在采购人现场开展集中培训，培训不少于2个工作日，参训人员不少于5人，"
    "内容包括操作、维护保养及故障处理；培训结束后对每位学员进行考核，考核合格者颁发培训合格证书，"
    "不合格者进行辅导并安排补考。质保期内每年春季、秋季各组织一次复训，每次不少于4学时。"
)


@pytest.fixture
def buyer(session: Session) -> str:
    # Until ``lms orgs add`` lands, the buyer is made the way that command will make it.
    session.add(Organisation(code="WX-HOSP", kind="buyer", name_zh="无锡市第二人民医院", name_en="Wuxi No. 2"))
    session.commit()
    return "WX-HOSP"


def new_project(cli, buyer: str) -> None:  # type: ignore[no-untyped-def]
    result = cli(
        "projects", "new", "P-1", "--buyer", buyer, "--name", "热水系统", "--city", "无锡",
        "--warranty-months", "24", "--acceptance", "2026-12-01",
    )  # fmt: skip
    assert result.code == 0, result.err


def test_parse_from_stdin_as_json(cli, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    import io

    monkeypatch.setattr(sys, "stdin", io.StringIO(CLAUSE))
    result = cli("obligations", "parse", "-", "--format", "json")
    assert result.code == 0, result.err
    proposals = json.loads(result.out)
    assert [p["cadence"] for p in proposals] == ["once", "spring_autumn"]
    assert proposals[0]["offset"] == "2 working days after"


def test_parse_of_text_without_chinese_is_one_line(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    source = tmp_path / "clause.txt"
    source.write_text("Training after acceptance.", encoding="utf-8")
    result = cli("obligations", "parse", str(source))
    assert result.code == 1
    assert "Training after acceptance" in result.err and result.err.count("\n") == 1


def test_project_needs_a_known_buyer(cli) -> None:  # type: ignore[no-untyped-def]
    result = cli("projects", "new", "P-1", "--buyer", "NOBODY", "--name", "x")
    assert result.code == 1 and "NOBODY" in result.err


def test_new_project_and_obligations_from_a_clause(cli, buyer: str, session: Session) -> None:  # type: ignore[no-untyped-def]
    new_project(cli, buyer)
    refused = cli("obligations", "add", "--project", "P-1", "--clause", CLAUSE)
    assert refused.code == 1
    assert "audience" in refused.err and "--set" in refused.err
    added = cli("obligations", "add", "--project", "P-1", "--clause", CLAUSE, "--accept-unknown")
    assert added.code == 1 and "mode has no default" in added.err  # the refresher does not say its mode
    first = CLAUSE.split("。")[0] + "。"
    one = cli("obligations", "add", "--project", "P-1", "--clause", first, "--set", "audience=[operator]")
    assert one.code == 0, one.err
    rows = session.exec(select(Obligation)).all()
    assert [(o.code, o.anchor, o.offset_days, o.mode, o.reexam_required) for o in rows] == [
        ("OB-1", "acceptance", 2, "centralised", True)
    ]
    assert rows[0].audience == ["operator"] and rows[0].changed_by
    actions = session.exec(select(AuditEntry.action)).all()
    assert "project.create" in actions and "obligation.add" in actions


def test_add_from_the_parsers_yaml(cli, buyer: str, session: Session, tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    import io

    new_project(cli, buyer)
    monkeypatch.setattr(sys, "stdin", io.StringIO(CLAUSE))
    proposals = yaml.safe_load(cli("obligations", "parse", "--format", "yaml").out)
    refresher = proposals["obligations"][1]
    refresher.update(mode="on_site", place="buyer_site", min_trainees=3)  # filled in; audience left open
    source = tmp_path / "obligations.yaml"
    source.write_text(yaml.safe_dump({"obligations": [refresher]}, allow_unicode=True), encoding="utf-8")
    refused = cli("obligations", "add", "--project", "P-1", "--from-yaml", str(source))
    assert refused.code == 1 and "does not say audience, curricula;" in refused.err
    refresher.update(audience=[], curricula=["maintenance"])
    source = tmp_path / "obligations.yaml"
    source.write_text(yaml.safe_dump({"obligations": [refresher]}, allow_unicode=True), encoding="utf-8")
    result = cli("obligations", "add", "--project", "P-1", "--from-yaml", str(source))
    assert result.code == 0, result.err
    stored = session.exec(select(Obligation)).one()
    assert (stored.cadence, stored.min_hours, stored.min_trainees) == ("spring_autumn", 4, 3)


def test_edits_are_version_checked(cli, buyer: str, session: Session) -> None:  # type: ignore[no-untyped-def]
    new_project(cli, buyer)
    first = CLAUSE.split("。")[0] + "。"
    assert cli("obligations", "add", "--project", "P-1", "--clause", first, "--accept-unknown").code == 0
    ok = cli("obligations", "edit", "OB-1", "--project", "P-1", "--expect-version", "1", "--set", "min_trainees=8")
    assert ok.code == 0, ok.err
    stale = cli("obligations", "edit", "OB-1", "--project", "P-1", "--expect-version", "1", "--set", "min_days=3")
    assert stale.code == 1 and "version 2" in stale.err and "reload" in stale.err
    bad = cli("obligations", "edit", "OB-1", "--project", "P-1", "--set", "offset=soon")
    assert bad.code == 1 and "offset" in bad.err
    assert cli("projects", "edit", "P-1", "--expect-version", "1", "--site", "医技楼").code == 0
    again = cli("projects", "edit", "P-1", "--expect-version", "1", "--city", "苏州")
    assert again.code == 1 and "project P-1" in again.err
    session.expire_all()
    project = session.exec(select(Project)).one()
    assert (project.site, project.city, project.version) == ("医技楼", "无锡", 2)
    listed = json.loads(cli("obligations", "list", "--project", "P-1", "--format", "json").out)
    assert listed[0]["version"] == 2 and listed[0]["min_trainees"] == 8


def test_two_processes_editing_one_obligation(cli, buyer: str, db_url: str, session: Session) -> None:  # type: ignore[no-untyped-def]
    new_project(cli, buyer)
    first = CLAUSE.split("。")[0] + "。"
    assert cli("obligations", "add", "--project", "P-1", "--clause", first, "--accept-unknown").code == 0
    env = {**os.environ, "LMS_LANG": "en"}
    command = [sys.executable, "-m", "lms", "--db", db_url, "obligations", "edit", "OB-1", "--project", "P-1"]
    runs = [
        subprocess.Popen(
            [*command, "--expect-version", "1", "--set", f"min_trainees={n}"],
            env={**env, "LMS_USER": f"pm{n}"},
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for n in (6, 7)
    ]
    results = [(run.wait(timeout=60), run.stderr.read()) for run in runs]
    assert sorted(code for code, _err in results) == [0, 1]
    loser = next(err for code, err in results if code == 1)
    winner = next(n for n, (code, _err) in zip((6, 7), results, strict=True) if code == 0)
    assert f"pm{winner}" in loser
    session.expire_all()
    assert session.exec(select(Obligation)).one().min_trainees == winner


def test_monthly_periods_and_a_deadline_window() -> None:
    import datetime as dt

    from lms.calendars.workdays import get_calendar
    from lms.projects.periods import cadence_periods, deadline_window

    months = cadence_periods("monthly", dt.date(2026, 11, 15), 3)
    assert [(p.label, p.start, p.end) for p in months] == [
        ("2026-11", dt.date(2026, 11, 15), dt.date(2026, 11, 30)),
        ("2026-12", dt.date(2026, 12, 1), dt.date(2026, 12, 31)),
        ("2027-01", dt.date(2027, 1, 1), dt.date(2027, 1, 31)),
        ("2027-02", dt.date(2027, 2, 1), dt.date(2027, 2, 14)),
    ]
    due = Obligation(project_id=1, code="OB-1", clause_text="…", anchor="", mode="centralised")
    due.deadline = dt.date(2022, 3, 31)
    window = deadline_window(due, None, get_calendar())
    assert (window.start, window.end) == (dt.date(2022, 3, 2), dt.date(2022, 3, 31))
    due.anchor, due.offset_days, due.offset_unit = "acceptance", 30, "calendar"
    cut = deadline_window(due, dt.date(2022, 3, 20), get_calendar())
    assert (cut.start, cut.end) == (dt.date(2022, 3, 21), dt.date(2022, 3, 31))


def test_projects_yaml_takes_deadline_reexam_and_monthly(cli, buyer: str, session: Session, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    source = tmp_path / "projects.yaml"
    source.write_text(
        """
projects:
  - code: P-2
    name: {zh: 热水系统, en: Hot water}
    buyer: WX-HOSP
    site: 医技楼
    city: 无锡
    obligations:
      - id: OB-1
        clause: 中标人须于2022年03月底前完成集中培训。
        deadline: 2022-03-31
        mode: centralised
        reexam: true
        min_trainees: null
      - id: OB-2
        clause: 质保期内每月培训一次。
        anchor: acceptance
        offset: 0 calendar days after
        mode: on_site
        cadence: monthly
      - id: OB-3
        clause: 培训。
        mode: on_site
""",
        encoding="utf-8",
    )
    result = cli("projects", "import", str(source))
    assert result.code == 1 and "obligations[2]" in result.err and "deadline" in result.err
    source.write_text(source.read_text(encoding="utf-8").split("      - id: OB-3")[0], encoding="utf-8")
    assert cli("projects", "import", str(source)).code == 0
    rows = {o.code: o for o in session.exec(select(Obligation))}
    assert rows["OB-1"].deadline.isoformat() == "2022-03-31" and rows["OB-1"].reexam_required
    assert (rows["OB-1"].anchor, rows["OB-1"].min_trainees) == ("", 0)
    assert rows["OB-2"].cadence == "monthly"


def test_a_yaml_import_moves_the_version_so_older_forms_are_refused(cli, buyer: str, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    new_project(cli, buyer)
    first = CLAUSE.split("。")[0] + "。"
    assert cli("obligations", "add", "--project", "P-1", "--clause", first, "--accept-unknown").code == 0
    exported = yaml.safe_load(cli("obligations", "list", "--project", "P-1", "--format", "yaml").out)
    obligation = {k: v for k, v in exported["obligations"][0].items() if k != "version"}
    obligation["min_trainees"] = 12
    source = tmp_path / "projects.yaml"
    project = {"code": "P-1", "name": {"zh": "热水系统", "en": "热水系统"}, "buyer": buyer, "site": "", "city": "无锡"}
    source.write_text(
        yaml.safe_dump({"projects": [{**project, "warranty_months": 24, "obligations": [obligation]}]}),
        encoding="utf-8",
    )
    assert cli("projects", "import", str(source)).code == 0
    stale = cli("obligations", "edit", "OB-1", "--project", "P-1", "--expect-version", "1", "--set", "min_days=3")
    assert stale.code == 1 and "version 2" in stale.err
