"""Printing tours from Chromium: A4 with the CSS page size, the expected
number of pages, and real Chinese text in the PDF (pdftotext)."""

from __future__ import annotations

import re
import shutil
import subprocess

import pytest

from tests.e2e.conftest import missing

pytestmark = pytest.mark.browser

A4_PT = (595.28, 841.89)


def pdf_info(path) -> dict:
    out = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout
    pages = int(re.search(r"^Pages:\s+(\d+)", out, re.M).group(1))
    w, h = map(float, re.search(r"^Page size:\s+([\d.]+) x ([\d.]+) pts", out, re.M).groups())
    return {"pages": pages, "size": (w, h)}


def pdf_text(path) -> str:
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True).stdout


@pytest.fixture(scope="module")
def poppler():
    if not (shutil.which("pdfinfo") and shutil.which("pdftotext")):
        missing("poppler-utils (pdfinfo, pdftotext) not installed")


def open_page(page, url: str) -> None:
    page.goto(url, wait_until="load")
    page.wait_for_load_state("networkidle")


def print_pdf(page, out) -> dict:
    page.emulate_media(media="print")
    # Lazy images must be in before printing.
    page.evaluate(
        "Promise.all(Array.from(document.images).map(i => { i.loading = 'eager'; return i.decode().catch(() => 0); }))"
    )
    page.pdf(path=str(out), prefer_css_page_size=True, print_background=True)
    return pdf_info(out)


def _tour_with_sheet(sample_site) -> str:
    """The tour with the most stops that has a score sheet."""
    best = None
    for sheet in sorted(sample_site.glob("tours/*/scoresheet/index.html")):
        tour = sheet.parent.parent
        n = (tour / "index.html").read_text(encoding="utf-8").count('class="tour-row tour-row-stop"')
        if best is None or n > best[0]:
            best = (n, tour.name)
    if best is None:
        pytest.fail("the sample site has no tour with a score sheet")
    return best[1]


def test_tour_itinerary_prints_on_a4_within_two_pages(sample_site, base_url, new_page, tmp_path, poppler):
    tid = _tour_with_sheet(sample_site)
    page, log = new_page(viewport={"width": 1280, "height": 900})
    url = base_url + f"tours/{tid}/"
    open_page(page, url)
    stops = page.locator(".tour-row-stop").count()
    names = page.eval_on_selector_all(".tour-row-stop .c-name", "els => els.map(e => e.innerText.trim())")
    title = page.locator("h1").first.inner_text().strip()
    assert 5 <= stops <= 8, f"the sample's big tour should have 5–8 stops, has {stops}"
    info = print_pdf(page, tmp_path / "tour.pdf")
    assert all(abs(a - b) < 2 for a, b in zip(info["size"], A4_PT, strict=True)), f"not A4 portrait: {info['size']}"
    assert 1 <= info["pages"] <= 2, f"an itinerary of {stops} stops must fit on 2 A4 pages, got {info['pages']}"
    text = re.sub(r"\s+", "", pdf_text(tmp_path / "tour.pdf"))
    assert re.sub(r"\s+", "", title) in text, "the Chinese title is real text in the PDF"
    for n in names:
        village = re.sub(r"\s+", "", n).split("（")[0][:3]
        assert village and village in text, f"stop {n!r} missing from the PDF text"
    # No navigation chrome in print.
    assert "搜索" not in text and "首页" not in text[:50]
    assert not log.problems()


def test_score_sheet_prints_one_sheet_per_stop_plus_summary(sample_site, base_url, new_page, tmp_path, poppler):
    tid = _tour_with_sheet(sample_site)
    page, log = new_page(viewport={"width": 1280, "height": 900})
    url = base_url + f"tours/{tid}/scoresheet/"
    open_page(page, url)
    sheets = page.locator(".tour-sheet").count()
    stops = page.locator(".tour-sheet:not(.tour-summary)").count()
    assert sheets == stops + 1 and stops >= 5
    info = print_pdf(page, tmp_path / "sheet.pdf")
    assert all(abs(a - b) < 2 for a, b in zip(info["size"], A4_PT, strict=True))
    # Every sheet starts on a new page; a sheet of ten items fits on one page.
    assert info["pages"] == sheets, f"{sheets} sheets printed on {info['pages']} pages"
    text = pdf_text(tmp_path / "sheet.pdf")
    for word in ("指标", "测评内容", "测评方法", "分值", "得分"):
        assert text.count(word) >= stops, f"column {word} on every sheet"
    assert not log.problems()
