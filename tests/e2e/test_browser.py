"""Real-browser tests: the built sample site in Debian's Chromium (Playwright).

Every page type loads without console errors or failed requests and makes no
request to any host but 127.0.0.1; Chinese search; the gallery lightbox;
comparison filters with and without JavaScript; no horizontal scrolling at
375 px.
"""

from __future__ import annotations

import html
from urllib.parse import urlsplit

import pytest

from tests.e2e.site import page_types

pytestmark = pytest.mark.browser

# Page types that must exist in the sample site (tours are checked once the
# site has a tours/ folder; see page_types()).
CORE_TYPES = [
    "home",
    "village",
    "villages-a-z",
    "villages-by-town",
    "villages-by-function",
    "tags",
    "comparison-index",
    "comparison-framework",
    "projects-index",
    "project",
    "map",
    "not-found",
]


def url_of(site, base_url: str, kind: str) -> str:
    path = page_types(site)[kind]
    assert path, f"the sample site has no page of type {kind}"
    return base_url + (path[: -len("index.html")] if path.endswith("index.html") else path)


def open_page(page, url: str) -> None:
    resp = page.goto(url, wait_until="load")
    assert resp is not None and resp.status == 200, f"{url}: HTTP {resp and resp.status}"
    page.wait_for_load_state("networkidle")


def test_every_core_page_type_exists(sample_site):
    types = page_types(sample_site)
    missing = [t for t in CORE_TYPES if not types.get(t) or not (sample_site / types[t]).is_file()]
    assert not missing


def all_types(site) -> list[str]:
    return [k for k, v in page_types(site).items() if v]


def test_every_page_type_loads_cleanly_and_stays_on_localhost(sample_site, base_url, new_page):
    problems: dict[str, list[str]] = {}
    total_requests = 0
    for kind in all_types(sample_site):
        page, log = new_page()
        open_page(page, url_of(sample_site, base_url, kind))
        # Scroll to the bottom so lazy images load too.
        page.evaluate("window.scrollTo(0, document.body.scrollHeight)")
        page.wait_for_load_state("networkidle")
        total_requests += len(log.requests)
        if log.problems():
            problems[kind] = log.problems()
        page.context.close()
    assert not problems, problems
    assert total_requests >= 2 * len(all_types(sample_site)), "the network log recorded the page loads"


def test_outside_requests_are_detected(base_url, new_page):
    """The network watch can fail: a page that asks another host is caught."""
    page, log = new_page()
    open_page(page, base_url)
    page.evaluate("() => { const i = new Image(); i.src = 'https://cdn.example.com/x.png'; document.body.append(i); }")
    page.wait_for_timeout(300)
    assert log.outside == ["https://cdn.example.com/x.png"]


# -- search ------------------------------------------------------------------------------
def search(page, query: str) -> list[str]:
    """Type a query into Material's search box; hrefs of the results, best first."""
    box = page.locator("input.md-search__input")
    box.click()
    box.fill("")
    page.keyboard.type(query)
    # Chinese text arrives like IME input (no key events); Material searches on
    # key-up, as after a real IME commit, so release a neutral key.
    page.keyboard.press("End")
    page.wait_for_selector(".md-search-result__item > a", timeout=15_000)
    # Results of the partial query (first character) may show first: wait
    # until the list stops changing.
    hrefs, same = None, 0
    for _ in range(40):
        now = page.eval_on_selector_all(".md-search-result__item > a", "els => els.map(e => e.href)")
        same = same + 1 if now == hrefs else 0
        if same >= 3:
            break
        hrefs = now
        page.wait_for_timeout(150)
    # Result links carry ?h=<highlight>; keep "path#fragment" relative to the site root.
    out = []
    for h in hrefs:
        parts = urlsplit(h)
        out.append(parts.path.lstrip("/") + (f"#{parts.fragment}" if parts.fragment else ""))
    return out


def _sample():
    from tests.portal_site import load_sample

    return load_sample()


@pytest.mark.parametrize("kind", ["马铃薯", "village-name", "brand-name"])
def test_chinese_search_puts_the_right_page_first(sample_site, base_url, new_page, kind):
    content = _sample()
    v = content.villages["wangjiazhuang"]
    query, expect = {
        "马铃薯": ("马铃薯", "villages/wangjiazhuang/"),
        "village-name": (v.model.name, "villages/wangjiazhuang/"),
        "brand-name": (v.model.brand.name, "villages/wangjiazhuang/"),
    }[kind]
    page, log = new_page(viewport={"width": 1280, "height": 900})
    open_page(page, base_url)
    hrefs = search(page, query)
    assert hrefs, f"no result for {query}"
    assert hrefs[0] == expect, (query, hrefs[:5])
    assert not log.problems()


def test_search_for_another_village_brand(sample_site, base_url, new_page):
    """Not just the first village: a brand of another village finds that village."""
    content = _sample()
    slug, v = sorted(content.villages.items())[0]
    page, _ = new_page(viewport={"width": 1280, "height": 900})
    open_page(page, base_url)
    hrefs = search(page, v.model.brand.name)
    assert hrefs[0] == f"villages/{slug}/", (v.model.brand.name, hrefs[:5])


# -- gallery lightbox --------------------------------------------------------------------
def test_gallery_thumbnail_opens_lightbox_with_caption_and_keyboard_works(sample_site, base_url, new_page):
    content = _sample()
    slug, v = next((s, v) for s, v in sorted(content.villages.items()) if len(v.model.gallery) >= 2)
    page, log = new_page(viewport={"width": 1280, "height": 900})
    open_page(page, base_url + f"villages/{slug}/")
    page.click("label[for=tab-zhaopian]")  # the photos are one panel of the page
    thumbs = (
        page.locator(".vp-gallery a.glightbox")
        if page.locator(".vp-gallery a.glightbox").count()
        else page.locator("a.glightbox")
    )
    assert thumbs.count() >= 2
    first_title = html.unescape(thumbs.nth(0).get_attribute("data-title"))
    assert first_title in {p.caption for p in v.model.gallery} | {h.title for h in v.model.highlights}
    thumbs.nth(0).scroll_into_view_if_needed()
    thumbs.nth(0).click()
    box = page.locator(".glightbox-container")
    box.wait_for(state="visible")
    current = page.locator(".gslide.current")
    current.wait_for(state="visible")
    assert first_title in current.inner_text()
    img = current.locator("img")
    page.wait_for_function("img => img.complete && img.naturalWidth > 0", arg=img.element_handle())
    # Keyboard: → shows the next photo, ← goes back, Esc closes.
    second_title = html.unescape(thumbs.nth(1).get_attribute("data-title"))
    page.keyboard.press("ArrowRight")
    page.wait_for_function(
        "t => { const c = document.querySelector('.gslide.current'); return c && c.innerText.includes(t); }",
        arg=second_title,
    )
    page.keyboard.press("ArrowLeft")
    page.wait_for_function(
        "t => { const c = document.querySelector('.gslide.current'); return c && c.innerText.includes(t); }",
        arg=first_title,
    )
    page.keyboard.press("Escape")
    page.wait_for_selector(".glightbox-container", state="detached")
    assert not log.problems()


# -- comparison --------------------------------------------------------------------------
def _compare_url(sample_site, base_url):
    return url_of(sample_site, base_url, "comparison-framework")


def test_comparison_filters_work_with_javascript(sample_site, base_url, new_page):
    content = _sample()
    page, log = new_page(viewport={"width": 1280, "height": 900})
    open_page(page, _compare_url(sample_site, base_url))
    rows = page.locator("table.vp-matrix tbody tr")
    total = rows.count()
    assert total == len(content.villages)
    form = page.locator("form.vp-filters")
    assert form.is_visible(), "the filter form is shown when JavaScript runs"
    town = sorted({v.model.town for v in content.villages.values()})[0]
    expect = sorted(v.model.name for v in content.villages.values() if v.model.town == town)
    page.select_option("select[data-filter=town]", town)
    visible = page.eval_on_selector_all(
        "table.vp-matrix tbody tr",
        "rs => rs.filter(r => !r.hidden && r.offsetParent !== null).map(r => r.querySelector('th').innerText.trim())",
    )
    assert sorted(visible) == expect
    assert f"{len(expect)} / {total}" in page.inner_text(".vp-filter-count")
    # Both filters together, then back to all.
    fn = next(v.model.function for v in content.villages.values() if v.model.town == town)
    page.select_option("select[data-filter=function]", fn)
    visible2 = page.eval_on_selector_all("table.vp-matrix tbody tr", "rs => rs.filter(r => !r.hidden).length")
    assert visible2 == sum(1 for v in content.villages.values() if v.model.town == town and v.model.function == fn)
    page.select_option("select[data-filter=town]", "")
    page.select_option("select[data-filter=function]", "")
    assert page.eval_on_selector_all("table.vp-matrix tbody tr", "rs => rs.filter(r => !r.hidden).length") == total
    # Sorting by a column header.
    page.locator("table.vp-matrix thead th[data-sort=num]").last.click()
    vals = page.eval_on_selector_all(
        "table.vp-matrix tbody tr",
        "rs => rs.map(r => parseFloat(r.cells[r.cells.length-2].getAttribute('data-value')))",
    )
    assert vals == sorted(vals)
    assert not log.problems()


def test_comparison_is_complete_without_javascript(sample_site, base_url, new_page):
    content = _sample()
    page, log = new_page(java_script_enabled=False, viewport={"width": 1280, "height": 900})
    open_page(page, _compare_url(sample_site, base_url))
    names = page.eval_on_selector_all(
        "table.vp-matrix tbody tr", "rs => rs.map(r => r.querySelector('th').innerText.trim())"
    )
    assert sorted(names) == sorted(v.model.name for v in content.villages.values())
    assert all(page.locator("table.vp-matrix tbody tr").nth(i).is_visible() for i in range(len(names)))
    assert not page.locator("form.vp-filters").is_visible(), "no dead filter controls without JavaScript"
    # Every cell carries text, not only colour.
    empty = page.eval_on_selector_all(
        "table.vp-matrix tbody td.vp-cell", "cs => cs.filter(c => !c.innerText.trim()).length"
    )
    assert empty == 0
    assert not log.problems()


# -- mobile ------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "kind", ["village", "comparison-framework", "comparison-index", "project", "tour", "score-sheet"]
)
def test_no_horizontal_scrolling_at_375px(sample_site, base_url, new_page, kind):
    if kind not in page_types(sample_site) and kind in ("tour", "score-sheet"):
        pytest.fail(f"the sample site has no {kind} page yet")
    page, log = new_page(viewport={"width": 375, "height": 740}, device_scale_factor=2, is_mobile=True, has_touch=True)
    open_page(page, url_of(sample_site, base_url, kind))
    sw, cw = page.evaluate("[document.documentElement.scrollWidth, document.documentElement.clientWidth]")
    if sw > cw:
        culprits = page.evaluate(
            """cw => Array.from(document.querySelectorAll('body *'))
            .filter(e => e.getBoundingClientRect().right > cw + 1
                && !e.closest('.vp-scroll, .md-typeset__scrollwrap, .md-sidebar, .md-nav'))
            .slice(0, 8)
            .map(e => e.tagName + '.' + e.className + ' → ' + Math.round(e.getBoundingClientRect().right))""",
            cw,
        )
        pytest.fail(f"{kind}: scrollWidth {sw} > clientWidth {cw}; wide elements: {culprits}")
    assert not log.problems()
