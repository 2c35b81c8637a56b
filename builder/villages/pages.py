"""A village's page: 党建品牌, 功能定位, 看点, 村情介绍 (its sanitized prose),
命名记录, self-assessment against each framework, photos, projects, contacts."""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Iterable

from markupsafe import Markup

from builder.content import VillageEntry
from builder.kernel.build import GeneratedFile
from builder.kernel.render import svg
from builder.kernel.render.html import anchor, page_md, qr_svg, raw_block, safe_title
from builder.kernel.render.urls import page_url
from builder.portal.state import State, status_class, status_label
from builder.projects.pages import progress_html


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
        radars.append(
            Markup(
                svg.radar(
                    f"radar-{r.framework.id}",
                    f"{m.name}{r.framework.label}得分率",
                    [it.item.name for it in r.items],
                    [it.ratio for it in r.items],
                    "；".join(
                        f"{i}. {it.item.name} {'' if it.ratio is None else f'{it.ratio:.0%}'}"
                        for i, it in enumerate(r.items, 1)
                    ),
                )
            )
        )
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
    body = st.tpl("village_body.html").render(
        m=m,
        L=L,
        results=results,
        radars=radars,
        photo=photo,
        captions=captions,
        gallery=[g for g in m.gallery if g.file != m.brand.logo],
        projects=st.projects_by_village.get(v.slug, []),
        progress=progress_html,
        contacts=m.contacts,
    )
    prose = ""
    if v.prose and v.prose.strip():
        prose = "## 村情介绍\n\n" + prose_block(v, lambda f, alt: str(photo(f, alt, captions.get(f) or alt)))
    meta = {
        "title": safe_title(m.name),
        "description": m.summary or m.brand.slogan or m.name,
        "tags": [html.escape(t) for t in _unique([m.function, *m.tags])],
        "search": {"boost": 2},
        "hide": ["tags"],  # the header links the tags itself (village.html)
    }
    return GeneratedFile(src, page_md(meta, raw_block(head), prose, raw_block(body)))


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
