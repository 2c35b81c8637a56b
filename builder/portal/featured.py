"""Which villages the home page features: site.yml ``featured:`` (a list of
village slugs, in order) or, by default, the designated 示范村, newest
命名/复核 first (at most FEATURED_DEFAULT)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from builder.kernel.diagnostics.codes import Code
from builder.kernel.diagnostics.model import Severity
from builder.kernel.suggest import suggest

if TYPE_CHECKING:
    from builder.content import Content
    from builder.kernel.diagnostics import Diagnostics

FEATURED_DEFAULT = 6

CODES = (
    Code(
        "featured-duplicate",
        Severity.WARNING,
        "首页推荐的村写了两次",
        "site.yml 的 featured 里同一个村出现了不止一次；首页只显示一次。",
        "featured: [wangjiazhuang, baishui, wangjiazhuang]",
        "featured: [wangjiazhuang, baishui]",
    ),
)


def featured(c: Content) -> list[str]:
    """Slugs of the featured villages, in the order the home page shows them."""
    chosen = c.settings.featured
    if chosen is not None:
        return [s for s in dict.fromkeys(chosen) if s in c.villages]
    dated = []
    for slug, v in c.villages.items():
        d = v.model.designation
        if d is None or not d.is_designated:
            continue
        last = max((e.date for e in d.history if e.stage in ("命名", "复核")), default=d.history[-1].date)
        dated.append((last, slug))
    dated.sort(key=lambda t: (-t[0].toordinal(), t[1]))
    return [slug for _, slug in dated[:FEATURED_DEFAULT]]


def validate_featured(c: Content, diags: Diagnostics) -> None:
    doc = c.settings_doc
    chosen = c.settings.featured
    if doc is None or not chosen:
        return
    seen: set[str] = set()
    for i, slug in enumerate(chosen):
        loc = doc.loc(("featured", i))
        if slug in seen:
            diags.emit(loc, "featured-duplicate", f"首页推荐的村“{slug}”写了两次。", "删掉重复的这一项。")
            continue
        seen.add(slug)
        if not c.village_exists(slug):
            diags.emit(
                loc,
                "unknown-village",
                f"首页推荐的村“{slug}”不存在。",
                suggest(slug, c.villages) or "村编号是 content/villages/ 下的文件夹名。",
            )
