"""What the yearly assessments show: the village page's 历年自评 section,
the comparison per year (compare/year-<year>/) with its 进步最大 table, and
the 分类 mix of each town per year on the comparison page."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from markupsafe import Markup

from builder.content import VillageEntry
from builder.frameworks.comparison import ranking
from builder.kernel.build import GeneratedFile
from builder.kernel.render import svg
from builder.kernel.render.html import page_md, raw_block
from builder.kernel.render.urls import Linker
from builder.portal.state import State
from builder.years.history import AssessmentHistory, ItemChange, YearRecord, item_changes

PROGRESS_ROWS = 10  # rows of the 进步最大 table


@dataclass
class YearRow:
    year: int
    framework: str
    percent: str
    meets: bool
    category: str
    first: bool  # the year's first row


@dataclass
class VillageYears:
    rows: list[YearRow]
    chart: Markup
    prev: YearRecord
    cur: YearRecord
    improved: list[ItemChange]
    fallen: list[ItemChange]
    gap: bool  # the previous year is not the year before


def _pct(p: float | None) -> str:
    return "—" if p is None else f"{p:.1f}%"


def village_years(st: State, v: VillageEntry) -> VillageYears | None:
    """The 历年自评 section of a village page; None with one year or none."""
    hist = st.derived.get(AssessmentHistory)
    recs = hist.records(v.slug)
    if len(recs) < 2:
        return None
    rows: list[YearRow] = []
    for r in reversed(recs):  # newest first
        for k, res in enumerate(r.eval.results.values()):
            rows.append(YearRow(r.year, res.framework.name, _pct(res.percent), res.meets, r.category or "", k == 0))
    years = [r.year for r in recs]
    series = []
    for fw in st.fws:
        series.append((fw.name, [r.eval.results[fw.id].percent for r in recs]))
    desc = "；".join(
        f"{name}：" + "，".join(f"{y} 年 {_pct(p)}" for y, p in zip(years, vals, strict=True)) for name, vals in series
    )
    chart = Markup(svg.trend(f"trend-{v.slug}", f"{v.name}历年得分率", desc, years, series))
    prev, cur = recs[-2], recs[-1]
    up, down = item_changes(prev.eval, cur.eval)
    return VillageYears(rows, chart, prev, cur, up, down, cur.year - prev.year > 1)


# --- comparison per year ------------------------------------------------------------


@dataclass
class ProgressRow:
    name: str
    href: str
    town: str
    year: int
    before_year: int
    before: str
    after: str
    delta: str


def progress_rows(st: State, hist: AssessmentHistory, year: int | None, L: Linker) -> list[ProgressRow]:
    """The 进步最大 rows of a year (None: each village's newest year)."""
    out: list[ProgressRow] = []
    for slug, prev, cur, delta in hist.progress(year):
        if delta <= 0 or len(out) >= PROGRESS_ROWS:
            break
        card = st.cards[slug]
        out.append(
            ProgressRow(
                card.name,
                L.page(card.src),
                card.town,
                cur.year,
                prev.year,
                _pct(prev.eval.average_percent),
                _pct(cur.eval.average_percent),
                f"+{delta:.1f}",
            )
        )
    return out


@dataclass
class CategoryMix:
    year: int
    towns: list[tuple[str, list[int], int]]  # town, count per category (configured order), not given


def category_mix(st: State, hist: AssessmentHistory) -> list[CategoryMix]:
    cats = st.c.settings.categories
    town_of = {s: c.town for s, c in st.cards.items()}
    out = []
    for year in reversed(hist.years):
        by_town = hist.categories(year, town_of)
        rows = []
        for town in st.c.towns:
            n = by_town.get(town)
            if n:
                rows.append((town, [n.get(c, 0) for c in cats], sum(v for k, v in n.items() if k not in cats)))
        out.append(CategoryMix(year, rows))
    return out


@dataclass
class CompareYears:
    years: list[int]
    latest: int | None
    progress: list[ProgressRow]
    mix: list[CategoryMix]
    categories: list[str]


def compare_years(st: State, L: Linker) -> CompareYears:
    """The 历年对比 section of compare/index (default: the latest year)."""
    hist = st.derived.get(AssessmentHistory)
    years = hist.years
    latest = years[-1] if years else None
    progress = progress_rows(st, hist, None, L)
    return CompareYears(years, latest, progress, category_mix(st, hist), st.c.settings.categories)


def year_pages(st: State) -> Iterable[GeneratedFile]:
    hist = st.derived.get(AssessmentHistory)
    years = hist.years
    if len(years) < 2:
        return
    mixes = {m.year: m for m in category_mix(st, hist)}
    for year in years:
        src = f"compare/year-{year}.md"
        L = st.linker(src)
        evals = hist.for_year(year)
        rows = []
        for rank, slug in ranking(st.c, evals, st.sort_key):
            card = st.cards[slug]
            e = evals[slug]
            rec = hist.record(slug, year)
            prev = hist.previous(slug, year)
            a = prev.eval.average_percent if prev else None
            b = e.average_percent
            rows.append(
                {
                    "rank": rank,
                    "name": card.name,
                    "href": L.page(card.src),
                    "town": card.town,
                    "category": (rec.category if rec else None) or "—",
                    "cells": [
                        (_pct(e.results[fw.id].percent), e.results[fw.id].meets, e.results[fw.id].percent)
                        for fw in st.fws
                    ],
                    "met": e.frameworks_met,
                    "avg": _pct(b),
                    "avg_value": "" if b is None else b,
                    "change": "—" if a is None or b is None else f"{b - a:+.1f}",
                    "change_value": "" if a is None or b is None else round(b - a, 1),
                }
            )
        html_ = st.tpl("years_compare_page.html").render(
            L=L,
            year=year,
            years=years,
            fws=st.fws,
            rows=rows,
            progress=progress_rows(st, hist, year, L),
            mix=mixes[year],
            categories=st.c.settings.categories,
        )
        meta = {"title": f"{year} 年对比", "search": {"exclude": True}, "hide": ["toc"]}
        yield GeneratedFile(src, page_md(meta, raw_block(html_)))
