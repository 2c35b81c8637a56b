"""After the tour: the judges' scores (content/tours/<编号>.scores.yml),
checked against the tour and its framework, turned into totals, per-item
averages, a ranking and the proposed designations for 公示."""

from __future__ import annotations

import difflib
import math
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

from builder.content import Content
from builder.frameworks.model import Framework
from builder.kernel.diagnostics import Diagnostics
from builder.kernel.loading.yamlsrc import YamlDoc, load_yaml
from builder.kernel.schema import validate_model
from builder.kernel.suggest import suggest as _suggest
from builder.tours.model import ScoresFile
from builder.villages.load import village_hinter


@dataclass
class VillageResult:
    slug: str
    name: str
    town: str
    judge_totals: dict[str, float]  # judge → total of that judge's sheet
    item_avgs: dict[str, float | None]  # item id → average over judges
    total: float  # average of the judges' totals
    rank: int = 0
    proposed: bool = False
    discarded: list[tuple[str, float, str]] = field(default_factory=list)  # (judge, total, 最高/最低)
    group_scores: dict[str, float] = field(default_factory=dict)  # group → its score


@dataclass
class Results:
    framework: Framework
    villages: list[VillageResult]  # ranked, best first
    judges: list[str]
    share: float
    proposed_count: int
    publicity_days: int
    missing: list[tuple[str, str]] = field(default_factory=list)  # (judge, stop) without a sheet
    rule: str = "mean"  # mean / trimmed
    groups: list[tuple[str, float, list[str]]] = field(default_factory=list)  # (name, weight, judges)

    @property
    def rule_text(self) -> str:
        text = RULE_ZH[self.rule]
        if self.groups:
            text = (
                "评委分组计分："
                + "；".join(f"{g}（{'、'.join(j)}）权重 {w:g}" for g, w, j in self.groups)
                + f"。各组分别取{text}，再按权重加总"
            )
        return text

    @property
    def proposed(self) -> list[VillageResult]:
        return [v for v in self.villages if v.proposed]


@dataclass
class ScoresEntry:
    file: str
    doc: YamlDoc | None  # None for a workbook (.scores.xlsx)
    model: ScoresFile
    results: Results | None = None


def load_scores(path: Path, shown: str, tour, content: Content, diags: Diagnostics) -> ScoresEntry | None:
    doc = load_yaml(path, shown, diags)
    if not doc:
        return None
    model = validate_model(ScoresFile, doc, diags, "观摩评分", hinter=village_hinter(content))
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
    quiet: set[str] = set()
    for ri, row in enumerate(model.sheets):
        good = True
        if row.judge not in judges:
            diags.emit(
                doc.loc(("sheets", ri, "judge")),
                "score-unknown-judge",
                f"评委“{row.judge}”不在 judges 名单中。",
                _suggest(row.judge, judges) + "先把评委加进 judges，或改正姓名。",
            )
            good = False
        if row.stop not in stops and (
            row.stop in tour.blocked
            or row.stop in tour.unresolved
            or (tour.unresolved and content.village_exists(row.stop))
        ):
            good = False  # the village's own file has errors (reported there)
        elif row.stop not in stops:
            name = content.villages[row.stop].name if row.stop in content.villages else row.stop
            diags.emit(
                doc.loc(("sheets", ri, "stop")),
                "score-unknown-stop",
                f"“{name}”不是这次观摩（{tour.title}）的观摩点。",
                _suggest(row.stop, stops) + "观摩点有：" + "、".join(stops) + "。",
            )
            good = False
        key = (row.judge, row.stop)
        if key in seen:
            diags.emit(
                doc.loc(("sheets", ri, "judge")),
                "duplicate-id",
                f"评委“{row.judge}”对“{row.stop}”打了两次分（另一次在 sheets 第 {seen[key] + 1} 项）。",
                "删掉或合并重复的一行。",
            )
            good = False
        seen.setdefault(key, ri)
        for iid, score in row.scores.items():
            spath = ("sheets", ri, "scores", iid)
            item = items.get(iid)
            if item is None:
                diags.emit(
                    doc.key_loc(spath),
                    "score-unknown-item",
                    f"“{iid}”不是{fw.name}中的条目。",
                    _suggest(iid, items) + "条目编号见评分表，或 content/frameworks/ 下的体系文件。",
                )
                good = False
                continue
            if score < 0 or (score > item.max_score and not fw.allow_over_max):
                diags.emit(
                    doc.loc(spath),
                    "score-range",
                    f"“{item.name}”得分 {score:g} 超出范围（满分 {item.max_score:g}）。",
                    f"填 0 到 {item.max_score:g} 之间的分数。",
                )
                good = False
        missing = [i.name for i in fw.items if i.id not in row.scores]
        if not good:
            # a rejected row (its mistake reported above): what follows from it
            # (too few judges, a missing sheet) is not reported as well, for the
            # stop it names or, misspelt, the stop it was meant for
            meant = (
                row.stop if row.stop in stops else next(iter(difflib.get_close_matches(row.stop, stops, 1, 0.6)), "")
            )
            quiet.add(meant)
        unknown_items = any(iid not in items for iid in row.scores)
        if missing and row.stop in stops and not unknown_items:
            diags.emit(
                doc.loc(("sheets", ri, "scores")),
                "score-incomplete",
                f"评委“{row.judge}”对“{stops[row.stop].name}”少打了 {len(missing)} 条：{'、'.join(missing[:4])}"
                f"{'等' if len(missing) > 4 else ''}，缺的条目按 0 分计。",
                "补上缺的条目。",
            )
        if good:
            ok_rows.append(row)
    entry.results = compute_results(tour, fw, model, ok_rows, diags, quiet_stops=quiet)
    for judge, slug in entry.results.missing:
        if slug in quiet:
            continue
        diags.emit(
            doc.loc(("sheets",)),
            "score-incomplete",
            f"评委“{judge}”没有给“{stops[slug].name}”打分；该村的平均分只按已打分的评委计算。",
            "补上这一行，或确认该评委没有参加这一站。",
        )
    return entry


RULE_ZH = {"mean": "各评委总分的平均分", "trimmed": "去掉一个最高分和一个最低分后，其余评委总分的平均分"}
CENT = Decimal("0.01")


def dec(x) -> Decimal:
    return x if isinstance(x, Decimal) else Decimal(repr(float(x)))


def round2(x) -> float:
    """Half-up to two decimals (as judging panels round), on decimal digits
    rather than binary floats (8.3 + 9.1 ... must not end in …99999)."""
    return float(dec(x).quantize(CENT, rounding=ROUND_HALF_UP))


def apply_rule(rule: str, totals: list[tuple[str, Decimal]]) -> tuple[Decimal, list[tuple[str, Decimal, str]]]:
    """(score, discarded) of one group's judge totals under the rule.
    discarded: (judge, total, "最高"/"最低"); the first judge in list order
    with the highest (lowest) total is the one dropped."""
    if rule == "trimmed" and len(totals) >= 3:
        hi = max(range(len(totals)), key=lambda k: (totals[k][1], -k))
        lo = min(range(len(totals)), key=lambda k: (totals[k][1], k))
        if lo == hi:  # all equal: any two
            lo = 1 if hi == 0 else 0
        kept = [t for k, t in enumerate(totals) if k not in (hi, lo)]
        discarded = [(totals[hi][0], totals[hi][1], "最高"), (totals[lo][0], totals[lo][1], "最低")]
        return sum((t for _, t in kept), Decimal(0)) / len(kept), discarded
    return sum((t for _, t in totals), Decimal(0)) / len(totals), []


def rule_problems(tour, judges: list[str]) -> list[tuple[tuple, str, str, str]]:
    """Problems of the tour's scoring block against the judges: (path, code, message, hint)."""
    sc = tour.model.scoring
    out: list[tuple[tuple, str, str, str]] = []
    if sc.groups:
        names: dict[str, str] = {}
        for gi, g in enumerate(sc.groups):
            for ji, j in enumerate(g.judges):
                if j not in judges:
                    out.append(
                        (
                            ("scoring", "groups", gi, "judges", ji),
                            "score-rule",
                            f"评委组“{g.name}”里的“{j}”不在评委名单中。",
                            _suggest(j, judges) + "评委有：" + "、".join(judges) + "。",
                        )
                    )
                elif j in names:
                    out.append(
                        (
                            ("scoring", "groups", gi, "judges", ji),
                            "score-rule",
                            f"评委“{j}”同时在“{names[j]}”和“{g.name}”两个组里。",
                            "每位评委只能在一个组里。",
                        )
                    )
                names.setdefault(j, g.name)
            if sc.rule == "trimmed" and len(g.judges) < 3:
                out.append(
                    (
                        ("scoring", "groups", gi, "judges"),
                        "score-rule",
                        f"“去掉一个最高分和一个最低分”至少要 3 位评委，评委组“{g.name}”只有 {len(g.judges)} 位。",
                        "给该组增加评委，或把计分规则改为 rule: mean（取平均分）。",
                    )
                )
        rest = [j for j in judges if j not in names]
        if rest:
            out.append(
                (
                    ("scoring", "groups"),
                    "score-rule",
                    f"评委{'、'.join(rest)}不在任何评委组里。",
                    "把他们加进某个组的 judges。",
                )
            )
        wsum = sum(g.weight for g in sc.groups)
        if abs(wsum - 1) > 1e-6:
            out.append(
                (
                    ("scoring", "groups"),
                    "score-rule",
                    f"各评委组的权重之和是 {wsum:g}，不是 1。",
                    "调整 weight，使各组权重加起来等于 1（例如 0.6 和 0.4）。",
                )
            )
    elif sc.rule == "trimmed" and len(judges) < 3:
        out.append(
            (
                ("scoring", "rule"),
                "score-rule",
                f"“去掉一个最高分和一个最低分”至少要 3 位评委，这次只有 {len(judges)} 位。",
                "增加评委，或把计分规则改为 rule: mean（取平均分）。",
            )
        )
    return out


def compute_results(
    tour,
    fw: Framework,
    model,
    rows,
    diags: Diagnostics | None = None,
    quiet_stops: set[str] | frozenset[str] = frozenset(),
) -> Results:
    """quiet_stops: stops with a rejected score row (reported): their
    "too few judges" is a consequence, not said again."""
    stops = {s.slug: s for s in tour.stops}
    sc = tour.model.scoring
    problems = rule_problems(tour, list(model.judges))
    if diags is not None:
        for path, code, msg, hint in problems:
            diags.emit(tour.loc(path), code, msg, hint)
    groups = (
        [(g.name, dec(g.weight), list(g.judges)) for g in sc.groups]
        if sc.groups and not problems
        else [("", Decimal(1), list(model.judges))]
    )
    rule = sc.rule if not problems else "mean"
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
        exact = {j: sum((dec(sc_.get(i.id, 0.0)) for i in fw.items), Decimal(0)) for j, sc_ in sheets.items()}
        judge_totals = {j: float(t) for j, t in exact.items()}
        item_avgs = {}
        for i in fw.items:
            vals = [sc_.get(i.id, 0.0) for sc_ in sheets.values()]
            item_avgs[i.id] = sum(vals) / len(vals) if vals else None
        total_w, wsum, discarded, group_scores = Decimal(0), Decimal(0), [], {}
        for gname, w, gj in groups:
            got = [(j, exact[j]) for j in model.judges if j in gj and j in exact]
            if not got:
                continue
            if rule == "trimmed" and len(got) < 3 and diags is not None and slug not in quiet_stops:
                diags.emit(
                    tour.loc(("scoring", "rule")),
                    "score-rule",
                    f"{s.name}只有 {len(got)} 位评委打了分{f'（{gname}）' if gname else ''}，"
                    "不够“去掉一个最高分和一个最低分”（至少 3 位），这个村按平均分计算。",
                    "补齐评委的打分，或把计分规则改为 rule: mean。",
                )
            score, dropped = apply_rule(rule, got)
            discarded += [(j, float(t), why) for j, t, why in dropped]
            if gname:
                group_scores[gname] = round2(score)
            total_w += w * score
            wsum += w
        total = total_w / wsum
        v = s.village
        villages.append(
            VillageResult(
                slug,
                v.model.name,
                v.model.town,
                judge_totals,
                item_avgs,
                round2(total),
                discarded=discarded,
                group_scores=group_scores,
            )
        )
    villages.sort(key=lambda v: (-v.total, v.slug))
    # competition ranking (1, 2, 2, 4) on the two-decimal totals; ties at the cut are all proposed
    for k, v in enumerate(villages):
        v.rank = villages[k - 1].rank if k and v.total == villages[k - 1].total else k + 1
    n = len(villages)
    count = max(1, math.floor(n * model.share + 1e-9)) if n else 0
    if count:
        cut = villages[count - 1].total
        for v in villages:
            v.proposed = v.total >= cut
    return Results(
        fw,
        villages,
        list(model.judges),
        model.share,
        count,
        model.publicity_days,
        missing,
        rule=rule,
        groups=[(g, float(w), j) for g, w, j in groups if g],
    )
