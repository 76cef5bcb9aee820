"""The tender's words and what they mean in our obligations: milestones, audiences, curricula, modes and places.

Milestone words that are not one of our milestones (delivery, installation, acceptance) map to None: the parser
reports them instead of guessing. Words we read as one of ours although they say something a little different
carry a note, so the PM sees the reading.
"""

from __future__ import annotations

import re

from lms.i18n import _

# Longest words first, so 竣工验收 wins over 竣工 and 安装调试 over 安装. None: not a milestone of ours.
MILESTONE_WORDS: dict[str, str | None] = {
    "竣工验收": "acceptance",
    "最终验收": "acceptance",
    "交付使用": "acceptance",
    "投入使用": "acceptance",
    "安装调试": "installation",
    "合同签订": None,
    "签订合同": None,
    "合同生效": None,
    "中标通知": None,
    "到达现场": "delivery",
    "终验": "acceptance",
    "初验": None,
    "验收": "acceptance",
    "竣工": "acceptance",
    "运抵": "delivery",
    "到货": "delivery",
    "交货": "delivery",
    "交付": "delivery",
    "安装": "installation",
    "调试": "installation",
}


def milestone_note(word: str) -> str | None:
    """Why a milestone word was read as it was, when the reading is not word for word."""
    if MILESTONE_WORDS.get(word) is None:
        return _("{word!r} is not a milestone of ours (delivery, installation, acceptance); choose the anchor").format(
            word=word
        )
    readings = {
        "交付使用": _("交付使用 (handed over for use) is read as acceptance"),
        "投入使用": _("投入使用 (put into use) is read as acceptance"),
        "竣工": _("竣工 (completion of works) is read as acceptance"),
        "交付": _("交付 (handover of the goods) is read as delivery"),
        "调试": _("调试 (commissioning) is read as installation"),
    }
    return readings.get(word)


MILESTONE = "|".join(map(re.escape, MILESTONE_WORDS))

# What may stand between the milestone word and 后/前: 验收合格后, 安装调试完毕后, 验收合格并交付使用之日起.
MILESTONE_TAIL = r"(?:合格|完成|完毕|结束|成功|并?交付使用|并?投入使用|之?日)*"

# Words that say a fragment is about training (培训费用 and the like are costs, not duties).
TRAINING = re.compile(r"培训(?!费|教材费)|复训|轮训|参训|受训|授课|集训|操作指导|技术指导")
# Words that carry a training duty on into the next sentence.
FOLLOW_UP = re.compile(r"考核|考试|证书|补考|学员|学时|课时|课程|内容包括|培训内容")

AUDIENCE_WORDS: dict[str, str] = {
    "操作人员": "operator",
    "操作员": "operator",
    "操作工": "operator",
    "使用人员": "operator",
    "电工": "electrician",
    "维修人员": "maintenance_technician",
    "维护人员": "maintenance_technician",
    "维保人员": "maintenance_technician",
    "技术人员": "maintenance_technician",
    "管理人员": "manager",
    "工程师": "engineer",
}

# The vendor's own people who give the training (安排工程师, 派技术人员) are not its audience.
# 「安排买方2名工程师」 names the buyer's people: those are the audience.
TRAINER_MENTION = re.compile(r"(?:派遣|派出|委派|安排|派|由)(?P<gap>[^，。；,;]{0,6}?)(?:工程师|技术人员)")
BUYER_SIDE = re.compile(r"买方|采购人|甲方|用户|使用单位")

CURRICULA_WORDS: dict[str, str] = {
    "操作": "operation",
    "使用": "operation",
    "维护": "maintenance",
    "保养": "maintenance",
    "维修": "maintenance",
    "故障": "fault_handling",
    "排障": "fault_handling",
    "应急处理": "fault_handling",
}
# Words that contain a curriculum word but say something else.
CURRICULA_FALSE_FRIENDS = re.compile(r"投入使用|交付使用|使用单位|使用人员|维修人员|维护人员|操作人员|操作员|操作工")

MODE_WORDS: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"线上|在线|网络|远程|视频"), "online"),
    (re.compile(r"集中培训|集中授课|集中学习|集中"), "centralised"),
    (re.compile(r"现场"), "on_site"),
)

PLACE_WORDS: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"培训中心|培训基地|生产厂|制造商|原厂|厂家|工厂|中标人所在地|供应商所在地"), "training_centre"),
    (re.compile(r"采购人现场|用户现场|使用现场|采购人指定|采购人所在地|甲方现场|买方现场|现场"), "buyer_site"),
    (re.compile(r"线上|在线|网络|远程|视频"), "any"),
)

# 不受人员限制 / 人数不限: a duty with no minimum, which is known, not missing.
NO_TRAINEE_LIMIT = re.compile(r"不受人员限制|不受人数限制|人数不限|不限人数|人员不限|名额不限")
ASSESSMENT = re.compile(r"考核|考试|测试|考评|测评")
CERTIFICATE = re.compile(r"证书|合格证|上岗证")
REEXAM = re.compile(r"补考|重新考核|再次考核|复考|重考")
