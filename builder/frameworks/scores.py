"""Evaluate a village's self-assessment against a framework's rule."""

from __future__ import annotations

from dataclasses import dataclass, field

from builder.frameworks.model import Framework, FrameworkItem
from builder.villages.model import Assessment, ItemAssessment


@dataclass
class ItemResult:
    item: FrameworkItem
    level: str | None
    score: float | None
    ratio: float | None  # 0..1 (or more under 积分制): score/max, else from the level's rank
    meets: bool
    evidence: str = ""
    photos: list[str] = field(default_factory=list)


@dataclass
class FrameworkResult:
    framework: Framework
    items: list[ItemResult]
    total: float | None  # sum of scores when every item has one
    meets: bool
    shortfalls: list[ItemResult]
    date: object = None

    @property
    def percent(self) -> float | None:
        if self.total is None:
            ratios = [i.ratio for i in self.items if i.ratio is not None]
            return round(100 * sum(ratios) / len(self.items), 1) if ratios else None
        return round(100 * self.total / self.framework.max_total, 1)

    @property
    def rule_text(self) -> str:
        return rule_text(self.framework)


def level_ratio(level: str | None, levels: list[str]) -> float | None:
    if level is None or level not in levels or len(levels) < 2:
        return None if level not in levels else 1.0
    return 1 - levels.index(level) / (len(levels) - 1)


def rule_text(fw: Framework) -> str:
    r = fw.rule
    parts = []
    if r.min_level:
        parts.append(f"每一条自评等次不低于“{r.min_level}”")
    if r.min_item_score is not None:
        parts.append(f"每一条得分不低于 {r.min_item_score:g} 分")
    if r.min_total_score is not None:
        parts.append(f"总分不低于 {r.min_total_score:g} 分（满分 {fw.max_total:g}）")
    text = "；".join(parts) or "无硬性要求"
    if r.max_below and (r.min_level or r.min_item_score is not None):
        text += f"（允许 {r.max_below} 条未达到）"
    return text


def pass_ratios(fw: Framework, levels: list[str]) -> list[float | None]:
    """Per item, the ratio (as plotted: score ÷ max, or the level's rank when
    only levels are given) from which the item passes the rule, for the pass
    line of a radar chart; None where the rule sets no such threshold.

    - ``min_item_score``: that score over the item's maximum;
    - ``min_level`` in a framework scored by level only: the level's ratio;
    - ``min_total_score`` alone: the share of the total every item would need
      on average (the same ratio on every axis);
    - ``min_level`` in a framework that also gives scores (``both``): items
      pass by their level, which the plotted score ratio does not show, so
      there is no line (the page marks the items that fall short instead)."""
    r = fw.rule
    if r.min_item_score is not None:
        return [min(1.0, r.min_item_score / i.max_score) for i in fw.items]
    if r.min_level and fw.scoring == "level":
        lr = level_ratio(r.min_level, levels)
        return [lr for _ in fw.items]
    if r.min_total_score is not None and fw.max_total > 0:
        return [min(1.0, r.min_total_score / fw.max_total) for _ in fw.items]
    return [None for _ in fw.items]


def evaluate(fw: Framework, assessment: Assessment | None, levels: list[str]) -> FrameworkResult:
    items: list[ItemResult] = []
    given = assessment.items if assessment else {}
    r = fw.rule
    for item in fw.items:
        ia: ItemAssessment | None = given.get(item.id)
        level = ia.level if ia else None
        score = ia.score if ia else None
        ratio = score / item.max_score if score is not None else level_ratio(level, levels)
        ok = ia is not None
        if ok and r.min_level:
            ok = level in levels and r.min_level in levels and levels.index(level) <= levels.index(r.min_level)
        if ok and r.min_item_score is not None:
            ok = score is not None and score >= r.min_item_score
        items.append(
            ItemResult(item, level, score, ratio, ok, ia.evidence if ia else "", list(ia.photos) if ia else [])
        )
    scores = [i.score for i in items if i.score is not None]
    total = sum(scores) if scores and len(scores) == len(items) else None
    shortfalls = [i for i in items if not i.meets]
    meets = assessment is not None and len(shortfalls) <= r.max_below
    if r.min_total_score is not None:
        meets = meets and total is not None and total >= r.min_total_score
    return FrameworkResult(fw, items, total, meets, shortfalls, assessment.date if assessment else None)
