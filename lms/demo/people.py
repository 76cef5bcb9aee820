"""The demo's people: the vendor's trainers and engineers, and made-up Chinese names and resident ID numbers (with
valid check digits) for buyers' staff."""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何林罗高梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕苏卢蒋蔡贾丁魏薛叶阎"
GIVEN_NAMES = (
    "伟 芳 娜 敏 静 磊 洋 勇 艳 杰 军 涛 明 超 霞 平 刚 桂英 建华 志强 晓东 丽华 海燕 国栋 子涵 浩然 欣怡 宇轩 "
    "梓萱 俊杰 雨桐 文博 思远 嘉怡 明轩 佳琪 晨曦 志明 春梅 秀兰 玉兰 建国 永强 立新"
).split()
REGION_CODES = {"杭州": "330106", "上海": "310104", "南京": "320102", "苏州": "320505", "宁波": "330203"}


@dataclass(frozen=True)
class StaffMember:
    code: str
    name: str
    name_en: str
    kind: str
    title: str
    city: str
    lead: bool = False
    manufacturer: bool = False


STAFF = (
    StaffMember("E001", "陈立峰", "Chen Lifeng", "trainer", "技术负责人 Technical lead", "杭州", lead=True),
    StaffMember("E002", "王海燕", "Wang Haiyan", "trainer", "培训讲师 Trainer", "杭州"),
    StaffMember("E003", "李国栋", "Li Guodong", "engineer", "售后工程师 After-sales engineer", "杭州"),
    StaffMember("E004", "周晓东", "Zhou Xiaodong", "engineer", "售后工程师 After-sales engineer", "上海"),
    StaffMember("E005", "赵子涵", "Zhao Zihan", "trainer", "培训讲师 Trainer", "南京"),
    StaffMember("E006", "孙志强", "Sun Zhiqiang", "engineer", "电气工程师 Electrical engineer", "南京", lead=True),
    StaffMember("E007", "吴佳琪", "Wu Jiaqi", "engineer", "系统工程师 Systems engineer", "上海"),
    StaffMember("E008", "郑明轩", "Zheng Mingxuan", "engineer", "售后工程师 After-sales engineer", "苏州"),
    StaffMember("E009", "刘建华", "Liu Jianhua", "trainer", "培训讲师 Trainer", "宁波"),
    StaffMember(
        "M001",
        "黄思远",
        "Huang Siyuan",
        "engineer",
        "厂家工程师 Manufacturer engineer",
        "上海",
        manufacturer=True,
    ),
)


def id_number(rng: random.Random, city: str) -> str:
    """A well-formed 18-digit resident ID (GB 11643 check digit) for a made-up person."""
    birth = dt.date(1970, 1, 1) + dt.timedelta(days=rng.randrange(0, 365 * 32))
    body = REGION_CODES.get(city, "330106") + birth.strftime("%Y%m%d") + f"{rng.randrange(0, 1000):03d}"
    weights = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
    check = "10X98765432"[sum(int(d) * w for d, w in zip(body, weights, strict=True)) % 11]
    return body + check


def person_name(rng: random.Random, used: set[str]) -> str:
    while True:
        name = rng.choice(SURNAMES) + rng.choice(GIVEN_NAMES)
        if name not in used:
            used.add(name)
            return name
