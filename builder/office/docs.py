"""Word documents in 公文-friendly layout (A4, GB/T 9704 margins, 小标宋/黑体/
仿宋, "第 x 页 共 y 页" in the footer): the itinerary (itinerary.docx) and
the results with the 公示 text (results.docx); the ranking as results.xlsx."""

from __future__ import annotations

import io

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt
from openpyxl import Workbook

from builder.office import xl
from builder.tours.model import fmt_clock

TITLE_FONT = "方正小标宋简体"  # falls back to 宋体 where it is not installed
HEAD_FONT = "黑体"
BODY_FONT = "仿宋"
KAI_FONT = "楷体"
CN_NUM = "一二三四五六七八九十"


def _font(run, name: str, size: float, bold: bool = False) -> None:
    run.font.name = name
    run.font.size = Pt(size)
    run.font.bold = bold
    rpr = run._element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    for attr in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(attr), name)


def _field(paragraph, instr: str, font: str, size: float) -> None:
    run = paragraph.add_run()
    _font(run, font, size)
    for kind, text in (("begin", None), (None, instr), ("separate", None), (None, "1"), ("end", None)):
        if kind:
            el = OxmlElement("w:fldChar")
            el.set(qn("w:fldCharType"), kind)
            run._element.append(el)
        elif text == "1":
            t = OxmlElement("w:t")
            t.text = "1"
            run._element.append(t)
        else:
            el = OxmlElement("w:instrText")
            el.set(qn("xml:space"), "preserve")
            el.text = f" {text} "
            run._element.append(el)


class Doc:
    def __init__(self, landscape: bool = False, body_size: float = 16):
        self.d = Document()
        self.body_size = body_size
        sec = self.d.sections[0]
        sec.page_width, sec.page_height = Cm(21), Cm(29.7)
        if landscape:
            sec.orientation = WD_ORIENT.LANDSCAPE
            sec.page_width, sec.page_height = Cm(29.7), Cm(21)
        sec.top_margin, sec.bottom_margin = Cm(3.7), Cm(3.5)
        sec.left_margin, sec.right_margin = Cm(2.8), Cm(2.6)
        sec.footer_distance = Cm(2.5)
        style = self.d.styles["Normal"]
        style.font.name = BODY_FONT
        style.font.size = Pt(body_size)
        style.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), BODY_FONT)
        style.paragraph_format.space_after = Pt(0)
        style.paragraph_format.line_spacing = 1.15
        fp = sec.footer.paragraphs[0]
        fp.alignment = WD_ALIGN_PARAGRAPH.CENTER
        for part in ("第 ", "PAGE", " 页 共 ", "NUMPAGES", " 页"):
            if part in ("PAGE", "NUMPAGES"):
                _field(fp, part, "宋体", 12)
            else:
                _font(fp.add_run(part), "宋体", 12)
        self.d.core_properties.author = "示范村展示门户"
        import datetime as dt

        stamp = dt.datetime(2000, 1, 1)
        self.d.core_properties.created = self.d.core_properties.modified = stamp
        self.d.core_properties.last_modified_by = "示范村展示门户"
        self.heads = 0

    def title(self, text: str, size: float = 22) -> None:
        p = self.d.add_paragraph()
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        p.paragraph_format.space_after = Pt(12)
        _font(p.add_run(text), TITLE_FONT, size)

    def heading(self, text: str, size: float | None = None) -> None:
        p = self.d.add_paragraph()
        p.paragraph_format.first_line_indent = Pt(2 * (size or self.body_size))
        p.paragraph_format.space_before = Pt(6)
        _font(p.add_run(f"{CN_NUM[self.heads]}、{text}"), HEAD_FONT, size or self.body_size)
        self.heads += 1

    def para(
        self,
        text: str,
        size: float | None = None,
        indent: bool = True,
        align=None,
        bold_lead: str = "",
        font: str = BODY_FONT,
    ) -> None:
        p = self.d.add_paragraph()
        size = size or self.body_size
        if indent:
            p.paragraph_format.first_line_indent = Pt(2 * size)
        if align is not None:
            p.alignment = align
        if bold_lead:
            _font(p.add_run(bold_lead), KAI_FONT, size, bold=True)
        _font(p.add_run(text), font, size)

    def table(self, heads: list[str], rows: list[list[str]], widths: list[float], size: float = 10.5) -> None:
        t = self.d.add_table(rows=1, cols=len(heads))
        t.style = "Table Grid"
        t.alignment = WD_TABLE_ALIGNMENT.CENTER
        t.autofit = False

        def fill(cells, values, bold):
            for k, (c, v) in enumerate(zip(cells, values, strict=False)):
                c.width = Cm(widths[k])
                p = c.paragraphs[0]
                p.paragraph_format.first_line_indent = None
                p.paragraph_format.line_spacing = 1.0
                if bold:
                    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
                _font(p.add_run(v), HEAD_FONT if bold else BODY_FONT, size)

        fill(t.rows[0].cells, heads, True)
        tr_pr = t.rows[0]._tr.get_or_add_trPr()  # repeat the header row on every page
        h = OxmlElement("w:tblHeader")
        h.set(qn("w:val"), "true")
        tr_pr.append(h)
        for r in rows:
            fill(t.add_row().cells, r, False)

    def bytes(self) -> bytes:
        buf = io.BytesIO()
        self.d.save(buf)
        return _fixed_zip(buf.getvalue())


def _fixed_zip(data: bytes) -> bytes:
    import zipfile

    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for info in src.infolist():
            zi = zipfile.ZipInfo(info.filename, date_time=(2000, 1, 1, 0, 0, 0))
            zi.compress_type = zipfile.ZIP_DEFLATED
            z.writestr(zi, src.read(info.filename))
    return out.getvalue()


def _date_zh(d) -> str:
    return f"{d.year}年{d.month}月{d.day}日" if d else ""


def itinerary_docx(entry) -> bytes:
    t, plan = entry.model, entry.plan
    stops = {s.slug: s for s in entry.stops}
    doc = Doc(body_size=14)
    doc.title(t.title, 20)
    meta = "　".join(x for x in (_date_zh(t.date), t.organiser) if x)
    if meta:
        doc.para(meta, 14, indent=False, align=WD_ALIGN_PARAGRAPH.CENTER, font=KAI_FONT)
    doc.heading("行程安排", 14)
    rows = []
    for r in plan.rows:
        leg = (
            f"{round(r.leg_minutes)} 分钟 / {r.leg_km:.1f} 公里"
            if r.kind != "start" and (r.leg_minutes or r.leg_km)
            else ""
        )
        if r.kind == "start":
            rows.append([f"{fmt_clock(r.depart)}", "出发", r.name, "", ""])
        elif r.kind == "end":
            rows.append([f"{fmt_clock(r.arrive)}", "返回", r.name, leg, ""])
        elif r.kind == "lunch":
            wait = f"含等候 {round(r.wait)} 分钟" if r.wait >= 1 else ""
            rows.append([f"{fmt_clock(r.arrive)}–{fmt_clock(r.depart)}", "午餐", r.name, leg, wait])
        else:
            s = stops[r.slug]
            rows.append(
                [
                    f"{fmt_clock(r.arrive)}–{fmt_clock(r.depart)}",
                    f"{r.number}. {r.name}",
                    s.village.model.town,
                    leg,
                    r.note,
                ]
            )
    doc.table(["时间", "内容", "地点/乡镇", "车程/里程", "备注"], rows, [2.8, 3.6, 3.4, 3.2, 2.6], 10.5)
    doc.para(
        f"全程约 {plan.total_km:.1f} 公里，车程约 {plan.travel_minutes:.0f} 分钟，观摩 {len(plan.stops)} 个村，"
        f"{fmt_clock(plan.depart)} 出发，约 {fmt_clock(plan.return_time)} 返回（最晚 {fmt_clock(plan.return_by)}）。",
        12,
    )
    doc.heading("观摩点", 14)
    for r in plan.stops:
        m = stops[r.slug].village.model
        looks = "；".join(h.title for h in m.highlights)
        guides = "、".join(f"{c.name}（{c.title}）" if c.title else c.name for c in m.contacts if "讲解人" in c.role)
        text = f"{m.town}。" + (f"看点：{looks}。" if looks else "") + (f"讲解人：{guides}。" if guides else "")
        doc.para(text, 12, bold_lead=f"{r.number}. {m.name}：")
    if t.notes.strip():
        doc.heading("注意事项", 14)
        for line in t.notes.strip().split("\n"):
            if line.strip():
                doc.para(line.strip(), 12)
    return doc.bytes()


def _share_text(share: float) -> str:
    return "二分之一" if abs(share - 0.5) < 1e-9 else f"{share * 100:g}%"


def results_docx(entry) -> bytes:
    res = entry.scores.results
    t = entry.model
    doc = Doc(body_size=16)
    doc.title(f"{t.title}评分结果", 20)
    doc.heading("计分规则")
    doc.para(
        f"评委 {len(res.judges)} 人（{'、'.join(res.judges)}）按“{res.framework.name}”逐条打分"
        f"（满分 {res.framework.max_total:g} 分）。各村综合得分为{res.rule_text}，保留两位小数；"
        f"按综合得分从高到低排名，得分相同的名次并列。排名前{_share_text(res.share)}的拟命名为党建示范村。"
    )
    doc.heading("评分排名")
    trimmed = res.rule == "trimmed"
    heads = ["名次", "村", "乡镇"] + list(res.judges) + (["去掉的分数"] if trimmed else []) + ["综合得分", "拟命名"]
    rows = []
    for v in res.villages:
        drop = "；".join(f"{why}{x:.2f}" for j, x, why in v.discarded)
        rows.append(
            [str(v.rank), v.name, v.town]
            + [f"{v.judge_totals[j]:.2f}" if j in v.judge_totals else "—" for j in res.judges]
            + ([drop] if trimmed else [])
            + [f"{v.total:.2f}", "是" if v.proposed else ""]
        )
    n = len(heads)
    fixed = [1.2, 2.4, 2.0] + ([2.6] if trimmed else []) + [1.9, 1.3]
    rest = max(1.3, (15.6 - sum(fixed)) / max(1, len(res.judges)))
    widths = [1.2, 2.4, 2.0] + [rest] * len(res.judges) + ([2.6] if trimmed else []) + [1.9, 1.3]
    doc.table(heads, rows, widths[:n], 10.5)
    doc.heading("公示")
    proposed = res.proposed
    doc.para(
        f"根据{_date_zh(t.date)}{t.title}现场观摩评分结果，经研究，拟命名以下 {len(proposed)} 个村为党建示范村，"
        "现予公示："
    )
    for k, v in enumerate(proposed, 1):
        doc.para(f"{k}. {v.town}{v.name}（综合得分 {v.total:.2f}）")
    doc.para(f"公示期为 {res.publicity_days} 天。公示期间，如有意见和建议，请向{t.organiser or '组织单位'}反映。")
    doc.para("")
    doc.para(t.organiser, indent=False, align=WD_ALIGN_PARAGRAPH.RIGHT)
    doc.para("年　　月　　日　　", indent=False, align=WD_ALIGN_PARAGRAPH.RIGHT)
    return doc.bytes()


def results_xlsx(entry) -> bytes:
    res = entry.scores.results
    wb = Workbook()
    ws = xl.first_sheet(wb)
    ws.title = "排名"
    trimmed = res.rule == "trimmed"
    heads = (
        ["名次", "村", "乡镇"]
        + [f"{j}（总分）" for j in res.judges]
        + [f"{g}（组得分）" for g, _, _ in res.groups]
        + (["去掉的分数"] if trimmed else [])
        + ["综合得分", "拟命名"]
    )
    ws.append([f"{entry.title} · 评分排名"])
    ws.append([f"计分规则：{res.rule_text}，保留两位小数；同分名次并列。"])
    ws.append(heads)
    for c in ws[3]:
        c.font, c.fill, c.border, c.alignment = xl.font(bold=True, head=True), xl.HEAD_FILL, xl.BOX, xl.CENTER
    for v in res.villages:
        drop = "；".join(f"{why} {x:.2f}（{j}）" for j, x, why in v.discarded)
        ws.append(
            [v.rank, v.name, v.town]
            + [round(v.judge_totals[j], 2) if j in v.judge_totals else None for j in res.judges]
            + [v.group_scores.get(g) for g, _, _ in res.groups]
            + ([drop] if trimmed else [])
            + [v.total, "是" if v.proposed else ""]
        )
    for row in ws.iter_rows(min_row=4):
        for c in row:
            c.border = xl.BOX
            if isinstance(c.value, float):
                c.number_format = "0.00"
    ws["A1"].font = xl.font(bold=True, size=14, head=True)
    for k, w in enumerate([6, 12, 10] + [11] * (len(heads) - 3), 1):
        ws.column_dimensions[xl.get_column_letter(k)].width = w
    if trimmed:
        ws.column_dimensions[xl.get_column_letter(heads.index("去掉的分数") + 1)].width = 30
    xl.a4(ws, landscape=len(heads) > 8, title_rows="3:3", fit_height=0)
    ws2 = wb.create_sheet("各条目平均分")
    ws2.append(["条目编号", "指标", "分值"] + [v.name for v in res.villages])
    for c in ws2[1]:
        c.font, c.fill, c.border = xl.font(bold=True, head=True), xl.HEAD_FILL, xl.BOX
    for it in res.framework.items:
        ws2.append(
            [it.id, it.name, xl.num_value(it.max_score)]
            + [None if v.item_avgs[it.id] is None else round(v.item_avgs[it.id], 2) for v in res.villages]
        )
    ws2.column_dimensions["B"].width = 28
    xl.a4(ws2, landscape=True, title_rows="1:1", fit_height=0)
    return xl.save(wb)
