"""The portal's pages: village, comparison, project, map, index and home pages,
plus the data exports. Each page is Markdown whose body is mostly raw HTML
rendered by precompiled, autoescaping Jinja2 templates, so editor text can
neither inject Markdown nor HTML; front matter is dumped as JSON (valid YAML).

Cost is linear: everything shared by many pages (evaluations, pinyin keys,
the map projection, projects per village) is computed once per build, and a
village page never lists all villages."""

from __future__ import annotations

import datetime as dt
import html
import json
import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable

import jinja2
from markupsafe import Markup

from builder.content import Content, ProjectEntry, VillageEntry
from builder.derive.comparison import evaluate_all, ranking, ranking_rule, shortfall_items
from builder.derive.statistics import counts, town_stats
from builder.model.project import PROJECT_STATUSES
from builder.render import svg
from builder.kernel.build import BuildContext, GeneratedFile, register_producer
from builder.kernel.render.urls import Linker, page_url

TEMPLATES = Path(__file__).parent / "templates"
ENV = jinja2.Environment(
    loader=jinja2.FileSystemLoader(str(TEMPLATES)),
    autoescape=True,
    trim_blocks=True,
    lstrip_blocks=True,
    undefined=jinja2.StrictUndefined,
)
_BLANK = re.compile(r"\n[ \t]*(?=\n)")
WEB_IMAGE = {".jpg", ".jpeg", ".png", ".webp", ".gif", ".svg"}


def num(x: float | None) -> str:
    if x is None:
        return ""
    return f"{x:g}" if abs(x) < 1e6 else f"{x:.0f}"


ENV.globals["num"] = num


def tpl(name: str) -> jinja2.Template:
    return ENV.get_template(name)  # compiled once, cached by the environment


def raw_block(s: str) -> str:
    """A raw HTML block for Markdown: no blank lines inside (they would end it)."""
    return _BLANK.sub("", s).strip("\n")


def safe_title(s: str) -> str:
    """Page title for front matter. Material prints it unescaped in the header
    and through |striptags in <title>; so neither raw nor entity-escaped '<'
    is safe in both places. Angle brackets become full-width look-alikes and
    '&' an entity; village names never legitimately contain them."""
    return s.replace("&", "&amp;").replace("<", "＜").replace(">", "＞")


def meta_text(s: str) -> str:
    """A front-matter value the theme prints inside an attribute without
    escaping (Material's <meta name="description" content="…">): escaped
    here, quotes included, so the text can never leave the attribute."""
    return html.escape(" ".join(s.split()), quote=True)


def page_md(meta: dict, *blocks: str) -> str:
    if "description" in meta:
        meta = {**meta, "description": meta_text(meta["description"])}
    fm = json.dumps(meta, ensure_ascii=True, sort_keys=True)
    return "---\n" + fm + "\n---\n\n" + "\n\n".join(b for b in blocks if b) + "\n"


def pinyin_key(text: str) -> str:
    from pypinyin import lazy_pinyin

    return "".join(lazy_pinyin(text)).lower()


def anchor(text: str, prefix: str) -> str:
    key = re.sub(r"[^a-z0-9]+", "-", pinyin_key(text)).strip("-")
    return f"{prefix}-{key or 'x'}"


ENV.globals["anchor"] = lambda t: anchor(t, "town")


# --- shared state, computed once per build -------------------------------------------

@dataclass
class Card:
    slug: str
    name: str
    town: str
    function: str
    brand: str
    status: str
    status_class: str
    src: str
    key: str


def status_class(status: str) -> str:
    return {"命名": "named", "复核": "named", "撤销": "revoked", "未申报": "none"}.get(status, "pending")


class State:
    def __init__(self, ctx: BuildContext):
        c = ctx.content
        self.ctx = ctx
        self.c = c
        self.du = bool(ctx.options.get("use_directory_urls", True))
        self.sample = c.settings.sample
        self.fws = c.required_frameworks()
        self.evals = evaluate_all(c)
        self.cards: dict[str, Card] = {}
        for slug, v in c.villages.items():
            m = v.model
            self.cards[slug] = Card(slug, m.name, m.town, m.function, m.brand.name, m.status,
                                    status_class(m.status), f"villages/{slug}.md", pinyin_key(m.name) + "\0" + slug)
        self.sort_key = lambda slug: self.cards[slug].key
        self.by_pinyin = sorted(self.cards, key=self.sort_key)
        self.projects_by_village: dict[str, list[ProjectEntry]] = {}
        for p in sorted(c.projects.values(), key=lambda p: (-p.model.year, p.id)):
            self.projects_by_village.setdefault(p.model.village, []).append(p)
        # Map projection over every village and town seat.
        self.town_points = self._town_points()
        pts = [v.wgs84 for v in c.villages.values() if v.wgs84] + [(la, ln) for _, la, ln in self.town_points]
        self.proj = svg.Projection(pts) if pts else None
        base = (ctx.site_url or c.settings.site_url or "").strip()
        self.site_url = base if not base or base.endswith("/") else base + "/"
        self.photos = None
        if "photos" in ctx.shared:
            try:
                from builder.photos.html import picture_html

                self.photos = picture_html
            except ImportError:
                self.photos = None
        self.fallback_assets: dict[str, str] = {}

    def _town_points(self) -> list[tuple[str, float, float]]:
        from builder.kernel.geo import to_wgs84

        out = []
        sums: dict[str, list[float]] = {}
        for v in self.c.villages.values():
            if v.wgs84:
                s = sums.setdefault(v.model.town, [0.0, 0.0, 0])
                s[0] += v.wgs84[0]
                s[1] += v.wgs84[1]
                s[2] += 1
        for t in self.c.towns.values():
            if t.seat:
                try:
                    la, ln = to_wgs84(t.seat.system, t.seat.lat, t.seat.lng)
                except ValueError:
                    continue
                out.append((t.name, la, ln))
            elif t.name in sums:
                s = sums[t.name]
                out.append((t.name, s[0] / s[2], s[1] / s[2]))
        return out

    def linker(self, src: str) -> Linker:
        return Linker(src, self.du)

    # photos ----------------------------------------------------------------
    def photo(self, v: VillageEntry, L: Linker, file: str, alt: str, caption: str, eager: bool = False,
              sizes: str | None = None) -> Markup:
        if self.photos is not None:
            kw = {"sizes": sizes} if sizes else {}
            out = self.photos(self.ctx, v.slug, file, alt=alt, caption=caption, eager=eager, page=L.src, **kw)
            return Markup(out) if out else Markup('<span class="vp-photo-missing">{}</span>').format(caption)
        # Fallback while the photo pipeline is absent: the original file, copied.
        src = v.dir / file
        if Path(file).suffix.lower() not in WEB_IMAGE or not src.is_file():
            return Markup('<span class="vp-photo-missing">{}</span>').format(caption)
        dest = f"assets/photos/{v.slug}/{file.replace('photos/', '', 1)}"
        self.fallback_assets[dest] = str(src)
        from builder.photos.html import lightbox_text

        return Markup('<a class="glightbox" href="{0}" data-description="{2}"><img src="{0}" alt="{1}" loading="lazy"></a>').format(
            L.asset(dest), alt, Markup(lightbox_text(caption)))


def qr_svg(ctx: BuildContext, url: str, title: str) -> str:
    """QR code (segno) of a URL as inline SVG. A fixed mask skips segno's
    best-mask search (3× the cost; any mask scans), and the SVG is cached on
    disk keyed by its inputs, so warm builds do no QR work."""
    import hashlib

    key = hashlib.sha256(f"v1\0{url}\0{title}".encode()).hexdigest()[:32]
    path = Path(ctx.cache_dir) / "qr" / key[:2] / f"{key}.svg"
    try:
        return path.read_text(encoding="utf-8")
    except OSError:
        pass
    import segno

    out = segno.make(url, error="m", mask=0, boost_error=False).svg_inline(
        scale=3, title=title, desc=url, svgclass="vp-qr-svg", omitsize=True, border=2)
    out = out.replace("<svg ", '<svg role="img" ', 1)
    tmp = path.with_suffix(f".{os.getpid()}.tmp")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp.write_text(out, encoding="utf-8")
        os.replace(tmp, path)
    except OSError:
        # a read-only or full cache only costs speed; never leave a partial file
        try:
            tmp.unlink()
        except OSError:
            pass
    return out


def progress_html(p: ProjectEntry) -> Markup:
    pct = project_percent(p)
    return Markup('<progress class="vp-progress" max="100" value="{0:.0f}">{0:.0f}%</progress> {0:.0f}%').format(pct)


def project_percent(p: ProjectEntry) -> float:
    m = p.model
    if m.status in ("已完成", "已验收"):
        return 100.0
    if m.reports:
        return max(m.reports, key=lambda r: r.date).percent
    return 0.0


def milestone_due(ms) -> dt.date:
    if ms.date:
        return ms.date
    y, mo = map(int, ms.month.split("-"))
    nxt = dt.date(y + (mo == 12), mo % 12 + 1, 1)
    return nxt - dt.timedelta(days=1)


def milestone_rows(p: ProjectEntry, today: dt.date) -> list[dict]:
    m = p.model
    closed = m.status in ("已完成", "已验收", "已终止")
    rows = []
    for ms in m.milestones:
        due = milestone_due(ms)
        done = ms.done or m.status in ("已完成", "已验收")
        overdue = (not done) and (not closed) and due < today
        label = ms.date.isoformat() if ms.date else f"{ms.month[:4]}年{int(ms.month[5:])}月"
        rows.append({"what": ms.what, "due": due, "done": done, "overdue": overdue, "label": label,
                     "cls": "vp-done" if done else ("vp-overdue" if overdue else "")})
    rows.sort(key=lambda r: r["due"])
    return rows


# --- pages -------------------------------------------------------------------------

def village_page(st: State, v: VillageEntry) -> GeneratedFile:
    m = v.model
    src = f"villages/{v.slug}.md"
    L = st.linker(src)
    ev = st.evals[v.slug]
    results = list(ev.results.values())

    def photo(file, alt, caption, eager=False, sizes=None):
        return st.photo(v, L, file, alt, caption, eager, sizes)

    radars = []
    for r in results:
        radars.append(Markup(svg.radar(
            f"radar-{r.framework.id}", f"{m.name}{r.framework.label}得分率",
            [it.item.name for it in r.items], [it.ratio for it in r.items],
            "；".join(f"{i}. {it.item.name} {'' if it.ratio is None else f'{it.ratio:.0%}'}"
                     for i, it in enumerate(r.items, 1)))))
    locmap = ""
    if v.wgs84:
        from builder.map.page import village_locator

        locmap = village_locator(st, v)
    url = st.site_url + page_url(src, True) if st.site_url else ""
    qr = ""
    if url:
        qr = Markup(qr_svg(st.ctx, url, f"{m.name}页面二维码"))
    last_event = m.designation.history[-1] if m.designation else None
    logo = (photo(m.brand.logo, f"{m.brand.name}标识", m.brand.name, eager=True, sizes="96px")
            if m.brand.logo else "")
    captions = {g.file: g.caption for g in m.gallery}
    head = tpl("village.html").render(
        m=m, L=L, sample=st.sample, logo=logo, results=results, locmap=locmap, qr=qr, page_url=url,
        last_event=last_event, status_class=status_class(m.status), photo=photo,
        town_anchor=anchor(m.town, "town"), function_anchor=anchor(m.function, "fn"))
    body = tpl("village_body.html").render(
        m=m, L=L, results=results, radars=radars, photo=photo, captions=captions,
        gallery=[g for g in m.gallery if g.file != m.brand.logo],
        projects=st.projects_by_village.get(v.slug, []), progress=progress_html,
        contacts=m.contacts)
    prose = ""
    if v.prose and v.prose.strip():
        prose = "## 村情介绍\n\n" + prose_block(v, lambda f, alt: str(photo(f, alt, captions.get(f) or alt)))
    meta = {"title": safe_title(m.name),
            "description": m.summary or m.brand.slogan or m.name,
            "tags": [html.escape(t) for t in _unique([m.function, *m.tags])],
            "search": {"boost": 2}}
    return GeneratedFile(src, page_md(meta, raw_block(head), prose, raw_block(body)))


def _unique(seq: Iterable[str]) -> list[str]:
    seen = set()
    return [x for x in seq if not (x in seen or seen.add(x))]


def prose_block(v: VillageEntry, picture) -> str:
    """The village's index.md as one raw HTML block: rendered and sanitized
    by builder.prose (the same function check uses), own photos replaced by
    their published derivatives. A blank line would end the raw block, so
    each one becomes a newline character reference: in <pre> it still shows
    as an empty line, elsewhere it is white space."""
    from builder.prose import render_prose

    body = render_prose(v.prose, v.photo_files).with_photos(picture)
    body = re.sub(r"(?<=\n)([ \t]*)\n", r"\1&#10;", body.strip("\n"))
    return f'<div class="vp-page-prose">\n{body}\n</div>'


def compare_pages(st: State) -> Iterable[GeneratedFile]:
    c = st.c
    towns = [t for t in c.towns]
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
            rows.append({"name": card.name, "href": L.page(card.src), "town": card.town, "function": card.function,
                         "cells": cells, "percent": "—" if pct is None else f"{pct:.1f}%",
                         "percent_value": "" if pct is None else pct, "meets": r.meets})
        html_ = tpl("compare_fw.html").render(fw=fw, rule=svg_rule(fw), rows=rows, towns=towns,
                                              functions=c.settings.functions, L=L)
        yield GeneratedFile(src, page_md({"title": f"{fw.name}对比", "search": {"exclude": True},
                                          "hide": ["toc"]}, raw_block(html_)))
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
        rank_rows.append({"rank": rank, "name": card.name, "href": L.page(card.src), "town": card.town,
                          "function": card.function, "met": e.frameworks_met, "percents": percents,
                          "avg": "—" if avg is None else f"{avg:.1f}%", "avg_value": "" if avg is None else avg,
                          "status": card.status})
    html_ = tpl("compare_index.html").render(
        L=L, fws=st.fws, rule=ranking_rule(c), ranking=rank_rows, towns=town_stats(c),
        shortfalls=shortfall_items(c, st.evals), fw_names={f.id: f.name for f in st.fws},
        names={s: st.cards[s].name for s in st.cards}, total=max(1, len(st.cards)),
        functions=c.settings.functions, xuandian=xuandian_section(st, L))
    yield GeneratedFile(src, page_md({"title": "对比与统计", "search": {"exclude": True}}, raw_block(html_)))


def svg_rule(fw) -> str:
    from builder.derive.scores import rule_text

    return rule_text(fw)


def village_lists(st: State) -> Iterable[GeneratedFile]:
    c = st.c
    others = [("按拼音 A–Z", "villages/index.md"), ("按乡镇", "villages/by-town.md"),
              ("按功能定位", "villages/by-function.md"), ("按标签", "tags.md"), ("地图", "map.md")]
    # A–Z
    groups: dict[str, list[Card]] = {}
    for slug in st.by_pinyin:
        card = st.cards[slug]
        letter = card.key[:1].upper()
        if not ("A" <= letter <= "Z"):
            letter = "#"
        groups.setdefault(letter, []).append(card)
    g1 = [{"title": k, "anchor": f"az-{k.lower() if k != '#' else 'other'}", "cards": v, "note": ""}
          for k, v in sorted(groups.items())]
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
    g3 = [{"title": f, "anchor": anchor(f, "fn"), "cards": items, "note": f"{len(items)} 个村"}
          for f, items in byfn.items()]
    specs.append(("villages/by-function.md", "按功能定位浏览", "功能定位是每个村的示范方向。", g3))
    for src, title, intro, groups_ in specs:
        L = st.linker(src)
        html_ = tpl("vlist.html").render(L=L, title=title, intro=intro, groups=groups_,
                                         others=[o for o in others if o[1] != src])
        yield GeneratedFile(src, page_md({"title": title, "search": {"exclude": True}}, raw_block(html_)))


def project_pages(st: State) -> Iterable[GeneratedFile]:
    c = st.c
    today = st.ctx.today
    index_rows = []
    for pid, p in sorted(c.projects.items()):
        m = p.model
        src = f"projects/{pid}.md"
        L = st.linker(src)
        rows = milestone_rows(p, today)
        overdue = [r for r in rows if r["overdue"]]
        gantt = svg.gantt("gantt", f"{m.title}进度图",
                          [(ph.name, ph.start, ph.end) for ph in m.phases],
                          [(r["what"], r["due"], r["done"], r["overdue"]) for r in rows], today,
                          f"{len(m.phases)} 个阶段，{len(rows)} 个节点，{len(overdue)} 个逾期。")
        village = c.villages.get(m.village)
        html_ = tpl("project.html").render(
            p=m, L=L, sample=st.sample, village=village, progress=progress_html(p), overdue=overdue,
            today=today, gantt=Markup(gantt) if gantt else "", milestones=rows)
        tags = [html.escape(m.theme)]
        yield GeneratedFile(src, page_md({"title": safe_title(m.title), "tags": tags,
                                          "description": m.summary or m.title}, raw_block(html_)))
        index_rows.append({"id": pid, "title": m.title, "year": m.year, "theme": m.theme,
                           "village": village.name if village else m.village,
                           "town": village.model.town if village else "（未知乡镇）", "status": m.status,
                           "progress": progress_html(p), "overdue": bool(overdue)})
    src = "projects/index.md"
    L = st.linker(src)

    def group(key, order):
        g: dict[str, list] = {}
        for r in index_rows:
            g.setdefault(str(r[key]), []).append(r)
        ordered = [k for k in order if k in g] + sorted(k for k in g if k not in order)
        return [(k, g[k]) for k in ordered]

    years = sorted({str(r["year"]) for r in index_rows}, reverse=True)
    sections = [("年度", "year", group("year", years)),
                ("类别", "theme", group("theme", c.settings.project_themes)),
                ("乡镇", "town", group("town", list(c.towns))),
                ("状态", "status", group("status", PROJECT_STATUSES))]
    html_ = tpl("projects_index.html").render(L=L, sections=sections, total=len(index_rows),
                                              overdue_count=sum(r["overdue"] for r in index_rows))
    yield GeneratedFile(src, page_md({"title": "书记党建项目", "search": {"exclude": True}}, raw_block(html_)))


def xuandian_section(st: State, L: Linker) -> Markup:
    from builder.map.page import xuandian_section as section

    return section(st, L)


def map_page(st: State) -> GeneratedFile:
    from builder.map.page import map_page as county_map_page

    return county_map_page(st)


def tags_page() -> GeneratedFile:
    return GeneratedFile("tags.md", page_md({"title": "标签", "search": {"exclude": True}},
                                            "按功能定位和品牌主题浏览。\n\n<!-- material/tags -->"))


@register_producer("portal", order=50)
def produce(ctx: BuildContext) -> Iterable[GeneratedFile]:
    st = State(ctx)
    ctx.shared["portal_state"] = st
    for slug in sorted(ctx.content.villages):
        yield village_page(st, ctx.content.villages[slug])
    yield from compare_pages(st)
    yield from village_lists(st)
    yield from project_pages(st)
    yield map_page(st)
    yield tags_page()
    from builder.render.exports import exports

    yield from exports(ctx.content, st.evals)
    for dest, srcpath in sorted(st.fallback_assets.items()):
        yield GeneratedFile(dest, abs_src_path=srcpath)


@register_producer("portal-home", order=90)
def produce_home(ctx: BuildContext) -> Iterable[GeneratedFile]:
    """Runs after every other producer so it can link tour pages."""
    st: State = ctx.shared.get("portal_state") or State(ctx)
    c = ctx.content
    L = st.linker("index.md")
    latest = []
    for slug, v in c.villages.items():
        d = v.model.designation
        if d:
            for e in d.history:
                if e.stage in ("命名", "复核"):
                    latest.append({"date": e.date.isoformat(), "name": v.model.name, "src": f"villages/{slug}.md",
                                   "town": v.model.town, "stage": e.stage, "batch": e.batch, "document": e.document})
    latest.sort(key=lambda d: (d["date"], d["src"]), reverse=True)
    tours = []
    for gf in ctx.shared.get("generated", []):
        if gf.path.startswith("tours/") and gf.path.endswith(".md"):
            tours.append((_title_of(gf) or gf.path, gf.path))
    tours.sort(key=lambda t: (t[1] != "tours/index.md", t[1]))
    html_ = tpl("home.html").render(L=L, sample=st.sample, title=c.settings.title, counts=counts(c),
                                    latest=latest[:10], fws=st.fws, tours=tours[:20])
    yield GeneratedFile("index.md", page_md({"title": "首页", "hide": ["toc"]}, raw_block(html_)))


def _title_of(gf: GeneratedFile) -> str:
    import yaml

    text = gf.content if isinstance(gf.content, str) else ""
    if text.startswith("---"):
        end = text.find("\n---", 3)
        try:
            meta = yaml.safe_load(text[3:end]) if end > 0 else None
        except yaml.YAMLError:
            meta = None
        if isinstance(meta, dict) and meta.get("title"):
            return html.unescape(str(meta["title"]))
    return ""
