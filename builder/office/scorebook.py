"""The scoring workbook of a tour (评分工作簿): written for the judges
(template, or from a .scores.yml), read back as content
(content/tours/<编号>.scores.xlsx) with every mistake named by sheet and cell.

Layout of one judge's block (per-judge: one sheet "评委<姓名>" with the block at
row 1; single: one sheet "评分表" with the blocks one below the other):

    row r    title                                  (merged)
    row r+1  评委 | <姓名> | 标准体系 … 满分 …
    row r+2  编号 | 指标 | 测评内容 | 分值 | 1. 王家庄村 | 2. …     ← header
    row r+3  村编号 |    |          |      | wangjiazhuang | …      ← identifies the columns
    row r+4… <item id> | <name> | <content> | <max> | score cells
             合计 | | | =SUM | =SUM …
             备注 | | |      | note cells
             评委签名 …

A first sheet "说明" says how to fill it in and keeps the settings
(观摩编号, 标准体系, 评委名单, 拟命名比例, 公示天数) so a workbook is read
back without loss."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from openpyxl import Workbook, load_workbook
from openpyxl.styles import Protection
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.pagebreak import Break

from builder.kernel.diagnostics import Diagnostics, Location

if TYPE_CHECKING:
    from openpyxl.worksheet.worksheet import Worksheet
from builder.office import xl
from builder.tours.model import ScoresFile, SheetRow

INFO = "说明"
SINGLE = "评分表"
PREFIX = "评委"
FIRST_STOP_COL = 5
KEYS = {"观摩编号": "tour", "标准体系": "framework", "评委名单": "judges", "拟命名比例": "share", "公示天数": "days"}


def stop_columns(entry) -> list:
    """The tour's stops in route order (the plan's order; the file's order
    when the tour could not be planned)."""
    by_slug = {s.slug: s for s in entry.stops}
    if entry.plan is not None:
        return [by_slug[r.slug] for r in entry.plan.stops if r.slug in by_slug]
    return list(entry.stops)


def default_judges(entry) -> list[str]:
    return list(entry.model.scoring.judges) or [f"{k}" for k in ("甲", "乙", "丙")]


def judge_sheet(name: str) -> str:
    return xl.sheet_title(PREFIX + name)


# -- writing -----------------------------------------------------------------------------------


def _write_block(
    ws, r: int, entry, judge: str, stops, values: dict | None, notes: dict | None, validations: dict
) -> int:
    """Write one judge's block at row r; returns the first row after it."""
    fw = entry.framework
    last = FIRST_STOP_COL + len(stops) - 1
    date = entry.model.date.isoformat() if entry.model.date else ""
    ws.merge_cells(start_row=r, start_column=1, end_row=r, end_column=last)
    c = ws.cell(r, 1, f"{entry.title} · 评分表")
    c.font, c.alignment = xl.font(bold=True, size=16, head=True), xl.CENTER
    ws.row_dimensions[r].height = 30
    ws.cell(r + 1, 1, "评委").font = xl.font(bold=True)
    ws.cell(r + 1, 2, judge).font = xl.font(bold=True, size=12)
    ws.cell(
        r + 1, 3, f"标准体系：{fw.name}（满分 {fw.max_total:g} 分）" + (f"　日期：{date}" if date else "")
    ).font = xl.font()
    heads = ["编号", "指标", "测评内容", "分值"] + [f"{k}. {s.name}" for k, s in enumerate(stops, 1)]
    for col, text in enumerate(heads, 1):
        c = ws.cell(r + 2, col, text)
        c.font, c.alignment, c.border, c.fill = xl.font(bold=True, head=True), xl.CENTER, xl.BOX, xl.HEAD_FILL
    ws.cell(r + 3, 1, "村编号").font = xl.font(size=8, color="808080")
    for col, s in enumerate(stops, FIRST_STOP_COL):
        c = ws.cell(r + 3, col, s.slug)
        c.font, c.alignment = xl.font(size=8, color="808080"), xl.CENTER
    row = r + 4
    for it in fw.items:
        for col, text in enumerate([it.id, it.name, it.content, xl.num_value(it.max_score)], 1):
            c = ws.cell(row, col, text)
            c.border = xl.BOX
            c.font = xl.font(size=8, color="808080") if col == 1 else xl.font(size=10 if col == 3 else 11)
            c.alignment = xl.CENTER if col in (1, 4) else xl.WRAP
        for col, s in enumerate(stops, FIRST_STOP_COL):
            v = (values or {}).get((s.slug, it.id))
            c = ws.cell(row, col, None if v is None else xl.num_value(v))
            c.border, c.alignment, c.fill = xl.BOX, xl.CENTER, xl.INPUT_FILL
            c.font = xl.font(size=12)
            c.protection = Protection(locked=False)
            dv = validations.get(it.max_score)
            if dv is None:
                dv = DataValidation(
                    type="decimal",
                    operator="between",
                    formula1="0",
                    formula2=f"{it.max_score:g}",
                    allow_blank=True,
                    showErrorMessage=True,
                    errorTitle="分数超出范围",
                    error=f"请填 0 到 {it.max_score:g} 之间的数字（半角）。",
                    showInputMessage=True,
                    promptTitle="得分",
                    prompt=f"0–{it.max_score:g} 分",
                )
                validations[it.max_score] = dv
                ws.add_data_validation(dv)
            dv.add(c.coordinate)
        xl.fit_height(ws, row, [(it.name, 18, 11), (it.content, 34, 10)], min_pt=22)
        row += 1
    first, lastrow = r + 4, row - 1
    ws.cell(row, 1, "合计").font = xl.font(bold=True, head=True)
    ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=3)
    for col in range(4, last + 1):
        L = get_column_letter(col)
        c = ws.cell(row, col, f"=SUM({L}{first}:{L}{lastrow})")
        c.font, c.alignment = xl.font(bold=True), xl.CENTER
    for col in range(1, last + 1):
        ws.cell(row, col).border = xl.BOX
    row += 1
    ws.cell(row, 1, "备注").font = xl.font(bold=True)
    ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=4)
    for col, s in enumerate(stops, FIRST_STOP_COL):
        c = ws.cell(row, col, (notes or {}).get(s.slug) or None)
        c.border, c.alignment, c.font = xl.BOX, xl.WRAP, xl.font(size=9)
        c.protection = Protection(locked=False)
    for col in range(1, 5):
        ws.cell(row, col).border = xl.BOX
    row += 2
    ws.cell(row, 2, "评委（签名）：").font = xl.font()
    ws.cell(row, 5, "日期：").font = xl.font()
    return row + 1


def _info_sheet(wb: Workbook, entry, judges: list[str], share: float, days: int, layout: str) -> None:
    ws = xl.first_sheet(wb)
    ws.title = INFO
    ws.column_dimensions["A"].width = 14
    ws.column_dimensions["B"].width = 70
    c = ws.cell(1, 1, f"{entry.title} · 评分工作簿")
    c.font = xl.font(bold=True, size=16, head=True)
    steps = [
        f"1. 每位评委一张工作表（表名“评委+姓名”）；列是观摩点（按行程顺序），行是{entry.framework.name}的各条目。"
        if layout == "per-judge"
        else (
            f"1. 全部评委在“{SINGLE}”一张工作表里，每位评委一块；"
            f"列是观摩点（按行程顺序），行是{entry.framework.name}的各条目。"
        ),
        "2. 只在黄色格子里填得分（半角数字，例如 9 或 8.5，不要写“分”）；分数不能超过该条的分值。",
        "3. 合计由公式自动计算。不要删改行、列和工作表名；灰色的编号是程序识别用的。",
        "4. 填好后保存为 Excel 工作簿（.xlsx），交给门户管理员放到 content/tours/ 里，文件名不变。",
    ]
    for k, s in enumerate(steps, 3):
        ws.cell(k, 1, s).font = xl.font()
    r = len(steps) + 4
    rows = [
        ("观摩编号", entry.id),
        ("标准体系", entry.framework.id),
        ("评委名单", "、".join(judges)),
        ("拟命名比例", share),
        ("公示天数", days),
    ]
    ws.cell(r, 1, "设置（程序读取，请勿改动）").font = xl.font(bold=True, head=True)
    for k, (a, b) in enumerate(rows, r + 1):
        ws.cell(k, 1, a).font = xl.font(bold=True)
        ws.cell(k, 2, b).font = xl.font()
        ws.cell(k, 2).alignment = xl.Alignment(horizontal="left")
    ws.protection.sheet = True
    xl.a4(ws, landscape=False, fit_height=1)


def build_workbook(
    entry, judges: list[str] | None = None, scores: ScoresFile | None = None, layout: str | None = None
) -> bytes:
    """The scoring workbook of a tour: empty (template) or filled from a
    scores file."""
    judges = list(scores.judges) if scores is not None else (judges or default_judges(entry))
    layout = layout or entry.model.scoring.workbook
    share = scores.share if scores is not None else entry.model.scoring.share
    days = scores.publicity_days if scores is not None else entry.model.scoring.publicity_days
    stops = stop_columns(entry)
    values: dict[str, dict] = {j: {} for j in judges}
    notes: dict[str, dict] = {j: {} for j in judges}
    for row in scores.sheets if scores is not None else []:
        for iid, x in row.scores.items():
            values.setdefault(row.judge, {})[(row.stop, iid)] = x
        if row.note:
            notes.setdefault(row.judge, {})[row.stop] = row.note
    wb = Workbook()
    _info_sheet(wb, entry, judges, share, days, layout)
    landscape = len(stops) > 3

    def columns(ws):
        for col, w in (("A", 9), ("B", 18), ("C", 34), ("D", 6)):
            ws.column_dimensions[col].width = w
        for idx in range(FIRST_STOP_COL, FIRST_STOP_COL + len(stops)):
            ws.column_dimensions[get_column_letter(idx)].width = 10

    if layout == "single":
        ws = wb.create_sheet(SINGLE)
        columns(ws)
        r = 1
        validations: dict[float, DataValidation] = {}
        for k, j in enumerate(judges):
            if k:
                ws.row_breaks.append(Break(id=r - 1))
            r = _write_block(ws, r, entry, j, stops, values.get(j), notes.get(j), validations) + 1
        ws.protection.sheet = True
        xl.a4(ws, landscape, fit_height=0)
    else:
        for j in judges:
            ws = wb.create_sheet(judge_sheet(j))
            columns(ws)
            _write_block(ws, 1, entry, j, stops, values.get(j), notes.get(j), {})
            ws.protection.sheet = True
            xl.a4(ws, landscape, title_rows="3:4", fit_height=1)
            ws.freeze_panes = "E5"
    return xl.save(wb)


# -- reading -----------------------------------------------------------------------------------


@dataclass
class ReadResult:
    scores: ScoresFile | None
    tour_id: str = ""
    cells: dict = field(default_factory=dict)  # (judge, stop, item) → "sheet!cell"


class _Emitter:
    def __init__(self, shown: str, diags: Diagnostics):
        self.shown, self.diags = shown, diags

    def at(self, ws_title: str | None, row: int, col: int, code: str, msg: str, hint: str) -> None:
        where = (
            f"{xl.ref(ws_title, row, col)}："
            if ws_title and row and col
            else f"工作表“{ws_title}”第 {row} 行："
            if ws_title and row
            else f"工作表“{ws_title}”："
            if ws_title
            else ""
        )
        self.diags.emit(Location(self.shown, row, col), code, where + msg, hint)


MAX_BYTES = 20 * 2**20  # a filled scoring workbook is ~20 KB
MAX_UNPACKED = 200 * 2**20  # zip bomb guard


def open_workbook(path: Path, shown: str, diags: Diagnostics):
    import zipfile

    try:
        if path.stat().st_size > MAX_BYTES:
            raise ValueError("too large")
        with zipfile.ZipFile(path) as z:
            if sum(i.file_size for i in z.infolist()) > MAX_UNPACKED:
                raise ValueError("too large unpacked")
        return load_workbook(path, data_only=False)
    except Exception as exc:  # zip/xml/openpyxl errors of a broken or foreign file
        diags.emit(
            Location(shown, 0, 0),
            "workbook-unreadable",
            f"{Path(shown).name} 打不开：不是 Excel 工作簿（.xlsx），"
            f"或者文件已损坏、加了密码（{type(exc).__name__}）。",
            "用 Excel 或 WPS 打开它，“另存为”Excel 工作簿（*.xlsx），不要加密码。",
        )
        return None


def read_info(wb) -> dict:
    out: dict[str, Any] = {}
    if INFO not in wb.sheetnames:
        return out
    ws = wb[INFO]
    for row in ws.iter_rows(min_col=1, max_col=2, values_only=True):
        if isinstance(row[0], str) and row[0].strip() in KEYS:
            out[KEYS[row[0].strip()]] = row[1]
    return out


def _blocks(ws) -> list[int]:
    return [c.row for c in ws["A"] if isinstance(c.value, str) and c.value.strip() == "编号"]


def read_workbook(path: Path, shown: str, entry, diags: Diagnostics) -> ReadResult:
    """Read a filled scoring workbook against the tour. Every problem is a
    diagnostic naming the sheet and cell; what is right is kept."""
    E = _Emitter(shown, diags)
    wb = open_workbook(path, shown, diags)
    if wb is None:
        return ReadResult(None)
    fw = entry.framework
    items = {i.id: i for i in fw.items}
    names = {i.name: i for i in fw.items}
    stops = {s.slug: s for s in entry.stops}
    stop_names = {s.name: s for s in entry.stops}
    info = read_info(wb)
    sc = entry.model.scoring
    share, days = sc.share, sc.publicity_days
    try:
        share = float(info.get("share", share))
        days = int(info.get("days", days))
    except (TypeError, ValueError):
        E.at(INFO, 0, 0, "workbook-layout", "“说明”表里的拟命名比例或公示天数不是数字。", "从模板重新复制“说明”表。")
    listed = [j.strip() for j in str(info.get("judges") or "").replace(",", "、").split("、") if j.strip()]
    expected = listed or list(sc.judges)
    # which blocks belong to which judge
    blocks: list[tuple[str, Worksheet, int]] = []  # (judge, worksheet, header row)
    other_sheets = []
    for ws in wb.worksheets:
        if ws.title == INFO:
            continue
        heads = _blocks(ws)
        if ws.title.startswith(PREFIX) and ws.title != SINGLE:
            judge = ws.title[len(PREFIX) :].strip()
            if not heads:
                E.at(
                    ws.title,
                    0,
                    0,
                    "workbook-layout",
                    "找不到表头（A 列写着“编号”的那一行）。",
                    "不要删改模板的表头行；从模板重新复制这张表。",
                )
                continue
            blocks.append((judge, ws, heads[0]))
        elif heads and ws.title == SINGLE:
            for h in heads:
                judge = ws.cell(h - 1, 2).value if h > 1 else None
                judge = str(judge).strip() if judge not in (None, "") else ""
                if not judge:
                    E.at(
                        ws.title,
                        h - 1,
                        2,
                        "score-sheet-missing",
                        "这一块评分表没有写评委姓名。",
                        "在“评委”右边的格子里写上评委姓名。",
                    )
                    continue
                blocks.append((judge, ws, h))
        else:
            other_sheets.append(ws.title)
    found = [b[0] for b in blocks]
    judges = expected or list(dict.fromkeys(found))
    for j in judges:
        if j not in found:
            guess = ("是不是把它改名成了“" + "”或“".join(other_sheets) + "”？") if other_sheets else ""
            E.at(
                None,
                0,
                0,
                "score-sheet-missing",
                f"{Path(shown).name} 里没有评委“{j}”的工作表（应叫“{judge_sheet(j)}”）。",
                guess + f"评委的工作表名必须是“评委”加姓名；评委名单见“说明”表：{'、'.join(judges)}。",
            )
    rows: list[SheetRow] = []
    cells: dict = {}
    seen_judges = set()
    for judge, ws, h in blocks:
        if judge not in judges:
            E.at(
                ws.title,
                h - 1 if h > 1 else 0,
                2 if h > 1 else 0,
                "score-unknown-judge",
                f"评委“{judge}”不在评委名单（{'、'.join(judges)}）中。",
                "改正工作表名或评委姓名；评委名单见“说明”表和观摩文件的 scoring.judges。",
            )
            continue
        if judge in seen_judges:
            E.at(ws.title, h, 1, "duplicate-id", f"评委“{judge}”有两块评分表。", "删掉重复的一块。")
            continue
        seen_judges.add(judge)
        # the stop columns
        cols: dict[int, str] = {}
        unknown_cols = 0
        col = FIRST_STOP_COL
        while True:
            slug = ws.cell(h + 1, col).value
            head = ws.cell(h, col).value
            if slug in (None, "") and head in (None, ""):
                break
            slug = str(slug or "").strip()
            head_name = str(head or "").strip().split(". ", 1)[-1].strip()
            if slug in stops:
                s = stops[slug]
            elif not slug and head_name in stop_names:
                s = stop_names[head_name]
            elif slug in entry.blocked:  # that village's own file has errors (reported there)
                col += 1
                continue
            else:
                from builder.kernel.suggest import suggest as _suggest

                what = slug or head_name
                E.at(
                    ws.title,
                    h + 1 if slug else h,
                    col,
                    "score-unknown-stop",
                    f"这一列的“{what}”不是这次观摩（{entry.title}）的观摩点。",
                    _suggest(what, list(stops) + list(stop_names))
                    + "观摩点有："
                    + "、".join(f"{x.name}（{x.slug}）" for x in entry.stops)
                    + "。这一列的分数没有计入。",
                )
                unknown_cols += 1
                col += 1
                continue
            if s.slug in cols.values():
                E.at(ws.title, h + 1, col, "duplicate-id", f"观摩点“{s.name}”有两列。", "删掉重复的一列。")
            else:
                cols[col] = s.slug
            col += 1
        for s in entry.stops:
            if s.slug not in cols.values() and not unknown_cols:
                E.at(
                    ws.title,
                    h,
                    0,
                    "workbook-layout",
                    f"没有观摩点“{s.name}”（{s.slug}）这一列。",
                    "不要删除观摩点的列；从模板重新复制这张表。",
                )
        # the item rows
        item_rows: dict[int, str] = {}
        r = h + 2
        while r <= ws.max_row:
            a = ws.cell(r, 1).value
            a = str(a).strip() if a is not None else ""
            if a == "合计":
                break
            b = str(ws.cell(r, 2).value or "").strip()
            if a in items:
                item_rows[r] = a
            elif not a and b in names:
                item_rows[r] = names[b].id
            elif a or b:
                E.at(
                    ws.title,
                    r,
                    1,
                    "score-unknown-item",
                    f"“{a or b}”不是{fw.name}中的条目。",
                    "不要改动 A 列的条目编号；从模板重新复制这一行。",
                )
            r += 1
        note_row = r + 1 if str(ws.cell(r + 1, 1).value or "").strip() == "备注" else None
        for iid in items:
            if iid not in item_rows.values():
                E.at(
                    ws.title,
                    h,
                    1,
                    "workbook-layout",
                    f"没有条目“{items[iid].name}”（{iid}）这一行。",
                    "不要删除条目的行；从模板重新复制这张表。",
                )
        for col, slug in cols.items():
            got: dict[str, float] = {}
            blanks = []
            for r, iid in item_rows.items():
                item = items[iid]
                cells[(judge, slug, iid)] = xl.ref(ws.title, r, col)
                kind, x, guess = xl.parse_number(ws.cell(r, col).value)
                if kind == "blank":
                    blanks.append((r, item))
                elif kind == "text":
                    raw = ws.cell(r, col).value
                    E.at(
                        ws.title,
                        r,
                        col,
                        "score-not-number",
                        f"“{stops[slug].name}”的“{item.name}”填的是“{raw}”，不是数字。",
                        (
                            f"改成 {guess}（半角数字，不带“分”）。"
                            if guess
                            else f"填 0 到 {item.max_score:g} 之间的数字，例如 9 或 8.5。"
                        ),
                    )
                else:
                    assert x is not None  # "ok": a number
                    if x < 0 or (x > item.max_score and not fw.allow_over_max):
                        E.at(
                            ws.title,
                            r,
                            col,
                            "score-range",
                            f"“{stops[slug].name}”的“{item.name}”得分 {x:g} 超出范围（分值 {item.max_score:g}）。",
                            f"填 0 到 {item.max_score:g} 之间的分数。",
                        )
                    else:
                        got[iid] = x
            if not got and len(blanks) == len(item_rows):
                continue  # the judge did not score this stop: reported as missing
            for r, item in blanks:
                E.at(
                    ws.title,
                    r,
                    col,
                    "score-blank",
                    f"“{stops[slug].name}”的“{item.name}”没有打分，按 0 分计算。",
                    "补上分数；确实不给分就填 0。",
                )
            note = ws.cell(note_row, col).value if note_row else None
            rows.append(SheetRow(judge=judge, stop=slug, scores=got, note=str(note).strip() if note else ""))
    order = {s.slug: k for k, s in enumerate(entry.stops)}
    jorder = {j: k for k, j in enumerate(judges)}
    rows.sort(key=lambda x: (order[x.stop], jorder.get(x.judge, 99)))
    model = ScoresFile.model_construct(judges=judges, share=share, publicity_days=days, sheets=rows)
    return ReadResult(model, str(info.get("tour") or ""), cells)


def load_scores_xlsx(path: Path, shown: str, entry, content, diags: Diagnostics):
    """ScoresEntry of content/tours/<编号>.scores.xlsx (like load_scores for
    a .scores.yml)."""
    from builder.tours.scores import ScoresEntry, compute_results

    if entry.framework is None:
        return None
    res = read_workbook(path, shown, entry, diags)
    if res.scores is None:
        return None
    se = ScoresEntry(shown, None, res.scores)
    se.results = compute_results(entry, entry.framework, res.scores, res.scores.sheets, diags)
    names = {s.slug: s.name for s in entry.stops}
    for judge, slug in se.results.missing:
        diags.emit(
            Location(shown, 0, 0),
            "score-incomplete",
            f"{judge_sheet(judge)}：评委“{judge}”没有给“{names[slug]}”打分（整列空白）；该村只按已打分的评委计算。",
            "补上这一列，或确认该评委没有参加这一站。",
        )
    return se


# -- yml <-> workbook --------------------------------------------------------------------------


def scores_yaml(model: ScoresFile) -> str:
    """A .scores.yml in the sample's layout: one flow mapping per sheet row."""
    import json

    def s(x: str) -> str:
        return (
            x
            if x and all(ch not in x for ch in ":#{}[],&*!|>'\"%@`") and x[0] not in "-?" and x.strip() == x
            else json.dumps(x, ensure_ascii=False)
        )

    out = [
        "# yaml-language-server: $schema=../../schemas/tour-scores.schema.json",
        "# 由评分工作簿导入（python -m builder scores import）。每位评委每个观摩点一行。",
        "judges: [" + ", ".join(s(j) for j in model.judges) + "]",
        f"share: {model.share:g}",
        f"publicity_days: {model.publicity_days}",
        "sheets:" if model.sheets else "sheets: []",
    ]
    for r in model.sheets:
        out.append(f"  - judge: {s(r.judge)}")
        out.append(f"    stop: {r.stop}")
        out.append("    scores: {" + ", ".join(f"{k}: {v:g}" for k, v in r.scores.items()) + "}")
        if r.note:
            out.append(f"    note: {s(r.note)}")
    return "\n".join(out) + "\n"
