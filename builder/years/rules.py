"""Rules of the yearly assessments: each year's file like village.yml's
block, dates inside their year, one source per year, no gap, 分类 from the
list, and the 复核 warning when a designated village's newest year no
longer meets its frameworks. Nothing here changes the content."""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Callable
from dataclasses import dataclass

from builder.content import Content
from builder.frameworks.scores import evaluate, rule_text
from builder.kernel.diagnostics import Diagnostics, Location
from builder.kernel.loading.yamlsrc import YamlDoc
from builder.kernel.suggest import choices, suggest
from builder.villages.load import VillageEntry
from builder.villages.model import Assessment
from builder.villages.rules import assessment_has_own_errors, check_assessments
from builder.years.load import YearEntry, YearsPart, village_year


@dataclass
class Source:
    """Where one year of a village is written: village.yml or a year's file."""

    year: int
    doc: YamlDoc
    assessments: dict[str, Assessment]
    is_broken: Callable[..., bool]
    own: bool  # village.yml

    def where(self) -> Location:
        if self.own:
            return self.doc.key_loc(("assessments",))
        return Location(self.doc.file, 1, 1)


def sources(c: Content, v: VillageEntry) -> list[Source]:
    """A village's years, oldest first (village.yml's year counts once: a
    file of the same year is reported as a duplicate and left out)."""
    part = c.find(YearsPart)
    files = part.by_village.get(v.slug, {}) if part else {}
    own = village_year(v)
    out = [Source(y, e.doc, e.model.assessments, e.is_broken, False) for y, e in files.items() if y != own]
    if own is not None:
        out.append(Source(own, v.doc, v.model.assessments, v.is_broken, True))
    return sorted(out, key=lambda s: s.year)


def validate_years(c: Content, diags: Diagnostics, today: dt.date | None = None) -> None:
    part = c.find(YearsPart) or YearsPart()
    today = today or dt.date.today()
    cats = c.settings.categories
    for slug, v in c.villages.items():
        if v.model.category is not None:
            _category(c, v.doc, v.model.category, cats, diags)
        files = part.by_village.get(slug, {})
        if not files:
            continue
        own = village_year(v)
        for fid, a in v.model.assessments.items():
            if own is not None and a.date.year != own:
                diags.emit(
                    v.doc.loc(("assessments", fid, "date")),
                    "year-date",
                    f"village.yml 写的是 {own} 年的自评，但“{fid}”的自评日期 {a.date} 在 {a.date.year} 年。",
                    f"同一年的自评写在一起：改正日期，或把 {a.date.year} 年的这份自评移到 "
                    f"assessments/{a.date.year}.yml。",
                )
        for year, e in sorted(files.items()):
            if year == own:
                diags.emit(
                    Location(e.file, 1, 1),
                    "duplicate-year",
                    f"{year} 年的自评已经写在 {v.file} 的 assessments 里，这个文件又写了一份。",
                    "village.yml 写当年（最新一年）的自评：把两份合并成一份，删掉多余的那一份；"
                    "若这个文件是另一年的，把文件名改成那一年。",
                )
                continue
            _year_file(c, v, e, diags, today)
        if slug not in part.failed:
            srcs = sources(c, v)
            _gaps(v, srcs, diags)
            _review(c, v, srcs, diags)


def _category(c: Content, doc: YamlDoc, value: str, cats: list[str], diags: Diagnostics) -> None:
    if value not in cats and "categories" not in c.settings_broken:
        diags.emit(
            doc.loc(("category",)),
            "unknown-category",
            f"分类“{value}”不在 site.yml 的 categories 列表中。",
            suggest(value, cats) + choices(cats),
        )


def _year_file(c: Content, v: VillageEntry, e: YearEntry, diags: Diagnostics, today: dt.date) -> None:
    doc, year, assessments, category, is_broken = e.doc, e.year, e.model.assessments, e.model.category, e.is_broken
    if category is not None:
        _category(c, doc, category, c.settings.categories, diags)
    photos = set(v.photo_files)

    def photo_ref(path: tuple, ref: str) -> None:
        if ref not in photos:
            diags.emit(
                doc.loc(path),
                "missing-photo",
                f"照片“{ref}”在 {v.slug}/ 里找不到。",
                (suggest(ref, photos) or "把照片放进 photos/ 文件夹，") + "注意文件名大小写和扩展名要完全一致。",
            )

    check_assessments(c, doc, assessments, diags, photo_ref, is_broken)
    for fid, a in assessments.items():
        path = ("assessments", fid, "date")
        if a.date.year != year:
            diags.emit(
                doc.loc(path),
                "year-date",
                f"这个文件是 {year} 年的自评，但“{fid}”的自评日期 {a.date} 不在 {year} 年内。",
                f"改正日期（{year}-01-01 到 {year}-12-31 之间）；若这份自评属于 {a.date.year} 年，"
                f"把它移到 assessments/{a.date.year}.yml。",
            )
        elif a.date > today:
            diags.emit(
                doc.loc(path),
                "bad-date",
                f"自评日期 {a.date} 在今天（{today}）之后，不可能已经发生。",
                "检查年份、月份是否写错，例如 2062 应为 2026。",
            )


def _gaps(v: VillageEntry, srcs: list[Source], diags: Diagnostics) -> None:
    """A village re-assesses every year (复核): a year missing between its
    first and its newest year is a gap in the record. The page then compares
    with the nearest earlier year and says which one."""
    for prev, nxt in itertools.pairwise(srcs):
        if nxt.year - prev.year > 1:
            missing = f"{prev.year + 1} 年" if nxt.year - prev.year == 2 else f"{prev.year + 1}–{nxt.year - 1} 年"
            diags.emit(
                nxt.where(),
                "year-gap",
                f"{v.name}缺少 {missing}的自评：{prev.year} 年和 {nxt.year} 年之间每年都应有一份。",
                f"补上 content/villages/{v.slug}/assessments/{prev.year + 1}.yml（写法同 village.yml 的 "
                "assessments，加上 category）；页面上的“比上一年”会与最近的一年比较。",
            )


def _review(c: Content, v: VillageEntry, srcs: list[Source], diags: Diagnostics) -> None:
    """A designated village whose newest year falls short: 复核 is due when an
    earlier year met every framework (it no longer meets them), otherwise the
    designation itself is not supported (designation-unmet, as for a village
    without history)."""
    d = v.model.designation
    if d is None or not d.is_designated or not srcs:
        return
    latest = srcs[-1]
    levels = c.settings.levels
    failing = []
    for fw in c.required_frameworks():
        a = latest.assessments.get(fw.id)
        if a is None or assessment_has_own_errors(c, latest.is_broken, fw, a):
            return  # judged once its own mistakes (reported elsewhere) are fixed
        r = evaluate(fw, a, levels)
        if not r.meets:
            failing.append(r)
    if not failing:
        return

    def met_all(s: Source) -> bool:
        fws = c.required_frameworks()
        return all(fw.id in s.assessments and evaluate(fw, s.assessments[fw.id], levels).meets for fw in fws)

    what = "；".join(
        f"“{r.framework.name}”的"
        + ("、".join(i.item.name for i in r.shortfalls[:4]) + ("等" if len(r.shortfalls) > 4 else "") or "总分")
        + f"未达到（要求：{rule_text(r.framework)}）"
        for r in failing
    )
    earlier = [s.year for s in srcs[:-1] if met_all(s)]
    if earlier:
        diags.emit(
            latest.doc.key_loc(("assessments", failing[0].framework.id)),
            "review-due",
            f"{v.name}已{d.status}为示范村，{earlier[-1]} 年达标，但最新一年（{latest.year} 年）未达到要求：{what}。",
            "应当复核：核实这一年的自评是否填错；若确实未达标，组织复核整改，并在命名记录里加一条“复核”（或“撤销”）。",
        )
    else:
        diags.emit(
            v.doc.loc(("designation", "history", len(d.history) - 1, "stage")),
            "designation-unmet",
            f"已{d.status}为示范村，但 {latest.year} 年的自评未达到要求：{what}。",
            "核实自评是否填错；若确实未达标，把命名记录改为实际环节，或加一条“撤销”。",
        )
