"""The site frame in Chromium at 1366 and 375 px: the sample disclaimer is
seen once per page, the footer with the 备案 fields is there, the top-level
tabs are shown on phones too (one row that scrolls inside itself, not the
page) with tap targets of at least 24 px."""

from __future__ import annotations

import pytest

from tests.e2e.site import page_types
from tests.e2e.test_browser import open_page

pytestmark = pytest.mark.browser

KINDS = ("home", "village", "project", "tours-index", "score-sheet", "not-found", "editors-guide")
WIDTHS = (1366, 375)

VISIBLE_DISCLAIMERS = """() => {
  const out = [];
  const walk = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let n = walk.nextNode(); n; n = walk.nextNode()) {
    if (!n.textContent.includes('仅作演示')) continue;
    const el = n.parentElement;
    const r = el.getBoundingClientRect();
    const s = getComputedStyle(el);
    if (r.width > 0 && r.height > 0 && s.visibility !== 'hidden') out.push(el.className || el.tagName);
  }
  return out;
}"""


@pytest.mark.parametrize("width", WIDTHS)
def test_disclaimer_once_footer_and_tabs(sample_site, base_url, new_page, width):
    types = page_types(sample_site)
    problems = []
    for kind in KINDS:
        path = types.get(kind)
        assert path, kind
        page, log = new_page(viewport={"width": width, "height": 800})
        open_page(page, base_url + (path[: -len("index.html")] if path.endswith("index.html") else path))
        seen = page.evaluate(VISIBLE_DISCLAIMERS)
        if len(seen) != 1:
            problems.append((kind, width, "disclaimers", seen))
        footer = page.locator("footer.vp-footer")
        if not footer.is_visible() or "网站标识码" not in footer.inner_text():
            problems.append((kind, width, "footer"))
        tabs = page.locator("nav.md-tabs a.md-tabs__link")
        if tabs.count() != 8 or not tabs.first.is_visible():
            problems.append((kind, width, "tabs", tabs.count()))
        small = page.evaluate(
            """() => [...document.querySelectorAll('nav.md-tabs a.md-tabs__link, footer.vp-footer a')]
                 .map(a => a.getBoundingClientRect()).filter(r => r.width > 0 && (r.height < 24 || r.width < 24))
                 .length"""
        )
        if small:
            problems.append((kind, width, "tap targets under 24 px", small))
        wide = page.evaluate("() => document.documentElement.scrollWidth - document.documentElement.clientWidth")
        if kind in ("home", "not-found", "editors-guide") and wide > 0:
            problems.append((kind, width, "page scrolls sideways", wide))
        if log.outside:
            problems.append((kind, width, "outside requests", log.outside))
        page.context.close()
    assert problems == []
