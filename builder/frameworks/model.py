from __future__ import annotations

import re
from typing import Literal

from builder.kernel.model import Id, Line, Long, Strict, Title, desc


class FrameworkItem(Strict):
    id: Id = desc("条目编号（稳定不变，自评里用它引用），例如 core")
    name: Title = desc("条目名称，例如“村党支部领导核心作用突出”")
    short: str = desc(
        "简称（雷达图的轴名，2–6 个字），例如“核心作用”；不写时取名称的前几个字", default="", max_length=6
    )
    content: Long = desc("测评内容", default="")
    method: Long = desc("测评方法", default="")
    max_score: float = desc("满分", default=10, gt=0)

    @property
    def label(self) -> str:
        """The short name charts use: the given one, else the name when it is
        short, else its first clause (before “、” or “，”) when that is, else
        its first five characters and “…”."""
        if self.short:
            return self.short
        if len(self.name) <= 6:
            return self.name
        first = re.split(r"[、，,；;]", self.name, maxsplit=1)[0]
        return first if 2 <= len(first) <= 6 else self.name[:5] + "…"


class FrameworkRule(Strict):
    """示范村必须达到的要求。可以组合使用，全部满足才算达标。"""

    min_level: str | None = desc("每一条至少达到的等次，例如“达标”", default=None)
    min_item_score: float | None = desc("每一条至少得分", default=None)
    min_total_score: float | None = desc("总分至少", default=None)
    max_below: int = desc("允许有几条未达到 min_level / min_item_score", default=0, ge=0)


class Framework(Strict):
    """content/frameworks/<id>.yml：一套标准体系（如十条标准、十个好）。"""

    id: Id = desc("体系编号，与文件名一致，例如 shitiao")
    name: Title = desc("体系名称，例如“十条标准”")
    short_name: Line = desc("简称（表格表头用）", default="")
    description: Long = desc("说明", default="")
    scoring: Literal["level", "score", "both"] = desc(
        "自评方式：level 只填等次，score 只填得分，both 两者都填", default="level"
    )
    allow_over_max: bool = desc("是否允许得分超过满分（积分制）", default=False)
    rule: FrameworkRule = desc("示范村必须达到的要求", default_factory=lambda: FrameworkRule(min_level="达标"))
    items: list[FrameworkItem] = desc("条目", min_length=1)

    @property
    def label(self) -> str:
        return self.short_name or self.name

    @property
    def max_total(self) -> float:
        return sum(i.max_score for i in self.items)
