"""What Material's search index takes from each page, and how much it weighs.

Material's search plugin indexes each page's HTML (``page.content``) section
by section, and multiplies a page's scores by its front matter's
``search: boost:``. Visitors search for villages, brands and projects; the
guides (editors, organisers) stay findable for organisers but rank below
every content page, and score sheets below the village and project pages
they name (decided in one place: here).

The sample disclaimer (its screen copy is the banner, outside the content),
and charts (SVG labels such as “1 2 … 10”) carry no words a visitor looks
for, so they are marked ``data-search-exclude`` and never become a snippet;
so is a village's list of its projects (links to pages indexed themselves).

A page's own names (a village's name and 党建品牌, a project's title) are
added to its first index entry's ``tags`` field, which Material weighs
10⁶ (titles 10³), each also without its last character. Why: Material's
search worker cuts a Chinese query into words it finds in the index's
vocabulary, but only among the query's characters before the last one (the
last word may still be being typed: it becomes a prefix search). So
“高家沟村” was searched as “家” and “高*”, and a village with “家风” in its
text came first. With “高家沟” in the vocabulary the query finds exactly
that village (tests/e2e/test_search_rank.py). The tags are not shown in
the results (frame.css). A long name's words (jieba, as Material's search
plugin cuts the page text) are added too, so that a project's title finds
the project before a village that has one of its words as a tag."""

from __future__ import annotations

import re

# (URL pattern, boost); the first that matches wins; others keep 1.
BOOSTS: tuple[tuple[re.Pattern[str], float], ...] = (
    (re.compile(r"^villages/(?:by-town|by-function)/"), 1.0),
    # a village page weighs a little more than a project page: a topic shared
    # by both (“马铃薯”: the village's tag, a word of its project's title) or a
    # brand that is also part of a project's title finds the village; a
    # project's full title still finds the project, which matches all its
    # words (the village pages' front matter says 2; a page's own front
    # matter wins over this table)
    (re.compile(r"^villages/[^/]+/$"), 2.0),  # a village page
    (re.compile(r"^projects/[^/]+/$"), 1.5),  # a 书记党建项目 page
    (re.compile(r"^tours/[^/]+/(?:scoresheet|results|itinerary)/"), 0.3),
    # the guides (工作指南): after every content page that matches at all, and
    # still first for what only they talk about (检查代码, 评分工作簿 …)
    (re.compile(r"^(?:editors|organisers)/"), 0.01),
)

# Opening tags whose whole element stays out of the index.
_EXCLUDE = re.compile(r'<(svg|p class="(?:vp-sample-badge|tour-sample)"|ul class="vp-project-list")(?=[\s>])')


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


def own_names(content) -> dict[str, list[str]]:
    """Generated page (source path) → the names a visitor searches it by."""
    out: dict[str, list[str]] = {}
    for slug, v in content.villages.items():
        out[f"villages/{slug}.md"] = [n for n in (v.model.name, v.model.brand.name) if n]
    for pid, p in content.projects.items():
        out[f"projects/{pid}.md"] = [p.model.title]
    return out


def add_names(index_json: str, names: dict[str, list[str]]) -> str:
    """The search index with each page's own names in its first entry's tags
    (names: page URL → names)."""
    import json

    data = json.loads(index_json)
    for entry in data.get("docs", []):
        extra = names.get(entry.get("location", ""))
        if extra:
            tags = list(entry.get("tags", []))
            for n in extra:
                for form in (n, n[:-1] if len(n) >= 3 else "", *_words(n)):
                    if form and form not in tags:
                        tags.append(form)
            entry["tags"] = tags
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"))


def _words(name: str) -> list[str]:
    """The words of a name of more than one word (two characters or more)."""
    try:
        import jieba  # type: ignore[import-untyped]
    except ImportError:  # Material's search then indexes without Chinese words too
        return []
    words = [w for w in jieba.lcut(name) if len(w) >= 2 and w != name]
    return words if len(words) > 1 else []
