"""feed.xml (at the site root): the Atom feed (RFC 4287) of the newest items, made with
feedgen. Every URL is absolute (the site's address from mkdocs.yml's
site_url or site.yml's site_url); without one there is no feed."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from urllib.parse import quote

from builder.kernel.render.urls import page_url
from builder.news.derive import NewsItem

# At the site root: Material fetches "sitemap.xml" beside every <link rel="alternate">
# (for its language selector), and the root is where sitemap.xml is.
FEED_PATH = "feed.xml"
FEED_ITEMS = 50  # the newest this many items


def _stamp(d: dt.date) -> dt.datetime:
    # A news item has a day, not a time: 00:00 China time that day.
    return dt.datetime(d.year, d.month, d.day, tzinfo=dt.timezone(dt.timedelta(hours=8)))


def absolute(site_url: str, src: str, directory_urls: bool) -> str:
    return site_url + quote(page_url(src, directory_urls), safe="/")


def atom_feed(
    items: Sequence[NewsItem], *, site_url: str, title: str, author: str, directory_urls: bool, updated: dt.date
) -> bytes:
    from feedgen.feed import FeedGenerator

    fg = FeedGenerator()
    fg.id(site_url + FEED_PATH)
    fg.title(title)
    fg.subtitle("党建动态：各村最新的活动、观摩和项目进展。")
    fg.author({"name": author})
    fg.link(href=absolute(site_url, "news/index.md", directory_urls), rel="alternate", type="text/html")
    fg.link(href=site_url + FEED_PATH, rel="self", type="application/atom+xml")
    fg.language("zh-CN")
    newest = items[0].date if items else updated
    fg.updated(_stamp(newest))
    # feedgen writes entries in the reverse of the order they are added.
    for it in reversed(items[:FEED_ITEMS]):
        url = absolute(site_url, it.src, directory_urls)
        fe = fg.add_entry()
        fe.id(url)
        fe.title(it.title)
        fe.link(href=url, rel="alternate", type="text/html")
        fe.published(_stamp(it.date))
        fe.updated(_stamp(it.date))
        if it.summary:
            fe.summary(it.summary)
        for v in it.villages:
            fe.category(term=v.slug, label=v.name)
    out: bytes = fg.atom_str(pretty=True, encoding="UTF-8")
    return out
