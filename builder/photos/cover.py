"""Cover photos: the one answer to "which picture stands for this village"
(and for the county), used by the home page, the village lists, the village
page header, the map popup and the print profile.

* :func:`cover_file` — the cover of a village, as written in its village.yml
  (``cover:``; by default the first gallery photo that is not the brand logo).
* :class:`Covers` — the derive phase's answer for every village and the
  county (``site.yml`` ``cover:``), in check and build alike::

      covers = derived.get(Covers)
      covers.file("wangjiazhuang")  # "photos/piandai.jpg" or None
      covers.entry(derived, "wangjiazhuang")  # its PhotoEntry (build only) or None
      covers.site_entry(derived)  # the county's cover (build only) or None

* :func:`validate_covers` — located Chinese diagnostics (code ``bad-cover``).

The county's cover is any photo under content/; it goes through the same
pipeline as gallery photos and is published under ``assets/photos/_site/``
(``SITE`` is its key in the PhotoIndex: "_" cannot start a village slug).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from builder.kernel.diagnostics.codes import Code
from builder.kernel.diagnostics.model import Severity

if TYPE_CHECKING:
    from builder.content import Content, VillageEntry
    from builder.kernel.build import Derived
    from builder.kernel.diagnostics import Diagnostics
    from builder.photos.produce import PhotoEntry

SITE = "_site"  # PhotoIndex key of site-level photos (never a village slug)
SITE_COVER_NAME = "cover"  # derivative base name: assets/photos/_site/cover-480.webp

CODES = (
    Code(
        "bad-cover",
        Severity.ERROR,
        "封面照片写错了",
        "village.yml 的 cover 必须是这个村 gallery 里的一张照片；"
        "site.yml 的 cover 必须是 content/ 下真实存在的照片文件。",
        "cover: photos/fengmian.jpg",
        "cover: photos/cunrong.jpg",
    ),
)


def cover_file(v: VillageEntry) -> str | None:
    """The cover of this village (a file as written in village.yml): its
    ``cover:``, else the first gallery photo that is not the brand logo,
    else None (the village has no photo: pages show a placeholder)."""
    m = v.model
    if m.cover:
        return m.cover
    for g in m.gallery:
        if g.file != m.brand.logo:
            return g.file
    return None


@dataclass
class Covers:
    """Derived part: every village's cover file and the county's cover."""

    by_village: dict[str, str] = field(default_factory=dict)  # slug → file (villages with a cover)
    site: str | None = None  # content-relative path of the county's cover

    def file(self, slug: str) -> str | None:
        return self.by_village.get(slug)

    def entry(self, derived: Derived, slug: str) -> PhotoEntry | None:
        """The published derivatives of the village's cover (build only)."""
        from builder.photos.html import lookup

        f = self.by_village.get(slug)
        if f is None:
            return None
        e = lookup(derived, slug, f)
        return e if e is not None and e.derivatives else None

    def site_entry(self, derived: Derived) -> PhotoEntry | None:
        from builder.photos.html import lookup

        if not self.site:
            return None
        e = lookup(derived, SITE, self.site)
        return e if e is not None and e.derivatives else None


def derive_covers(content: Content) -> Covers:
    out = Covers()
    for slug, v in content.villages.items():
        f = cover_file(v)
        if f is not None and f in v.photo_files:
            out.by_village[slug] = f
    site = content.settings.cover
    if site and content.listing().is_file(site):
        out.site = site
    return out


def _list(files: list[str], limit: int = 12) -> str:
    shown = "、".join(files[:limit])
    return shown + (f" 等 {len(files)} 张" if len(files) > limit else "")


def validate_covers(content: Content, diags: Diagnostics) -> None:
    for v in content.villages.values():
        m = v.model
        if not m.cover:
            continue
        loc = v.doc.loc(("cover",))
        gallery = [g.file for g in m.gallery]
        who = f"{m.name}（{v.slug}）"
        if m.cover not in gallery:
            hint = (
                f"从这个村 gallery 的照片里选一张：{_list(gallery)}；或者先把这张照片加进 gallery。"
                if gallery
                else "这个村的 gallery 里还没有照片：先在 gallery 里加一张照片，再把它写进 cover（或删掉 cover）。"
            )
            diags.emit(loc, "bad-cover", f"{who}的封面照片 {m.cover} 不在这个村的 gallery 里。", hint)
        elif m.cover not in v.photo_files:
            have = v.photo_files
            diags.emit(
                loc,
                "bad-cover",
                f"{who}的封面照片 {m.cover} 在 photos/ 文件夹里找不到。",
                (f"这个村现有的照片：{_list(have)}。" if have else "这个村的 photos/ 文件夹是空的。")
                + "注意文件名大小写和扩展名要完全一致。",
            )
    site = content.settings.cover
    doc = content.settings_doc
    if site and doc is not None and not content.listing().is_file(site):
        photos = [f"villages/{slug}/{f}" for slug, v in sorted(content.villages.items()) for f in v.photo_files]
        diags.emit(
            doc.loc(("cover",)),
            "bad-cover",
            f"全县封面照片 {site} 不存在（路径从 content/ 文件夹算起）。",
            (f"可以用村里的照片，例如：{_list(photos, 6)}。" if photos else "把照片放进 content/ 下，再写它的路径。")
            + "注意文件名大小写和扩展名要完全一致。",
        )
