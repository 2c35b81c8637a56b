"""The 历年自评 section of a village page (issue 16) in a real browser at
375 and 1366 px: behind the 自评 tab, inside the screen, the trend chart in
its box with its text alternative, table cells readable on a phone."""

from __future__ import annotations

import pytest

from tests.e2e.test_layout import CHARTS_OUTSIDE, NARROW_CELLS, PHONE, _open, _url

pytestmark = pytest.mark.browser

DESKTOP = {"width": 1366, "height": 800}


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["375", "1366"])
def test_village_years_section(sample_site, base_url, new_page, viewport):
    page, log = _open(new_page, _url(base_url, "villages/majiazhuang/index.html"), viewport)
    labels = page.locator(".vp-tabs > .tabbed-labels > label")
    labels.nth(labels.all_inner_texts().index("自评")).click()
    sec = page.locator("section.vp-years")
    assert sec.is_visible()
    assert sec.locator("h2").inner_text() == "历年自评"
    years = sec.locator("table.vp-years-table tbody tr td:first-child").all_inner_texts()
    assert years == ["2026 年", "2026 年", "2025 年", "2025 年", "2024 年", "2024 年"]
    chart = sec.locator("svg.vp-trend")
    assert chart.is_visible()
    box = chart.bounding_box()
    assert box is not None and box["width"] > 200 and box["x"] >= 0 and box["x"] + box["width"] <= viewport["width"]
    assert "2026 年" in chart.locator("desc").text_content()
    assert chart.get_attribute("role") == "img"
    assert sec.locator("ul.vp-fallen li").count() == 3
    assert page.evaluate("document.scrollingElement.scrollWidth") <= viewport["width"]
    assert page.evaluate(CHARTS_OUTSIDE) == []
    if viewport is PHONE:
        assert [c for c in page.evaluate(NARROW_CELLS) if "vp-years" in c] == []
    assert not log.problems()
