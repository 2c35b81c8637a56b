"""The annual ranking: per year, every village's composite score from the
counted parts (self-assessment score rates per framework, the year's tour
results), ranks in the county and in each town, and the top share marked
拟推荐. Pure: reads Content and Derived, writes nothing.

Where the numbers come from is one function each: ``ranking_inputs`` (the
self-assessments of a year) and ``tour_inputs`` (the scored tours of a year),
so the yearly assessment history can replace the current assessments there
without touching the rule."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from builder.content import Content
from builder.frameworks.model import Framework
from builder.kernel.build import Derived
from builder.kernel.render.html import pinyin_key

TOURS = "tours"  # the key of the tour part among the framework ids
CENT = Decimal("0.01")


def round2(x: Decimal | float) -> Decimal:
    """Half-up to two decimals, on decimal digits (as the page shows them)."""
    d = x if isinstance(x, Decimal) else Decimal(repr(float(x)))
    return d.quantize(CENT, rounding=ROUND_HALF_UP)


# -- inputs --------------------------------------------------------------------------


def ranking_inputs(content: Content, derived: Derived, year: int) -> dict[str, dict[str, float]]:
    """{village slug: {framework id: score rate in %}} of the self-assessments
    of ``year``: the yearly history (``years.history.AssessmentHistory``:
    village.yml's year and each ``assessments/<year>.yml``), evaluated by the
    one rule (``frameworks.scores.evaluate``)."""
    counted = {fw.id for fw in counted_frameworks(content)}
    out: dict[str, dict[str, float]] = {}
    for slug, ev in _history(content, derived).for_year(year).items():
        for fid, r in ev.results.items():
            if fid in counted and r.percent is not None:
                out.setdefault(slug, {})[fid] = r.percent
    return out


def _history(content: Content, derived: Derived):
    from builder.years.history import AssessmentHistory

    return derived.get(AssessmentHistory)


@dataclass(frozen=True)
class TourScore:
    tour_id: str
    title: str
    date: str
    rate: float  # the village's total ÷ the framework's maximum, in %
    total: float
    max_total: float
    rank: int


def scored_tours(derived: Derived, only: list[str] | None = None) -> list:
    """The tours with results (a scored tour's page exists), oldest first;
    only: the ids of the tours that count (None: all)."""
    from builder.tours.feature import ToursPart

    part = derived.find(ToursPart)
    if part is None:
        return []
    out = [
        e
        for e in part.tours.values()
        if e.plan is not None
        and e.model.date is not None
        and e.scores is not None
        and e.scores.results is not None
        and e.scores.results.villages
        and (only is None or e.id in only)
    ]
    return sorted(out, key=lambda e: (e.model.date, e.id))


def tour_inputs(derived: Derived, year: int, only: list[str] | None = None) -> dict[str, list[TourScore]]:
    """{village slug: its results on the scored tours dated in ``year``}
    (only: the tours site.yml ``ranking: only_tours`` names, when it does)."""
    out: dict[str, list[TourScore]] = {}
    for e in scored_tours(derived, only):
        if e.model.date.year != year:
            continue
        res = e.scores.results
        mx = res.framework.max_total
        if not mx:
            continue
        for v in res.villages:
            out.setdefault(v.slug, []).append(
                TourScore(
                    e.id, e.title, e.model.date.isoformat(), float(round2(100 * v.total / mx)), v.total, mx, v.rank
                )
            )
    return out


# -- the rule ---------------------------------------------------------------------------


def counted_frameworks(content: Content) -> list[Framework]:
    rule = content.settings.ranking
    ids = list(rule.frameworks) if rule.frameworks is not None else list(content.settings.frameworks)
    return [content.frameworks[f] for f in ids if f in content.frameworks]


def weights(content: Content) -> list[tuple[str, str, float]]:
    """(part key, label, weight) of every counted part with a weight above 0."""
    rule = content.settings.ranking
    out = []
    for fw in counted_frameworks(content):
        w = rule.frameworks[fw.id] if rule.frameworks is not None else 1.0
        if w > 0:
            out.append((fw.id, fw.label or fw.name, float(w)))
    if rule.tours > 0:
        out.append((TOURS, "观摩评分", float(rule.tours)))
    return out


def content_tour_title(content: Content, tour_id: str) -> str:
    """A tour's title as the rule names it (its id when the file is not read)."""
    from builder.tours.load import TourFiles

    files = content.find(TourFiles)
    src = files.tours.get(tour_id) if files is not None else None
    return f"“{src.model.title}”" if src is not None else tour_id


def share_text(share: float) -> str:
    named = {0.5: "二分之一", 1 / 3: "三分之一", 0.25: "四分之一", 0.2: "五分之一", 1.0: "全部"}
    for v, t in named.items():
        if abs(share - v) < 1e-9:
            return t
    return f"{share * 100:g}%"


def recommended_count(n: int, share: float) -> int:
    """How many places the share gives: n × share rounded down, at least 1."""
    return max(1, math.floor(n * share + 1e-9)) if n else 0


def rule_lines(content: Content) -> list[str]:
    """The rule in plain Chinese, one sentence a line (shown on the page, in print and in the CSV)."""
    rule = content.settings.ranking
    parts = weights(content)
    fws = [(label, w) for key, label, w in parts if key != TOURS]
    lines = []
    what = []
    if fws:
        what.append("、".join(f"{label}自评得分率" for label, _ in fws) + "（当年日期的自评，得分 ÷ 满分）")
    if rule.tours > 0 and rule.only_tours is not None:
        names = [content_tour_title(content, t) for t in rule.only_tours]
        what.append(f"观摩拉练评分得分率（只计入{'、'.join(names)}；该村在其中当年各次观摩中的得分 ÷ 满分，取平均）")
    elif rule.tours > 0:
        what.append("当年观摩拉练评分得分率（该村在当年各次已评分观摩中的得分 ÷ 满分，取平均）")
    lines.append("计入排名的项目：" + "；".join(what) + "。")
    same = len({w for _, _, w in parts}) == 1
    if same:
        lines.append("各项权重相同：综合得分 = 各项得分率的平均值（百分制，四舍五入保留两位小数）。")
    else:
        lines.append(
            "综合得分 = 各项得分率按权重加权平均（百分制，四舍五入保留两位小数），权重："
            + "，".join(f"{label} {w:g}" for _, label, w in parts)
            + "。"
        )
    if rule.missing == "reweight":
        lines.append("某一项没有当年数据的村，只按有数据的各项、按其权重折算；各项都没有当年数据的村不参加当年排名。")
    else:
        lines.append("某一项没有当年数据的村，该项按 0 分计；各项都没有当年数据的村不参加当年排名。")
    lines.append(
        "名次按综合得分从高到低排列；综合得分相同的村名次相同，下一个名次顺延（如 1、2、2、4）；"
        "乡镇内名次按同样方法在本乡镇参加排名的村中排列。"
    )
    lines.append(
        f"全县排名前{share_text(rule.share)}（参加排名村数 × {rule.share:g}，向下取整，至少 1 个）的村列为“拟推荐”；"
        "与最后一个拟推荐名额综合得分相同的村一并列为拟推荐。"
    )
    return lines


# -- the ranking -------------------------------------------------------------------------


@dataclass
class Ranked:
    slug: str
    name: str
    town: str
    rates: dict[str, float | None]  # part key → rate in % (None: no data this year)
    score: Decimal
    tours: list[TourScore] = field(default_factory=list)
    rank: int = 0
    town_rank: int = 0
    recommended: bool = False


@dataclass
class YearRanking:
    year: int
    parts: list[tuple[str, str, float]]  # (key, label, weight)
    ranked: list[Ranked]  # best first
    unranked: list[tuple[str, str, str]]  # (slug, name, town) without any data this year
    count: int  # places the share gives
    share: float
    town_order: list[str] = field(default_factory=list)  # towns.yml order

    @property
    def recommended(self) -> list[Ranked]:
        return [r for r in self.ranked if r.recommended]

    def towns(self) -> list[tuple[str, list[Ranked]]]:
        """Each town's ranked villages, in town rank order; towns in towns.yml order, then any other."""
        by: dict[str, list[Ranked]] = {}
        for r in self.ranked:
            by.setdefault(r.town, []).append(r)
        order = {t: i for i, t in enumerate(self.town_order)}
        return sorted(by.items(), key=lambda kv: (order.get(kv[0], len(order)), pinyin_key(kv[0])))


def competition_ranks(scores: list[Decimal]) -> list[int]:
    """1224 ranks of scores sorted best first."""
    out: list[int] = []
    for k, s in enumerate(scores):
        out.append(out[k - 1] if k and s == scores[k - 1] else k + 1)
    return out


def rank_year(content: Content, derived: Derived, year: int) -> YearRanking:
    rule = content.settings.ranking
    parts = weights(content)
    fw_rates = ranking_inputs(content, derived, year)
    tours = tour_inputs(derived, year, rule.only_tours) if rule.tours > 0 else {}
    ranked: list[Ranked] = []
    unranked = []
    for slug, v in content.villages.items():
        m = v.model
        rates: dict[str, float | None] = {}
        for key, _, _ in parts:
            if key == TOURS:
                ts = tours.get(slug)
                rates[key] = float(round2(sum(Decimal(repr(t.rate)) for t in ts) / len(ts))) if ts else None
            else:
                rates[key] = fw_rates.get(slug, {}).get(key)
        if all(r is None for r in rates.values()):
            unranked.append((slug, m.name, m.town))
            continue
        num, den = Decimal(0), Decimal(0)
        for key, _, w in parts:
            rate = rates[key]
            if rate is None and rule.missing == "reweight":
                continue
            num += Decimal(repr(w)) * Decimal(repr(rate or 0.0))
            den += Decimal(repr(w))
        ranked.append(Ranked(slug, m.name, m.town, rates, round2(num / den), tours.get(slug, [])))
    ranked.sort(key=lambda r: (-r.score, pinyin_key(r.name), r.slug))
    for r, k in zip(ranked, competition_ranks([r.score for r in ranked]), strict=True):
        r.rank = k
    town_order = {t: i for i, t in enumerate(content.towns)}
    by_town: dict[str, list[Ranked]] = {}
    for r in ranked:
        by_town.setdefault(r.town, []).append(r)
    for rs in by_town.values():
        for r, k in zip(rs, competition_ranks([r.score for r in rs]), strict=True):
            r.town_rank = k
    count = recommended_count(len(ranked), rule.share)
    if count:
        cut = ranked[count - 1].score
        for r in ranked:
            r.recommended = r.score >= cut
    unranked.sort(key=lambda u: (town_order.get(u[2], len(town_order)), pinyin_key(u[1])))
    return YearRanking(year, parts, ranked, unranked, count, rule.share, list(content.towns))


def ranking_years(content: Content, derived: Derived) -> list[int]:
    """Years with data for a counted part, newest first."""
    rule = content.settings.ranking
    years: set[int] = set()
    weighted = {k for k, _, _ in weights(content)}
    if any(fw.id in weighted for fw in counted_frameworks(content)):
        years.update(_history(content, derived).years)
    if rule.tours > 0:
        years.update(e.model.date.year for e in scored_tours(derived, rule.only_tours))
    return sorted(years, reverse=True)
