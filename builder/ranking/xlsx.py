"""The annual ranking as an Excel/WPS workbook (ranking/<year>/ranking-<year>.xlsx):
the same table as the CSV, with the office feature's styles and A4 print
settings (builder/office/xw.py: XlsxWriter), the rule below the table."""

from __future__ import annotations

from typing import Any

from builder.content import Content
from builder.office import xl, xw
from builder.ranking.compute import YearRanking, rule_lines


def ranking_xlsx(content: Content, r: YearRanking) -> bytes:
    heads = [
        "全县名次",
        "村",
        "乡镇",
        "乡镇内名次",
        *[f"{label}得分率（%）" for _, label, _ in r.parts],
        "综合得分",
        "拟推荐",
    ]
    score_col = len(heads) - 2
    with xw.book() as b:
        ws = b.sheet(xl.sheet_title(f"{r.year}年度排名"))
        ws.write_string(0, 0, f"{content.settings.county}{r.year}年度党建示范村综合排名", b.title)
        ws.write_row(1, 0, heads, b.head)
        row = 2
        rows: list[list[Any]] = [
            [v.rank, v.name, v.town, v.town_rank]
            + [None if (x := v.rates[k]) is None else xl.num_value(x) for k, _, _ in r.parts]
            + [float(v.score), "拟推荐" if v.recommended else ""]
            for v in r.ranked
        ]
        rows += [
            [None, name, town, None] + [None for _ in r.parts] + [None, "无当年数据，未参加排名"]
            for _, name, town in r.unranked
        ]
        for values in rows:
            for k, cell in enumerate(values):
                fmt = b.box_2dp if k == score_col else b.box
                if cell is None:
                    ws.write_blank(row, k, None, fmt)
                else:
                    ws.write(row, k, cell, fmt)
            row += 1
        row += 1  # an empty row, then the rule
        for line in rule_lines(content):
            ws.write_string(row, 0, line)
            row += 1
        xw.widths(ws, [8, 12, 10, 10] + [12] * len(r.parts) + [10, 10])
        xw.a4(ws, landscape=False, title_row=1, fit_height=0)
        return b.close()
