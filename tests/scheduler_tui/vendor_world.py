"""A small vendor's database, built from an empty one with commands only, as a vendor would type them: a buyer, four
trainers (one skill lapsing soon), two rooms, a project with a one-off duty and a quarterly re-training, and sessions
around a pinned Sunday — one held, one confirmed despite an open problem, one planned in a provisional year.

The screens' snapshots and Pilot tests start from it; ``python -m tests.scheduler_tui.vendor_world URL`` builds it
in a database of your own, to look at the screens in a terminal (``LMS_TODAY=2026-11-22 lms --db URL tui``)."""

from __future__ import annotations

import datetime as dt
import os
import shlex
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
TODAY = dt.date(2026, 11, 22)  # a Sunday: the week around it is over, the sessions come next week
PROJECT = """\
projects:
  - code: P2026-WX-SHW
    name: {zh: 医技楼太阳能集中热水系统, en: Medical building solar hot water}
    buyer: WX-HOSP
    site: 无锡市梁溪区中山路 68 号 医技楼
    city: 无锡
    warranty_months: 24
    courses: [SHW-OM]
    milestones:
      delivery: {planned: 2026-10-12, actual: 2026-10-12}
      installation: {planned: 2026-11-02, actual: 2026-11-04}
      acceptance: {planned: 2026-11-20, actual: 2026-11-20}
    obligations:
      - id: OB-1
        clause: 验收合格后5个工作日内，在采购人现场开展集中培训，不少于2个工作日，参训人员不少于5人，考核合格者发证。
        clause_ref: 第三章 5.2
        anchor: acceptance
        offset: 5 working days after
        mode: centralised
        place: buyer_site
        min_trainees: 5
        min_days: 2
        courses: [SHW-OM]
        assessment: true
        certificate: true
        trainer_roles: [technical_lead]
      - id: OB-2
        clause: 质保期内每季度组织一次复训，每次不少于1个工作日。
        clause_ref: 第三章 5.3
        anchor: acceptance
        offset: 0 calendar days after
        mode: on_site
        min_days: 1
        courses: [SHW-OM]
        cadence: quarterly
"""
ROSTER = (
    "code,姓名,岗位\nB01,王芳,运行班长\nB02,张伟,运行值班员\nB03,刘洋,值班员\nB04,陈静,维修电工\nB05,杨帆,维修电工\n"
)
SECOND_GROUP = "code,姓名,岗位\nB06,赵磊,水暖工\nB07,周敏,水暖工\nB08,吴军,运行值班员\n"


def build_vendor_world(lms: Callable[..., Any], work: Path) -> None:
    """Fill an empty database; ``lms(*args)`` runs one command and fails the build when it exits non-zero.
    ``LMS_TODAY`` is set by the caller (to ``TODAY``)."""

    def run(line: str, *more: str) -> None:
        lms(*shlex.split(line), *more)

    run("courses import", str(ROOT / "courses" / "library" / "solar-hot-water.yaml"))
    run("orgs add SUNHEAT --kind vendor --name 阳光热能科技有限公司 --name-en Sunheat --city 无锡")
    run("orgs add WX-HOSP --kind buyer --name 无锡市第二人民医院 --name-en 'Wuxi No. 2 Hospital'")
    for code, name, latin, lead in (
        ("T-LI", "李工", "Li Gong", "--technical-lead"),
        ("T-WANG", "王强", "Wang Qiang", "--not-technical-lead"),
        ("T-ZHAO", "赵敏", "Zhao Min", "--not-technical-lead"),
        ("T-SUN", "孙立", "Sun Li", "--not-technical-lead"),
    ):
        run(f"people add {code} --kind trainer --name {name} --name-en '{latin}' --org SUNHEAT {lead}")
        for skill in ("SHW-OPERATE", "SHW-MAINTAIN"):
            lapsing = " --until 2026-12-31" if (code, skill) == ("T-ZHAO", "SHW-MAINTAIN") else ""
            run(f"skills add --person {code} --skill {skill} --from 2026-01-01 --issuer 厂家培训中心{lapsing}")
    run("rooms add WX-R1 --name 无锡培训中心一号教室 --city 无锡 --capacity 24 --org SUNHEAT")
    run("rooms add WX-LAB --name 热水系统实训室 --city 无锡 --capacity 8 --org SUNHEAT")
    (work / "projects.yaml").write_text(PROJECT, encoding="utf-8")
    run("projects import", str(work / "projects.yaml"))
    (work / "roster.csv").write_text(ROSTER, encoding="utf-8")
    (work / "second-group.csv").write_text(SECOND_GROUP, encoding="utf-8")
    new = "sessions new --project P2026-WX-SHW"
    # Held before today: the first quarter's re-training, the day of acceptance, attended by everyone.
    run(f"{new} --code S-SHW-0 --obligation OB-2 --start 2026-11-20 --trainer T-WANG")
    run("roster import S-SHW-0", str(work / "roster.csv"))
    # The duty after acceptance: two days on site next week, with the roster; confirmed.
    run(f"{new} --code S-SHW-1 --obligation OB-1 --start 2026-11-24 --days 2 --trainer T-LI")
    run("roster import S-SHW-1", str(work / "roster.csv"))
    run("sessions confirm S-SHW-1")
    # A second group in the training centre, three days, with no technical lead: an admin confirms it anyway.
    run(f"{new} --code S-SHW-2 --obligation OB-1 --start 2026-11-25 --days 3 --trainer T-WANG,T-ZHAO --room WX-R1")
    run("roster import S-SHW-2", str(work / "second-group.csv"))
    run("sessions confirm S-SHW-2 --override 采购人同意由王强带班，李工远程支持")
    # Next quarter's re-training, in a year whose holiday notice is not published yet.
    run(f"{new} --code S-SHW-3 --obligation OB-2 --start 2027-02-22 --trainer T-SUN")


def attend_the_held_session(lms: Callable[..., Any]) -> None:
    """Attendance of S-SHW-0 on its day (so that it reads as held from then on)."""
    lms("attendance", "mark", "S-SHW-0", "--day", "2026-11-20", "--all")


def fill(url: str) -> None:
    """Build the world in the (migrated, empty) database at ``url``, each command in English, today pinned."""
    from lms.cli.app import main as lms_main

    def lms(*args: str) -> None:
        try:
            lms_main(["--db", url, "--lang", "en", *args])
        except SystemExit as exit_:
            if exit_.code:
                raise AssertionError(f"lms {' '.join(args)} failed") from None

    previous = os.environ.get("LMS_TODAY")
    try:
        os.environ["LMS_TODAY"] = TODAY.isoformat()
        with tempfile.TemporaryDirectory() as work:
            build_vendor_world(lms, Path(work))
        os.environ["LMS_TODAY"] = "2026-11-20"
        attend_the_held_session(lms)
    finally:
        os.environ.pop("LMS_TODAY")
        if previous is not None:
            os.environ["LMS_TODAY"] = previous


if __name__ == "__main__":
    from lms.db import make_engine, upgrade_schema

    upgrade_schema(make_engine(sys.argv[1]))
    fill(sys.argv[1])
