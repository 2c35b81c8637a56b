"""What many pages share, computed once per build: village cards sorted by
pinyin, evaluations, projects per village, the map projection, town seats.
Cost is linear: a village page never lists all villages."""

from __future__ import annotations

from dataclasses import dataclass

from markupsafe import Markup

from builder.content import Content, ProjectEntry, VillageEntry
from builder.frameworks.derive import Evaluations
from builder.kernel.build import Derived
from builder.kernel.render import svg
from builder.kernel.render.html import pinyin_key
from builder.kernel.render.templates import Templates
from builder.kernel.render.urls import Linker
from builder.photos.cover import Covers
from builder.photos.produce import PhotoEntry
from builder.villages.derive import Coordinates


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
    status_label: str = ""
    summary: str = ""
    slogan: str = ""
    cover: PhotoEntry | None = None  # published derivatives of the village's cover (builder.photos.cover)


STATUS_LABELS = {
    "未申报": "未申报",
    "申报": "已申报",
    "考察": "考察中",
    "公示": "公示中",
    "命名": "已命名",
    "复核": "已复核",
    "撤销": "已撤销",
}


def status_label(status: str) -> str:
    """A designation status in visitors' words (命名 → 已命名)."""
    return STATUS_LABELS.get(status, status)


def status_class(status: str) -> str:
    return {"命名": "named", "复核": "named", "撤销": "revoked", "未申报": "none"}.get(status, "pending")


class State:
    """Built once per build by the portal feature's derive phase."""

    def __init__(self, c: Content, derived: Derived):
        opts = derived.options
        self.c = c
        self.derived = derived
        self.tpl = derived.get(Templates)
        self.today = opts.today
        self.cache_dir = opts.cache_dir
        self.du = bool(opts.get("use_directory_urls", True))
        self.sample = c.settings.sample
        self.fws = c.required_frameworks()
        self.evals = derived.get(Evaluations).by_village
        self.coords = derived.get(Coordinates).by_village
        self.covers = derived.get(Covers)
        self.cards: dict[str, Card] = {}
        for slug, v in c.villages.items():
            m = v.model
            self.cards[slug] = Card(
                slug,
                m.name,
                m.town,
                m.function,
                m.brand.name,
                m.status,
                status_class(m.status),
                f"villages/{slug}.md",
                pinyin_key(m.name) + "\0" + slug,
                status_label(m.status),
                m.summary,
                m.brand.slogan,
                self.covers.entry(derived, slug),
            )
        self.sort_key = lambda slug: self.cards[slug].key
        self.by_pinyin = sorted(self.cards, key=self.sort_key)
        self.projects_by_village: dict[str, list[ProjectEntry]] = {}
        for p in sorted(c.projects.values(), key=lambda p: (-p.model.year, p.id)):
            self.projects_by_village.setdefault(p.model.village, []).append(p)
        # Map projection over every village and town seat.
        self.town_points = self._town_points()
        pts = [self.coords[s] for s in c.villages if s in self.coords] + [(la, ln) for _, la, ln in self.town_points]
        self.proj = svg.Projection(pts) if pts else None
        base = (opts.site_url or c.settings.site_url or "").strip()
        self.site_url = base if not base or base.endswith("/") else base + "/"

    def _town_points(self) -> list[tuple[str, float, float]]:
        from builder.kernel.geo import to_wgs84

        out = []
        sums: dict[str, list[float]] = {}
        for slug, v in self.c.villages.items():
            pt = self.coords.get(slug)
            if pt:
                s = sums.setdefault(v.model.town, [0.0, 0.0, 0])
                s[0] += pt[0]
                s[1] += pt[1]
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

    def photo(
        self,
        v: VillageEntry,
        L: Linker,
        file: str,
        alt: str,
        caption: str,
        eager: bool = False,
        sizes: str | None = None,
    ) -> Markup:
        from builder.photos.html import DEFAULT_SIZES, picture_html

        out = picture_html(
            self.derived, v.slug, file, alt=alt, caption=caption, eager=eager, sizes=sizes or DEFAULT_SIZES, page=L.src
        )
        return Markup(out) if out else Markup('<span class="vp-photo-missing">{}</span>').format(caption)

    def card_image(self, card: Card, L: Linker, eager: bool = False) -> Markup:
        """The card's picture: the cover's 480 px derivative, or a placeholder
        (the village's first character on the site's colour, never a broken image)."""
        from builder.photos.html import base_for, thumb_html

        if card.cover is not None:
            return Markup(thumb_html(card.cover, base_for(L.src, self.du), alt=f"{card.name}封面照片", eager=eager))
        return Markup(
            '<span class="vp-card-placeholder" role="img" aria-label="{0}暂无照片">'
            '<span aria-hidden="true">{1}</span></span>'
        ).format(card.name, card.name[:1])
