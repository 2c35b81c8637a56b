"""The yearly files of every village (assessments/<year>.yml) → YearsPart,
and which year of a village is the current one (the newest)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from builder.kernel import lookalike
from builder.kernel.content import ContentBase, has_placeholders, is_real_file
from builder.kernel.diagnostics import Diagnostics, Location
from builder.kernel.loading.tree import DIR, FILE
from builder.kernel.loading.yamlsrc import YamlDoc, load_yaml
from builder.kernel.schema import Loc, broken_under, validate_partial
from builder.villages.load import VillagesPart
from builder.years.model import YearAssessments

if TYPE_CHECKING:
    from builder.villages.load import VillageEntry
    from builder.villages.model import Assessment

YEAR_FILE = re.compile(r"([0-9]{4})\.ya?ml\Z", re.ASCII)  # \d would take full-width digits
FIRST_YEAR, LAST_YEAR = 1949, 2100  # a four-digit name outside these is not a year


@dataclass
class YearEntry:
    slug: str
    year: int
    file: str  # display path
    doc: YamlDoc
    model: YearAssessments
    broken: frozenset[Loc] = frozenset()

    def is_broken(self, *prefix: int | str) -> bool:
        return broken_under(self.broken, prefix)


@dataclass
class YearsPart:
    # slug -> year -> the year's file (the first one when two name one year: the other is reported)
    by_village: dict[str, dict[int, YearEntry]] = field(default_factory=dict)
    # slugs whose assessments/ holds a file that could not be read: the village has
    # history, its years are not complete, so gaps and 复核 are not judged
    failed: set[str] = field(default_factory=set)


def village_year(v: VillageEntry) -> int | None:
    """The year of village.yml's assessments block: the year of its newest date."""
    dates = [a.date for a in v.model.assessments.values()]
    return max(dates).year if dates else None


def has_history(content: ContentBase, slug: str) -> bool:
    """Whether the village has yearly files besides village.yml (read or not)."""
    part = content.find(YearsPart)
    return part is not None and (bool(part.by_village.get(slug)) or slug in part.failed)


def latest_assessments(content: ContentBase, v: VillageEntry) -> dict[str, Assessment]:
    """The assessments of the village's newest year: a yearly file newer than
    village.yml's year, else village.yml's block. The one answer to "the
    current year" (builder.frameworks.comparison.evaluate_all uses it)."""
    part = content.find(YearsPart)
    files = part.by_village.get(v.slug) if part is not None else None
    if not files:
        return v.model.assessments
    newest = max(files)
    own = village_year(v)
    if own is None or newest > own:
        return files[newest].model.assessments
    return v.model.assessments


def year_of_name(name: str) -> int | None:
    m = YEAR_FILE.match(name)
    if m is None:
        return None
    y = int(m.group(1))
    return y if FIRST_YEAR <= y <= LAST_YEAR else None


def load_years(content: ContentBase, diags: Diagnostics) -> YearsPart:
    part = YearsPart()
    villages = content.find(VillagesPart)
    if villages is None:
        return part
    tree = content.listing()
    for slug in sorted(villages.items):
        rel = f"villages/{slug}/assessments"
        if not tree.is_dir(rel):
            continue
        years: dict[int, YearEntry] = {}
        # .yml before .yaml: of 2024.yml and 2024.yaml, the second is the duplicate
        for name, kind in sorted(tree.entries(rel), key=lambda e: (not e[0].endswith(".yml"), e[0])):
            if name.startswith("."):
                continue
            path = content.content_dir / rel / name
            shown = content.display(path)
            year = year_of_name(name)
            if year is None or kind != FILE:
                if kind in (FILE, DIR):
                    _bad_name(shown, name, kind == DIR, diags)
                    part.failed.add(slug)  # perhaps a year: gaps and 复核 wait until it is renamed
                continue
            if year in years:
                diags.emit(
                    Location(shown, 1, 1),
                    "duplicate-year",
                    f"{year} 年的自评写了两份：{years[year].file} 和 {name}。",
                    f"一年只写一个文件：把两份合并到 {years[year].file.rsplit('/', 1)[-1]}，删掉 {name}。",
                )
                continue
            if not is_real_file(tree, f"{rel}/{name}", content.root, diags):
                continue
            # a lean build reads a year's positions only if it has something to report
            doc = load_yaml(path, shown, diags, positions=not content.options.lean)
            if doc is None or has_placeholders(doc, diags):
                part.failed.add(slug)
                continue
            partial = validate_partial(YearAssessments, doc, diags, f"{year} 年自评")
            if partial.model is None:
                part.failed.add(slug)
                continue
            years[year] = YearEntry(slug, year, shown, doc, partial.model, partial.broken)
            if content.options.lean:
                doc.forget()  # validated (Options.lean)
        if years:
            part.by_village[slug] = years
    return part


def _bad_name(shown: str, name: str, is_dir: bool, diags: Diagnostics) -> None:
    fixed = lookalike.fix(name)
    if not is_dir and year_of_name(fixed) is not None:
        hint = f"文件名{lookalike.explain(name)}：改名为 {fixed}（半角数字）。"
    elif not is_dir and re.fullmatch(r"[0-9]{4}\.\w+", fixed) and year_of_name(fixed.split(".")[0] + ".yml"):
        hint = f"扩展名应为 .yml：改名为 {fixed.split('.')[0]}.yml。"
    else:
        hint = "assessments/ 里只放每年一个的自评文件，文件名就是年份，例如 2024.yml；其他文件请移走。"
    diags.emit(
        Location(shown, 1, 1),
        "bad-year-file",
        f"assessments/ 里的{'文件夹' if is_dir else '文件'}“{name}”的名字不是年份，不会被读取。",
        hint,
    )
