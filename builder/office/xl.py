"""Shared workbook helpers: styles, print settings, cell values as editors
type them, and the "sheet!cell" names diagnostics use."""

from __future__ import annotations

import io
import os
import re
import unicodedata
import zipfile

from lxml import etree
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.workbook.workbook import Workbook
from openpyxl.worksheet.worksheet import Worksheet

BODY_FONT = "宋体"
HEAD_FONT = "黑体"
THIN = Side(style="thin", color="000000")
BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
HEAD_FILL = PatternFill("solid", fgColor="D9D9D9")
INPUT_FILL = PatternFill("solid", fgColor="FFF2CC")  # light yellow: "type here"
WRAP = Alignment(wrap_text=True, vertical="center")
CENTER = Alignment(horizontal="center", vertical="center", wrap_text=True)
_BAD_SHEET_CHARS = re.compile(r"[\[\]:*?/\\]")
_NUMBER = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)$")


def font(bold=False, size=11, head=False, color=None) -> Font:
    return Font(name=HEAD_FONT if head else BODY_FONT, bold=bold, size=size, color=color)


def sheet_title(text: str) -> str:
    """A valid worksheet name (≤ 31 characters, none of []:*?/\\)."""
    return _BAD_SHEET_CHARS.sub("", text)[:31] or "Sheet"


def ref(ws_title: str, row: int, col: int) -> str:
    return f"{ws_title}!{get_column_letter(col)}{row}"


def a4(ws, landscape: bool, title_rows: str | None = None, fit_height: int = 1) -> None:
    ws.page_setup.paperSize = Worksheet.PAPERSIZE_A4
    ws.page_setup.orientation = "landscape" if landscape else "portrait"
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = fit_height
    ws.page_margins.left = ws.page_margins.right = 0.5
    ws.page_margins.top = ws.page_margins.bottom = 0.6
    ws.print_options.horizontalCentered = True
    if title_rows:
        ws.print_title_rows = title_rows
    ws.oddFooter.center.text = "第 &P 页 共 &N 页"


def _os_error(exc: Exception) -> OSError:
    import errno
    import tempfile

    text = str(exc)
    code = next(
        (getattr(errno, n) for n in ("ENOSPC", "EFBIG", "EDQUOT", "EROFS", "EACCES") if f"IO_{n}" in text), errno.EIO
    )
    return OSError(code, os.strerror(code), tempfile.gettempdir())


def save(wb: Workbook) -> bytes:
    """The workbook's bytes, reproducible: fixed document times."""
    import datetime as dt

    stamp = dt.datetime(2000, 1, 1)
    wb.properties.created = stamp
    wb.properties.modified = stamp
    wb.properties.creator = "示范村展示门户"
    wb.properties.lastModifiedBy = "示范村展示门户"
    buf = io.BytesIO()
    fault: OSError | None = None
    try:
        wb.save(buf)
    except etree.SerialisationError as exc:
        # openpyxl writes each sheet through a temporary file: a full disk or
        # a file-size limit surfaces as lxml's IO_ENOSPC / IO_EFBIG.
        fault = _os_error(exc)
    if fault is not None:
        # The half-written sheet's generator fails again when it is collected;
        # that second report is about the same fault, so it is not printed.
        import gc
        import sys

        hook = sys.unraisablehook
        sys.unraisablehook = lambda _: None
        try:
            gc.collect()
        finally:
            sys.unraisablehook = hook
        raise fault
    # zip entries carry the current time: rewrite them with a fixed one
    src = zipfile.ZipFile(io.BytesIO(buf.getvalue()))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for info in src.infolist():
            zi = zipfile.ZipInfo(info.filename, date_time=(2000, 1, 1, 0, 0, 0))
            zi.compress_type = zipfile.ZIP_DEFLATED
            data = src.read(info.filename)
            if info.filename == "docProps/core.xml":
                # openpyxl writes the clock time into dcterms:modified on save
                data = re.sub(
                    rb"(<dcterms:modified[^>]*>)[^<]*(</dcterms:modified>)", rb"\g<1>2000-01-01T00:00:00Z\2", data
                )
            z.writestr(zi, data)
    return out.getvalue()


def parse_number(value) -> tuple[str, float | None, str]:
    """A cell as a score: ("ok", x, ""), ("blank", None, "") or
    ("text", None, suggestion) where suggestion is the number the editor
    probably meant ("" when there is none): full-width digits, "9分", "９.５"."""
    if value is None:
        return "blank", None, ""
    if isinstance(value, bool):
        return "text", None, ""
    if isinstance(value, (int, float)):
        return "ok", float(value), ""
    text = str(value).strip()
    if not text:
        return "blank", None, ""
    plain = unicodedata.normalize("NFKC", text).replace("。", ".").replace(" ", "")
    plain = re.sub(r"分$", "", plain)
    if _NUMBER.match(plain):
        return "text", None, f"{float(plain):g}"
    return "text", None, ""


def num_value(x: float):
    """9.0 → 9 (so the cell shows 9), 8.5 stays."""
    return int(x) if float(x).is_integer() else float(x)


def fit_height(ws, row: int, cells: list[tuple[str, float, float]], min_pt: float = 18) -> None:
    """Set a row's height for wrapped text: cells = (text, column width, font
    size). LibreOffice does not grow rows written by openpyxl by itself."""
    import math

    lines = 1
    for text, width, size in cells:
        per_line = max(1.0, width * 11 / size / 2.1)  # CJK characters per line (a CJK char ≈ 2 width units)
        wide = sum(1 if ord(ch) > 0x2E7F else 0.5 for ch in str(text or ""))
        lines = max(lines, math.ceil(wide / per_line))
    ws.row_dimensions[row].height = max(min_pt, lines * max(s for _, _, s in cells) * 1.4 + 4)


def first_sheet(wb: Workbook) -> Worksheet:
    """The sheet a new workbook opens with (openpyxl types ``wb.active`` as
    optional: a workbook without sheets has none)."""
    ws = wb.active
    if not isinstance(ws, Worksheet):  # pragma: no cover - new workbooks always have one
        raise TypeError("workbook has no worksheet")
    return ws
