"""Large plain tables (data/assessments.xlsx, the annual ranking) written with
XlsxWriter instead of openpyxl.

These exports grow with the county (assessments.xlsx has one row per village
and item: 40,000 rows at 2,000 villages) and have no forms, validation or
protection, which is what openpyxl is kept for (the score workbooks, reading
what editors send back). XlsxWriter writes them in about half openpyxl's
time, reproducibly (fixed document times and zip entry times), in memory or,
for a table written top to bottom, a row at a time (Book).

Strings are always written as text: a value an editor typed that starts
with "=" stays text, never a formula (spreadsheet formula injection)."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from builder.office.xl import BODY_FONT, HEAD_FONT

STAMP = dt.datetime(2000, 1, 1)  # the document times (as xl.save writes them)
OPTIONS = {
    "in_memory": True,
    "strings_to_formulas": False,
    "strings_to_numbers": False,
    "strings_to_urls": False,
    "default_date_format": "yyyy-mm-dd",
}


class Book:
    """A workbook being written, with the office feature's formats.

    ``rows_in_order``: the caller writes each sheet's rows top to bottom, so
    XlsxWriter may write each row out as soon as the next begins (its
    constant_memory mode, through a temporary file per sheet, and strings
    inline instead of in a shared table). For the tables that grow with the
    county: at 10,000 villages data/assessments.xlsx held ≈ 370 MB of cells
    in memory until it was saved."""

    def __init__(self, rows_in_order: bool = False) -> None:
        import xlsxwriter

        self.buf = io.BytesIO()
        options = {**OPTIONS, "in_memory": False, "constant_memory": True} if rows_in_order else OPTIONS
        self.wb = xlsxwriter.Workbook(self.buf, options)
        self.wb.set_properties(
            {"author": "示范村展示门户", "created": STAMP},
        )
        self.head = self.wb.add_format(
            {
                "font_name": HEAD_FONT,
                "bold": True,
                "bg_color": "#D9D9D9",
                "border": 1,
                "align": "center",
                "valign": "vcenter",
                "text_wrap": True,
            }
        )
        self.box = self.wb.add_format({"font_name": BODY_FONT, "border": 1})
        self.box_2dp = self.wb.add_format({"font_name": BODY_FONT, "border": 1, "num_format": "0.00"})
        self.title = self.wb.add_format({"font_name": HEAD_FONT, "bold": True, "font_size": 14})

    def sheet(self, name: str) -> Any:
        return self.wb.add_worksheet(name)

    def close(self) -> bytes:
        self.wb.close()
        return self.buf.getvalue()


@contextmanager
def book(rows_in_order: bool = False) -> Iterator[Book]:
    b = Book(rows_in_order)
    try:
        yield b
    finally:
        if not b.wb.fileclosed:
            b.wb.close()


def widths(ws: Any, cols: Sequence[float]) -> None:
    for k, w in enumerate(cols):
        ws.set_column(k, k, w)


def a4(ws: Any, landscape: bool, title_row: int | None = None, fit_height: int = 1) -> None:
    """A4, one page wide, centred, "第 n 页 共 m 页" below (as xl.a4); title_row
    (0-based) repeated on every printed page."""
    ws.set_paper(9)
    if landscape:
        ws.set_landscape()
    else:
        ws.set_portrait()
    ws.fit_to_pages(1, fit_height)
    ws.set_margins(left=0.5, right=0.5, top=0.6, bottom=0.6)
    ws.center_horizontally()
    if title_row is not None:
        ws.repeat_rows(title_row)
    ws.set_footer("&C第 &P 页 共 &N 页")
