"""The portal's pages across villages: comparisons and ranking, village
lists (A–Z, by town, by 功能定位), the map, tags and the home page, plus the
data exports. Each page is Markdown whose body is raw HTML from autoescaping
Jinja2 templates; front matter is JSON (valid YAML)."""

from __future__ import annotations

import html
from collections.abc import Iterable

from markupsafe import Markup

from builder.frameworks.comparison import ranking, ranking_rule, shortfall_items
from builder.kernel.build import BuildContext, GeneratedFile
from builder.kernel.render import svg
from builder.kernel.render.html import anchor, num, page_md, raw_block
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


def map_page(st: State) -> GeneratedFile:
    c = st.c
    src = "map.md"
    L = st.linker(src)
    fn_style = {
        f: (svg.PALETTE[i % len(svg.PALETTE)], svg.SHAPES[i % len(svg.SHAPES)])
        for i, f in enumerate(c.settings.functions)
    }
    parts = []
    proj = st.proj
    n = len(st.cards)
    if proj:
        w, h = proj.width, proj.height
        # role=group, not img: the map holds a link per village, and an img's
        # children are presentational (axe-core: nested-interactive).
        parts.append(
            f'<svg xmlns="http://www.w3.org/2000/svg" class="vp-svg vp-countymap" viewBox="0 0 {w:.0f} {h:.0f}" '
            f'role="group" aria-labelledby="cmap-t cmap-d">'
            f'<title id="cmap-t">{html.escape(c.settings.county)}示范村分布图</title>'
            f'<desc id="cmap-d">{n} 个村按坐标绘制；颜色和形状表示功能定位，实心为已命名示范村，空心为其他；'
            f"粗线为示范带；灰色方块为乡镇驻地。各村坐标见下表。</desc>"
            f'<rect class="vp-map-frame" x="0.5" y="0.5" width="{w - 1:.0f}" height="{h - 1:.0f}"/>'
        )
        for b in c.settings.belts:
            pts = [st.coords[s] for s in b.villages if s in c.villages and s in st.coords]
            if len(pts) >= 2:
                xy = " ".join(f"{x:.1f},{y:.1f}" for x, y in (proj.xy(*p) for p in pts))
                parts.append(
                    f'<polyline class="vp-map-belt" points="{xy}"><title>{html.escape(b.name)}</title></polyline>'
                )
                x, y = proj.xy(*pts[0])
                parts.append(
                    f'<text class="vp-map-belt-label" x="{x:.1f}" y="{y - 12:.1f}">{html.escape(b.name)}</text>'
                )
        for name, la, ln in st.town_points:
            x, y = proj.xy(la, ln)
            parts.append(
                f'<rect class="vp-map-seat" x="{x - 4:.1f}" y="{y - 4:.1f}" width="8" height="8"/>'
                f'<text class="vp-map-town" x="{x + 7:.1f}" y="{y + 5:.1f}">{html.escape(name)}</text>'
            )
        r = 6 if n <= 100 else (4 if n <= 600 else 2.5)
        for slug in st.by_pinyin:
            v = c.villages[slug]
            if slug not in st.coords:
                continue
            card = st.cards[slug]
            x, y = proj.xy(*st.coords[slug])
            colour, shape = fn_style.get(card.function, ("#555", "circle"))
            fill = colour if v.model.is_designated else "#fff"
            label = (
                f'<text class="vp-map-vname" x="{x + r + 2:.1f}" y="{y + 4:.1f}">{html.escape(card.name)}</text>'
                if n <= 60
                else ""
            )
            parts.append(
                f'<a href="{html.escape(L.page(card.src))}">'
                f"<title>{html.escape(card.name)}（{html.escape(card.function)}，"
                f"{html.escape(card.status)}）</title>{svg.marker(shape, x, y, r, 'vp-map-v', fill)}"
                f'<circle cx="{x:.1f}" cy="{y:.1f}" r="{r + 1:.1f}" fill="none" stroke="{colour}" stroke-width="1.5"/>'
                f"{label}</a>"
            )
        parts.append("</svg>")
    legend = []
    for f, (colour, shape) in fn_style.items():
        sw = (
            f'<svg class="vp-swatch" viewBox="0 0 16 16" width="16" height="16" aria-hidden="true">'
            f"{svg.marker(shape, 8, 8, 5, 'vp-map-v', colour)}</svg>"
        )
        legend.append((f, Markup(sw)))
    legend.append(
        (
            "空心：尚未命名（申报、考察、公示中或未申报）",
            Markup(
                '<svg class="vp-swatch" viewBox="0 0 16 16" width="16" height="16" aria-hidden="true">'
                '<circle cx="8" cy="8" r="5" fill="#fff" stroke="#555" stroke-width="1.5"/></svg>'
            ),
        )
    )
    belts = []
    for b in c.settings.belts:
        belts.append(
            {
                "name": b.name,
                "description": b.description,
                "villages": [(st.cards[s].name, st.cards[s].src) for s in b.villages if s in st.cards],
            }
        )
    rows = []
    for slug in st.by_pinyin:
        v = c.villages[slug]
        card = st.cards[slug]
        rows.append(
            {
                "name": card.name,
                "src": card.src,
                "town": card.town,
                "function": card.function,
                "status": card.status,
                "lat": f"{st.coords[slug][0]:.5f}" if slug in st.coords else "—",
                "lng": f"{st.coords[slug][1]:.5f}" if slug in st.coords else "—",
            }
        )
    html_ = st.tpl("map.html").render(
        L=L,
        svg=Markup("".join(parts)),
        legend=legend,
        belts=belts,
        rows=rows,
        legend_text="颜色和形状表示功能定位；实心为已命名示范村。",
    )
    return GeneratedFile(
        src, page_md({"title": "示范村地图", "search": {"exclude": True}, "hide": ["toc"]}, raw_block(html_))
    )


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
