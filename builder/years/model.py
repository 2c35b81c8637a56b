"""content/villages/<slug>/assessments/<year>.yml: one year's self-assessment
(the same structure as village.yml's assessments block) and 分类."""

from __future__ import annotations

from builder.kernel.model import Name, Strict, desc
from builder.villages.model import Assessment


class YearAssessments(Strict):
    """content/villages/<编号>/assessments/<年份>.yml：这个村某一年的自评和分类（文件名就是年份，例如 2024.yml）。"""

    category: Name | None = desc(
        "这一年的分类：site.yml categories 之一，例如 先行示范、巩固提升 或 重点攻坚", default=None
    )
    assessments: dict[str, Assessment] = desc(
        "这一年的自评：标准体系编号: {date, assessor, items}，写法与 village.yml 的 assessments 相同",
        default_factory=dict,
    )
