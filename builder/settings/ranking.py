"""site.yml ``ranking:``: the rule of the annual ranking and recommendation
(builder/ranking). Only the shape is checked here; builder.ranking.rules
checks it against the frameworks."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field

from builder.kernel.model import Id, Strict, desc

Weight = Annotated[float, Field(ge=0)]


class RankingRule(Strict):
    """年度综合排名与拟推荐的规则。"""

    frameworks: dict[Id, Weight] | None = desc(
        "标准体系权重：计入排名的标准体系（自评得分率）及权重，例如 {shitiao: 1, shige: 1}；"
        "不填则为 frameworks 里的每个标准体系，权重各为 1",
        default=None,
    )
    tours: float = desc("观摩评分权重：当年观摩拉练评分（得分率）的权重；0 表示观摩评分不计入", default=1, ge=0)
    only_tours: list[Id] | None = desc(
        "计入的观摩：只计入这些观摩（观摩文件名，不带 .yml），例如 [2025-q3-quanxian]；不填则计入当年全部已评分的观摩",
        default=None,
    )
    share: float = desc("拟推荐比例：综合得分排在前面的这一比例（0.5 即前二分之一）", default=0.5, gt=0, le=1)
    missing: Literal["reweight", "zero"] = desc(
        "缺项处理：某一项没有数据的村，reweight 只按有数据的各项、按权重折算（默认）；zero 没有数据的项按 0 分计",
        default="reweight",
    )
