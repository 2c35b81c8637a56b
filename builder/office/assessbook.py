"""Self-assessment workbooks (自评表): written pre-filled for a village and a
framework, read back into that village's village.yml. The import edits the
text of village.yml in place (only the scalars of the one assessment block
change, new keys are added in the style of their neighbours); every comment
and every other byte stay as they were. Every problem of the workbook is
reported by cell before anything is written.

Also the Excel export of every village's assessments (data/assessments.xlsx)."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from pathlib import Path

import yaml
from openpyxl import Workbook
from openpyxl.styles import Protection
from openpyxl.worksheet.datavalidation import DataValidation

from builder.kernel.diagnostics import Diagnostics, Location
from builder.office import xl
from builder.office.scorebook import open_workbook

SHEET = "自评表"
HEAD_ROW = 8
COLS = ["编号", "指标", "测评内容", "测评方法", "分值", "等次", "得分", "佐证材料（做了什么、有什么成效）"]
C_ID, C_NAME, C_CONTENT, C_METHOD, C_MAX, C_LEVEL, C_SCORE, C_EVIDENCE = range(1, 9)
SETTINGS = {"村编号": 3, "标准体系": 4, "自评日期": 5, "自评单位": 6}


def template(content, slug: str, fid: str) -> bytes:
    v = content.villages[slug]
    fw = content.frameworks[fid]
    levels = list(content.settings.levels)
    a = v.model.assessments.get(fid)
    wb = Workbook()
    ws = xl.first_sheet(wb)
    ws.title = SHEET
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(COLS))
    c = ws.cell(1, 1, f"{v.model.name}（{v.model.town}）· {fw.name}自评表")
    c.font, c.alignment = xl.font(bold=True, size=16, head=True), xl.CENTER
    ws.row_dimensions[1].height = 30
    how = {
        "level": "在“等次”一列从下拉列表里选等次",
        "score": "在“得分”一列填得分",
        "both": "在“等次”一列从下拉列表里选等次，在“得分”一列填得分",
    }[fw.scoring]
    ws.merge_cells(start_row=2, start_column=1, end_row=2, end_column=len(COLS))
    ws.cell(
        2,
        1,
        f"填写说明：逐条{how}（半角数字，不超过分值），在最后一列简要写佐证材料；"
        "只填黄色格子，不要删改行、列和灰色的编号。填好后保存为 .xlsx 交县委组织部。",
    ).font = xl.font(size=10)
    ws.cell(2, 1).alignment = xl.WRAP
    ws.row_dimensions[2].height = 30
    values = {
        "村编号": slug,
        "标准体系": fid,
        "自评日期": a.date if a else None,
        "自评单位": (a.assessor if a else "") or None,
    }
    for label, srow in SETTINGS.items():
        ws.cell(srow, 1, label).font = xl.font(bold=True)
        c = ws.cell(srow, 2, values[label])
        c.font = xl.font(color="808080") if srow < 5 else xl.font()
        if srow >= 5:
            c.protection, c.fill, c.border = Protection(locked=False), xl.INPUT_FILL, xl.BOX
        if label == "自评日期":
            c.number_format = "yyyy-mm-dd"
    ws.cell(5, 3, "（例如 2025-06-20）").font = xl.font(size=9, color="808080")
    for col, text in enumerate(COLS, 1):
        c = ws.cell(HEAD_ROW, col, text)
        c.font, c.alignment, c.border, c.fill = xl.font(bold=True, head=True), xl.CENTER, xl.BOX, xl.HEAD_FILL
    dv_level = DataValidation(
        type="list",
        formula1='"' + ",".join(levels) + '"',
        allow_blank=True,
        showErrorMessage=True,
        errorTitle="等次",
        error="请从下拉列表里选：" + "、".join(levels),
    )
    ws.add_data_validation(dv_level)
    dvs: dict[float, DataValidation] = {}
    for k, it in enumerate(fw.items):
        r = HEAD_ROW + 1 + k
        ia = a.items.get(it.id) if a else None
        row = [
            it.id,
            it.name,
            it.content,
            it.method,
            xl.num_value(it.max_score),
            ia.level if ia else None,
            xl.num_value(ia.score) if ia and ia.score is not None else None,
            (ia.evidence or None) if ia else None,
        ]
        for col, val in enumerate(row, 1):
            c = ws.cell(r, col, val)
            c.border = xl.BOX
            c.alignment = xl.CENTER if col in (C_ID, C_MAX, C_LEVEL, C_SCORE) else xl.WRAP
            c.font = xl.font(size=8, color="808080") if col == C_ID else xl.font(size=10)
            if col in (C_LEVEL, C_SCORE, C_EVIDENCE):
                c.protection, c.fill = Protection(locked=False), xl.INPUT_FILL
        xl.fit_height(
            ws, r, [(it.name, 18, 10), (it.content, 30, 10), (it.method, 22, 10), (row[-1] or "", 36, 10)], min_pt=22
        )
        dv_level.add(ws.cell(r, C_LEVEL).coordinate)
        dv = dvs.get(it.max_score)
        if dv is None:
            top = "" if fw.allow_over_max else f"{it.max_score:g}"
            dv = DataValidation(
                type="decimal",
                operator="between" if top else "greaterThanOrEqual",
                formula1="0",
                formula2=top or None,
                allow_blank=True,
                showErrorMessage=True,
                errorTitle="得分",
                error=f"请填 0 到 {it.max_score:g} 之间的数字（半角）。",
            )
            dvs[it.max_score] = dv
            ws.add_data_validation(dv)
        dv.add(ws.cell(r, C_SCORE).coordinate)
    for letter, w in zip("ABCDEFGH", (9, 18, 30, 22, 6, 9, 7, 36), strict=True):
        ws.column_dimensions[letter].width = w
    ws.protection.sheet = True
    ws.freeze_panes = f"A{HEAD_ROW + 1}"
    xl.a4(ws, landscape=True, title_rows=f"{HEAD_ROW}:{HEAD_ROW}", fit_height=0)
    return xl.save(wb)


# -- reading the workbook ----------------------------------------------------------------------


@dataclass
class Filled:
    slug: str
    fid: str
    date: dt.date | None
    assessor: str
    items: dict[str, dict]  # item id → {level, score, evidence} (None: leave out)


def _text(v) -> str:
    return "" if v is None else str(v).strip()


def read(path: Path, shown: str, content, diags: Diagnostics) -> Filled | None:
    wb = open_workbook(path, shown, diags)
    if wb is None:
        return None

    def emit(row, col, code, msg, hint):
        diags.emit(Location(shown, row, col), code, f"{xl.ref(SHEET, row, col)}：{msg}" if row else msg, hint)

    if SHEET not in wb.sheetnames:
        emit(
            0,
            0,
            "workbook-layout",
            f"{Path(shown).name} 里没有“{SHEET}”工作表。",
            "用 python -m builder assessment template 生成的自评表填写，不要改工作表名。",
        )
        return None
    ws = wb[SHEET]
    slug, fid = _text(ws.cell(3, 2).value), _text(ws.cell(4, 2).value)
    ok = True
    if slug not in content.villages:
        emit(3, 2, "unknown-village", f"村编号“{slug}”不是已有的村。", "不要改动村编号；重新生成自评表。")
        ok = False
    if fid not in content.frameworks:
        emit(
            4,
            2,
            "unknown-framework",
            f"标准体系“{fid}”不存在。",
            "可选：" + "、".join(content.frameworks) + "。不要改动这一格；重新生成自评表。",
        )
        ok = False
    if not ok:
        return None
    fw = content.frameworks[fid]
    levels = list(content.settings.levels)
    raw_date = ws.cell(5, 2).value
    date = None
    if isinstance(raw_date, dt.datetime):
        date = raw_date.date()
    elif isinstance(raw_date, dt.date):
        date = raw_date
    elif _text(raw_date):
        import re

        m = re.match(r"^\s*(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?\s*$", _text(raw_date))
        try:
            date = dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3))) if m else None
        except ValueError:
            date = None
        if date is None:
            emit(5, 2, "bad-date", f"自评日期“{_text(raw_date)}”不是日期。", "写成 2025-06-20 这样的日期。")
    else:
        emit(5, 2, "bad-date", "自评日期没有填。", "写成 2025-06-20 这样的日期。")
    assessor = _text(ws.cell(6, 2).value)
    rows: dict[str, int] = {}
    for rn in range(HEAD_ROW + 1, ws.max_row + 1):
        iid = _text(ws.cell(rn, C_ID).value)
        if not iid:
            continue
        if iid not in {i.id for i in fw.items}:
            emit(rn, C_ID, "score-unknown-item", f"“{iid}”不是{fw.name}中的条目。", "不要改动 A 列的编号。")
            continue
        rows[iid] = rn
    items: dict[str, dict] = {}
    for it in fw.items:
        r = rows.get(it.id)
        if r is None:
            emit(
                HEAD_ROW,
                C_ID,
                "workbook-layout",
                f"没有条目“{it.name}”（{it.id}）这一行。",
                "不要删除行；重新生成自评表，把填好的内容抄过去。",
            )
            continue
        level = _text(ws.cell(r, C_LEVEL).value) or None
        if level is not None and level not in levels:
            from builder.tours.scores import _suggest

            emit(
                r,
                C_LEVEL,
                "unknown-level",
                f"“{it.name}”的等次“{level}”不是规定的等次。",
                _suggest(level, levels) + "从下拉列表里选：" + "、".join(levels) + "。",
            )
        kind, score, guess = xl.parse_number(ws.cell(r, C_SCORE).value)
        if kind == "text":
            emit(
                r,
                C_SCORE,
                "score-not-number",
                f"“{it.name}”的得分“{ws.cell(r, C_SCORE).value}”不是数字。",
                f"改成 {guess}（半角数字，不带“分”）。" if guess else f"填 0 到 {it.max_score:g} 之间的数字。",
            )
        elif kind == "ok" and score is not None and (score < 0 or (score > it.max_score and not fw.allow_over_max)):
            emit(
                r,
                C_SCORE,
                "score-range",
                f"“{it.name}”得分 {score:g} 超出范围（分值 {it.max_score:g}）。",
                f"填 0 到 {it.max_score:g} 之间的分数。",
            )
        needs: dict[str, list[tuple[str, str | float | None, int]]] = {
            "level": [("等次", level, C_LEVEL)],
            "score": [("得分", score, C_SCORE)],
            "both": [("等次", level, C_LEVEL), ("得分", score, C_SCORE)],
        }
        for what, val, col in needs[fw.scoring]:
            if val is None and not (what == "得分" and kind == "text"):
                emit(
                    r,
                    col,
                    "missing-score",
                    f"“{it.name}”没有填{what}。",
                    ("从下拉列表里选等次。" if what == "等次" else f"填 0 到 {it.max_score:g} 之间的得分。"),
                )
        items[it.id] = {
            "level": level,
            "score": score if kind == "ok" else None,
            "evidence": _text(ws.cell(r, C_EVIDENCE).value) or None,
        }
    return Filled(slug, fid, date, assessor, items)


# -- writing village.yml in place --------------------------------------------------------------


class _Loader(yaml.SafeLoader):
    pass


def _find(node, key):
    if not isinstance(node, yaml.MappingNode):
        return None, None
    for k, v in node.value:
        if isinstance(k, yaml.ScalarNode) and k.value == key:
            return k, v
    return None, None


def _scalar(value, flow: bool) -> str:
    """value as YAML text: plain when it reads back as exactly that string
    in this context, else double-quoted."""
    if isinstance(value, float):
        return f"{value:g}"
    if isinstance(value, dt.date):
        return value.isoformat()
    text = str(value)
    probe = f"k: {{x: {text}}}" if flow else f"k:\n  x: {text}"
    try:
        back = yaml.safe_load(probe)["k"]["x"]
    except yaml.YAMLError:
        back = None
    if back == text and "\n" not in text:
        return text
    return json.dumps(text, ensure_ascii=False)


class _Edits:
    def __init__(self, text: str):
        self.text = text
        self.edits: list[tuple[int, int, str]] = []

    def replace(self, start: int, end: int, new: str) -> None:
        if self.text[start:end] != new:
            self.edits.append((start, end, new))

    def apply(self) -> str:
        out = self.text
        for start, end, new in sorted(self.edits, key=lambda e: (e[0], e[1]), reverse=True):
            out = out[:start] + new + out[end:]
        return out


def _line_end(text: str, idx: int) -> int:
    """Index just after the end of the line holding idx-1 (the end of a node)."""
    n = text.find("\n", idx)
    return len(text) if n < 0 else n + 1


def _after(text: str, node) -> int:
    """Where a new line goes after node: the end of its last line. A block
    collection's end mark is the start of the next token (on a later line)."""
    if isinstance(node, (yaml.MappingNode, yaml.SequenceNode)) and not node.flow_style:
        return text.rfind("\n", 0, node.end_mark.index) + 1
    return _line_end(text, node.end_mark.index)


def _set_in_mapping(ed: _Edits, text: str, mnode, key: str, value) -> None:
    """Set key to value (a scalar, or None to remove) in mapping node mnode."""
    knode, vnode = _find(mnode, key)
    flow = mnode.flow_style
    if value is None:
        if knode is None:
            return
        if flow:
            pairs = mnode.value
            i = next(k for k, (kn, _) in enumerate(pairs) if kn is knode)
            if i > 0:  # remove ", key: value" from the end of the previous value
                ed.replace(pairs[i - 1][1].end_mark.index, vnode.end_mark.index, "")
            elif len(pairs) > 1:
                ed.replace(knode.start_mark.index, pairs[1][0].start_mark.index, "")
            else:
                ed.replace(knode.start_mark.index, vnode.end_mark.index, "")
        else:
            start = text.rfind("\n", 0, knode.start_mark.index) + 1
            ed.replace(start, _line_end(text, vnode.end_mark.index), "")
        return
    new = _scalar(value, flow)
    if vnode is not None:
        if isinstance(vnode, yaml.ScalarNode):
            current = vnode.value
            same = (
                (isinstance(value, float) and _num(current) == value)
                or (isinstance(value, dt.date) and current == value.isoformat())
                or current == str(value)
            )
            if not same:
                ed.replace(vnode.start_mark.index, vnode.end_mark.index, new)
        return
    if flow:
        if mnode.value:
            last = mnode.value[-1][1]
            ed.replace(last.end_mark.index, last.end_mark.index, f", {key}: {new}")
        else:
            close = mnode.end_mark.index - 1
            ed.replace(close, close, f"{key}: {new}")
    else:
        first = mnode.value[0][0]
        indent = " " * first.start_mark.column
        at = _after(text, mnode.value[-1][1])
        ed.replace(at, at, f"{indent}{key}: {new}\n")


def _num(s: str) -> float | None:
    try:
        return float(s)
    except ValueError:
        return None


def _item_text(item: dict) -> str:
    parts = [f"{k}: {_scalar(v, True)}" for k, v in item.items() if v is not None]
    return "{" + ", ".join(parts) + "}"


def apply_to_text(text: str, filled: Filled, fw) -> str:
    """village.yml's text with the assessment block set to the workbook's values."""
    root = yaml.compose(text, Loader=_Loader)
    ed = _Edits(text)
    _, assessments = _find(root, "assessments")
    items_order = [i.id for i in fw.items]
    if (
        assessments is None
        or not isinstance(assessments, yaml.MappingNode)
        or assessments.flow_style
        or not assessments.value
    ):
        block = _block_text(filled, items_order, "  ")
        if assessments is None:
            sep = "" if text.endswith("\n") or not text else "\n"
            ed.replace(len(text), len(text), f"{sep}assessments:\n{block}")
        else:
            knode, _ = _find(root, "assessments")
            start = knode.start_mark.index
            ed.replace(start, _after(text, assessments), f"assessments:\n{block}")
        return ed.apply()
    _, block = _find(assessments, filled.fid)
    if block is None:
        indent = " " * assessments.value[0][0].start_mark.column
        at = _after(text, assessments.value[-1][1])
        ed.replace(at, at, _block_text(filled, items_order, indent))
        return ed.apply()
    if filled.date is not None:
        _set_in_mapping(ed, text, block, "date", filled.date)
    _set_in_mapping(ed, text, block, "assessor", filled.assessor or None)
    _, items = _find(block, "items")
    if items is None:
        indent = " " * block.value[0][0].start_mark.column
        at = _after(text, block.value[-1][1])
        lines = [f"{indent}items:"] + [
            f"{indent}  {iid}: {_item_text(filled.items[iid])}" for iid in items_order if iid in filled.items
        ]
        ed.replace(at, at, "\n".join(lines) + "\n")
        return ed.apply()
    for iid in items_order:
        if iid not in filled.items:
            continue
        want = filled.items[iid]
        _, inode = _find(items, iid)
        if inode is None:
            if items.flow_style:
                if items.value:
                    last = items.value[-1][1]
                    ed.replace(last.end_mark.index, last.end_mark.index, f", {iid}: {_item_text(want)}")
                else:
                    close = items.end_mark.index - 1
                    ed.replace(close, close, f"{iid}: {_item_text(want)}")
            else:
                indent = " " * items.value[0][0].start_mark.column
                at = _after(text, items.value[-1][1])
                ed.replace(at, at, f"{indent}{iid}: {_item_text(want)}\n")
            continue
        if not isinstance(inode, yaml.MappingNode) or not inode.value:
            ed.replace(inode.start_mark.index, inode.end_mark.index, _item_text(want))
            continue
        for k in ("level", "score", "evidence"):
            _set_in_mapping(ed, text, inode, k, want[k])
    return ed.apply()


def _block_text(filled: Filled, order: list[str], indent: str) -> str:
    lines = [f"{indent}{filled.fid}:"]
    if filled.date is not None:
        lines.append(f"{indent}  date: {filled.date.isoformat()}")
    if filled.assessor:
        lines.append(f"{indent}  assessor: {_scalar(filled.assessor, False)}")
    lines.append(f"{indent}  items:")
    lines += [f"{indent}    {iid}: {_item_text(filled.items[iid])}" for iid in order if iid in filled.items]
    return "\n".join(lines) + "\n"


# -- data/assessments.xlsx -----------------------------------------------------------------------


LARGE_TABLE_ROWS = 100_000


def assessments_xlsx(c, evals) -> bytes:
    """Every village's self-assessment, one sheet per framework, one row per
    item (XlsxWriter: builder/office/xw.py says why not openpyxl here)."""
    from builder.office import xw

    heads = ["村", "乡镇", "村编号", "条目编号", "条目", "等次", "得分", "分值", "是否达到要求", "自评日期", "佐证说明"]
    frameworks = c.required_frameworks()
    rows = sum(len(r.items) for e in evals.values() for fw in frameworks if (r := e.results.get(fw.id)) is not None)
    # a county's table is built in memory (the faster way); a province's
    # (10,000 villages: 200,000 rows) a row at a time (xw.Book)
    with xw.book(rows_in_order=rows > LARGE_TABLE_ROWS) as b:
        sheets = 0
        for fw in frameworks:
            ws = b.sheet(xl.sheet_title(fw.label))
            sheets += 1
            ws.write_row(0, 0, heads, b.head)
            row = 1
            for slug in sorted(c.villages):
                v = c.villages[slug]
                r = evals[slug].results.get(fw.id)
                if r is None:
                    continue
                for it in r.items:
                    ws.write_row(
                        row,
                        0,
                        [
                            v.model.name,
                            v.model.town,
                            slug,
                            it.item.id,
                            it.item.name,
                            it.level or None,
                            None if it.score is None else xl.num_value(it.score),
                            xl.num_value(it.item.max_score),
                            "是" if it.meets else "否",
                            r.date if r.date else None,
                            it.evidence or None,
                        ],
                    )
                    row += 1
            xw.widths(ws, (12, 10, 14, 11, 28, 9, 7, 6, 12, 12, 40))
            ws.freeze_panes(1, 0)
            ws.autofilter(0, 0, max(row - 1, 0), len(heads) - 1)
            xw.a4(ws, landscape=True, title_row=0, fit_height=0)
        if not sheets:
            b.sheet("自评")
        return b.close()
