from __future__ import annotations

import datetime as dt
from typing import Literal

from builder.kernel.model import CRS_HELP, Coordinate, FileRef, Line, Long, Name, Sentence, Short, Strict, Title, desc

DESIGNATION_STAGES = ["申报", "考察", "公示", "命名", "复核", "撤销"]
# Stages after which a village counts as a designated 示范村.
DESIGNATED = {"命名", "复核"}


class Location(Coordinate):
    system: str = desc(CRS_HELP)  # required for a village: its coordinates come from many sources
    address: Line = desc("地址（可选），例如 青山镇王家庄村村委会", default="")


class Brand(Strict):
    name: Name = desc("党建品牌名称")
    slogan: Line = desc("品牌口号", default="")
    meaning: Long = desc("品牌内涵", default="")
    logo: FileRef | None = desc("品牌标识图片，例如 photos/logo.png", default=None)


class Highlight(Strict):
    title: Title = desc("看点名称")
    description: Short = desc("看点说明（观摩时看什么）", default="")
    photo: FileRef | None = desc("配图，例如 photos/xxx.jpg", default=None)


class Contact(Strict):
    role: Literal["讲解人", "联系人", "讲解人兼联系人"] = desc("角色：讲解人、联系人 或 讲解人兼联系人")
    name: Name = desc("姓名")
    title: Line = desc("职务，例如 村党支部书记", default="")
    phone: Line = desc("电话", default="")
    phone_public: bool = desc("电话是否公开（false 时电话不会出现在网站上）", default=False)


class Photo(Strict):
    file: FileRef = desc("照片文件，例如 photos/dangqun.jpg")
    caption: Sentence = desc("图片说明（显示在照片下方）")
    alt: Short = desc("替代文字（给读屏软件用；不填则用图片说明）", default="")
    taken: dt.date | None = desc("拍摄日期", default=None)
    standard: str | None = desc("这张照片佐证的标准条目，写法：体系编号.条目编号，例如 shitiao.core", default=None)


class ItemAssessment(Strict):
    level: str | None = desc("等次：达标、基本达标 或 未达标", default=None)
    score: float | None = desc("得分", default=None)
    evidence: Long = desc("佐证说明（做了什么、有什么成效）", default="")
    photos: list[FileRef] = desc("佐证照片，例如 [photos/a.jpg]", default_factory=list)


class Assessment(Strict):
    date: dt.date = desc("自评日期")
    assessor: Line = desc("自评人或单位", default="")
    items: dict[str, ItemAssessment] = desc("逐条自评：条目编号: {level, score, evidence, photos}")


class DesignationEvent(Strict):
    stage: Literal["申报", "考察", "公示", "命名", "复核", "撤销"] = desc("环节：申报、考察、公示、命名、复核 或 撤销")
    date: dt.date = desc("日期")
    issuer: Line = desc("发文或负责单位，例如 中共示例县委组织部", default="")
    document: Line = desc("文号，例如 示组发〔2024〕12号", default="")
    batch: Line = desc("批次，例如 第二批", default="")
    note: Short = desc("备注", default="")


class Designation(Strict):
    history: list[DesignationEvent] = desc("命名记录，按时间顺序", min_length=1)

    @property
    def status(self) -> str:
        return self.history[-1].stage

    @property
    def is_designated(self) -> bool:
        return self.status in DESIGNATED

    def event(self, stage: str) -> DesignationEvent | None:
        for e in reversed(self.history):
            if e.stage == stage:
                return e
        return None


class Village(Strict):
    """content/villages/<编号>/village.yml：一个村的全部结构化信息。"""

    name: Name = desc("村名，例如 王家庄村")
    town: Name = desc("所属乡镇（必须在 content/towns.yml 中）")
    county: Line = desc("所属县（不填则用 site.yml 的 county）", default="")
    summary: Short = desc("一句话简介（用于列表和搜索结果）", default="")
    location: Location = desc("位置坐标")
    function: Name = desc("功能定位（site.yml 的 functions 之一）")
    brand: Brand = desc("党建品牌")
    tags: list[Name] = desc("品牌主题标签，例如 [马铃薯, 红色文化]", default_factory=list)
    highlights: list[Highlight] = desc("看点（观摩时看什么）", default_factory=list)
    contacts: list[Contact] = desc("讲解人和联系人", default_factory=list)
    gallery: list[Photo] = desc("照片", default_factory=list)
    cover: FileRef | None = desc(
        "封面照片：gallery 里的一张，例如 photos/cunrong.jpg（不填则用 gallery 的第一张）", default=None
    )
    assessments: dict[str, Assessment] = desc("自评：标准体系编号: {...}", default_factory=dict)
    category: Name | None = desc(
        "这一年（assessments 自评的那一年）的分类：site.yml categories 之一，例如 先行示范、巩固提升 或 重点攻坚",
        default=None,
    )
    designation: Designation | None = desc("命名记录", default=None)

    @property
    def status(self) -> str:
        return self.designation.status if self.designation else "未申报"

    @property
    def is_designated(self) -> bool:
        return bool(self.designation and self.designation.is_designated)
