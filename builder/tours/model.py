"""The YAML formats of 观摩拉练: content/tours/<编号>.yml (a tour) and
content/tours/<编号>.scores.yml (the judges' scores after it)."""

from __future__ import annotations

import datetime as dt
import re
from typing import Annotated, Literal

from pydantic import BeforeValidator, ConfigDict, Field, WithJsonSchema, model_validator
from pydantic_core import PydanticCustomError

from builder.kernel.model import Coordinate, Id, Slug, Strict, Text, desc

_CLOCK = re.compile(r"^\s*(\d{1,2})\s*[:：]\s*(\d{2})\s*$")


def parse_clock(value) -> int:
    """'8:30' / '08:30' → minutes since midnight (510)."""
    if isinstance(value, bool) or not isinstance(value, (str, int)):
        raise PydanticCustomError("clock", '时间要写成“时:分”，例如 "08:30"')
    if isinstance(value, int):
        # only reached when a caller passes minutes directly (the loader turns
        # YAML 1.1 sexagesimal ints like 8:30 back into their text)
        if 0 <= value < 24 * 60:
            return value
        raise PydanticCustomError("clock", '时间要写成“时:分”，例如 "08:30"')
    m = _CLOCK.match(value)
    if not m:
        raise PydanticCustomError("clock", '时间要写成“时:分”，例如 "08:30"（加英文引号）')
    h, mi = int(m.group(1)), int(m.group(2))
    if h > 23 or mi > 59:
        raise PydanticCustomError("clock", f"“{value.strip()}”不是一天里存在的时刻（时 0–23，分 0–59）")
    return h * 60 + mi


Clock = Annotated[
    int,
    BeforeValidator(parse_clock),
    WithJsonSchema({"type": "string", "pattern": r"^\d{1,2}:\d{2}$", "examples": ["08:00"]}),
]


def fmt_clock(minutes: float) -> str:
    m = round(minutes)
    day, m = divmod(m, 24 * 60)
    text = f"{m // 60:02d}:{m % 60:02d}"
    return text if not day else f"{text}（次日）"


class Point(Coordinate):
    name: Text = desc("地点名称，例如 县委大院")


class StopEntry(Strict):
    """一站：写村的编号；或写 {town: 乡镇} 表示该乡镇全部已命名的示范村。"""

    village: Slug | None = desc("村的编号（content/villages/ 下的文件夹名）", default=None)
    town: str | None = desc("乡镇名：该乡镇全部已命名的示范村都作为观摩点", default=None)
    dwell: int | None = desc("在这一站停留的分钟数（不填则用 dwell）", default=None, ge=1, le=600)
    note: str = desc("这一站的备注（例如 重点看产业基地）", default="")

    @model_validator(mode="before")
    @classmethod
    def _short_form(cls, data):
        if isinstance(data, str):
            return {"village": data}
        return data

    @model_validator(mode="after")
    def _one_of(self):
        if (self.village is None) == (self.town is None):
            raise PydanticCustomError("stop_kind", "每一站要么写 village（村的编号），要么写 town（乡镇），二者选一")
        return self


class LunchPlan(Strict):
    earliest: Clock = desc('午餐最早开始时间，例如 "11:30"')
    latest: Clock = desc('午餐最晚开始时间，例如 "12:30"')
    duration: int = desc("午餐用时（分钟）", default=60, ge=10, le=240)
    place: Point | None = desc("就餐地点（不填则在当时所在的村就餐，不另绕路）", default=None)


class Leg(Strict):
    from_: str = Field(alias="from", description="起点：村的编号，或 start（出发地）、end（返回地）、lunch（就餐地点）")
    to: str = desc("终点：写法同 from")
    km: float | None = desc("实测道路里程（公里）", default=None, gt=0, le=1000)
    minutes: int | None = desc("实测车程（分钟）", default=None, gt=0, le=1000)

    @model_validator(mode="after")
    def _something(self):
        if self.km is None and self.minutes is None:
            raise PydanticCustomError("leg_empty", "实测路段至少要填 km（里程）或 minutes（车程）之一")
        return self


def _stops_schema(schema: dict, model=None) -> None:
    # editors may write a stop as a bare village slug: say so in the JSON Schema
    stops = schema.get("properties", {}).get("stops")
    if stops and "items" in stops:
        stops["items"] = {"anyOf": [{"type": "string", "pattern": r"^[a-z0-9][a-z0-9\-]*$"}, stops["items"]]}


class JudgeGroup(Strict):
    name: Text = desc("评委组名称，例如 县领导组")
    weight: float = desc("权重，例如 0.6（各组权重之和为 1）", gt=0, le=1)
    judges: list[Text] = desc("本组评委姓名", min_length=1)


class Scoring(Strict):
    """计分规则和评分工作簿的样式。"""

    rule: Literal["mean", "trimmed"] = desc(
        "计分规则：mean 取各评委总分的平均分；trimmed 去掉一个最高分和一个最低分后取平均（至少 3 位评委）",
        default="mean",
    )
    judges: list[Text] = desc("评委名单（生成评分工作簿时每位评委一张表）", default_factory=list)
    groups: list[JudgeGroup] = desc("评委分组和权重（可选）：各组分别计分，再按权重加总", default_factory=list)
    workbook: Literal["per-judge", "single"] = desc(
        "评分工作簿：per-judge 每位评委一张工作表；single 全部评委在一张工作表里", default="per-judge"
    )
    share: float = desc("拟命名的比例（用评分工作簿时）：排名前多少（0.5 即前二分之一）", default=0.5, gt=0, le=1)
    publicity_days: int = desc("公示天数（用评分工作簿时）", default=5, ge=1, le=60)


class Tour(Strict):
    """content/tours/<编号>.yml：一次观摩拉练的路线、时间和评分表。"""

    model_config = ConfigDict(**Strict.model_config, json_schema_extra=_stops_schema)

    title: Text = desc("标题，例如 2024年第二季度党建示范村观摩拉练")
    date: dt.date | None = desc("日期", default=None)
    start: Point = desc("出发地点（名称和坐标）")
    end: Point | None = desc("返回地点（不填则回到出发地点）", default=None)
    depart: Clock = desc('出发时间，例如 "08:00"')
    return_by: Clock = desc('最晚返回时间，例如 "18:00"')
    stops: list[StopEntry] = desc("观摩点：村的编号，或 {town: 乡镇}", min_length=1)
    dwell: int = desc("每个观摩点默认停留分钟数（看、听、讲、评）", default=40, ge=1, le=600)
    lunch: LunchPlan | None = desc("午餐安排（不填则不安排午餐）", default=None)
    speed_kmh: float = desc("平均车速（公里/小时），县乡道一般 35–50", default=40, gt=5, le=120)
    circuity: float = desc("道路迂回系数：道路里程 ÷ 直线距离。平原约 1.3，山区约 1.45", default=1.3, ge=1.0, le=3.0)
    legs: list[Leg] = desc("实测路段（可选）：填了就用实测里程/车程代替估算", default_factory=list)
    order: Literal["optimise", "fixed"] = desc(
        "顺序：optimise 由程序排出总用时最短的顺序；fixed 按 stops 写的顺序走", default="optimise"
    )
    framework: Id | None = desc("评分表用的标准体系编号（不填则用 site.yml 中 frameworks 的第一个）", default=None)
    organiser: str = desc("组织单位，例如 中共示例县委组织部", default="")
    notes: str = desc("组织者备注（集合地点、着装、注意事项等）", default="")
    scoring: Scoring = desc("计分规则（不填则取各评委总分的平均分）", default_factory=Scoring)


class SheetRow(Strict):
    judge: Text = desc("评委姓名（必须在 judges 中）")
    stop: Slug = desc("观摩点（村的编号，必须是本次观摩的一站）")
    scores: dict[str, float] = desc("各条目得分：条目编号: 分数")
    note: str = desc("备注", default="")


class ScoresFile(Strict):
    """content/tours/<编号>.scores.yml：观摩后评委的打分，每位评委每个观摩点一行。"""

    judges: list[Text] = desc("评委名单", min_length=1)
    share: float = desc("拟命名的比例：排名前多少（0.5 即前二分之一）", default=0.5, gt=0, le=1)
    publicity_days: int = desc("公示天数", default=5, ge=1, le=60)
    sheets: list[SheetRow] = desc("打分：每位评委每个观摩点一行", default_factory=list)
