"""What each page gives the search: its title, a short text for the result,
its own names (weighed most), its labels (tags, headings) and its text, and
how much the page weighs against others (``boost``).

Made from the loaded content and the derived parts — the same data the
features make the pages from — never from built HTML. The ranking rules
(decided here, in one place): village and project pages above every other
page, tour score sheets and results below the tours they belong to, the
hand-written guides (工作指南) below every content page that matches as well;
a page's own names (a village's name and 党建品牌, a project's title, a
guide's title) first. The sample disclaimer and charts are not page text
here, so they are never indexed nor shown."""

from __future__ import annotations

import html
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from builder.content import Content
    from builder.kernel.build import Derived

SNIPPET = 80  # characters of a result's short text

# A page's weight against others (multiplies every term's weight).
VILLAGE = 2.0  # a topic shared by a village and its project (“马铃薯”) finds the village
PROJECT = 1.5
PAGE = 1.0  # tours, lists, home
NEWS = 0.7  # 党建动态 items: found by their titles, below the villages and projects they tell about
SHEET = 0.3  # tour score sheets and results
GUIDE = 0.1  # the guides: after content pages that match as well


@dataclass
class Doc:
    src: str  # page source path, e.g. villages/wangjiazhuang.md
    title: str
    snippet: str = ""
    boost: float = PAGE
    names: list[str] = field(default_factory=list)  # the page's own names
    labels: list[str] = field(default_factory=list)  # tags, 功能定位, headings
    text: list[str] = field(default_factory=list)


_TAG = re.compile(r"<[^>]*>")
_SPACE = re.compile(r"\s+")


def plain(s: str) -> str:
    """Text of an HTML fragment (tags dropped, entities decoded, spaces folded)."""
    return _SPACE.sub(" ", html.unescape(_TAG.sub(" ", s))).strip()


def short(s: str, n: int = SNIPPET) -> str:
    s = _SPACE.sub(" ", s).strip()
    return s if len(s) <= n else s[: n - 1] + "…"


def documents(c: Content, derived: Derived, docs_dir: Path | None) -> list[Doc]:
    out: list[Doc] = []
    out.extend(_villages(c))
    out.extend(_projects(c))
    out.extend(_tours(derived))
    out.extend(_news(derived))
    out.extend(_portal(derived))
    if docs_dir is not None and docs_dir.is_dir():
        out.extend(guides(docs_dir))
    return out


def _villages(c: Content) -> Iterator[Doc]:
    for slug, v in sorted(c.villages.items()):
        m = v.model
        text = [m.brand.slogan, m.brand.meaning, m.summary, m.town]
        for h in m.highlights:
            text += [h.title, h.description]
        text += [p.name for p in m.contacts]  # a contact's name, never a phone
        text += [g.caption for g in m.gallery]
        if v.prose and v.prose.strip():
            text.append(plain(v.rendered_prose.html))
        yield Doc(
            f"villages/{slug}.md",
            m.name,
            short(m.summary or m.brand.slogan or m.brand.name),
            VILLAGE,
            names=[n for n in (m.name, m.brand.name) if n],
            # 职务 of its contacts (村党支部书记 …) label the village: a news item that
            # merely mentions a title does not pass the villages that have one
            labels=[m.function, *m.tags, m.town, *dict.fromkeys(p.title for p in m.contacts if p.title)],
            text=[t for t in text if t],
        )


def _projects(c: Content) -> Iterator[Doc]:
    for pid, p in sorted(c.projects.items()):
        m = p.model
        v = c.villages.get(m.village)
        text = [m.summary, m.secretary, *(g.what for g in m.goals), *(ph.name for ph in m.phases)]
        text += [ms.what for ms in m.milestones]
        yield Doc(
            f"projects/{pid}.md",
            m.title,
            short(m.summary or (v.model.name if v else "")),
            PROJECT,
            names=[m.title],
            labels=[m.theme, str(m.year)],
            text=[t for t in [*text, v.model.name if v else ""] if t],
        )


def _tours(derived: Derived) -> Iterator[Doc]:
    from builder.tours.feature import ToursPart

    part = derived.find(ToursPart)
    if part is None:
        return
    for tid, e in sorted(part.tours.items()):
        if e.plan is None:
            continue
        stops = [s.name for s in e.plan.stops]
        yield Doc(f"tours/{tid}/index.md", e.title, short("、".join(stops)), PAGE, names=[e.title], text=stops)
        if e.framework is not None:
            yield Doc(f"tours/{tid}/scoresheet.md", f"{e.title} · 评分表", "", SHEET, labels=[e.title, "评分表"])
    for e in part.suggested:
        if e.id in part.tours or e.plan is None:
            continue
        stops = [s.name for s in e.plan.stops]
        yield Doc(f"tours/{e.id}/index.md", e.title, short("、".join(stops)), PAGE, labels=[e.title], text=stops)


# The portal's pages across villages: found by what they are called.
PORTAL = (
    ("index.md", "首页", ["首页"]),
    ("villages/index.md", "全部村（按拼音 A–Z）", ["全部村", "村庄"]),
    ("villages/by-town.md", "按乡镇浏览", ["按乡镇", "乡镇"]),
    ("villages/by-function.md", "按功能定位浏览", ["按功能定位", "功能定位"]),
    ("tags.md", "按标签浏览", ["标签"]),
    ("compare/index.md", "对比", ["对比"]),
    ("projects/index.md", "书记党建项目", ["书记项目", "书记党建项目"]),
    ("map.md", "示范村地图", ["地图"]),
    ("tours/index.md", "观摩拉练", ["观摩拉练"]),
)


def _news(derived: Derived) -> Iterator[Doc]:
    """党建动态: an item page, found by its title, its villages and its text."""
    from builder.news.derive import NewsIndex, body_text

    index = derived.find(NewsIndex)
    if index is None:
        return
    for it in index.items:
        yield Doc(
            it.src,
            it.title,
            short(it.summary),
            NEWS,
            names=[it.title],
            labels=["党建动态", str(it.date.year), *(v.name for v in it.villages)],
            text=[t for t in (it.summary, body_text(it.entry)) if t],
        )


def _portal(derived: Derived) -> Iterator[Doc]:
    from builder.tours.feature import ToursPart

    part = derived.find(ToursPart)
    has_tours = part is not None
    for src, title, labels in PORTAL:
        if src == "tours/index.md" and not has_tours:
            continue
        yield Doc(src, title, "", PAGE, labels=labels)


# -- the hand-written guides (docs/**/*.md) ------------------------------------------

_FRONT = re.compile(r"\A---\n(.*?)\n---\n", re.S)
_HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*#*\s*$", re.M)
_ATTRS = re.compile(r"\{[:#.][^}]*\}")
_LINK = re.compile(r"!?\[([^\]]*)\]\([^)]*\)")
_MARK = re.compile(r"[`*_>|]+")


def guides(docs_dir: Path) -> Iterable[Doc]:
    for path in sorted(docs_dir.rglob("*.md")):
        rel = path.relative_to(docs_dir).as_posix()
        if rel.startswith("assets/") or path.is_symlink():
            continue
        try:
            yield guide(rel, path.read_text("utf-8"))
        except (OSError, UnicodeDecodeError):
            continue  # MkDocs reports an unreadable guide itself


def guide(rel: str, text: str) -> Doc:
    title = ""
    front = _FRONT.match(text)
    if front:
        m = re.search(r"^title:\s*(.+)$", front.group(1), re.M)
        title = m.group(1).strip().strip("\"'") if m else ""
        text = text[front.end() :]
    headings = [_clean(h.group(2)) for h in _HEADING.finditer(text)]
    h1 = next((_clean(h.group(2)) for h in _HEADING.finditer(text) if h.group(1) == "#"), "")
    title = title or h1 or rel.rsplit("/", 1)[-1][:-3]
    body = _clean(_HEADING.sub(" ", text))
    first = next((p for p in (_clean(x) for x in re.split(r"\n\s*\n", _HEADING.sub("", text))) if p), "")
    return Doc(rel, title, short(first), GUIDE, names=[title], labels=headings, text=[body])


def _clean(s: str) -> str:
    s = _LINK.sub(r"\1", _ATTRS.sub(" ", s))
    return plain(_MARK.sub(" ", s))
