"""What the news pages, the home page and the village pages read: the items
newest first, each with its villages and resolved photos (NewsIndex)."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from markupsafe import Markup

from builder.news.load import NewsEntry, NewsPart
from builder.news.rules import NewsPhoto, resolve_photo

if TYPE_CHECKING:
    from builder.content import Content, VillageEntry
    from builder.kernel.build import Derived
    from builder.kernel.render.urls import Linker

SUMMARY_CHARS = 90  # a summary taken from the body is cut here


@dataclass(frozen=True)
class NewsItem:
    slug: str
    title: str
    date: dt.date
    summary: str
    villages: tuple[VillageEntry, ...]
    photos: tuple[NewsPhoto, ...]
    entry: NewsEntry

    @property
    def src(self) -> str:
        return f"news/{self.slug}.md"

    @property
    def village_names(self) -> str:
        return "、".join(v.name for v in self.villages)

    @property
    def date_text(self) -> str:
        return f"{self.date.year}年{self.date.month}月{self.date.day}日"


def body_text(entry: NewsEntry) -> str:
    """The body as plain text (from the sanitized HTML), spaces collapsed."""
    from selectolax.lexbor import LexborHTMLParser

    html = entry.rendered.html
    if not html.strip():
        return ""
    root = LexborHTMLParser(html).body
    text = root.text(separator=" ") if root is not None else ""
    return re.sub(r"\s+", " ", text).strip()


def summary_of(entry: NewsEntry) -> str:
    if entry.model.summary:
        return entry.model.summary
    text = body_text(entry)
    return text if len(text) <= SUMMARY_CHARS else text[: SUMMARY_CHARS - 1] + "…"


@dataclass
class NewsIndex:
    items: list[NewsItem] = field(default_factory=list)  # newest first
    by_village: dict[str, list[NewsItem]] = field(default_factory=dict)
    derived: Derived | None = None

    def latest(self, n: int = 3) -> list[NewsItem]:
        return self.items[:n]

    def of_village(self, slug: str) -> list[NewsItem]:
        return self.by_village.get(slug, [])

    def years(self) -> list[tuple[int, int]]:
        """(year, number of items), newest year first."""
        out: dict[int, int] = {}
        for it in self.items:
            out[it.date.year] = out.get(it.date.year, 0) + 1
        return sorted(out.items(), reverse=True)

    def card_image(self, item: NewsItem, L: Linker, eager: bool = False) -> Markup:
        """The card's picture: the item's first photo, else the cover of its
        first village, else a placeholder (never a broken image)."""
        from builder.photos.cover import Covers
        from builder.photos.html import base_for, lookup, thumb_html

        d = self.derived
        if d is not None:
            base = base_for(L.src, L.du)
            for p in item.photos[:1]:
                e = lookup(d, p.village.slug, p.file)
                if e is not None and e.derivatives:
                    return Markup(thumb_html(e, base, alt=p.alt, eager=eager))
            covers = d.find(Covers)
            for v in item.villages[:1]:
                e = covers.entry(d, v.slug) if covers is not None else None
                if e is not None:
                    return Markup(thumb_html(e, base, alt=f"{v.name}封面照片", eager=eager))
        return Markup(
            '<span class="vp-card-placeholder" role="img" aria-label="暂无照片">'
            '<span aria-hidden="true">{0}</span></span>'
        ).format(item.title[:1])


def build_index(c: Content, derived: Derived | None = None) -> NewsIndex:
    part = c.find(NewsPart)
    index = NewsIndex(derived=derived)
    if part is None:
        return index
    for e in part.items.values():
        m = e.model
        names = list(dict.fromkeys(m.villages))
        villages = tuple(c.villages[s] for s in names if s in c.villages)
        photos = tuple(p for ref in m.photos if (p := resolve_photo(c, names, ref)) is not None)
        index.items.append(NewsItem(e.slug, m.title, m.date, summary_of(e), villages, photos, e))
    index.items.sort(key=lambda it: (-it.date.toordinal(), it.slug))
    for it in index.items:
        for v in it.villages:
            index.by_village.setdefault(v.slug, []).append(it)
    return index
