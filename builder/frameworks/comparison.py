"""Comparison of villages across the frameworks: evaluations, ranking,
and which items most villages fall short on. Everything is computed once per
build in O(villages × items)."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from builder.content import Content
from builder.frameworks.model import Framework
from builder.frameworks.scores import FrameworkResult, evaluate
from builder.villages.model import Assessment

RANKING_RULE = (
    "排名规则：先比“达到要求的标准体系个数”（多者在前）；再比各标准体系得分率（得分÷满分，"
    "只填等次的按等次折算：{levels}）的平均值（高者在前）；仍相同的按村名拼音排序。"
)


@dataclass
class VillageEval:
    slug: str
    results: dict[str, FrameworkResult]  # framework id -> result, in settings order

    @property
    def frameworks_met(self) -> int:
        return sum(1 for r in self.results.values() if r.meets)

    @property
    def meets_all(self) -> bool:
        return all(r.meets for r in self.results.values())

    @property
    def average_percent(self) -> float | None:
        ps = [r.percent for r in self.results.values() if r.percent is not None]
        return round(sum(ps) / len(ps), 1) if ps else None

    @property
    def shortfall_count(self) -> int:
        return sum(len(r.shortfalls) for r in self.results.values())


def evaluate_village(content: Content, assessments: dict, slug: str, fws: list | None = None) -> VillageEval:
    """One village's assessments (of one year) against every required framework (``fws``: those, when known)."""
    levels = content.settings.levels
    fws = content.required_frameworks() if fws is None else fws
    res = {fw.id: _evaluate(fw, assessments.get(fw.id), levels) for fw in fws}
    return VillageEval(slug, res)


def _evaluate(fw: Framework, a: Assessment | None, levels: list[str]) -> FrameworkResult:
    """evaluate(), kept per loaded assessment while the preview's memo is on:
    an unchanged village keeps its loaded assessment object (its load result
    is kept), and the frameworks and levels cannot change while the memo
    lives (a change to them rebuilds everything, which empties it)."""
    from builder.kernel.loading import memo

    if a is None or not memo.enabled():
        return evaluate(fw, a, levels)
    # the entry holds the assessment, so its id is not reused while it is kept
    kept = memo.pure(("evaluate", fw.id, id(a), tuple(levels)), lambda: (a, evaluate(fw, a, levels)))
    return kept[1] if kept[0] is a else evaluate(fw, a, levels)


def evaluate_all(content: Content) -> dict[str, VillageEval]:
    """Every village's current year: its newest (village.yml's assessments,
    or a newer assessments/<year>.yml: builder.years)."""
    from builder.years.load import latest_assessments

    return {
        slug: evaluate_village(content, latest_assessments(content, v), slug) for slug, v in content.villages.items()
    }


def ranking_rule(content: Content) -> str:
    lv = content.settings.levels
    n = len(lv)
    parts = []
    for i, name in enumerate(lv):
        ratio = 1 - i / (n - 1) if n > 1 else 1.0
        parts.append(f"{name}={ratio:.0%}")
    return RANKING_RULE.format(levels="、".join(parts))


def ranking(content: Content, evals: dict[str, VillageEval], sort_key) -> list[tuple[int, str]]:
    """[(rank, slug)], ties share a rank (competition ranking 1, 2, 2, 4)."""

    def key(slug: str):
        e = evals[slug]
        avg = e.average_percent
        return (-e.frameworks_met, -(avg if avg is not None else -1.0), sort_key(slug))

    order = sorted(evals, key=key)
    out: list[tuple[int, str]] = []
    prev = None
    rank = 0
    for i, slug in enumerate(order, 1):
        k = key(slug)[:2]
        if k != prev:
            rank = i
            prev = k
        out.append((rank, slug))
    return out


@dataclass
class ItemShortfall:
    framework_id: str
    item_id: str
    item_name: str
    count: int
    villages: list[str]


def shortfall_items(content: Content, evals: dict[str, VillageEval]) -> list[ItemShortfall]:
    """Items villages fall short on, most frequent first (items nobody misses left out)."""
    counts: Counter = Counter()
    who: dict[tuple[str, str], list[str]] = {}
    names: dict[tuple[str, str], str] = {}
    for slug, e in evals.items():
        for fid, r in e.results.items():
            for it in r.shortfalls:
                k = (fid, it.item.id)
                counts[k] += 1
                who.setdefault(k, []).append(slug)
                names[k] = it.item.name
    fw_order = {f: i for i, f in enumerate(content.settings.frameworks)}
    keys = sorted(counts, key=lambda k: (-counts[k], fw_order.get(k[0], 99), k[1]))
    return [ItemShortfall(k[0], k[1], names[k], counts[k], who[k]) for k in keys]
