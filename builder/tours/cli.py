"""``python -m builder tour FILE [--format text|json]``: plan one tour file
and print the day. Exit 0 when the file is fine, 1 when it has errors (the
diagnostics go to stderr; what could be planned is still printed), 2 for
wrong usage (no such file, not a tour file)."""

from __future__ import annotations

import json
import sys
from pathlib import Path

from builder.tours.model import fmt_clock
from builder.tours.pages import METHOD_ZH  # one wording, on the page and in the terminal


def register(sub, add_content) -> None:
    p = sub.add_parser("tour", help="排出一次观摩拉练的路线和时间表")
    add_content(p)
    p.add_argument("file", help="观摩文件，例如 content/tours/2024-q2-qingshan.yml")
    p.add_argument("--format", choices=["text", "json"], default="text", help="输出格式")
    p.set_defaults(func=cmd_tour)


def cmd_tour(args) -> int:
    from builder.content import load_content
    from builder.kernel.diagnostics import Diagnostics
    from builder.pipeline import validate
    from builder.tours.load import load_tour_file
    from builder.tours.scores import load_scores

    path = Path(args.file)
    if not path.is_file() or path.suffix != ".yml" or path.name.endswith(".scores.yml"):
        print(
            f"python -m builder tour: 用法错误：{args.file} 不是观摩文件（content/tours/ 下的 .yml 文件）。",
            file=sys.stderr,
        )
        return 2
    background = Diagnostics()  # problems of other files are `check`'s business
    content = load_content(Path(args.content), background, Path.cwd())
    validate(content, background)
    diags = Diagnostics()
    entry = load_tour_file(path, content, diags)
    if entry is not None:
        sp = path.with_name(path.name[:-4] + ".scores.yml")
        sx = path.with_name(path.name[:-4] + ".scores.xlsx")
        if sp.is_file() and sx.is_file():
            from builder.kernel.diagnostics import Location

            diags.emit(
                Location(content.display(sx), 0, 0),
                "scores-both",
                f"既有评分文件 {sp.name}，又有评分工作簿 {sx.name}，不知道以哪个为准。",
                "只保留一个：用工作簿就删掉 .scores.yml，用 .scores.yml 就删掉工作簿。",
            )
        elif sp.is_file():
            entry.scores = load_scores(sp, content.display(sp), entry, content, diags)
        elif sx.is_file():
            from builder.office.scorebook import load_scores_xlsx

            entry.scores = load_scores_xlsx(sx, content.display(sx), entry, content, diags)
    if diags:
        print(diags.format("text"), file=sys.stderr)
    if entry is not None and entry.plan is not None:
        if args.format == "json":
            out = {
                "id": entry.id,
                "title": entry.title,
                "date": entry.model.date.isoformat() if entry.model.date else None,
                "ok": not diags.has_errors,
                **entry.plan.to_dict(),
                **(
                    {"results": results_dict(entry.scores.results)}
                    if entry.scores is not None and entry.scores.results is not None
                    else {}
                ),
                "diagnostics": [d.to_dict() for d in diags.sorted()],
            }
            print(json.dumps(out, ensure_ascii=False, indent=2))
        else:
            print(format_text(entry))
    elif args.format == "json":
        print(
            json.dumps(
                {"ok": False, "diagnostics": [d.to_dict() for d in diags.sorted()]}, ensure_ascii=False, indent=2
            )
        )
    return 1 if diags.has_errors else 0


def results_dict(res) -> dict:
    """The ranking for --format json (decimals fixed at two places)."""
    return {
        "rule": res.rule,
        "rule_text": res.rule_text,
        "judges": res.judges,
        "share": res.share,
        "proposed_count": res.proposed_count,
        "ranking": [
            {
                "rank": v.rank,
                "village": v.slug,
                "name": v.name,
                "town": v.town,
                "total": f"{v.total:.2f}",
                "proposed": v.proposed,
                "judge_totals": {j: f"{x:.2f}" for j, x in v.judge_totals.items()},
                "discarded": [{"judge": j, "total": f"{x:.2f}", "why": why} for j, x, why in v.discarded],
                **({"groups": {g: f"{x:.2f}" for g, x in v.group_scores.items()}} if v.group_scores else {}),
            }
            for v in res.villages
        ],
    }


def format_text(entry) -> str:
    t, plan = entry.model, entry.plan
    lines = [
        f"{t.title}" + (f"（{t.date.isoformat()}）" if t.date else ""),
        METHOD_ZH.get(plan.method, plan.method),
        "",
    ]
    for r in plan.rows:
        leg = ""
        if r.kind != "start" and (r.leg_minutes or r.leg_km):
            leg = f"  ← 车程 {round(r.leg_minutes)} 分钟 / {r.leg_km:.1f} 公里" + ("（实测）" if r.measured else "")
        if r.kind == "start":
            lines.append(f"{fmt_clock(r.depart)}        出发  {r.name}")
        elif r.kind == "end":
            lines.append(f"{fmt_clock(r.arrive)}        返回  {r.name}{leg}")
        elif r.kind == "lunch":
            wait = f"（等候 {round(r.wait)} 分钟）" if r.wait >= 1 else ""
            lines.append(f"{fmt_clock(r.arrive)}–{fmt_clock(r.depart)}  午餐  {r.name}{wait}{leg}")
        else:
            lines.append(
                f"{fmt_clock(r.arrive)}–{fmt_clock(r.depart)}  {r.number:>2}.  {r.name}（{r.dwell:.0f} 分钟）{leg}"
            )
    lines.append("")
    lines.append(
        f"合计：里程 {plan.total_km:.1f} 公里，车程 {plan.travel_minutes:.0f} 分钟，"
        f"观摩 {plan.dwell_minutes:.0f} 分钟，午餐 {plan.lunch_minutes:.0f} 分钟"
        + (f"，等候 {plan.wait_minutes:.0f} 分钟" if plan.wait_minutes >= 1 else "")
        + f"；{fmt_clock(plan.return_time)} 返回（最晚 {fmt_clock(plan.return_by)}）。"
    )
    if plan.overrun > 0.5:
        lines.append(f"超出最晚返回时间 {plan.overrun:.0f} 分钟。")
        for s in plan.split:
            lines.append(f"  建议{s.name}：{'、'.join(s.stops)}（约 {fmt_clock(s.return_time)} 返回）")
    return "\n".join(lines)
