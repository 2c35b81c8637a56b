"""After the tour: the judges' scores (content/tours/<编号>.scores.yml),
checked against the tour and its framework, turned into totals, per-item
averages, a ranking and the proposed designations for 公示."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from pathlib import Path

from builder.content import Content
from builder.kernel.diagnostics import Diagnostics
from builder.kernel.loading.yamlsrc import YamlDoc, load_yaml
from builder.frameworks.model import Framework
from builder.tours.model import ScoresFile
from builder.kernel.schema import validate_model
from builder.kernel.suggest import suggest as _suggest


@dataclass
class VillageResult:
    slug: str
    name: str
    town: str
    judge_totals: dict[str, float]           # judge → total of that judge's sheet
    item_avgs: dict[str, float | None]       # item id → average over judges
    total: float                             # average of the judges' totals
    rank: int = 0
    proposed: bool = False


@dataclass
class Results:
    framework: Framework
    villages: list[VillageResult]            # ranked, best first
    judges: list[str]
    share: float
    proposed_count: int
    publicity_days: int
    missing: list[tuple[str, str]] = field(default_factory=list)   # (judge, stop) without a sheet

    @property
    def proposed(self) -> list[VillageResult]:
        return [v for v in self.villages if v.proposed]


@dataclass
class ScoresEntry:
    file: str
    doc: YamlDoc
    model: ScoresFile
    results: Results | None = None


def load_scores(path: Path, shown: str, tour, content: Content, diags: Diagnostics) -> ScoresEntry | None:
    doc = load_yaml(path, shown, diags)
    if not doc:
        return None
    model = validate_model(ScoresFile, doc, diags, "观摩评分")
    if model is None:
        return None
    entry = ScoresEntry(shown, doc, model)
    fw = tour.framework
    if fw is None:
        return entry
    items = {i.id: i for i in fw.items}
    stops = {s.slug: s for s in tour.stops}
    judges = set()
    for ji, j in enumerate(model.judges):
        if j in judges:
            diags.emit(doc.loc(("judges", ji)), "duplicate-name", f"评委“{j}”重复列出。", "删掉重复的一项。")
        judges.add(j)
    seen: dict[tuple[str, str], int] = {}
    ok_rows = []
    for ri, row in enumerate(model.sheets):
        good = True
        if row.judge not in judges:
            diags.emit(doc.loc(("sheets", ri, "judge")), "score-unknown-judge", f"评委“{row.judge}”不在 judges 名单中。",
                       _suggest(row.judge, judges) + "先把评委加进 judges，或改正姓名。")
            good = False
        if row.stop not in stops:
            name = content.villages[row.stop].name if row.stop in content.villages else row.stop
            diags.emit(doc.loc(("sheets", ri, "stop")), "score-unknown-stop",
                       f"“{name}”不是这次观摩（{tour.title}）的观摩点。",
                       _suggest(row.stop, stops) + "观摩点有：" + "、".join(stops) + "。")
            good = False
        key = (row.judge, row.stop)
        if key in seen:
            diags.emit(doc.loc(("sheets", ri, "judge")), "duplicate-id",
                       f"评委“{row.judge}”对“{row.stop}”打了两次分（另一次在 sheets 第 {seen[key] + 1} 项）。",
                       "删掉或合并重复的一行。")
            good = False
        seen.setdefault(key, ri)
        for iid, score in row.scores.items():
            spath = ("sheets", ri, "scores", iid)
            item = items.get(iid)
            if item is None:
                diags.emit(doc.key_loc(spath), "score-unknown-item", f"“{iid}”不是{fw.name}中的条目。",
                           _suggest(iid, items) + "条目编号见评分表，或 content/frameworks/ 下的体系文件。")
                good = False
                continue
            if score < 0 or (score > item.max_score and not fw.allow_over_max):
                diags.emit(doc.loc(spath), "score-range",
                           f"“{item.name}”得分 {score:g} 超出范围（满分 {item.max_score:g}）。",
                           f"填 0 到 {item.max_score:g} 之间的分数。")
                good = False
        missing = [i.name for i in fw.items if i.id not in row.scores]
        if missing and row.stop in stops:
            diags.emit(doc.loc(("sheets", ri, "scores")), "score-incomplete",
                       f"评委“{row.judge}”对“{stops[row.stop].name}”少打了 {len(missing)} 条：{'、'.join(missing[:4])}"
                       f"{'等' if len(missing) > 4 else ''}，缺的条目按 0 分计。", "补上缺的条目。")
        if good:
            ok_rows.append(row)
    entry.results = compute_results(tour, fw, model, ok_rows)
    for judge, slug in entry.results.missing:
        diags.emit(doc.loc(("sheets",)), "score-incomplete",
                   f"评委“{judge}”没有给“{stops[slug].name}”打分；该村的平均分只按已打分的评委计算。",
                   "补上这一行，或确认该评委没有参加这一站。")
    return entry


def compute_results(tour, fw: Framework, model: ScoresFile, rows) -> Results:
    stops = {s.slug: s for s in tour.stops}
    by_stop: dict[str, dict[str, dict[str, float]]] = {s: {} for s in stops}
    for r in rows:
        by_stop[r.stop][r.judge] = r.scores
    villages = []
    missing = []
    for slug, s in stops.items():
        sheets = by_stop[slug]
        for j in model.judges:
            if j not in sheets:
                missing.append((j, slug))
        if not sheets:
            continue
        judge_totals = {j: sum(sc.get(i.id, 0.0) for i in fw.items) for j, sc in sheets.items()}
        item_avgs = {}
        for i in fw.items:
            vals = [sc.get(i.id, 0.0) for sc in sheets.values()]
            item_avgs[i.id] = sum(vals) / len(vals) if vals else None
        total = sum(judge_totals.values()) / len(judge_totals)
        v = s.village
        villages.append(VillageResult(slug, v.model.name, v.model.town, judge_totals, item_avgs, round(total, 2)))
    villages.sort(key=lambda v: (-v.total, v.slug))
    # competition ranking (1, 2, 2, 4); ties at the cut are all proposed
    for k, v in enumerate(villages):
        v.rank = villages[k - 1].rank if k and v.total == villages[k - 1].total else k + 1
    n = len(villages)
    count = max(1, math.floor(n * model.share + 1e-9)) if n else 0
    if count:
        cut = villages[count - 1].total
        for v in villages:
            v.proposed = v.total >= cut
    return Results(fw, villages, list(model.judges), model.share, count, model.publicity_days, missing)
