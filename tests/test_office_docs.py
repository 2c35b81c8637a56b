"""Word and Excel files of the site: produced for every tour and for the
assessments, in 公文 layout; and an outside judge, LibreOffice (Debian's
headless packages from scripts/setup-system.sh), opens every one of them and
converts it to PDF: the 8-stop itinerary fits on 2 A4 pages, each judge's
score sheet on one A4 page."""

from __future__ import annotations

import io
import shutil
import subprocess
from pathlib import Path

import pytest
from docx import Document
from openpyxl import load_workbook

from tests.conftest import CONTENT, missing

TOUR = "2025-q3-quanxian"
A4 = (595, 842)


@pytest.fixture(scope="module")
def files(tmp_path_factory):
    from builder.office.produce import produce_office

    dst = tmp_path_factory.mktemp("c") / "content"
    shutil.copytree(CONTENT, dst)
    from testkit.pipeline import built, context

    c, derived, d = built(dst, dst.parent)
    return {f.path: f.read_bytes() for f in produce_office(context(c, d, derived))}


def test_every_tour_gets_its_files(files):
    for name in ("itinerary.docx", "scores.xlsx", "results.docx", "results.xlsx"):
        assert f"tours/{TOUR}/{name}" in files
    assert "tours/2025-baishui-xiang/itinerary.docx" in files
    assert "tours/2025-baishui-xiang/results.docx" not in files  # no scores yet
    assert "data/assessments.xlsx" in files


def test_word_documents_are_gongwen_layout(files):
    for name in ("itinerary.docx", "results.docx"):
        doc = Document(io.BytesIO(files[f"tours/{TOUR}/{name}"]))
        sec = doc.sections[0]
        assert (round(sec.page_width.cm, 1), round(sec.page_height.cm, 1)) == (21.0, 29.7)
        assert round(sec.top_margin.cm, 1) == 3.7 and round(sec.left_margin.cm, 1) == 2.8
        footer = sec.footer.paragraphs[0]._p.xml
        assert "第 " in footer and " PAGE " in footer and " NUMPAGES " in footer and "共" in footer
        fonts = {r.font.name for p in doc.paragraphs for r in p.runs}
        assert {"黑体", "仿宋"} <= fonts
    res = Document(io.BytesIO(files[f"tours/{TOUR}/results.docx"]))
    text = "\n".join(p.text for p in res.paragraphs)
    assert "去掉一个最高分和一个最低分" in text and "现予公示" in text and "公示期为 5 天" in text
    [table] = res.tables
    assert table.rows[0].cells[-2].text == "综合得分"
    totals = [r.cells[-2].text for r in table.rows[1:]]
    assert len(totals) == 8 and all(len(t.split(".")[1]) == 2 for t in totals)
    it = Document(io.BytesIO(files[f"tours/{TOUR}/itinerary.docx"]))
    assert sum(1 for r in it.tables[0].rows if r.cells[1].text[:2].rstrip(".").isdigit()) == 8


def test_results_and_assessments_workbooks(files):
    wb = load_workbook(io.BytesIO(files[f"tours/{TOUR}/results.xlsx"]))
    ws = wb["排名"]
    heads = [c.value for c in ws[3]]
    assert heads[:3] == ["名次", "村", "乡镇"] and heads[-2:] == ["综合得分", "拟命名"] and "去掉的分数" in heads
    assert ws.cell(4, 1).value == 1
    wb = load_workbook(io.BytesIO(files["data/assessments.xlsx"]))
    assert wb.sheetnames == ["十条标准", "十个好"]
    ws = wb["十条标准"]
    assert [c.value for c in ws[1]][:9] == [
        "村",
        "乡镇",
        "村编号",
        "条目编号",
        "条目",
        "等次",
        "得分",
        "分值",
        "是否达到要求",
    ]
    assert ws.max_row > 100


@pytest.mark.parametrize("row_at_a_time", [False, True], ids=["in-memory", "row-at-a-time"])
def test_the_assessments_export_is_a_plain_reproducible_table(tmp_path, monkeypatch, row_at_a_time):
    """data/assessments.xlsx (XlsxWriter): what an editor typed that looks like a
    formula stays text, dates are dates, the header repeats on every A4 page,
    and two builds give the same bytes — built in memory (a county) or a row
    at a time (past assessbook.LARGE_TABLE_ROWS: a province)."""
    import datetime as dt

    from builder.office import assessbook
    from builder.office.produce import produce_office
    from testkit.pipeline import built, context

    if row_at_a_time:
        monkeypatch.setattr(assessbook, "LARGE_TABLE_ROWS", 0)

    dst = tmp_path / "content"
    shutil.copytree(CONTENT, dst)
    vy = dst / "villages" / "baishui" / "village.yml"
    text = vy.read_text(encoding="utf-8")
    old = next(line for line in text.splitlines() if "evidence:" in line)
    evidence = old.split("evidence:", 1)[1].rstrip("}").strip()
    text = text.replace(old, old.replace(evidence, '"=HYPERLINK(\\"http://x.example/\\",\\"点此\\")"'), 1)
    vy.write_text(text, encoding="utf-8")

    def export() -> bytes:
        c, derived, d = built(dst, dst.parent)
        assert not d.has_errors, d.format("text")
        return next(f.read_bytes() for f in produce_office(context(c, d, derived)) if f.path == "data/assessments.xlsx")

    data = export()
    assert export() == data
    wb = load_workbook(io.BytesIO(data))
    ws = wb["十条标准"]
    cells = [c for row in ws.iter_rows(min_row=2) for c in row if isinstance(c.value, str) and "HYPERLINK" in c.value]
    assert cells and all(c.data_type == "s" and c.value.startswith("=") for c in cells)
    dates = [row[9] for row in ws.iter_rows(min_row=2) if row[9].value is not None]
    assert dates and all(isinstance(c.value, dt.datetime) and c.number_format == "yyyy-mm-dd" for c in dates)
    assert ws.freeze_panes == "A2" and ws.auto_filter.ref == ws.dimensions
    assert str(ws.page_setup.paperSize) == ws.PAPERSIZE_A4 and ws.page_setup.orientation == "landscape"
    assert ws.print_title_rows == "$1:$1"


def test_the_assessments_export_holds_the_same_table_either_way(monkeypatch):
    """The row-at-a-time workbook (a province's) holds exactly the cells of
    the in-memory one (a county's), sheet by sheet."""
    from builder.office import assessbook
    from builder.office.produce import produce_office
    from testkit.pipeline import built, context

    c, derived, d = built(CONTENT, CONTENT.parent)

    def cells(limit: int) -> dict:
        monkeypatch.setattr(assessbook, "LARGE_TABLE_ROWS", limit)
        data = next(f.read_bytes() for f in produce_office(context(c, d, derived)) if f.path == "data/assessments.xlsx")
        wb = load_workbook(io.BytesIO(data))
        return {ws.title: [[x.value for x in row] for row in ws.iter_rows()] for ws in wb.worksheets}

    small, large = cells(10**9), cells(0)
    assert small == large
    assert sum(len(rows) for rows in small.values()) > 100


def _soffice() -> str:
    exe = shutil.which("soffice") or shutil.which("libreoffice")
    if not exe:
        missing("LibreOffice (soffice) not installed")
    return exe


def _pages(pdf: Path) -> list[tuple[int, int]]:
    out = subprocess.run(
        ["pdfinfo", "-f", "1", "-l", "999", str(pdf)], capture_output=True, text=True, check=True
    ).stdout
    sizes = []
    for line in out.splitlines():
        if line.startswith("Page") and "size:" in line:
            w, h = line.split("size:")[1].split("pts")[0].split("x")
            sizes.append((round(float(w)), round(float(h))))
    return sizes


@pytest.mark.slow
def test_libreoffice_opens_and_converts_every_file(files, tmp_path):
    exe = _soffice()
    if not shutil.which("pdfinfo"):
        missing("pdfinfo (poppler-utils) not installed")
    src = tmp_path / "in"
    src.mkdir()
    for path, data in files.items():
        # results.docx and results.xlsx would both become results.pdf: keep the extension in the name
        (src / (path.replace("/", "__").replace(".", "_") + Path(path).suffix)).write_bytes(data)
    profile = tmp_path / "lo-profile"
    r = subprocess.run(
        [
            exe,
            f"-env:UserInstallation=file://{profile}",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(tmp_path / "pdf"),
            *sorted(str(p) for p in src.iterdir()),
        ],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert r.returncode == 0, r.stderr
    pdfs = {p.stem: p for p in (tmp_path / "pdf").glob("*.pdf")}
    assert {Path(p).stem for p in src.iterdir()} == set(pdfs) and len(pdfs) == len(files)  # every file
    for stem, pdf in pdfs.items():
        sizes = _pages(pdf)
        assert sizes and all(sorted(s) == sorted(A4) for s in sizes), (stem, sizes)
    assert len(_pages(pdfs[f"tours__{TOUR}__itinerary_docx"])) <= 2
    # score workbook: the 说明 page, then exactly one A4 page per judge
    sheet_pages = _pages(pdfs[f"tours__{TOUR}__scores_xlsx"])
    assert len(sheet_pages) == 1 + 3 and all(w > h for w, h in sheet_pages[1:])  # landscape
