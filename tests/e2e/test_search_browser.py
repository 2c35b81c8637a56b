"""The site's own search (builder/search) in Chromium: the visitors' queries
find the right page first over http and from a USB copy (file://); a page
view that does not search loads nothing of the index; the box works with the
keyboard, at 375 px and passes axe; editors' hostile text in results stays
text. (The full name/brand/project table is tests/e2e/test_search_rank.py.)"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.e2e.test_browser import _sample, open_page, search

ROOT = Path(__file__).resolve().parent.parent.parent
INDEX = "/assets/search/"


def _queries() -> list[tuple[str, str]]:
    c = _sample()
    v = c.villages["wangjiazhuang"].model
    pid, p = next((pid, p) for pid, p in sorted(c.projects.items()) if p.model.village == "wangjiazhuang")
    return [
        ("马铃薯", "villages/wangjiazhuang/"),
        (v.name, "villages/wangjiazhuang/"),
        (v.brand.name, "villages/wangjiazhuang/"),
        ("村委会副主任", "villages/baishui/"),  # a person's title (职务), on one village only
        (p.model.title, f"projects/{pid}/"),
    ]


def _page_of(href: str) -> str:
    return href.split("#", 1)[0]


def test_queries_find_the_right_page_first_over_http(base_url, new_page):
    page, log = new_page(viewport={"width": 1280, "height": 900})
    open_page(page, base_url)
    for query, expect in _queries():
        hrefs = search(page, query)
        assert hrefs and _page_of(hrefs[0]) == expect, (query, hrefs[:4])
    # the guides: ASCII words too
    hrefs = search(page, "make check")
    assert hrefs and hrefs[0].split("/")[0] in ("editors", "organisers"), hrefs[:3]
    assert not log.problems(), log.problems()


def test_a_page_view_without_search_loads_no_index(base_url, new_page):
    page, log = new_page(viewport={"width": 375, "height": 740}, is_mobile=True, has_touch=True)
    open_page(page, base_url + "villages/wangjiazhuang/")
    page.mouse.wheel(0, 2000)
    page.wait_for_timeout(300)
    page.keyboard.press("Tab")
    page.wait_for_load_state("networkidle")
    assert [u for u in log.requests if INDEX in u] == []
    # the index starts to load when the visitor opens the search box (the
    # header's magnifier on a phone); the terms only when a query is typed
    page.locator("label.md-header__button[for='__search']").click()
    page.wait_for_function("document.activeElement && document.activeElement.matches('.md-search__input')")
    page.wait_for_load_state("networkidle")
    loaded = [u for u in log.requests if INDEX in u]
    assert [u.split(INDEX)[1] for u in loaded] == ["index.js"]
    page.keyboard.type("马铃薯")
    page.wait_for_selector(".md-search-result__item > a")
    parts = {u.split(INDEX)[1].split("/")[0] for u in log.requests if INDEX in u}
    assert parts == {"index.js", "t", "d"}
    # 375 px: the results fit the screen, nothing scrolls sideways (once
    # Material's opening transition is over)
    page.wait_for_timeout(600)
    box = page.locator(".md-search-result__item").first.bounding_box()
    assert box and box["x"] >= 0 and box["x"] + box["width"] <= 375
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    assert not log.problems(), log.problems()


def test_keyboard_moves_through_results_and_opens_one(base_url, new_page):
    page, log = new_page(viewport={"width": 1280, "height": 900})
    open_page(page, base_url)
    hrefs = search(page, "党建引领")
    assert len(hrefs) >= 3
    page.keyboard.press("ArrowDown")
    assert page.evaluate("document.activeElement.href").endswith(hrefs[0])
    page.keyboard.press("ArrowDown")
    assert page.evaluate("document.activeElement.href").endswith(hrefs[1])
    page.keyboard.press("ArrowUp")
    page.keyboard.press("ArrowUp")
    assert page.evaluate("document.activeElement.matches('.md-search__input')")
    page.keyboard.press("Escape")
    assert not page.evaluate("document.getElementById('__search').checked")
    # Enter in the field opens the first result
    search(page, "王家庄村")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.url.endswith("villages/wangjiazhuang/")
    assert not log.problems(), log.problems()


def test_open_results_pass_axe(base_url, new_page):
    from tests.validators import axe

    why = axe.available()
    if why:
        pytest.skip(why)
    page, _ = new_page(viewport={"width": 1280, "height": 900})
    open_page(page, base_url)
    search(page, "马铃薯")
    violations = axe.run_axe(page)
    assert not violations, [axe.describe(v) for v in violations]


def test_search_works_from_a_usb_stick(tmp_path_factory, browser):
    """OFFLINE=true build opened as file://: the chunks load as scripts, the
    results link the .html pages, nothing but files is requested."""
    from tests.portal_site import built_site

    site = built_site(tmp_path_factory, key="offline", OFFLINE="true")
    ctx = browser.new_context(viewport={"width": 1280, "height": 900})
    try:
        page = ctx.new_page()
        errors, other = [], []
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.on("request", lambda r: other.append(r.url) if not r.url.startswith("file:") else None)
        page.goto((site / "villages" / "wangjiazhuang.html").as_uri())
        for query, expect in _queries():
            hrefs = page_hrefs(page, query)
            want = expect.rstrip("/") + ".html"
            assert hrefs and hrefs[0].endswith("/" + want), (query, hrefs[:3])
        page.locator(".md-search-result__item > a").first.click()
        page.wait_for_load_state("load")
        assert page.url.startswith("file:") and page.url.endswith(".html")
        assert not errors and not other, (errors, other)
    finally:
        ctx.close()


def page_hrefs(page, query: str) -> list[str]:
    """search() for a file:// page: the absolute hrefs of the results."""
    search(page, query)
    return page.eval_on_selector_all(".md-search-result__item > a", "els => els.map(e => e.href)")


MARKER = "XSS-MARKER"
HOSTILE = f"<img src=x onerror=console.log('{MARKER}')>"


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory):
    """The sample with markup in a village's summary and a project's title."""
    import yaml

    from builder.pipeline import check
    from tests.e2e.site import build_site

    base = tmp_path_factory.mktemp("search-xss")
    content = base / "content"
    shutil.copytree(ROOT / "content", content)
    vf = content / "villages" / "wangjiazhuang" / "village.yml"
    data = yaml.safe_load(vf.read_text("utf-8"))
    data["summary"] = f"马铃薯之乡{HOSTILE}</script><script>console.log('{MARKER}')</script>"
    vf.write_text(yaml.safe_dump(data, allow_unicode=True), "utf-8")
    pf = next(p for p in sorted((content / "projects").glob("*.yml")) if "wangjiazhuang" in p.name)
    pdata = yaml.safe_load(pf.read_text("utf-8"))
    pdata["title"] = f"千亩马铃薯{HOSTILE}"
    pf.write_text(yaml.safe_dump(pdata, allow_unicode=True), "utf-8")
    _, diags = check(content, base)
    assert not diags.has_errors, diags.format("text")
    return build_site(base / "build", content=content)


def test_hostile_titles_and_snippets_stay_text(hostile_site, new_page):
    from tests.e2e.conftest import serve

    httpd, url = serve(hostile_site)
    try:
        page, log = new_page(viewport={"width": 1280, "height": 900})
        open_page(page, url)
        for q in ("马铃薯", "xss marker", "img src"):
            search(page, q)
            texts = page.eval_on_selector_all(".md-search-result__item", "els => els.map(e => e.textContent)")
            assert any(HOSTILE in t for t in texts), (q, texts[:3])
            # no element came from the data: only the result's own markup and <mark>
            tags = page.eval_on_selector_all(
                ".md-search-result__list *", "els => [...new Set(els.map(e => e.tagName.toLowerCase()))]"
            )
            assert set(tags) <= {"li", "a", "article", "div", "p", "mark"}, tags
        page.wait_for_timeout(300)
        assert not [m for m in log.console if MARKER in m] and not log.dialogs and not log.page_errors
    finally:
        httpd.shutdown()
        httpd.server_close()
