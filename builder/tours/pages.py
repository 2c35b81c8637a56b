"""Tour pages: the itinerary (timetable, route map, QR codes, totals, notes),
the printable score sheets, the results with ranking and 公示, the tours
index with a suggested 连点成线 route per town. Raw HTML blocks rendered by
autoescaping Jinja2 templates; front matter as JSON. Not in the navigation:
the index links them (and the home page links the index)."""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from markupsafe import Markup

from builder.content import Content
from builder.kernel.build import BuildContext, GeneratedFile
from builder.kernel.deps import ANY, Later, LaterGroup, key
from builder.kernel.render.html import page_md as _page_md
from builder.kernel.render.html import qr_svg as kernel_qr_svg
from builder.kernel.render.html import raw_block, safe_title
from builder.kernel.render.templates import Templates
from builder.kernel.render.urls import Linker, page_url
from builder.tours.load import Row, TourEntry, TourPlan
from builder.tours.model import fmt_clock
from builder.tours.svgmap import route_svg

TEMPLATES = Path(__file__).parent / "templates"
CSS = Path(__file__).resolve().parents[2] / "docs" / "assets" / "stylesheets" / "tours.css"


@functools.lru_cache(maxsize=1)
def _own_templates() -> Templates:
    """The tour templates alone, for callers without a build (tests, the PDF
    check); a build passes the one environment of every feature."""
    return Templates([TEMPLATES])


METHOD_ZH = {
    "exact": "路线顺序按全天用时（车程 + 等候午餐）最短排定：所有可能的顺序都比较过，是最省时的走法。",
    "heuristic": "路线顺序按全天用时最短排定：观摩点多于 13 个，用近似方法求出，通常与最省时的走法相差无几。",
    "fixed": "路线顺序按观摩文件写定的顺序。",
}


def _plan(entry: TourEntry) -> TourPlan:
    """The plan of a tour that has pages: produce_tours only makes pages for
    tours whose plan is not None (and suggested routes are only kept when planned)."""
    plan = entry.plan
    assert plan is not None, f"tour {entry.id} has no plan"
    return plan


def _stop_slug(row: Row) -> str:
    """The village of a stop row (only start, end and lunch rows have none)."""
    assert row.slug is not None, f"row {row.name} names no village"
    return row.slug


def page_md(meta: dict, body: str) -> str:
    return _page_md(meta, raw_block(body))


def duration(minutes: float) -> str:
    m = round(minutes)
    if m < 60:
        return f"{m} 分钟"
    return f"{m // 60} 小时" + (f" {m % 60} 分钟" if m % 60 else "")


def paragraphs(text: str) -> list[list[str]]:
    paras = [p.strip() for p in re.split(r"\n\s*\n", text or "") if p.strip()]
    return [[ln.strip() for ln in p.split("\n")] for p in paras]


def qr_svg(url: str, name: str) -> Markup:
    """A stop's QR code (the kernel's one QR helper; segno escapes the title)."""
    return Markup(kernel_qr_svg(url, f"{name}：{url}", cls="tour-qr"))


def _urls(ctx_site_url: str, content: Content, du: bool):
    base = (ctx_site_url or content.settings.site_url or "").strip()
    if base and not base.endswith("/"):
        base += "/"
    return base


def itinerary_html(
    entry: TourEntry,
    content: Content,
    src: str,
    du: bool = True,
    site_url: str = "",
    links: list[tuple[str, str]] | None = None,
    show_qr: bool = True,
    tpl: Templates | None = None,
) -> str:
    """The itinerary fragment. show_qr=False for the generated per-town routes
    (web pages to browse; QR codes are for the printed itineraries of real tours
    and cost ~10 ms each to encode)."""
    t, plan = entry.model, _plan(entry)
    L = Linker(src, du)
    base = _urls(site_url, content, du)
    stops = {s.slug: s for s in entry.stops}
    rows = []
    points = []
    coords = plan.coords
    from builder.map.nav import amap_route, baidu_route, nav_links
    from builder.map.svgmap import county_layers

    prev = None
    for r in plan.rows:
        d: dict[str, Any] = {
            "kind": r.kind,
            "number": r.number,
            "name": r.name,
            "href": "",
            "town": "",
            "note": r.note,
            "highlights": [],
            "guides": [],
            "contacts": [],
            "leg": "",
            "measured": r.measured,
            "qr": "",
            "extra": "",
            "nav": [],
            "route": "",
            "route_bd": "",
        }
        key = {"start": "start", "end": "end", "lunch": "lunch"}.get(r.kind, r.slug)
        here = coords.get(key) if key is not None else None
        if here and prev and r.kind != "start" and (r.leg_minutes or r.leg_km):
            d["route"] = amap_route(prev[0], prev[1], here, r.name)
            d["route_bd"] = baidu_route(prev[0], prev[1], here, r.name, content.settings.county)
        if here:
            prev = (here, r.name)
        if r.kind != "start" and (r.leg_minutes or r.leg_km):
            d["leg"] = f"{round(r.leg_minutes)} 分钟 / {r.leg_km:.1f} 公里"
        if r.kind == "start":
            d["time"] = f"{fmt_clock(r.depart)} 出发"
            points.append(
                {"kind": "start", "label": "起", "name": r.name, "lat": coords["start"][0], "lng": coords["start"][1]}
            )
        elif r.kind == "end":
            d["time"] = f"{fmt_clock(r.arrive)} 返回"
            points.append(
                {"kind": "end", "label": "终", "name": r.name, "lat": coords["end"][0], "lng": coords["end"][1]}
            )
        elif r.kind == "lunch":
            d["time"] = f"{fmt_clock(r.arrive)}–{fmt_clock(r.depart)}"
            d["extra"] = f"午餐 {round(r.dwell)} 分钟" + (f"（含等候 {round(r.wait)} 分钟）" if r.wait >= 1 else "")
            if "lunch" in coords:
                points.append(
                    {
                        "kind": "lunch",
                        "label": "餐",
                        "name": r.name,
                        "lat": coords["lunch"][0],
                        "lng": coords["lunch"][1],
                    }
                )
        else:
            slug = _stop_slug(r)
            s = stops[slug]
            m = s.village.model
            vsrc = f"villages/{slug}.md"
            d["href"] = L.page(vsrc)
            d["town"] = m.town
            d["time"] = f"{fmt_clock(r.arrive)}–{fmt_clock(r.depart)}"
            d["highlights"] = [{"title": h.title, "description": h.description} for h in m.highlights]
            d["guides"] = [{"name": c.name, "title": c.title} for c in m.contacts if "讲解人" in c.role]
            d["contacts"] = [
                {
                    "name": c.name + (f"（{c.title}）" if c.title and "讲解人" not in c.role else ""),
                    "phone": c.phone if c.phone_public else "",
                }
                for c in m.contacts
                if "联系人" in c.role
            ]
            url = (base + page_url(vsrc, du)) if base else "/" + page_url(vsrc, du)
            d["qr"] = qr_svg(url, m.name) if show_qr else ""
            d["nav"] = nav_links(coords[slug], m.name, content.settings.county)
            points.append(
                {
                    "kind": "stop",
                    "label": str(r.number),
                    "name": m.name,
                    "lat": coords[slug][0],
                    "lng": coords[slug][1],
                }
            )
        rows.append(d)
    uid = "map-" + re.sub(r"[^a-z0-9\-]", "", entry.id)
    map_note = f"道路里程按直线距离 × 迂回系数 {t.circuity:g} 估算"
    html = (tpl or _own_templates())("itinerary.html").render(
        tid=entry.id,
        sample=content.settings.sample,
        title=t.title,
        date=t.date.isoformat() if t.date else "",
        organiser=t.organiser,
        plan_depart=fmt_clock(plan.depart),
        plan_return=fmt_clock(plan.return_time),
        start_name=t.start.name,
        end_name=(t.end or t.start).name,
        return_by=fmt_clock(plan.return_by),
        links=links or [],
        overrun=round(plan.overrun) if plan.overrun > 0.5 else 0,
        split=[{"name": s.name, "stops": s.stops, "ret": fmt_clock(s.return_time)} for s in plan.split],
        lunch_ok=plan.lunch_ok,
        map_svg=Markup(route_svg(points, uid, f"{t.title} 路线图", underlay=county_layers(content))),
        map_note=map_note,
        n_stops=len(plan.stops),
        total_km=f"{plan.total_km:.1f}",
        travel=duration(plan.travel_minutes),
        dwell=duration(plan.dwell_minutes),
        lunch_minutes=round(plan.lunch_minutes),
        wait=round(plan.wait_minutes),
        span=duration(plan.return_time - plan.depart),
        rows=rows,
        notes=paragraphs(t.notes),
        method=METHOD_ZH.get(plan.method, ""),
        show_qr=show_qr,
    )
    return html


def scoresheet_html(
    entry: TourEntry, content: Content, back: str, workbook: str = "", tpl: Templates | None = None
) -> str:
    fw = entry.framework
    assert fw is not None, f"tour {entry.id} has no framework"  # only called for tours with a framework
    stops = {s.slug: s for s in entry.stops}
    sheets = [
        {"number": r.number, "name": r.name, "town": stops[_stop_slug(r)].village.model.town}
        for r in _plan(entry).stops
    ]
    return (tpl or _own_templates())("scoresheet.html").render(
        tid=entry.id,
        sample=content.settings.sample,
        title=entry.title,
        back=back,
        workbook=workbook,
        date=entry.model.date.isoformat() if entry.model.date else "",
        fw_name=fw.name,
        fw_max=f"{fw.max_total:g}",
        items=fw.items,
        sheets=sheets,
    )


def results_html(
    entry: TourEntry,
    content: Content,
    src: str,
    du: bool,
    back: str,
    downloads: Sequence[tuple[str, str]] = (),
    tpl: Templates | None = None,
) -> str:
    res = entry.scores.results
    L = Linker(src, du)
    villages = [
        {
            "rank": v.rank,
            "name": v.name,
            "town": v.town,
            "href": L.page(f"villages/{v.slug}.md"),
            "judge_totals": {j: f"{x:.2f}" for j, x in v.judge_totals.items()},
            "total": f"{v.total:.2f}",
            "proposed": v.proposed,
            "dropped": {j: why for j, _, why in v.discarded},
            "discarded": [(j, f"{x:.2f}", why) for j, x, why in v.discarded],
            "groups": {g: f"{x:.2f}" for g, x in v.group_scores.items()},
            "avgs": {k: ("" if x is None else f"{x:.2f}".rstrip("0").rstrip(".")) for k, x in v.item_avgs.items()},
        }
        for v in res.villages
    ]
    names = {s.slug: s.name for s in entry.stops}
    share = res.share
    share_text = "二分之一" if abs(share - 0.5) < 1e-9 else f"{share * 100:g}%"
    date = entry.model.date
    return (tpl or _own_templates())("results.html").render(
        tid=entry.id,
        sample=content.settings.sample,
        title=entry.title,
        back=back,
        fw_name=res.framework.name,
        fw_max=f"{res.framework.max_total:g}",
        share_text=share_text,
        n=len(res.villages),
        count=res.proposed_count,
        judges=res.judges,
        rule_text=res.rule_text,
        trimmed=res.rule == "trimmed",
        groups=[g for g, _, _ in res.groups],
        downloads=list(downloads),
        missing=[(j, names.get(s, s)) for j, s in res.missing],
        villages=villages,
        items=res.framework.items,
        proposed=[v for v in villages if v["proposed"]],
        date_text=f"{date.year}年{date.month}月{date.day}日" if date else "",
        days=res.publicity_days,
        organiser=entry.model.organiser,
    )


def standalone_html(fragment: str, title: str, css: str | None = None) -> str:
    """A complete HTML document around a page fragment with the print CSS
    inlined: what a browser prints when the page is opened outside the site."""
    from html import escape

    css = CSS.read_text(encoding="utf-8") if css is None else css
    return (
        '<!doctype html>\n<html lang="zh-CN"><head><meta charset="utf-8">'
        f"<title>{escape(title)}</title><style>{css}</style></head>"
        f'<body class="tour-standalone"><main class="md-content"><article class="md-typeset">'
        f"{fragment}</article></main></body></html>\n"
    )


def _has_results(e: TourEntry) -> bool:
    return bool(e.scores is not None and e.scores.results is not None and e.scores.results.villages)


def tour_pages(ctx: BuildContext[Content]) -> list[tuple[str, str]]:
    """(title, source path) of every page produce_tours writes (the home page lists them)."""
    from html import unescape

    from builder.tours.feature import ToursPart

    part = ctx.derived.get(ToursPart)
    tours = {k: v for k, v in part.tours.items() if v.plan is not None}

    def title(t: str) -> str:
        return unescape(safe_title(t))

    out = [("观摩拉练", "tours/index.md")]
    for tid, e in tours.items():
        out.append((title(e.title), f"tours/{tid}/index.md"))
        if e.framework is not None:
            out.append((title(e.title + " · 评分表"), f"tours/{tid}/scoresheet.md"))
        if _has_results(e):
            out.append((title(e.title + " · 评分结果"), f"tours/{tid}/results.md"))
    out += [(title(e.title), f"tours/{e.id}/index.md") for e in part.suggested if e.id not in tours]
    return out


def produce_tours(ctx: BuildContext[Content]) -> Iterable[GeneratedFile]:
    """Every tour file, made."""
    for item in tour_files(ctx):
        if isinstance(item, LaterGroup):
            yield from item.make()
        else:
            yield item.make() if isinstance(item, Later) else item


def _tour_pages(
    ctx: BuildContext[Content], e: TourEntry, du: bool, tpl: Templates, has_results: bool
) -> list[GeneratedFile]:
    """A planned tour's itinerary, score sheet and results pages."""
    c, tid = ctx.content, e.id
    index_src = "tours/index.md"
    src = f"tours/{tid}/index.md"
    sheet_src = f"tours/{tid}/scoresheet.md"
    res_src = f"tours/{tid}/results.md"
    Lp = Linker(src, du)
    links = [("全部观摩", Lp.page(index_src))]
    if e.framework is not None:
        links.append(("评分表（打印）", Lp.page(sheet_src)))
    if has_results:
        links.append(("评分结果", Lp.page(res_src)))
    links.append(("行程（Word）", Lp.asset(f"tours/{tid}/itinerary.docx")))
    body = itinerary_html(e, c, src, du, ctx.site_url, links, tpl=tpl)
    out = [GeneratedFile(src, page_md({"title": safe_title(e.title), "hide": ["navigation", "toc"]}, body))]
    if e.framework is not None:
        out.append(
            GeneratedFile(
                sheet_src,
                page_md(
                    {"title": safe_title(e.title + " · 评分表"), "hide": ["navigation", "toc"]},
                    scoresheet_html(
                        e,
                        c,
                        Linker(sheet_src, du).page(src),
                        Linker(sheet_src, du).asset(f"tours/{tid}/scores.xlsx"),
                        tpl,
                    ),
                ),
            )
        )
    if has_results:
        out.append(
            GeneratedFile(
                res_src,
                page_md(
                    {"title": safe_title(e.title + " · 评分结果"), "hide": ["navigation", "toc"]},
                    results_html(
                        e,
                        c,
                        res_src,
                        du,
                        Linker(res_src, du).page(src),
                        [
                            ("评分结果和公示（Word）", Linker(res_src, du).asset(f"tours/{tid}/results.docx")),
                            ("排名（Excel）", Linker(res_src, du).asset(f"tours/{tid}/results.xlsx")),
                        ],
                        tpl,
                    ),
                ),
            )
        )
    return out


def _suggested_page(ctx: BuildContext[Content], e: TourEntry, du: bool, tpl: Templates) -> GeneratedFile:
    src = f"tours/{e.id}/index.md"
    Lp = Linker(src, du)
    body = itinerary_html(
        e, ctx.content, src, du, ctx.site_url, [("全部观摩", Lp.page("tours/index.md"))], show_qr=False, tpl=tpl
    )
    return GeneratedFile(src, page_md({"title": safe_title(e.title), "hide": ["navigation", "toc"]}, body))


def tour_files(ctx: BuildContext[Content]) -> Iterable[GeneratedFile | Later | LaterGroup]:
    """Each planned tour's pages promised with what they read (the tour, its
    stops' data: builder/kernel/deps.py), each suggested tour's page (the
    villages' data: the stops are chosen among them), then the index."""
    from builder.tours.feature import ToursPart

    c = ctx.content
    du = bool(ctx.options.get("use_directory_urls", True))
    part = ctx.derived.get(ToursPart)
    tpl = ctx.derived.get(Templates)
    tours = {k: v for k, v in part.tours.items() if v.plan is not None}
    suggested = part.suggested
    index_src = "tours/index.md"
    LI = Linker(index_src, du)
    listed, sugg = [], []
    for tid, e in sorted(tours.items(), key=lambda kv: (str(kv[1].model.date or ""), kv[0]), reverse=True):
        src = f"tours/{tid}/index.md"
        sheet_src = f"tours/{tid}/scoresheet.md"
        res_src = f"tours/{tid}/results.md"
        has_results = _has_results(e)
        # the stops' data and text (the itinerary shows their 看点)
        deps = frozenset({key("tour", tid)} | {key("village", st.slug) for st in e.stops})
        yield LaterGroup(tid, deps, functools.partial(_tour_pages, ctx, e, du, tpl, has_results))
        p = _plan(e)
        listed.append(
            {
                "href": LI.page(src),
                "title": e.title,
                "date": e.model.date.isoformat() if e.model.date else "",
                "n": len(p.stops),
                "km": f"{p.total_km:.1f}",
                "ret": fmt_clock(p.return_time),
                "sheet": LI.page(sheet_src) if e.framework else "",
                "results": LI.page(res_src) if has_results else "",
            }
        )
    every_village = frozenset({key("village", ANY, "data")})
    for e in suggested:
        if e.id in tours:  # an organiser's file of the same name wins
            continue
        src = f"tours/{e.id}/index.md"
        deps = every_village | {key("village", st.slug) for st in e.stops}  # chosen among all; its stops' 看点
        yield Later(src, deps, functools.partial(_suggested_page, ctx, e, du, tpl))
        p = _plan(e)
        sugg.append(
            {
                "href": LI.page(src),
                "town": e.suggested_for,
                "names": [r.name for r in p.stops],
                "km": f"{p.total_km:.1f}",
                "span": duration(p.return_time - p.depart),
            }
        )
    index = tpl("index.html").render(
        sample=c.settings.sample, tours=listed, suggested=sugg, guide=LI.page("organisers/index.md")
    )
    yield GeneratedFile(index_src, page_md({"title": "观摩拉练", "hide": ["toc"]}, index))
