"""Rules of a news item (never changes the content): the villages it names,
its photos, its date, its body. One mistake, one message."""

from __future__ import annotations

from dataclasses import dataclass

from builder.content import Content, VillageEntry
from builder.kernel.diagnostics import Diagnostics, Location
from builder.kernel.suggest import suggest
from builder.news.load import NewsEntry
from builder.villages.load import suggest_village


@dataclass(frozen=True)
class NewsPhoto:
    village: VillageEntry
    file: str  # as in the village's gallery: photos/x.jpg
    caption: str
    alt: str


def resolve_photo(c: Content, villages: list[str], ref: str) -> NewsPhoto | None:
    """A photo reference of a news item: "photos/x.jpg" from the galleries of
    its villages (the first one listed that has it), or "<村编号>/photos/x.jpg"."""
    head, sep, rest = ref.partition("/")
    if sep and head in villages and rest.startswith("photos/"):
        order, file = [head], rest
    else:
        order, file = villages, ref
    for slug in order:
        v = c.villages.get(slug)
        if v is None:
            continue
        for g in v.model.gallery:
            if g.file == file:
                return NewsPhoto(v, file, g.caption, g.alt or g.caption)
    return None


def _gallery_sound(v: VillageEntry) -> bool:
    have = set(v.photo_files)
    return not v.is_broken("gallery") and all(g.file in have for g in v.model.gallery)


def _villages(e: NewsEntry) -> list[str]:
    return list(dict.fromkeys(e.model.villages))


def validate_news(c: Content, e: NewsEntry, diags: Diagnostics) -> None:
    m, doc = e.model, e.doc
    today = c.options.today
    # the date ----------------------------------------------------------------------
    if not e.is_broken("date"):
        if m.date != e.name_date:
            diags.emit(
                doc.loc(("date",)),
                "news-date",
                f"date 写的是 {m.date}，文件名开头的日期却是 {e.name_date}。",
                f"两处写成同一天：改 date，或把文件改名为 {m.date}-{e.slug}.md。",
            )
        elif m.date > today:
            diags.emit(
                doc.loc(("date",)),
                "bad-date",
                f"发布日期 {m.date} 在今天（{today}）之后。",
                "动态写已经发生的事：检查年份、月份是否写错（例如 2062 应为 2026），或等到那天再发布。",
            )
    # the villages ------------------------------------------------------------------
    if not e.is_broken("villages"):
        for i, slug in enumerate(m.villages):
            if not c.village_exists(slug):
                diags.emit(
                    doc.loc(("villages", i)),
                    "unknown-village",
                    f"村“{slug}”不存在。",
                    suggest_village(c.villages, slug) or "村编号是 content/villages/ 下的文件夹名。",
                )
    # the photos --------------------------------------------------------------------
    if not e.is_broken("photos") and not e.is_broken("villages"):
        names = _villages(e)
        # A village that is missing, failed, whose gallery is broken or names a
        # photo file that is not there (missing-photo: perhaps the very file
        # meant here, misspelt) was reported already: its photos are not judged.
        judged = all(s in c.villages and _gallery_sound(c.villages[s]) for s in names)
        for i, ref in enumerate(m.photos):
            if resolve_photo(c, names, ref) is not None or not judged:
                continue
            have = [g.file for s in names for g in c.villages[s].model.gallery]
            head, sep, rest = ref.partition("/")
            if sep and rest.startswith("photos/") and head not in names:
                msg = f"照片“{ref}”前面写的村“{head}”不在这条动态的 villages 里。"
                hint = "只能用 villages 里那些村的照片：把这个村加进 villages，或换一张照片。"
            else:
                where = "、".join(c.villages[s].name for s in names)
                msg = f"照片“{ref}”不在{where}的照片（gallery）里。"
                bare = rest if sep and head in names else ref
                hint = (
                    suggest(bare if "/" in bare else f"photos/{bare}", have, 0.5)
                    or (("可选：" + "、".join(have[:12]) + "。") if have else "这些村还没有登记照片。")
                ) + "先把照片放进村的 photos/ 并在 village.yml 的 gallery 里登记，再写到这里。"
            diags.emit(doc.loc(("photos", i)), "news-photo", msg, hint)
    # the body: what the sanitizer removes, located in the .md file -------------------
    for f in e.rendered.findings:
        emit = diags.error if f.error else diags.warning
        emit(Location(e.file, f.line, f.column), f.code, f.message, f.hint)


def validate_all(c: Content, diags: Diagnostics) -> None:
    from builder.news.load import NewsPart

    part = c.find(NewsPart)
    if part is None:
        return
    for e in part.items.values():
        validate_news(c, e, diags)
