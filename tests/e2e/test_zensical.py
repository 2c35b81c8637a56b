"""The second engine's smoke test (issue 17): the sample built with
``python -m builder build --engine zensical`` (the real command, in a private
copy of the project) has every page type, the key content, the same pages and
files as the MkDocs build (only each engine's own theme files and search index
differ), and in Chromium loads nothing from another host and logs no error;
photos open in the lightbox, the village tabs switch and the search finds a
village by its brand.

Skipped only when Zensical is not installed; it is pinned in pyproject.toml,
so CI runs it."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from testkit.audit import audit_site, site_pages
from tests.e2e.conftest import serve
from tests.e2e.site import page_types, run_build
from tests.portal_site import make_project

pytest.importorskip("zensical")
pytestmark = pytest.mark.browser

# What only one engine writes: its theme's bundles, styles, fonts and icons,
# its search index and workers, MkDocs' sitemap.xml.gz and the tags plugin's
# JSON; GLightbox vendored by the Zensical adapter (builder/zensical_engine/vendor.py).
ENGINE_OWN = re.compile(
    r"^(assets/javascripts/(bundle\.|lunr/|workers/|glightbox\.min\.js|LICENSE$|vendor/glightbox/)"
    r"|assets/stylesheets/(main\.|palette\.|classic/|modern/|glightbox\.min\.css|vendor/glightbox/)"
    r"|assets/(images|fonts|icons)/"
    r"|search/search_index\.json$|search\.json$|sitemap\.xml\.gz$|tags\.json$)"
)

PAGE_TYPES = (
    "home",
    "village",
    "village-profile",
    "villages-a-z",
    "villages-by-town",
    "villages-by-function",
    "tags",
    "comparison-index",
    "comparison-framework",
    "projects-index",
    "project",
    "map",
    "tours-index",
    "tour",
    "score-sheet",
    "tour-results",
    "town-route",
    "editors-guide",
    "not-found",
)


@pytest.fixture(scope="module")
def zensical_site(tmp_path_factory) -> Path:
    project = make_project(tmp_path_factory.mktemp("zensical") / "project")
    r = run_build(project, "--engine", "zensical")
    assert r.returncode == 0, f"zensical build failed (exit {r.returncode}):\n{r.stderr[-6000:]}"
    assert "网站已由 Zensical 生成到" in r.stderr
    # Zensical found nothing to warn about (the guides' links to generated pages
    # follow them to where the adapter put them), and says things as plain text.
    assert "Warning" not in r.stderr and "\x1b[" not in r.stderr, r.stderr[-3000:]
    return project / "site"


@pytest.fixture(scope="module")
def zensical_url(zensical_site):
    httpd, url = serve(zensical_site)
    yield url
    httpd.shutdown()
    httpd.server_close()


def _files(site: Path) -> set[str]:
    return {p.relative_to(site).as_posix() for p in site.rglob("*") if p.is_file()}


def test_every_page_type_and_the_key_content(zensical_site):
    types = page_types(zensical_site)
    for name in PAGE_TYPES:
        assert types.get(name), f"no {name} page"
        assert (zensical_site / types[name]).is_file(), types[name]
    html = (zensical_site / "villages/wangjiazhuang/index.html").read_text("utf-8")
    assert '<h1 id="top">王家庄村' in html and "薯香红旗" in html
    assert 'class="vp-radar-fig"' in html and 'class="tabbed-set tabbed-alternate vp-tabs"' in html
    photos = re.findall(r'<img[^>]* src="(\.\./\.\./assets/photos/wangjiazhuang/[^"]+)"', html)
    assert photos, "no photo on the village page"
    for src in photos:
        assert (zensical_site / "villages/wangjiazhuang" / src).resolve().is_file(), src
    # The theme overrides and site.yml's identity, as under MkDocs.
    assert "示例网站：县、乡镇、村和人物均为虚构" in html and "vp-footer" in html and "主办单位" in html
    assert 'src="../../assets/site/logo.png"' in html
    home = (zensical_site / "index.html").read_text("utf-8")
    assert "工作指南" in home and "编辑指南" in home and "观摩组织" in home  # the guides' tab
    assert "找不到这个页面" in (zensical_site / "404.html").read_text("utf-8")


def test_the_site_passes_the_audit(zensical_site, zensical_usb_site):
    """testkit/audit.py as for the MkDocs site: no script but the theme's known
    ones and the vendored files, no outside URL that loads anything."""
    for site in (zensical_site, zensical_usb_site):
        assert len(site_pages(site)) > 50
        assert audit_site(site) == [], site


ATTR = re.compile(r'(?:href|src|srcset)="([^"]*)"')


def _article_links(page: Path) -> set[str]:
    html = page.read_text("utf-8")
    start, end = html.find("<article"), html.find("</article>")
    return set(ATTR.findall(html[start:end]))


def test_same_links_in_every_page_as_the_mkdocs_build(sample_site, zensical_site):
    """Every link, image and srcset inside each page's article is the same
    under both engines (Zensical resolves raw HTML URLs against the source
    file; the adapter places each page where that changes nothing)."""
    pages = sorted(p.relative_to(sample_site) for p in sample_site.rglob("*.html"))
    assert len(pages) > 50
    for rel in pages:
        assert _article_links(sample_site / rel) == _article_links(zensical_site / rel), rel


def _toc(page: Path) -> list[str]:
    html = page.read_text("utf-8")
    start = html.find("md-nav--secondary")
    return re.findall(r'href="(#[^"]*)"', html[start : html.find("</nav>", start)]) if start > 0 else []


def test_same_table_of_contents_as_the_mkdocs_build(sample_site, zensical_site):
    """The wide-screen 目录 of every page (generated pages: from their HTML,
    builder/zensical_engine/mdx.py; guides: from their Markdown headings)."""
    pages = sorted(p.relative_to(sample_site) for p in sample_site.rglob("*.html"))
    village = Path("villages/wangjiazhuang/index.html")
    assert _toc(zensical_site / village)[:4] == ["#kandian", "#cunqingjieshao", "#mingming", "#ziping"]
    for rel in pages:
        assert _toc(sample_site / rel) == _toc(zensical_site / rel), rel


def test_same_pages_and_files_as_the_mkdocs_build(sample_site, zensical_site):
    mk, zs = _files(sample_site), _files(zensical_site)
    assert {p for p in mk if p.endswith(".html")} == {p for p in zs if p.endswith(".html")}
    assert {p for p in mk if not ENGINE_OWN.match(p)} == {p for p in zs if not ENGINE_OWN.match(p)}
    photos = {p for p in mk if p.startswith("assets/photos/")}
    assert len(photos) > 50
    # photos, CSS/JS, map data, exports: byte for byte (the sitemap is each engine's own)
    for p in sorted((mk & zs) - {"sitemap.xml"}):
        if not p.endswith(".html"):
            assert (sample_site / p).read_bytes() == (zensical_site / p).read_bytes(), p


def test_no_outside_request_and_no_error_in_chromium(zensical_site, zensical_url, new_page):
    types = page_types(zensical_site)
    for name in PAGE_TYPES:
        page, log = new_page(viewport={"width": 375, "height": 740}, is_mobile=True, has_touch=True)
        path = types[name]
        page.goto(zensical_url + re.sub(r"index\.html$", "", path), wait_until="load")
        page.wait_for_load_state("networkidle")
        assert log.requests, name
        assert not log.outside, (name, log.outside)
        assert not log.problems(), (name, log.problems())
        page.context.close()


def test_lightbox_tabs_and_search(zensical_url, new_page):
    page, log = new_page(viewport={"width": 1366, "height": 900})
    page.goto(zensical_url + "villages/wangjiazhuang/", wait_until="load")
    page.wait_for_load_state("networkidle")
    labels = page.locator(".vp-tabs > .tabbed-labels > label")
    names = labels.all_inner_texts()
    assert page.locator("#ziping").evaluate("e => !e.closest('.tabbed-block').checkVisibility()")
    labels.nth(names.index("自评")).click()
    assert page.locator(".vp-radar-fig").first.is_visible()
    page.locator("a.glightbox").first.click()
    page.wait_for_selector(".glightbox-container .gslide-image img", state="visible")
    assert page.locator(".glightbox-container").count() == 1  # one viewer, not the theme's and ours
    page.keyboard.press("Escape")
    page.goto(zensical_url, wait_until="load")
    page.wait_for_load_state("networkidle")
    # the site's own search (builder/search), as under MkDocs: the header's box
    page.locator(".md-search__input").click()
    page.keyboard.type("薯香红旗")
    first = page.locator(".md-search-result__item > a").first
    first.wait_for(state="attached", timeout=10_000)
    assert "/villages/wangjiazhuang/" in (first.get_attribute("href") or "")
    assert not log.outside and not log.problems(), log.problems()


@pytest.fixture(scope="module")
def zensical_usb_site(tmp_path_factory) -> Path:
    project = make_project(tmp_path_factory.mktemp("zensical-usb") / "project")
    r = run_build(project, "--engine", "zensical", OFFLINE="true")
    assert r.returncode == 0, r.stderr[-6000:]
    return project / "site"


def test_usb_copy_works_from_file_urls(zensical_usb_site, new_page):
    """OFFLINE=true: .html links as under MkDocs; pages, lightbox and search
    work from file:// with no request anywhere else."""
    site = zensical_usb_site
    assert (site / "villages/wangjiazhuang.html").is_file()
    assert not (site / "villages/wangjiazhuang/index.html").exists()
    page, log = new_page(viewport={"width": 1366, "height": 900})
    for path in ("index.html", "villages/wangjiazhuang.html", "map.html", "tags.html"):
        page.goto((site / path).as_uri(), wait_until="load")
        page.wait_for_load_state("networkidle")
    page.goto((site / "villages/wangjiazhuang.html").as_uri(), wait_until="load")
    page.locator("a.glightbox").first.click()
    page.wait_for_selector(".glightbox-container .gslide-image img", state="visible")
    page.goto((site / "index.html").as_uri(), wait_until="load")
    page.wait_for_load_state("networkidle")
    page.locator(".md-search__input").click()
    page.keyboard.type("薯香红旗")
    first = page.locator(".md-search-result__item > a").first
    first.wait_for(state="attached", timeout=10_000)
    assert first.evaluate("a => a.href").startswith((site / "villages/wangjiazhuang.html").as_uri())
    assert not log.outside and not log.problems(), log.problems()
