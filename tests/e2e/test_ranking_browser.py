"""The annual ranking page and its print version in a real browser: at
375 px and 1366 px the page never scrolls sideways (the wide table scrolls
in its own box, 名次 and 村 stay in view), the print version is one A4
sheet with the whole table and the rule, and vnu/axe find nothing."""

from __future__ import annotations

import re
import shutil

import pytest

from tests.e2e.conftest import missing
from tests.e2e.test_print import open_page, pdf_text, print_pdf
from tests.validators import axe, vnu

pytestmark = pytest.mark.browser

YEAR = 2025
VIEWPORTS = [(375, 740), (1366, 800)]


@pytest.mark.parametrize(("width", "height"), VIEWPORTS)
@pytest.mark.parametrize("path", [f"ranking/{YEAR}/", f"ranking/{YEAR}/print/"])
def test_ranking_fits_the_screen(sample_site, base_url, new_page, width, height, path):
    page, log = new_page(viewport={"width": width, "height": height})
    open_page(page, base_url + path)
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    table = page.locator("table.vp-rk-table")
    assert table.locator("tbody tr").count() == 10
    box = page.locator(".vp-rk .vp-scroll")
    # the table's box is never wider than the screen; on a phone it scrolls inside itself
    assert box.evaluate("e => e.getBoundingClientRect().right") <= width + 0.5
    if width == 375 and path.endswith(f"{YEAR}/"):
        assert box.evaluate("e => e.scrollWidth > e.clientWidth")
        # scrolled to the right, the rank and the village name stay in view
        box.evaluate("e => { e.scrollLeft = e.scrollWidth; }")
        name = table.locator("tbody tr").first.locator("th")
        left = name.evaluate("e => e.getBoundingClientRect().left")
        assert 0 <= left < 120
    # the recommended rows say so in words, not only by colour
    rec = table.locator("tbody tr.vp-rk-rec")
    assert rec.count() == 5 and all("拟推荐" in t for t in rec.all_inner_texts())
    assert not log.failed, log.failed


@pytest.fixture
def pdf_tools():
    if not (shutil.which("pdfinfo") and shutil.which("pdftotext")):
        missing("poppler-utils (pdfinfo, pdftotext) not installed")


def test_print_version_is_one_a4_sheet(sample_site, base_url, new_page, tmp_path, pdf_tools):
    page, _ = new_page()
    open_page(page, base_url + f"ranking/{YEAR}/print/")
    info = print_pdf(page, tmp_path / "ranking.pdf")
    assert info["pages"] == 1
    assert tuple(round(x) for x in info["size"]) == (595, 842)  # A4 portrait, in points
    text = re.sub(r"\s+", "", pdf_text(tmp_path / "ranking.pdf"))
    assert f"示例县{YEAR}年度党建示范村综合排名" in text
    for name in ("柳树湾村", "高家沟村", "排名规则", "拟推荐", "1、2、2、4"):
        assert name in text
    assert "打印版" not in text and "下载表格" not in text and "返回网页版" not in text


def test_ranking_pages_pass_vnu(sample_site):
    why = vnu.available()
    if why:
        missing(why)
    pages = [
        sample_site / "ranking/index.html",
        sample_site / f"ranking/{YEAR}/index.html",
        sample_site / f"ranking/{YEAR}/print/index.html",
        sample_site / "villages/baishui/index.html",
    ]
    kept, _ = vnu.split_ignored(vnu.run_vnu(pages))
    assert not kept, "\n".join(vnu.describe(m) for m in kept)


@pytest.mark.parametrize(("width", "height"), VIEWPORTS)
def test_ranking_pages_pass_axe(sample_site, base_url, new_page, width, height):
    why = axe.available()
    if why:
        missing(why)
    found = {}
    for path in (f"ranking/{YEAR}/", f"ranking/{YEAR}/print/", "villages/baishui/"):
        page, _ = new_page(viewport={"width": width, "height": height})
        open_page(page, base_url + path)
        v = axe.run_axe(page)
        if v:
            found[path] = [axe.describe(x) for x in v]
        page.context.close()
    assert not found, found


def test_village_page_shows_its_tours(sample_site, base_url, new_page):
    page, _ = new_page(viewport={"width": 375, "height": 740})
    open_page(page, base_url + "villages/baishui/")
    page.click("label[for=tab-ziping]")
    sec = page.locator(".vp-vtours")
    assert sec.is_visible()
    assert page.locator(".vp-vtours h2").is_visible()  # its heading is shown (unlike the panel's own h2)
    items = sec.locator("li").all_inner_texts()
    assert items[0].startswith("2025-10-15") and "第 3 名" in items[1]
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
