"""Every village's years, evaluated with the frameworks' one rule
(builder.frameworks.scores.evaluate): the derive part other features read
(the village page's 历年自评, the yearly comparison, the annual ranking)."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from builder.content import Content
from builder.frameworks.comparison import VillageEval, evaluate_village
from builder.frameworks.derive import Evaluations
from builder.frameworks.scores import FrameworkResult, ItemResult
from builder.years.load import YearsPart, latest_assessments, village_year


@dataclass
class YearRecord:
    """One year of one village: where it is written, its 分类 and its evaluation."""

    year: int
    category: str | None
    source: str  # the file it is written in, as editors see it
    eval: VillageEval


@dataclass
class ItemChange:
    framework: str  # framework name
    item: str  # item name
    before: str  # "基本达标" / "7 分" / "未填"
    after: str
    delta: float  # change of the item's ratio (score ÷ max, or the level's rank)


@dataclass
class AssessmentHistory:
    """Per village, its years oldest first (village.yml's year and each
    assessments/<year>.yml; a duplicate of village.yml's year left out)."""

    by_village: dict[str, list[YearRecord]] = field(default_factory=dict)

    @property
    def years(self) -> list[int]:
        """Every year any village has, oldest first."""
        return sorted({r.year for recs in self.by_village.values() for r in recs})

    def records(self, slug: str) -> list[YearRecord]:
        return self.by_village.get(slug, [])

    def for_year(self, year: int) -> dict[str, VillageEval]:
        """slug → that year's evaluation (per framework id: FrameworkResult),
        for the villages that have the year."""
        out = {}
        for slug, recs in self.by_village.items():
            for r in recs:
                if r.year == year:
                    out[slug] = r.eval
        return out

    def record(self, slug: str, year: int) -> YearRecord | None:
        return next((r for r in self.records(slug) if r.year == year), None)

    def latest(self, slug: str) -> VillageEval | None:
        """The village's newest year (the current one), None without any year."""
        recs = self.records(slug)
        return recs[-1].eval if recs else None

    def latest_record(self, slug: str) -> YearRecord | None:
        recs = self.records(slug)
        return recs[-1] if recs else None

    def previous(self, slug: str, year: int) -> YearRecord | None:
        """The nearest earlier year the village has (across a gap)."""
        earlier = [r for r in self.records(slug) if r.year < year]
        return earlier[-1] if earlier else None

    def progress(self, year: int | None = None) -> list[tuple[str, YearRecord, YearRecord, float]]:
        """[(slug, previous, this year, change of the average score rate in
        points)] for the villages with the year (None: each village's newest)
        and an earlier one, largest change first (ties by slug)."""
        out = []
        for slug in self.by_village:
            cur = self.record(slug, year) if year is not None else self.latest_record(slug)
            if cur is None:
                continue
            prev = self.previous(slug, cur.year)
            if prev is None:
                continue
            a, b = prev.eval.average_percent, cur.eval.average_percent
            if a is None or b is None:
                continue
            out.append((slug, prev, cur, round(b - a, 1)))
        return sorted(out, key=lambda t: (-t[3], t[0]))

    def categories(self, year: int, town_of: dict[str, str]) -> dict[str, Counter[str]]:
        """town → Counter of 分类 (None: not given) among the villages with the year."""
        out: dict[str, Counter[str]] = {}
        for slug, recs in self.by_village.items():
            for r in recs:
                if r.year == year:
                    out.setdefault(town_of.get(slug, ""), Counter())[r.category or ""] += 1
        return out


def _shown(it: ItemResult) -> str:
    parts = [it.level or ""]
    if it.score is not None:
        parts.append(f"{it.score:g} 分")
    return " · ".join(p for p in parts if p) or "未填"


def item_changes(prev: VillageEval, cur: VillageEval) -> tuple[list[ItemChange], list[ItemChange]]:
    """(improved, fallen) items from one year to the other, per framework in
    order, by the item's ratio (the same one the radar and the score rate use)."""
    up: list[ItemChange] = []
    down: list[ItemChange] = []
    for fid, r in cur.results.items():
        before: FrameworkResult | None = prev.results.get(fid)
        if before is None:
            continue
        old = {i.item.id: i for i in before.items}
        for it in r.items:
            o = old.get(it.item.id)
            if o is None or it.ratio is None or o.ratio is None or abs(it.ratio - o.ratio) < 1e-9:
                continue
            ch = ItemChange(r.framework.name, it.item.name, _shown(o), _shown(it), it.ratio - o.ratio)
            (up if ch.delta > 0 else down).append(ch)
    return up, down


def build_history(content: Content, current: Evaluations | None = None) -> AssessmentHistory:
    """Every year of every village evaluated once; the newest year's
    evaluation is ``current``'s (the frameworks' Evaluations) when given: the
    same assessments, not evaluated twice."""
    part = content.find(YearsPart)
    hist = AssessmentHistory()
    fws = content.required_frameworks()
    for slug, v in content.villages.items():
        files = part.by_village.get(slug, {}) if part is not None else {}
        own = village_year(v)
        newest = latest_assessments(content, v)
        done = current.by_village.get(slug) if current is not None else None

        def evaluated(assessments: dict, slug: str = slug, newest: dict = newest, done=done) -> VillageEval:
            if done is not None and assessments is newest:
                return done
            return evaluate_village(content, assessments, slug, fws)

        recs = [
            YearRecord(y, e.model.category, e.file, evaluated(e.model.assessments))
            for y, e in files.items()
            if y != own
        ]
        if own is not None:
            recs.append(YearRecord(own, v.model.category, v.file, evaluated(v.model.assessments)))
        hist.by_village[slug] = sorted(recs, key=lambda r: r.year)
    return hist
