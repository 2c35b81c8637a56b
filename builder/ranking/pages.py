"""The annual ranking pages: ranking/index.md (the latest year, links to the
others), ranking/<year>.md, its A4 print version ranking/<year>/print.md,
the table as an Excel workbook (builder/ranking/xlsx.py) and as CSV (UTF-8
with a byte-order mark, so WPS and Excel open it as Chinese text), both in
ranking/<year>/."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from functools import partial

from builder.content import Content
from builder.kernel.build import BuildContext, Derived, GeneratedFile
from builder.kernel.deps import ANY, Key, Later, LaterGroup, key
from builder.kernel.render.html import page_md, raw_block
from builder.kernel.render.templates import Templates
from builder.kernel.render.urls import Linker
from builder.ranking.compute import TOURS, YearRanking, rank_year, ranking_years, rule_lines

INDEX = "ranking/index.md"


def year_src(year: int) -> str:
    return f"ranking/{year}.md"


def print_src(year: int) -> str:
    return f"ranking/{year}/print.md"


def csv_path(year: int) -> str:
    return f"ranking/{year}/ranking-{year}.csv"


def xlsx_path(year: int) -> str:
    return f"ranking/{year}/ranking-{year}.xlsx"


def pct(x: float | None) -> str:
    return "—" if x is None else f"{x:.2f}".rstrip("0").rstrip(".") + "%"


def ranking_csv(content: Content, r: YearRanking) -> bytes:
    """The county table as CSV: one row per ranked village, then the villages
    without data, then the rule (so the file explains itself when forwarded)."""
    out = io.StringIO()
    w = csv.writer(out, lineterminator="\r\n")
    w.writerow(
        [
            "全县名次",
            "村",
            "乡镇",
            "乡镇内名次",
            *[f"{label}得分率（%）" for _, label, _ in r.parts],
            "综合得分",
            "拟推荐",
        ]
    )
    for v in r.ranked:
        w.writerow(
            [
                v.rank,
                v.name,
                v.town,
                v.town_rank,
                *["" if v.rates[k] is None else f"{v.rates[k]:g}" for k, _, _ in r.parts],
                f"{v.score:.2f}",
                "拟推荐" if v.recommended else "",
            ]
        )
    for _, name, town in r.unranked:
        w.writerow(["", name, town, "", *["" for _ in r.parts], "", "无当年数据，未参加排名"])
    w.writerow([])
    for line in rule_lines(content):
        w.writerow([line])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def render(
    tpl: Templates, content: Content, r: YearRanking, src: str, years: list[int], du: bool, printed: bool
) -> str:
    L = Linker(src, du)
    rows = [
        {
            "rank": v.rank,
            "town_rank": v.town_rank,
            "name": v.name,
            "href": L.page(f"villages/{v.slug}.md"),
            "town": v.town,
            "rates": [pct(v.rates[k]) for k, _, _ in r.parts],
            "score": f"{v.score:.2f}",
            "recommended": v.recommended,
            "tours": [
                {"title": t.title, "href": L.page(f"tours/{t.tour_id}/results.md"), "rank": t.rank} for t in v.tours
            ],
        }
        for v in r.ranked
    ]
    by_slug = {v.slug: row for v, row in zip(r.ranked, rows, strict=True)}
    towns = [(t, [by_slug[v.slug] for v in vs]) for t, vs in r.towns()]
    tour_links: dict[str, tuple[str, str]] = {}
    for v in r.ranked:
        for t in v.tours:
            tour_links[t.tour_id] = (t.title, L.page(f"tours/{t.tour_id}/results.md"))
    return tpl("ranking.html").render(
        sample=content.settings.sample,
        county=content.settings.county,
        year=r.year,
        parts=[{"label": label, "weight": f"{w:g}", "tours": k == TOURS} for k, label, w in r.parts],
        rows=rows,
        towns=towns,
        unranked=[{"name": n, "town": t, "href": L.page(f"villages/{s}.md")} for s, n, t in r.unranked],
        n=len(rows),
        count=r.count,
        recommended=[row for row in rows if row["recommended"]],
        rule=rule_lines(content),
        years=[{"year": y, "href": L.page(year_src(y)), "current": y == r.year} for y in years],
        print_href=L.page(print_src(r.year)),
        csv_href=L.asset(csv_path(r.year)),
        xlsx_href=L.asset(xlsx_path(r.year)),
        web_href=L.page(year_src(r.year)),
        tour_links=sorted(tour_links.values()),
        printed=printed,
    )


# What the ranking reads (builder/kernel/deps.py): the villages' data
# (assessments, history) and the scored tours (each year's files say which).
READS = frozenset({key("village", ANY, "data"), key("tour")})


def produce_ranking(ctx: BuildContext[Content]) -> Iterable[GeneratedFile]:
    """Every ranking file, made."""
    for item in ranking_files(ctx):
        if isinstance(item, LaterGroup):
            yield from item.make()
        else:
            yield item.make() if isinstance(item, Later) else item


def ranking_deps(c: Content, derived: Derived) -> frozenset[Key]:
    """The villages' data, the tours with results and the tours the rule names."""
    from builder.ranking.compute import scored_tours

    tours = {e.id for e in scored_tours(derived)} | set(c.settings.ranking.only_tours or ())
    return frozenset({key("village", ANY, "data")} | {key("tour", t) for t in tours})


def ranking_files(ctx: BuildContext[Content]) -> Iterable[GeneratedFile | Later | LaterGroup]:
    """The ranking's files, promised per year with what they read; the
    spreadsheets as ``Later`` (a preview writes them after the pages)."""
    c = ctx.content
    du = bool(ctx.options.get("use_directory_urls", True))
    tpl = ctx.derived.get(Templates)
    years = ranking_years(c, ctx.derived)
    deps = ranking_deps(c, ctx.derived)
    if not years:
        body = tpl("ranking_empty.html").render(sample=c.settings.sample, rule=rule_lines(c))
        yield GeneratedFile(INDEX, page_md({"title": "年度排名", "hide": ["toc"]}, raw_block(body)))
        return
    ranked: dict[int, YearRanking] = {}

    def ranking_of(year: int) -> YearRanking:
        if year not in ranked:
            ranked[year] = rank_year(c, ctx.derived, year)
        return ranked[year]

    def year_files(i: int, year: int) -> Iterable[GeneratedFile]:
        r = ranking_of(year)
        title = f"{year}年度示范村综合排名"
        if i == 0:
            yield GeneratedFile(
                INDEX,
                page_md(
                    {"title": "年度排名", "hide": ["toc"], "search": {"exclude": True}},
                    raw_block(render(tpl, c, r, INDEX, years, du, False)),
                ),
            )
        yield GeneratedFile(
            year_src(year),
            page_md({"title": title, "hide": ["toc"]}, raw_block(render(tpl, c, r, year_src(year), years, du, False))),
        )
        yield GeneratedFile(
            print_src(year),
            page_md(
                {"title": f"{title}（打印版）", "hide": ["navigation", "toc"], "search": {"exclude": True}},
                raw_block(render(tpl, c, r, print_src(year), years, du, True)),
            ),
        )
        yield GeneratedFile(csv_path(year), ranking_csv(c, r))

    for i, year in enumerate(years):
        # the newest year's group also makes the index, which lists every year
        yield LaterGroup(
            f"{year}" + ("+index" if i == 0 else ""), deps, partial(lambda i, y: list(year_files(i, y)), i, year)
        )
        yield Later(xlsx_path(year), deps, partial(lambda y: _xlsx(c, ranking_of(y), xlsx_path(y)), year))


def _xlsx(c: Content, r: YearRanking, path: str) -> GeneratedFile:
    # imported here: openpyxl (and numpy through it) would add a fifth of a
    # second to every `check`, which writes no workbook
    from builder.ranking.xlsx import ranking_xlsx

    return GeneratedFile(path, ranking_xlsx(c, r))
