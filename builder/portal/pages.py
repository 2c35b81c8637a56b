"""The portal's pages across villages: comparisons and ranking, village
lists (A–Z, by town, by 功能定位), the map, tags and the home page, plus the
data exports. Each page is Markdown whose body is raw HTML from autoescaping
Jinja2 templates; front matter is JSON (valid YAML)."""

from __future__ import annotations

from collections.abc import Iterable

from markupsafe import Markup

from builder.frameworks.comparison import ranking, ranking_rule, shortfall_items
from builder.kernel.build import BuildContext, GeneratedFile
from builder.kernel.render.html import anchor, num, page_md, raw_block
from builder.kernel.render.urls import Linker
from builder.portal.state import Card, State
from builder.towns.statistics import counts, town_stats


def compare_pages(st: State) -> Iterable[GeneratedFile]:
    c = st.c
    towns = list(c.towns)
    for fw in st.fws:
        src = f"compare/{fw.id}.md"
        L = st.linker(src)
        rows = []
        for slug in st.by_pinyin:
            card = st.cards[slug]
            r = st.evals[slug].results[fw.id]
            cells = []
            for it in r.items:
                txt = it.level or ""
                if it.score is not None:
                    txt = (txt + " " if txt else "") + num(it.score)
                mark = "✓" if it.meets else "✗"
                val = "" if it.ratio is None else f"{it.ratio:.3f}"
                cells.append(("vp-c-ok" if it.meets else "vp-c-short", f"{mark} {txt or '未填'}", val))
            pct = r.percent
            rows.append(
                {
                    "name": card.name,
                    "href": L.page(card.src),
                    "town": card.town,
                    "function": card.function,
                    "cells": cells,
                    "percent": "—" if pct is None else f"{pct:.1f}%",
                    "percent_value": "" if pct is None else pct,
                    "meets": r.meets,
                }
            )
        html_ = st.tpl("compare_fw.html").render(
            fw=fw, rule=svg_rule(fw), rows=rows, towns=towns, functions=c.settings.functions, L=L
        )
        yield GeneratedFile(
            src, page_md({"title": f"{fw.name}对比", "search": {"exclude": True}, "hide": ["toc"]}, raw_block(html_))
        )
    # index: ranking, towns, shortfalls
    src = "compare/index.md"
    L = st.linker(src)
    rank_rows = []
    for rank, slug in ranking(c, st.evals, st.sort_key):
        card = st.cards[slug]
        e = st.evals[slug]
        percents = []
        for fw in st.fws:
            p = e.results[fw.id].percent
            percents.append(("—" if p is None else f"{p:.1f}%", "" if p is None else p))
        avg = e.average_percent
        rank_rows.append(
            {
                "rank": rank,
                "name": card.name,
                "href": L.page(card.src),
                "town": card.town,
                "function": card.function,
                "met": e.frameworks_met,
                "percents": percents,
                "avg": "—" if avg is None else f"{avg:.1f}%",
                "avg_value": "" if avg is None else avg,
                "status": card.status,
            }
        )
    html_ = st.tpl("compare_index.html").render(
        L=L,
        fws=st.fws,
        rule=ranking_rule(c),
        ranking=rank_rows,
        towns=town_stats(c),
        shortfalls=shortfall_items(c, st.evals),
        fw_names={f.id: f.name for f in st.fws},
        names={s: st.cards[s].name for s in st.cards},
        total=max(1, len(st.cards)),
        functions=c.settings.functions,
        xuandian=xuandian_section(st, L),
    )
    yield GeneratedFile(src, page_md({"title": "对比与统计", "search": {"exclude": True}}, raw_block(html_)))


def svg_rule(fw) -> str:
    from builder.frameworks.scores import rule_text

    return rule_text(fw)


def village_lists(st: State) -> Iterable[GeneratedFile]:
    c = st.c
    others = [
        ("按拼音 A–Z", "villages/index.md"),
        ("按乡镇", "villages/by-town.md"),
        ("按功能定位", "villages/by-function.md"),
        ("按标签", "tags.md"),
        ("地图", "map.md"),
    ]
    # A–Z
    groups: dict[str, list[Card]] = {}
    for slug in st.by_pinyin:
        card = st.cards[slug]
        letter = card.key[:1].upper()
        if not ("A" <= letter <= "Z"):
            letter = "#"
        groups.setdefault(letter, []).append(card)
    g1 = [
        {"title": k, "anchor": f"az-{k.lower() if k != '#' else 'other'}", "cards": v, "note": ""}
        for k, v in sorted(groups.items())
    ]
    specs = [
        ("villages/index.md", "全部村（按拼音 A–Z）", f"共 {len(st.cards)} 个村，按村名拼音排序。", g1),
    ]
    bytown: dict[str, list[Card]] = {t: [] for t in c.towns}
    for slug in st.by_pinyin:
        bytown.setdefault(st.cards[slug].town, []).append(st.cards[slug])
    stats = {t.name: t for t in town_stats(c)}
    g2 = []
    for t, items in bytown.items():
        s = stats.get(t)
        note = f"{len(items)} 个村" + (f"，示范村 {s.designated} / 行政村 {s.administrative_villages}" if s else "")
        g2.append({"title": t, "anchor": anchor(t, "town"), "cards": items, "note": note})
    specs.append(("villages/by-town.md", "按乡镇浏览", f"{len(c.towns)} 个乡镇。", g2))
    byfn: dict[str, list[Card]] = {f: [] for f in c.settings.functions}
    for slug in st.by_pinyin:
        byfn.setdefault(st.cards[slug].function, []).append(st.cards[slug])
    g3 = [
        {"title": f, "anchor": anchor(f, "fn"), "cards": items, "note": f"{len(items)} 个村"}
        for f, items in byfn.items()
    ]
    specs.append(("villages/by-function.md", "按功能定位浏览", "功能定位是每个村的示范方向。", g3))
    for src, title, intro, groups_ in specs:
        L = st.linker(src)
        html_ = st.tpl("vlist.html").render(
            L=L, title=title, intro=intro, groups=groups_, others=[o for o in others if o[1] != src]
        )
        yield GeneratedFile(src, page_md({"title": title, "search": {"exclude": True}}, raw_block(html_)))


def xuandian_section(st: State, L: Linker) -> Markup:
    from builder.map.page import xuandian_section as section

    return section(st, L)


def map_page(st: State) -> GeneratedFile:
    from builder.map.page import map_page as county_map_page

    return county_map_page(st)


def tags_page() -> GeneratedFile:
    return GeneratedFile(
        "tags.md",
        page_md({"title": "标签", "search": {"exclude": True}}, "按功能定位和品牌主题浏览。\n\n<!-- material/tags -->"),
    )


def produce(ctx: BuildContext) -> Iterable[GeneratedFile]:
    st = ctx.derived.get(State)
    yield from compare_pages(st)
    yield from village_lists(st)
    yield map_page(st)
    yield tags_page()
    from builder.portal.exports import exports

    yield from exports(ctx.content, st.evals, st.coords)
    yield from produce_home(ctx, st)


def produce_home(ctx: BuildContext, st: State) -> Iterable[GeneratedFile]:
    c = ctx.content
    L = st.linker("index.md")
    latest = []
    for slug, v in c.villages.items():
        d = v.model.designation
        if d:
            for e in d.history:
                if e.stage in ("命名", "复核"):
                    latest.append(
                        {
                            "date": e.date.isoformat(),
                            "name": v.model.name,
                            "src": f"villages/{slug}.md",
                            "town": v.model.town,
                            "stage": e.stage,
                            "batch": e.batch,
                            "document": e.document,
                        }
                    )
    latest.sort(key=lambda d: (d["date"], d["src"]), reverse=True)
    from builder.tours.pages import tour_pages

    tours = tour_pages(ctx)
    tours.sort(key=lambda t: (t[1] != "tours/index.md", t[1]))
    html_ = st.tpl("home.html").render(
        L=L,
        sample=st.sample,
        title=c.settings.title,
        counts=counts(c),
        latest=latest[:10],
        fws=st.fws,
        tours=tours[:20],
    )
    yield GeneratedFile("index.md", page_md({"title": "首页", "hide": ["toc"]}, raw_block(html_)))
