"""Rules of a 书记党建项目 file."""

from __future__ import annotations

from builder.content import Content
from builder.kernel.diagnostics import Diagnostics
from builder.kernel.suggest import choices as _choices
from builder.kernel.suggest import suggest as _suggest
from builder.projects.load import ProjectEntry
from builder.villages.load import suggest_village


def validate_project(c: Content, p: ProjectEntry, diags: Diagnostics) -> None:
    m, doc = p.model, p.doc
    if not c.village_exists(m.village):
        diags.emit(
            doc.loc(("village",)),
            "unknown-village",
            f"村“{m.village}”不存在。",
            suggest_village(c.villages, m.village) or "村编号是 content/villages/ 下的文件夹名。",
        )
    if m.theme not in c.settings.project_themes and "project_themes" not in c.settings_broken:
        diags.emit(
            doc.loc(("theme",)),
            "unknown-theme",
            f"项目类别“{m.theme}”不在配置的列表中。",
            _suggest(m.theme, c.settings.project_themes) + _choices(c.settings.project_themes),
        )
    for i, ms in enumerate(m.milestones):
        if (ms.month is None) == (ms.date is None):
            diags.emit(
                doc.loc(("milestones", i)),
                "bad-value",
                "进度节点要写 month（如 2022-03）或 date（如 2022-03-15），二选一。",
                "只保留其中一个。",
            )
    for i, ph in enumerate(m.phases):
        if ph.end < ph.start:
            diags.emit(
                doc.loc(("phases", i, "end")),
                "date-order",
                f"阶段“{ph.name}”的结束日期 {ph.end} 早于开始日期 {ph.start}。",
                "核对两个日期。",
            )
    prev = None
    for i, r in enumerate(m.reports):
        if prev is not None:
            if r.date < prev.date:
                diags.emit(
                    doc.loc(("reports", i, "date")),
                    "date-order",
                    f"月报告日期 {r.date} 早于上一份的 {prev.date}。",
                    "月报告请按时间先后排列。",
                )
            elif r.percent < prev.percent:
                diags.emit(
                    doc.loc(("reports", i, "percent")),
                    "percent-order",
                    f"进度 {r.percent:g}% 比上一份报告的 {prev.percent:g}% 低。",
                    "核对进度百分比。",
                )
        prev = r
    if m.status == "已验收" and m.acceptance is None:
        diags.emit(
            doc.loc(("status",)),
            "missing-key",
            "状态是“已验收”，但没有填写验收结果（acceptance）。",
            "加上 acceptance: {date, result, by, comment}。",
        )
    if m.acceptance and m.phases and m.acceptance.date < min(ph.start for ph in m.phases):
        diags.emit(doc.loc(("acceptance", "date")), "date-order", "验收日期早于项目开始日期。", "核对验收日期。")
