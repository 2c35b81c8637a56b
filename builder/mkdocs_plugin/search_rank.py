"""What Material's search index takes from each page, and how much it weighs.

Material's search plugin indexes each page's HTML (``page.content``) section
by section, and multiplies a page's scores by its front matter's
``search: boost:``. Visitors search for villages, brands and projects; the
guides (editors, organisers) stay findable for organisers but rank below
every content page, and score sheets below the village and project pages
they name (decided in one place: here).

The sample disclaimer (its screen copy is the banner, outside the content),
and charts (SVG labels such as “1 2 … 10”) carry no words a visitor looks
for, so they are marked ``data-search-exclude`` and never become a snippet."""

from __future__ import annotations

import re

# (URL pattern, boost); the first that matches wins; others keep 1.
BOOSTS: tuple[tuple[re.Pattern[str], float], ...] = (
    (re.compile(r"^villages/(?:by-town|by-function)/"), 1.0),
    (re.compile(r"^villages/[^/]+/$"), 8.0),  # a village page
    (re.compile(r"^projects/[^/]+/$"), 8.0),  # a 书记党建项目 page
    (re.compile(r"^tours/[^/]+/(?:scoresheet|results|itinerary)/"), 0.3),
    (re.compile(r"^(?:editors|organisers)/"), 0.05),  # the guides (工作指南)
)

# Opening tags whose whole element stays out of the index.
_EXCLUDE = re.compile(r'<(svg|p class="(?:vp-sample-badge|tour-sample)")(?=[\s>])')


def boost_for(url: str) -> float:
    for pattern, boost in BOOSTS:
        if pattern.match(url):
            return boost
    return 1.0


def set_boost(meta: dict, url: str) -> None:
    """Give the page its boost unless its front matter already sets one."""
    boost = boost_for(url)
    search = meta.get("search")
    if boost == 1.0 or (isinstance(search, dict) and ("boost" in search or search.get("exclude"))):
        return
    meta["search"] = {**(search if isinstance(search, dict) else {}), "boost": boost}


def exclude_noise(html: str) -> str:
    """Mark the disclaimer lines and charts data-search-exclude."""
    return _EXCLUDE.sub(r"<\1 data-search-exclude", html)
