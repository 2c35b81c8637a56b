"""A village's page: 党建品牌, 功能定位, 看点, 村情介绍 (its sanitized prose),
命名记录, self-assessment against each framework, photos, projects, contacts."""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from markupsafe import Markup

from builder.content import VillageEntry
from builder.frameworks.model import Framework
from builder.frameworks.scores import FrameworkResult, pass_ratios
from builder.kernel.build import GeneratedFile
from builder.kernel.deps import Key, key
from builder.kernel.render import svg
from builder.kernel.render.html import anchor, page_md, qr_svg, raw_block, safe_title
from builder.kernel.render.urls import page_url
from builder.portal.state import State, status_class, status_label
from builder.projects.pages import progress_html
from builder.years.pages import village_years


def page_deps(st: State, v: VillageEntry, town: Iterable[str]) -> frozenset[Key]:
    """What a village's page and profile read (builder/kernel/deps.py): the
    village itself, the data of the villages of its town (its locator map),
    its projects, the tours that stopped there and the news that name it."""
    from builder.news.derive import NewsIndex
    from builder.tours.feature import ToursPart

    deps = {key("village", v.slug)} | {key("village", w, "data") for w in town}
    deps |= {key("project", p.id) for p in st.projects_by_village.get(v.slug, [])}
    tours = st.derived.find(ToursPart)
    if tours is not None:
        deps |= {key("tour", tid) for tid, e in tours.tours.items() if any(s.slug == v.slug for s in e.stops)}
    news = st.derived.find(NewsIndex)
    if news is not None:
        deps |= {key("news", it.slug) for it in news.of_village(v.slug)}
    return frozenset(deps)


def village_radars(st: State, v: VillageEntry) -> list[Radar]:
    """One radar chart per framework result of the village (page and profile show the same)."""
    return [radar_of(st, v.model.name, r) for r in st.evals[v.slug].results.values()]


def village_page(st: State, v: VillageEntry, radars: list[Radar] | None = None) -> GeneratedFile:
    m = v.model
    src = f"villages/{v.slug}.md"
    L = st.linker(src)
    ev = st.evals[v.slug]
    results = list(ev.results.values())

    def photo(file, alt, caption, eager=False, sizes=None):
        return st.photo(v, L, file, alt, caption, eager, sizes)

    if radars is None:
        radars = village_radars(st, v)
    from builder.map.page import village_locator

    locmap = village_locator(st, v)  # its town and neighbours only: the page must not grow with the county
    url = st.site_url + page_url(src, True) if st.site_url else ""
    qr = ""
    if url:
        qr = Markup(qr_svg(url, f"{m.name}页面二维码", cache_dir=st.cache_dir))
    last_event = m.designation.history[-1] if m.designation else None
    logo = photo(m.brand.logo, f"{m.brand.name}标识", m.brand.name, eager=True, sizes="96px") if m.brand.logo else ""
    captions = {g.file: g.caption for g in m.gallery}
    cover_file = st.covers.file(v.slug)  # builder.photos.cover: the one answer to "the cover of this village"
    cover = (
        photo(
            cover_file, captions.get(cover_file) or f"{m.name}封面照片", captions.get(cover_file, m.name), True, "100vw"
        )
        if cover_file and st.cards[v.slug].cover is not None
        else ""
    )
    head = st.tpl("village.html").render(
        cover=cover,
        status_label=status_label(m.status),
        tags=_unique([m.function, *m.tags]),
        m=m,
        L=L,
        sample=st.sample,
        logo=logo,
        results=results,
        locmap=locmap,
        qr=qr,
        page_url=url,
        last_event=last_event,
        status_class=status_class(m.status),
        photo=photo,
        town_anchor=anchor(m.town, "town"),
        function_anchor=anchor(m.function, "fn"),
    )
    prose = ""
    if v.prose and v.prose.strip():
        prose = Markup(prose_block(v, lambda f, alt: str(photo(f, alt, captions.get(f) or alt))))
    gallery = [g for g in m.gallery if g.file != m.brand.logo]
    body = st.tpl("village_body.html").render(
        m=m,
        L=L,
        slug=v.slug,
        tabs=village_tabs(v, bool(prose), bool(gallery)),
        prose=prose,
        results=results,
        radars=radars,
        photo=photo,
        captions=captions,
        gallery=gallery,
        projects=st.projects_by_village.get(v.slug, []),
        progress=progress_html,
        contacts=m.contacts,
        years=village_years(st, v),
    )
    meta = {
        "title": safe_title(m.name),
        "description": m.summary or m.brand.slogan or m.name,
        "tags": [html.escape(t) for t in _unique([m.function, *m.tags])],
        "search": {"boost": 2},
        "hide": ["tags"],  # the header links the tags itself (village.html)
    }
    return GeneratedFile(src, page_md(meta, raw_block(head), raw_block(body)))


PROFILE_HIGHLIGHTS = 6  # at most this many 看点 on the one-page profile


def village_profile(st: State, v: VillageEntry, radars: list[Radar] | None = None) -> GeneratedFile:
    """villages/<slug>/profile/: one A4 page (cover photo, brand, 功能定位, town,
    status, key figures, each framework's result, 看点, QR code of the village
    page) for a 宣传栏, a 展板 or a visitor's folder."""
    from builder.photos.html import picture_html

    m = v.model
    src = f"villages/{v.slug}/profile.md"
    L = st.linker(src)
    results = list(st.evals[v.slug].results.values())
    cover = ""
    from builder.photos.cover import Covers

    file = st.derived.get(Covers).file(v.slug)  # the one cover (village.yml's cover:, or the first photo)
    g = next((g for g in m.gallery if g.file == file), None)
    if file and g is not None:
        cover = Markup(
            picture_html(
                st.derived,
                v.slug,
                file,
                alt=g.alt or g.caption,
                caption=g.caption,
                eager=True,
                sizes="(max-width: 600px) 100vw, 360px",
                lightbox=False,
                page=src,
            )
        )
    url = st.site_url + page_url(f"villages/{v.slug}.md", True) if st.site_url else ""
    qr = Markup(qr_svg(url, f"{m.name}页面二维码", cache_dir=st.cache_dir)) if url else ""
    body = st.tpl("profile.html").render(
        m=m,
        L=L,
        slug=v.slug,
        sample=st.sample,
        cover=cover,
        results=results,
        radars=village_radars(st, v) if radars is None else radars,
        met=sum(1 for r in results if r.meets),
        projects=st.projects_by_village.get(v.slug, []),
        highlights=m.highlights[:PROFILE_HIGHLIGHTS],
        more_highlights=max(0, len(m.highlights) - PROFILE_HIGHLIGHTS),
        last_event=m.designation.history[-1] if m.designation else None,
        status_class=status_class(m.status),
        qr=qr,
        page_url=url,
        site_title=st.c.settings.title,
    )
    meta = {
        "title": safe_title(f"{m.name} · 一页简介"),
        "description": m.summary or m.brand.slogan or m.name,
        "hide": ["navigation", "toc"],
        "search": {"exclude": True},
    }
    return GeneratedFile(src, page_md(meta, raw_block(body)))


@dataclass(frozen=True)
class Tab:
    id: str  # the panel's h2 id (and the tab's input is tab-<id>)
    label: str


def village_tabs(v: VillageEntry, prose: bool, gallery: bool) -> list[Tab]:
    """The page's panels, in page order; a panel with nothing in it is left out
    (看点 without highlights, 村情 without prose or designation, 照片 without
    photos, 联系人 without contacts). 自评 and 项目 always show."""
    m = v.model
    tabs = []
    if m.highlights:
        tabs.append(Tab("kandian", "看点"))
    if prose or m.designation:
        tabs.append(Tab("cunqing", "村情"))
    tabs.append(Tab("ziping", "自评"))
    if gallery:
        tabs.append(Tab("zhaopian", "照片"))
    tabs.append(Tab("xiangmu", "项目"))
    if m.contacts:
        tabs.append(Tab("lianxi", "联系人"))
    return tabs


@dataclass(frozen=True)
class Radar:
    svg: Markup
    pass_text: str  # what the dashed line is; "" when there is none


def pass_text(fw: Framework, passes: list[float | None]) -> str:
    """The legend's words for a framework's pass line (see pass_ratios)."""
    r = fw.rule
    if any(p is None for p in passes):
        return ""
    if r.min_item_score is not None:
        same = len({i.max_score for i in fw.items}) == 1
        pct = f"（{passes[0]:.0%}）" if same else ""
        return f"虚线为达标线：每条不低于 {r.min_item_score:g} 分{pct}"
    if r.min_level:
        return f"虚线为达标线：每条等次不低于“{r.min_level}”"
    return f"虚线为总分要求折合到每一条：平均 {passes[0]:.0%}"


def radar_of(st: State, name: str, r: FrameworkResult) -> Radar:
    fw = r.framework
    passes = pass_ratios(fw, st.c.settings.levels)
    desc = "；".join(
        f"{i}. {it.item.name} {'未填' if it.ratio is None else f'{it.ratio:.0%}'}{'' if it.meets else '（未达到要求）'}"
        for i, it in enumerate(r.items, 1)
    )
    text = pass_text(fw, passes)
    if text:
        desc += "。" + text
    chart = svg.radar(
        f"radar-{fw.id}",
        f"{name}{fw.label}各条得分率",
        [it.item.label for it in r.items],
        [it.ratio for it in r.items],
        desc,
        passes=passes,
        short=[not it.meets for it in r.items],
    )
    return Radar(Markup(chart), text)


def _unique(seq: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(seq))


def prose_block(v: VillageEntry, picture: Callable[[str, str], str]) -> str:
    """The village's index.md as one raw HTML block: rendered and sanitized
    by builder.villages.prose (the same function check uses), own photos replaced by
    their published derivatives. A blank line would end the raw block, so
    each one becomes a newline character reference: in <pre> it still shows
    as an empty line, elsewhere it is white space."""
    body = v.rendered_prose.with_photos(picture)
    body = re.sub(r"(?<=\n)([ \t]*)\n", r"\1&#10;", body.strip("\n"))
    return f'<div class="vp-page-prose">\n{body}\n</div>'
