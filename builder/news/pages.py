"""The news pages: the list (newest first, PER_PAGE a page, grouped by year),
one page per year, one page per item, and the Atom feed."""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import TYPE_CHECKING

from markupsafe import Markup

from builder.kernel.build import GeneratedFile
from builder.kernel.render.html import page_md, raw_block, safe_title
from builder.kernel.render.templates import Templates
from builder.kernel.render.urls import Linker
from builder.news.derive import NewsIndex, NewsItem
from builder.news.feed import FEED_PATH, atom_feed

if TYPE_CHECKING:
    from builder.content import Content
    from builder.kernel.build import BuildContext

PER_PAGE = 20
TITLE = "党建动态"


def list_src(page: int) -> str:
    return "news/index.md" if page == 1 else f"news/page/{page}.md"


def year_src(year: int) -> str:
    return f"news/year/{year}.md"


def _groups(items: list[NewsItem]) -> list[tuple[int, list[NewsItem]]]:
    out: list[tuple[int, list[NewsItem]]] = []
    for it in items:
        if not out or out[-1][0] != it.date.year:
            out.append((it.date.year, []))
        out[-1][1].append(it)
    return out


def site_url_of(ctx: BuildContext[Content]) -> str:
    base = (ctx.site_url or ctx.content.settings.site_url or "").strip()
    return base if not base or base.endswith("/") else base + "/"


def news_pages(ctx: BuildContext[Content]) -> Iterable[GeneratedFile]:
    c = ctx.content
    index = ctx.derived.get(NewsIndex)
    tpl = ctx.derived.get(Templates)
    du = bool(ctx.options.get("use_directory_urls", True))
    site_url = site_url_of(ctx)
    feed = bool(site_url)
    sample = c.settings.sample
    items = index.items
    years = index.years()
    pages = max(1, -(-len(items) // PER_PAGE))

    def list_page(src: str, title: str, description: str, **values: object) -> GeneratedFile:
        """A page of the list: all items (paginated) or one year's."""
        L = Linker(src, du)
        body = tpl("news_list.html").render(
            L=L,
            index=index,
            years=years,
            page_src=list_src,
            feed=L.asset(FEED_PATH) if feed else "",
            sample=sample,
            **values,
        )
        meta: dict[str, object] = {
            "title": title,
            "description": description,
            "search": {"exclude": True},
            "hide": ["navigation", "toc"],
        }
        if feed:
            meta["feed"] = FEED_PATH
        return GeneratedFile(src, page_md(meta, raw_block(body)))

    # the list, PER_PAGE items a page -------------------------------------------------------
    for n in range(1, pages + 1):
        yield list_page(
            list_src(n),
            TITLE if n == 1 else f"{TITLE}（第 {n} 页）",
            f"{c.settings.county}各村的党建动态，按日期从新到旧。",
            heading=TITLE,
            lead=f"共 {len(items)} 条，按发布日期从新到旧排列。" if items else "",
            groups=_groups(items[(n - 1) * PER_PAGE : n * PER_PAGE]),
            year=None,
            page=n,
            pages=pages,
        )
    # one page per year -----------------------------------------------------------------
    for y, count in years:
        yield list_page(
            year_src(y),
            f"{y} 年{TITLE}",
            f"{y} 年的党建动态。",
            heading=f"{y} 年{TITLE}",
            lead=f"{y} 年共 {count} 条，按发布日期从新到旧排列。",
            groups=[(y, [it for it in items if it.date.year == y])],
            year=y,
            page=1,
            pages=1,
        )
    # one page per item -----------------------------------------------------------------
    for i, it in enumerate(items):
        src = it.src
        L = Linker(src, du)
        newer = items[i - 1] if i > 0 else None
        older = items[i + 1] if i + 1 < len(items) else None
        photos = []
        for p in it.photos:
            from builder.photos.html import picture_html

            pic = picture_html(
                ctx.derived,
                p.village.slug,
                p.file,
                alt=p.alt,
                caption=p.caption,
                sizes="(max-width: 600px) 100vw, 33vw",
                page=src,
            )
            if pic:
                photos.append((Markup(pic), p))
        body_html = it.entry.rendered.html.strip()
        body = tpl("news_item.html").render(
            L=L,
            it=it,
            photos=photos,
            body=Markup(_raw_safe(lift_headings(body_html))) if body_html else "",
            newer=newer,
            older=older,
            year_src=year_src,
            sample=sample,
        )
        meta = {
            "title": safe_title(it.title),
            "description": it.summary or it.title,
        }
        yield GeneratedFile(src, page_md(meta, raw_block(body)))
    # the feed -------------------------------------------------------------------------
    if feed:
        yield GeneratedFile(
            FEED_PATH,
            atom_feed(
                items,
                site_url=site_url,
                title=f"{c.settings.title} · {TITLE}",
                author=c.settings.sponsor or c.settings.county,
                directory_urls=du,
                updated=ctx.today,
            ),
        )


_HEADING = re.compile(r"<(/?)h([3-6])(?=[\s>])")


def lift_headings(body: str) -> str:
    """The prose pipeline puts an editor's "#"/"##" at <h3> (under a village
    page's 村情介绍); on a news page the body sits right under the <h1>, so every
    heading moves one level up again (h3 → h2 …). The HTML is nh3's normalised
    output (tags lower case, text escaped), so a tag pattern reads it reliably."""
    return _HEADING.sub(lambda m: f"<{m.group(1)}h{int(m.group(2)) - 1}", body)


def _raw_safe(body: str) -> str:
    """The sanitized body inside a raw HTML block: a blank line would end the
    block, so each one becomes a newline character reference (as the village
    prose does, builder/villages/pages.py prose_block)."""
    return re.sub(r"(?<=\n)([ \t]*)\n", r"\1&#10;", body.strip("\n"))
