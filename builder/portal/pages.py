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
from builder.years.pages import compare_years


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
        years=compare_years(st, L),
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
        flat = src == "villages/index.md"  # A–Z: one grid, the letters jump to their first card
        html_ = st.tpl("vlist.html").render(
            L=L,
            flat=flat,
            title=title,
            intro=intro,
            groups=groups_,
            others=[o for o in others if o[1] != src],
            img=st.card_image,
            **filter_choices(st),
        )
        meta = {"title": title, "search": {"exclude": True}, **({"hide": ["toc"]} if flat else {})}
        yield GeneratedFile(src, page_md(meta, raw_block(html_)))


def filter_choices(st: State) -> dict[str, list[str]]:
    """The options of the cards' filters: towns and 功能定位 in their
    configured order, statuses in the order of the designation stages."""
    from builder.portal.state import STATUS_LABELS

    present = {card.status_label for card in st.cards.values()}
    return {
        "towns": list(st.c.towns),
        "functions": list(st.c.settings.functions),
        "statuses": [s for s in dict.fromkeys(STATUS_LABELS.values()) if s in present],
    }


def xuandian_section(st: State, L: Linker) -> Markup:
    from builder.map.page import xuandian_section as section

    return section(st, L)


def map_page(st: State) -> GeneratedFile:
    from builder.map.page import map_page as county_map_page

    return county_map_page(st)


def tags_page(st: State) -> GeneratedFile:
    """Every tag (a village's 功能定位 and tags, a project's 类别) with its
    villages as cards and its projects as a list, tags and both lists sorted
    by pinyin. The section ids are the ones Material's tag chips link to
    (tags/#tag:<name>)."""
    from builder.kernel.render.html import pinyin_key

    c = st.c
    src = "tags.md"
    L = st.linker(src)
    villages: dict[str, list[Card]] = {}
    for slug in st.by_pinyin:
        v = c.villages[slug]
        for t in dict.fromkeys([v.model.function, *v.model.tags]):
            villages.setdefault(t, []).append(st.cards[slug])
    projects: dict[str, list[dict]] = {}
    for pid, p in c.projects.items():
        village = c.villages.get(p.model.village)
        projects.setdefault(p.model.theme, []).append(
            {
                "src": f"projects/{pid}.md",
                "title": p.model.title,
                "year": p.model.year,
                "village": village.model.name if village else p.model.village,
                "key": pinyin_key(p.model.title) + "\0" + pid,
            }
        )
    for items in projects.values():
        items.sort(key=lambda r: r["key"])
    names = sorted(set(villages) | set(projects), key=lambda t: pinyin_key(t) + "\0" + t)
    tags = [{"name": t, "villages": villages.get(t, []), "projects": projects.get(t, [])} for t in names]
    html_ = st.tpl("tags.html").render(L=L, tags=tags, img=st.card_image, **filter_choices(st))
    return GeneratedFile(src, page_md({"title": "标签", "search": {"exclude": True}}, raw_block(html_)))


def latest_designations(c, limit: int = 8) -> list[dict]:
    """The latest 命名/复核 of each village (each village once), newest first."""
    latest = []
    for slug, v in c.villages.items():
        d = v.model.designation
        if not d or not d.is_designated:  # a revoked village is not shown as newly named
            continue
        e = next((e for e in reversed(d.history) if e.stage in ("命名", "复核")), None)
        if e is None:
            continue
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
    return latest[:limit]


def recent_photos(st: State, L: Linker, limit: int = 8, per_village: int = 2) -> list[dict]:
    """The newest gallery photos by their ``taken`` date (undated ones last),
    at most per_village of each village, as 480 px thumbnails."""
    from builder.photos.html import base_for, lookup, thumb_html

    c = st.c
    found = []
    for slug, v in c.villages.items():
        for i, g in enumerate(v.model.gallery):
            if g.file == v.model.brand.logo:
                continue
            found.append((g.taken.toordinal() if g.taken else 0, st.cards[slug].key, -i, slug, g))
    found.sort(key=lambda t: (-t[0], t[1], -t[2]))
    base = base_for(L.src, st.du)
    out: list[dict] = []
    per: dict[str, int] = {}
    for _, _, _, slug, g in found:
        if per.get(slug, 0) >= per_village:
            continue
        e = lookup(st.derived, slug, g.file)
        if e is None or not e.derivatives:
            continue
        per[slug] = per.get(slug, 0) + 1
        card = st.cards[slug]
        out.append(
            {
                "img": Markup(thumb_html(e, base, alt=g.alt or g.caption)),
                "caption": g.caption,
                "taken": g.taken.isoformat() if g.taken else "",
                "name": card.name,
                "src": card.src,
            }
        )
        if len(out) >= limit:
            break
    return out


def produce_home(ctx: BuildContext, st: State) -> Iterable[GeneratedFile]:
    from builder.map.page import county_svg, map_state
    from builder.photos.cover import SITE
    from builder.photos.html import picture_html
    from builder.portal.featured import featured
    from builder.tours.pages import tour_pages

    c = ctx.content
    L = st.linker("index.md")
    hero = ""
    site_cover = st.covers.site_entry(ctx.derived)
    if site_cover is not None:
        hero = Markup(
            picture_html(
                ctx.derived,
                SITE,
                site_cover.file,
                alt=f"{c.settings.county}风貌",
                caption=c.settings.county,
                eager=True,
                sizes="100vw",
                lightbox=False,
                page=L.src,
            ).replace("<img ", '<img fetchpriority="high" ', 1)
        )
    tours = [t for t in tour_pages(ctx) if t[1].endswith("index.md")]
    tours.sort(key=lambda t: (t[1] != "tours/index.md", t[1]))
    svg_map = Markup(county_svg(st, map_state(st), L))
    html_ = st.tpl("home.html").render(
        L=L,
        sample=st.sample,
        title=c.settings.title,
        county=c.settings.county,
        hero=hero,
        counts=counts(c),
        featured=[st.cards[s] for s in featured(c)],
        img=st.card_image,
        photos=recent_photos(st, L),
        svg_map=svg_map,
        latest=latest_designations(c),
        fws=st.fws,
        tours=tours[:6],
    )
    yield GeneratedFile("index.md", page_md({"title": "首页", "hide": ["toc"]}, raw_block(html_)))
