from __future__ import annotations

import datetime as dt
from typing import Literal

from builder.kernel.model import Line, Long, Name, Paragraph, Sentence, Slug, Strict, Title, desc

PROJECT_STATUSES = ["谋划中", "实施中", "已完成", "已验收", "已终止"]


class Goal(Strict):
    what: Sentence = desc("目标内容，例如 马铃薯种植面积")
    quantity: float | None = desc("目标数量，例如 1700", default=None)
    unit: Line = desc("单位，例如 亩、户、人", default="")
    achieved: float | None = desc("实际完成数量", default=None)


class Milestone(Strict):
    month: str | None = desc("月份，写成 2022-02（与 date 二选一）", default=None, pattern=r"^\d{4}-(0[1-9]|1[0-2])$")
    date: dt.date | None = desc("具体日期（与 month 二选一）", default=None)
    what: Sentence = desc("节点任务，例如 组织合作社主体召开种植动员大会")
    done: bool = desc("是否已完成", default=False)


class Phase(Strict):
    name: Title = desc("阶段名称，例如 调研摸底、项目实施、总结验收")
    start: dt.date = desc("开始日期")
    end: dt.date = desc("结束日期")
    description: Long = desc("说明", default="")


class MonthlyReport(Strict):
    date: dt.date = desc("报告日期")
    progress: Paragraph = desc("进展情况")
    percent: float = desc("完成百分比（0–100）", ge=0, le=100)
    problems: Long = desc("存在问题", default="")


class Acceptance(Strict):
    date: dt.date = desc("验收日期")
    result: Literal["优秀", "良好", "合格", "不合格"] = desc("验收结果：优秀、良好、合格 或 不合格")
    by: Line = desc("验收单位，例如 青山镇党委", default="")
    comment: Long = desc("验收意见", default="")


class Project(Strict):
    """content/projects/<编号>.yml：一个书记党建项目。"""

    title: Title = desc("项目名称，例如 打造千亩黑色全膜马铃薯示范片带")
    village: Slug = desc("所在村的编号（content/villages/ 下的文件夹名）")
    year: int = desc("年度", ge=2000, le=2100)
    secretary: Name = desc("项目负责人（村党支部书记）姓名")
    theme: Name = desc("项目类别（site.yml 的 project_themes 之一）")
    summary: Long = desc("项目简介", default="")
    goals: list[Goal] = desc("目标（尽量写数量和单位）", min_length=1)
    milestones: list[Milestone] = desc("月度进度安排", default_factory=list)
    phases: list[Phase] = desc("实施阶段", default_factory=list)
    status: Literal["谋划中", "实施中", "已完成", "已验收", "已终止"] = desc(
        "状态：谋划中、实施中、已完成、已验收 或 已终止"
    )
    reports: list[MonthlyReport] = desc("月报告", default_factory=list)
    acceptance: Acceptance | None = desc("验收结果", default=None)
