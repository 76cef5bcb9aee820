"""The demo's projects: six projects whose milestones sit around "today" (past, near, unknown, slipped),
written as a projects file and imported like ``lms projects import`` would."""

from __future__ import annotations

import datetime as dt
from typing import Any

from lms.calendars.workdays import CalendarCoverageError, WorkdayCalendar
from lms.projects.projects_file import ProjectsFile


class DemoCalendar:
    """Working days for placing demo sessions; beyond the calendar's years it falls back to Monday–Friday."""

    def __init__(self, calendar: WorkdayCalendar) -> None:
        self.calendar = calendar

    def is_working_day(self, day: dt.date) -> bool:
        try:
            return self.calendar.is_working_day(day)
        except CalendarCoverageError:
            return day.weekday() < 5

    def shift(self, start: dt.date, count: int) -> dt.date:
        """``count`` working days after ``start`` (before when negative), start excluded."""
        step = dt.timedelta(days=1 if count >= 0 else -1)
        day, remaining = start, abs(count)
        while remaining:
            day += step
            if self.is_working_day(day):
                remaining -= 1
        return day

    def run(self, first: dt.date, length: int) -> list[dt.date]:
        """``length`` consecutive working days starting on ``first`` (moved forward to a working day)."""
        day = first
        while not self.is_working_day(day):
            day += dt.timedelta(days=1)
        days = [day]
        while len(days) < length:
            days.append(self.shift(days[-1], 1))
        return days


def projects_spec(today: dt.date, cal: DemoCalendar) -> ProjectsFile:
    """Six projects whose milestones sit around ``today``: past, near, unknown and slipped acceptance."""

    def day(offset: int) -> str:
        return cal.shift(today, offset).isoformat()

    centralised = {
        "clause": "验收合格后2个工作日内，在采购人现场开展集中培训，培训不少于2个工作日，参训人员不少于5人，"
        "内容包括操作、维护保养及故障处理；培训结束后对每位学员进行考核，考核合格者颁发培训合格证书，"
        "不合格者进行辅导并安排补考。",
        "clause_ref": "第五章 技术要求 5.3",
        "anchor": "acceptance",
        "offset": "2 working days after",
        "mode": "centralised",
        "place": "buyer_site",
        "min_trainees": 5,
        "min_days": 2,
        "audience": ["operator", "maintenance_technician"],
        "curricula": ["operation", "maintenance", "fault_handling"],
        "assessment": True,
        "certificate": True,
        "trainer_roles": ["technical_lead"],
    }
    refresher = {
        "clause": "质保期内每年春季、秋季各组织一次复训，每次不少于4学时。",
        "clause_ref": "第五章 技术要求 5.4",
        "anchor": "acceptance",
        "offset": "0 calendar days after",
        "mode": "on_site",
        "place": "buyer_site",
        "min_trainees": 3,
        "min_hours": 4,
        "curricula": ["maintenance", "fault_handling"],
        "cadence": "spring_autumn",
    }
    quarterly = dict(refresher, clause="质保期内每季度开展一次现场巡检培训，每次不少于4学时。", cadence="quarterly")

    def obligations(course: str, *extra: dict[str, Any]) -> list[dict[str, Any]]:
        first = dict(centralised, id="OB-1", courses=[course])
        return [first] + [dict(item, id=f"OB-{n}", courses=[course]) for n, item in enumerate(extra, start=2)]

    return ProjectsFile.model_validate(
        {
            "buyers": [
                {
                    "code": "HZ-HOSP",
                    "name": {"zh": "杭州市第一人民医院", "en": "Hangzhou First People's Hospital"},
                    "city": "杭州",
                },
                {
                    "code": "NJ-UNIV",
                    "name": {"zh": "南京理工职业学院", "en": "Nanjing Polytechnic College"},
                    "city": "南京",
                },
                {
                    "code": "SZ-WATER",
                    "name": {"zh": "苏州市水务集团", "en": "Suzhou Water Group"},
                    "city": "苏州",
                },
            ],
            "projects": [
                {
                    "code": "P2026-HZ-SHW",
                    "name": {"zh": "住院楼太阳能热水系统", "en": "Inpatient building solar hot water"},
                    "buyer": "HZ-HOSP",
                    "site": "杭州市上城区解放路 261 号 住院楼",
                    "city": "杭州",
                    "tender_ref": "ZJCG-2026-0318",
                    "warranty_months": 24,
                    "courses": ["SHW-OM"],
                    "milestones": {
                        "delivery": {"planned": day(-95), "actual": day(-93)},
                        "installation": {"planned": day(-80), "actual": day(-78)},
                        "acceptance": {"planned": day(-62), "actual": day(-60)},
                    },
                    "obligations": obligations("SHW-OM", refresher),
                },
                {
                    "code": "P2026-NJ-REC",
                    "name": {"zh": "录播教室建设项目", "en": "Recording classrooms"},
                    "buyer": "NJ-UNIV",
                    "site": "南京市玄武区孝陵卫 200 号 教学楼 B 座",
                    "city": "南京",
                    "tender_ref": "NJZC-2026-1107",
                    "warranty_months": 36,
                    "courses": ["REC-CLS"],
                    "milestones": {
                        "delivery": {"planned": day(-30), "actual": day(-28)},
                        "installation": {"planned": day(-12), "actual": day(-10)},
                        "acceptance": {"planned": day(-2), "actual": day(-1)},
                    },
                    "obligations": obligations("REC-CLS"),
                },
                {
                    "code": "P2026-SZ-SEC",
                    "name": {"zh": "水厂安防与门禁系统", "en": "Waterworks security and access control"},
                    "buyer": "SZ-WATER",
                    "site": "苏州市吴中区东方大道 88 号 第三水厂",
                    "city": "苏州",
                    "tender_ref": "SZSW-2026-0520",
                    "warranty_months": 24,
                    "courses": ["SEC-AC"],
                    "milestones": {
                        "delivery": {"planned": day(-20), "actual": day(-20)},
                        "installation": {"planned": day(-5), "actual": day(-4)},
                        "acceptance": {"planned": day(3)},
                    },
                    "obligations": obligations("SEC-AC", quarterly),
                },
                {
                    "code": "P2026-SZ-SEC2",
                    "name": {"zh": "二期泵站门禁扩容", "en": "Pumping station access control, phase 2"},
                    "buyer": "SZ-WATER",
                    "site": "苏州市相城区泵站",
                    "city": "苏州",
                    "warranty_months": 12,
                    "courses": ["SEC-AC"],
                    "milestones": {"delivery": {"planned": day(10)}, "installation": {}, "acceptance": {}},
                    "obligations": obligations("SEC-AC"),
                },
                {
                    "code": "P2026-NJ-REC2",
                    "name": {"zh": "附属中学录播教室", "en": "Affiliated high school recording room"},
                    "buyer": "NJ-UNIV",
                    "site": "南京市玄武区附属中学 实验楼",
                    "city": "南京",
                    "warranty_months": 24,
                    "courses": ["REC-CLS"],
                    "milestones": {
                        "delivery": {"planned": day(-25), "actual": day(-22)},
                        "installation": {"planned": day(-15), "actual": day(-6)},
                        "acceptance": {"planned": day(8)},
                    },
                    "obligations": obligations("REC-CLS"),
                },
                {
                    "code": "P2025-HZ-SHW",
                    "name": {"zh": "门诊楼太阳能热水系统", "en": "Outpatient building solar hot water"},
                    "buyer": "HZ-HOSP",
                    "site": "杭州市上城区解放路 261 号 门诊楼",
                    "city": "杭州",
                    "tender_ref": "ZJCG-2025-0901",
                    "warranty_months": 12,
                    "courses": ["SHW-OM"],
                    "milestones": {
                        "delivery": {"planned": day(-230), "actual": day(-228)},
                        "installation": {"planned": day(-215), "actual": day(-214)},
                        "acceptance": {"planned": day(-200), "actual": day(-198)},
                    },
                    "obligations": obligations("SHW-OM", quarterly),
                },
            ],
        }
    )
