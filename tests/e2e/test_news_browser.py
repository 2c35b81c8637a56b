"""党建动态 in Chromium (the sample site, built with MkDocs): the news list, a
year page and an item page at 1366×800 and 375×740 — cards with their photos,
no horizontal scroll, the Atom feed linked from <head> and served; the home
page's three latest and a village page's 动态 section; the Nu HTML Checker
and axe-core find nothing on the new page types."""

from __future__ import annotations

import pytest

from tests.e2e.conftest import missing
from tests.validators import axe, vnu

pytestmark = pytest.mark.browser

VIEWPORTS = {"desktop": {"width": 1366, "height": 800}, "phone": {"width": 375, "height": 740}}
PAGES = {
    "list": "news/",
    "year": "news/year/2026/",
    "item": "news/baishui-yifeng-yisu/",
}


def _open(new_page, base_url, path, vp):
    page, log = new_page(viewport=VIEWPORTS[vp])
    page.goto(base_url + path)
    page.evaluate(
        "async () => { for (const el of document.querySelectorAll('img')) {"
        " el.scrollIntoView(); await new Promise(r => setTimeout(r, 20)); } window.scrollTo(0, 0); }"
    )
    page.wait_for_load_state("networkidle")
    return page, log


def _decoded(page, selector: str) -> int:
    return page.evaluate(
        "(sel) => [...document.querySelectorAll(sel)].filter(i => i.complete && i.naturalWidth > 0).length", selector
    )


@pytest.mark.parametrize("vp", VIEWPORTS)
@pytest.mark.parametrize("kind", PAGES)
def test_news_pages_fit_and_show_their_photos(base_url, new_page, kind, vp):
    page, log = _open(new_page, base_url, PAGES[kind], vp)
    width = VIEWPORTS[vp]["width"]
    assert page.evaluate("document.documentElement.scrollWidth") <= width, "horizontal scroll"
    if kind == "item":
        assert page.locator(".vp-news-item h1").inner_text().startswith("白水乡两村联动")
        assert page.locator(".vp-news-villages a").all_inner_texts() == ["白水村", "龙王庙村"]
        assert _decoded(page, ".vp-news-item img") == 3
        # the lead photo spans the text column
        lead = page.locator(".vp-news-lead-photo img").bounding_box()
        column = page.locator(".vp-news-item article").bounding_box()
        assert lead["width"] >= column["width"] - 2
        # the lightbox of the village gallery opens on it
        page.locator(".vp-news-lead-photo a.glightbox").click()
        page.wait_for_selector(".glightbox-container .gslide.current img", state="visible")
    else:
        cards = page.locator(".vp-news-card")
        assert cards.count() >= 5
        assert _decoded(page, ".vp-news-card img") == cards.count()
        # every card is one link with a title that is not cut off
        for box in page.locator(".vp-news-card .vp-card-title").all():
            assert box.evaluate("e => e.scrollWidth <= e.clientWidth + 1")
        # the year links are finger-sized
        for a in page.locator(".vp-news-years a").all():
            assert a.bounding_box()["height"] >= 24
        if vp == "desktop":  # several cards side by side on a wide screen
            tops = {round(b["y"]) for b in (c.bounding_box() for c in cards.all()[:3])}
            assert len(tops) == 1
        else:  # one column on a phone
            boxes = [c.bounding_box() for c in cards.all()[:2]]
            assert boxes[1]["y"] > boxes[0]["y"] + boxes[0]["height"] - 1
    assert not log.problems(), log.problems()


def test_the_feed_is_linked_from_head_and_served(base_url, new_page):
    page, _ = _open(new_page, base_url, "news/", "desktop")
    href = page.locator('head link[rel="alternate"][type="application/atom+xml"]').get_attribute("href")
    assert href
    url = page.evaluate("(h) => new URL(h, location.href).href", href)
    assert url == base_url + "feed.xml"
    body = page.evaluate("async (u) => (await fetch(u)).text()", url)
    assert body.startswith("<?xml") and "<feed" in body and "白水乡两村联动" in body


@pytest.mark.parametrize("vp", VIEWPORTS)
def test_home_and_village_pages_show_news(base_url, new_page, vp):
    page, log = _open(new_page, base_url, "", vp)
    titles = page.locator(".vp-news-home .vp-card-title").all_inner_texts()
    assert len(titles) == 3 and titles[0].startswith("红柳镇召开党建示范村创建推进会")
    assert page.evaluate("document.documentElement.scrollWidth") <= VIEWPORTS[vp]["width"]
    page.locator(".vp-news-home .vp-card-link").first.click()
    page.wait_for_load_state("load")
    assert page.url.endswith("/news/hongliu-xiwan-sangai/")
    page, _ = _open(new_page, base_url, "villages/wangjiazhuang/", vp)
    names = page.locator(".vp-news-village .vp-card-title").all_inner_texts()
    assert names[0].startswith("王家庄村党支部开展") and len(names) == 3
    assert page.evaluate("document.documentElement.scrollWidth") <= VIEWPORTS[vp]["width"]
    assert not log.problems(), log.problems()


def test_vnu_and_axe_find_nothing_on_the_news_pages(sample_site, base_url, new_page):
    why = vnu.available() or axe.available()
    if why:
        missing(why)
    files = sorted((sample_site / "news").rglob("*.html"))  # every news page, not only those below
    assert len(files) >= 10
    kept, _ = vnu.split_ignored(vnu.run_vnu(files))
    assert not kept, "\n".join(vnu.describe(m) for m in kept[:30])
    found = {}
    for kind, path in PAGES.items():
        for vp in VIEWPORTS:
            page, _ = _open(new_page, base_url, path, vp)
            violations = axe.run_axe(page)
            if violations:
                found[f"{kind}@{vp}"] = [axe.describe(v) for v in violations]
    assert not found, found
