"""The annual ranking as an Excel/WPS workbook (ranking/<year>/ranking-<year>.xlsx):
the same table as the CSV, with the office feature's styles and A4 print
settings (builder/office/xl.py), the rule below the table."""

from __future__ import annotations

from openpyxl.workbook.workbook import Workbook

from builder.content import Content
from builder.office import xl
from builder.ranking.compute import YearRanking, rule_lines


def ranking_xlsx(content: Content, r: YearRanking) -> bytes:
    wb = Workbook()
    ws = xl.first_sheet(wb)
    ws.title = f"{r.year}年度排名"
    heads = [
        "全县名次",
        "村",
        "乡镇",
        "乡镇内名次",
        *[f"{label}得分率（%）" for _, label, _ in r.parts],
        "综合得分",
        "拟推荐",
    ]
    ws.append([f"{content.settings.county}{r.year}年度党建示范村综合排名"])
    ws.append(heads)
    for c in ws[2]:
        c.font, c.fill, c.border, c.alignment = xl.font(bold=True, head=True), xl.HEAD_FILL, xl.BOX, xl.CENTER
    for v in r.ranked:
        ws.append(
            [v.rank, v.name, v.town, v.town_rank]
            + [None if (x := v.rates[k]) is None else xl.num_value(x) for k, _, _ in r.parts]
            + [float(v.score), "拟推荐" if v.recommended else ""]
        )
    for _, name, town in r.unranked:
        ws.append([None, name, town, None] + [None for _ in r.parts] + [None, "无当年数据，未参加排名"])
    last = ws.max_row
    for row in ws.iter_rows(min_row=3, max_row=last):
        for c in row:
            c.border = xl.BOX
        row[len(heads) - 2].number_format = "0.00"
    ws.append([])
    for line in rule_lines(content):
        ws.append([line])
    ws["A1"].font = xl.font(bold=True, size=14, head=True)
    for k, w in enumerate([8, 12, 10, 10] + [12] * len(r.parts) + [10, 10], 1):
        ws.column_dimensions[xl.get_column_letter(k)].width = w
    xl.a4(ws, landscape=False, title_rows="2:2", fit_height=0)
    return xl.save(wb)
