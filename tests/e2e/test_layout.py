"""Layout in a real browser (issue 13), at 1366×800 and 375×740 on every page
type: no table cell narrower than two characters of its own font on a phone,
no sideways page scroll, every chart inside its own box (or a box that
scrolls), visible scroll cues, the village page's panels (tabs) and the
one-page A4 profile; printing a village page never ends a page with a heading.

How "a printed page ends with a heading" is measured: Chromium prints the
page (page.pdf, A4, print media), poppler's pdftotext extracts each PDF page
on its own (``-f i -l i -layout``), and the last non-empty line of every page
is compared with the texts of the page's headings (h1–h4, read from the DOM
under print emulation). The PDF is what a visitor's printer gets, so this
judges the real page breaks rather than a model of them; a heading whose text
also ends a body line could only make the test stricter, never let a stranded
heading pass. ``test_the_heading_check_can_fail`` forces a break after a
heading and expects the check to see it.
"""

from __future__ import annotations

import re
import subprocess

import pytest

from tests.e2e.conftest import pdftotext_available
from tests.e2e.site import page_types
from tests.e2e.test_print import pdf_info
from tests.e2e.test_print import poppler as poppler  # the fixture, shared

pytestmark = pytest.mark.browser

PHONE = {"width": 375, "height": 740}
DESKTOP = {"width": 1366, "height": 800}
A4_PT = (595.28, 841.89)


def _url(base_url: str, path: str) -> str:
    return base_url + (path[: -len("index.html")] if path.endswith("index.html") else path)


def _types(site) -> dict[str, str]:
    return {k: v for k, v in page_types(site).items() if v}


def _open(new_page, url: str, viewport: dict):
    page, log = new_page(viewport=viewport)
    resp = page.goto(url, wait_until="load")
    assert resp is not None and resp.status == 200, url
    page.wait_for_load_state("networkidle")
    return page, log


# Every td/th with text whose content box (width minus padding and borders) is
# narrower than twice its own computed font size.
NARROW_CELLS = """() => Array.from(document.querySelectorAll('article td, article th'))
  .filter(c => c.getClientRects().length && c.innerText.trim())
  .map(c => {
    const cs = getComputedStyle(c), fs = parseFloat(cs.fontSize);
    const w = c.getBoundingClientRect().width - parseFloat(cs.paddingLeft) - parseFloat(cs.paddingRight)
      - parseFloat(cs.borderLeftWidth) - parseFloat(cs.borderRightWidth);
    return {w, fs, text: c.innerText.trim().slice(0, 16), table: c.closest('table').className};
  })
  .filter(c => c.w < 2 * c.fs - 0.5)
  .map(c => `${c.table}: ${c.text} ${c.w.toFixed(1)}px < 2×${c.fs}px`)"""

# Charts (our SVGs, not Leaflet's panes) that stick out of the article without
# a box that scrolls sideways around them.
CHARTS_OUTSIDE = """() => {
  const art = document.querySelector('article') || document.body;
  const ar = art.getBoundingClientRect();
  return Array.from(art.querySelectorAll('svg.vp-svg, svg.tour-map-svg, svg.vp-qr-svg, .vp-radar-fig svg'))
    .filter(s => s.getClientRects().length)
    .filter(s => {
      const r = s.getBoundingClientRect();
      for (let e = s.parentElement; e && e !== art; e = e.parentElement) {
        const ox = getComputedStyle(e).overflowX;
        if (ox === 'auto' || ox === 'scroll') return false;
      }
      return r.left < ar.left - 1 || r.right > ar.right + 1;
    })
    .map(s => (s.getAttribute('class') || s.tagName) + ' ' + Math.round(s.getBoundingClientRect().right));
}"""


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["375", "1366"])
def test_every_page_type_fits_the_screen(sample_site, base_url, new_page, viewport):
    """No sideways page scroll; charts inside their box; at 375 px no table
    cell narrower than two characters of its own font."""
    problems: dict[str, object] = {}
    types = _types(sample_site)
    assert "village-profile" in types and "tour" in types and "map" in types
    for kind, path in types.items():
        page, log = _open(new_page, _url(base_url, path), viewport)
        sw = page.evaluate("document.scrollingElement.scrollWidth")
        if sw > viewport["width"]:
            problems[f"{kind}: page scrolls sideways"] = sw
        charts = page.evaluate(CHARTS_OUTSIDE)
        if charts:
            problems[f"{kind}: charts outside their box"] = charts
        if viewport is PHONE:
            narrow = page.evaluate(NARROW_CELLS)
            if narrow:
                problems[f"{kind}: narrow cells"] = narrow[:6]
        if log.problems():
            problems[f"{kind}: browser"] = log.problems()
        page.context.close()
    assert not problems, problems


def test_narrow_cell_check_can_fail(sample_site, base_url, new_page):
    page, _ = _open(new_page, _url(base_url, _types(sample_site)["comparison-index"]), PHONE)
    page.add_style_tag(
        content=".md-typeset table td, .md-typeset table th { min-width: 0 !important; "
        "word-break: normal !important; white-space: normal !important; } "
        ".md-typeset table { display: table !important; width: 100% !important; }"
    )
    assert page.evaluate(NARROW_CELLS)


def test_wide_tables_show_that_they_scroll(sample_site, base_url, new_page):
    """At 1366 px the ranking on /compare/ is wider than its box: the box says
    so (a hint line and a fade), and the village column stays in view when the
    comparison matrix is scrolled sideways on a phone."""
    types = _types(sample_site)
    page, _ = _open(new_page, _url(base_url, types["comparison-index"]), DESKTOP)
    box = page.locator(".vp-scroll:has(table.vp-ranking)")
    over = box.evaluate("b => b.scrollWidth > b.clientWidth")
    if over:
        assert "vp-overflows" in box.get_attribute("class")
        hint = page.locator(".vp-scroll-hint").first
        assert hint.is_visible() and "左右滑动" in hint.inner_text()
        mask = box.evaluate("b => getComputedStyle(b).maskImage || getComputedStyle(b).webkitMaskImage")
        assert "gradient" in mask
        box.evaluate("b => b.scrollLeft = b.scrollWidth")
        page.wait_for_timeout(100)
        assert "vp-at-end" in box.get_attribute("class")
    page.context.close()

    page, _ = _open(new_page, _url(base_url, types["comparison-framework"]), PHONE)
    box = page.locator(".vp-scroll:has(table.vp-matrix)")
    assert box.evaluate("b => b.scrollWidth > b.clientWidth + 50"), "the matrix is wider than a phone"
    cell = page.locator("table.vp-matrix tbody th").first
    x0 = cell.bounding_box()["x"]
    box.evaluate("b => b.scrollLeft = 200")
    page.wait_for_timeout(100)
    assert abs(cell.bounding_box()["x"] - x0) < 1, "the village column scrolled away"
    assert cell.is_visible()
    page.context.close()


def test_gantt_and_itinerary_on_a_phone(sample_site, base_url, new_page):
    types = _types(sample_site)
    page, _ = _open(new_page, _url(base_url, types["project"]), PHONE)
    box = page.locator(".vp-gantt-fig .vp-scroll")
    sizes = box.evaluate("b => [b.scrollWidth, b.clientWidth, b.querySelector('svg').getBoundingClientRect().width]")
    assert sizes[0] > sizes[1], "the Gantt scrolls inside its box"
    assert sizes[2] <= sizes[0] + 1, "the whole chart is reachable by scrolling"
    assert page.locator(".vp-gantt-fig .vp-scroll-hint").is_visible()
    page.context.close()

    page, _ = _open(new_page, _url(base_url, types["tour"]), PHONE)
    cap = page.locator(".tour-timetable caption").bounding_box()
    assert cap["width"] > 3 * cap["height"], f"the caption 行程安排 stands upright: {cap}"
    page.context.close()


def test_village_page_panels(sample_site, base_url, new_page):
    """看点, 自评, 照片, 项目 are one tap away (tabs ≥ 24 px), a link to a
    section opens its panel, and printing shows every panel."""
    path = _types(sample_site)["village"]
    page, log = _open(new_page, _url(base_url, path), PHONE)
    labels = page.locator(".vp-tabs > .tabbed-labels > label")
    names = labels.all_inner_texts()
    for want in ("看点", "自评", "照片", "项目"):
        assert want in names
    for i in range(labels.count()):
        b = labels.nth(i).bounding_box()
        assert b["width"] >= 24 and b["height"] >= 24, (names[i], b)
        assert b["x"] >= 0 and b["x"] + b["width"] <= PHONE["width"] + 1, f"tab {names[i]} off screen"
    act = page.locator("a.vp-action").bounding_box()
    assert act["height"] >= 24 and act["width"] >= 24
    assert page.locator("#ziping").evaluate("e => !e.closest('.tabbed-block').checkVisibility()")
    labels.nth(names.index("自评")).click()
    assert page.locator(".vp-radar-fig").first.is_visible()
    assert page.locator("svg.vp-radar text.vp-radar-label").first.text_content() not in ("1", "")
    page.goto(_url(base_url, path) + "#zhaopian")
    page.wait_for_load_state("networkidle")
    assert page.locator(".vp-gallery").is_visible()
    page.emulate_media(media="print")
    hidden = page.eval_on_selector_all(".vp-tabs .tabbed-block", "bs => bs.filter(b => !b.checkVisibility()).length")
    assert hidden == 0
    assert not log.problems()


def _pdf_pages_text(path) -> list[str]:
    n = pdf_info(path)["pages"]
    out = []
    for i in range(1, n + 1):
        out.append(
            subprocess.run(
                ["pdftotext", "-f", str(i), "-l", str(i), "-layout", str(path), "-"],
                capture_output=True,
                text=True,
                check=True,
            ).stdout
        )
    return out


def _print(page, out) -> None:
    page.emulate_media(media="print")
    page.evaluate(
        "Promise.all(Array.from(document.images).map(i => { i.loading = 'eager'; return i.decode().catch(() => 0); }))"
    )
    page.pdf(path=str(out), prefer_css_page_size=True, print_background=True)


def _pages_ending_with_a_heading(page, out) -> list[tuple[int, str]]:
    page.emulate_media(media="print")
    heads = set(page.eval_on_selector_all("article :is(h1, h2, h3, h4)", "es => es.map(e => e.textContent.trim())"))
    _print(page, out)
    bad = []
    for i, text in enumerate(_pdf_pages_text(out), 1):
        lines = [ln.strip() for ln in text.splitlines() if ln.strip()]
        if lines and lines[-1] in heads:
            bad.append((i, lines[-1]))
    return bad


def _villages(site) -> list[str]:
    return sorted(p.parent.parent.name for p in site.glob("villages/*/profile/index.html"))


def test_printed_village_pages_never_end_a_page_with_a_heading(sample_site, base_url, new_page, tmp_path, poppler):
    bad = {}
    slugs = _villages(sample_site)
    assert len(slugs) >= 12
    for slug in slugs:
        page, _ = _open(new_page, base_url + f"villages/{slug}/", DESKTOP)
        found = _pages_ending_with_a_heading(page, tmp_path / f"{slug}.pdf")
        if found:
            bad[slug] = found
        text = "".join(_pdf_pages_text(tmp_path / f"{slug}.pdf"))
        for h in ("看点", "标准自评", "书记党建项目"):
            if page.locator(f"h2:text-is('{h}')").count():
                assert h in text, f"{slug}: the {h} panel is missing from the print"
        page.context.close()
    assert not bad, bad


def test_the_heading_check_can_fail(sample_site, base_url, new_page, tmp_path, poppler):
    page, _ = _open(new_page, base_url + "villages/" + _villages(sample_site)[0] + "/", DESKTOP)
    page.add_style_tag(content="@media print { #ziping { break-after: page !important; } }")
    assert "标准自评" in {t for _, t in _pages_ending_with_a_heading(page, tmp_path / "forced.pdf")}


def test_every_profile_prints_on_exactly_one_a4_page(sample_site, base_url, new_page, tmp_path, poppler):
    assert pdftotext_available()
    pages = {}
    for slug in _villages(sample_site):
        page, log = _open(new_page, base_url + f"villages/{slug}/profile/", DESKTOP)
        name = page.locator(".vp-profile h1").inner_text().strip()
        _print(page, tmp_path / f"{slug}.pdf")
        info = pdf_info(tmp_path / f"{slug}.pdf")
        assert all(abs(a - b) < 2 for a, b in zip(info["size"], A4_PT, strict=True)), info
        pages[slug] = info["pages"]
        text = re.sub(r"\s+", "", _pdf_pages_text(tmp_path / f"{slug}.pdf")[0])
        assert re.sub(r"\s+", "", name) in text and "标准自评" in text
        assert "搜索" not in text, "no site chrome in print"
        assert page.locator(".vp-profile .vp-qr-svg").count() == 1
        assert not log.problems()
        page.context.close()
    assert set(pages.values()) == {1}, pages


def test_profile_clamps_long_texts_to_one_page(tmp_path_factory, new_page, poppler):
    """A village with a very long name, slogan, summary and eight long 看点
    still prints on one page (texts clamped, extra 看点 counted)."""
    import shutil

    import yaml

    from tests.conftest import CONTENT
    from tests.e2e.conftest import serve
    from tests.e2e.site import build_site

    root = tmp_path_factory.mktemp("long-profile")
    content = root / "content"
    shutil.copytree(CONTENT, content)
    vy = content / "villages" / "baishui" / "village.yml"
    data = yaml.safe_load(vy.read_text(encoding="utf-8"))
    data["name"] = "白水河湾新时代文明实践示范村" * 2
    data["summary"] = "以“积分超市”和红白理事会推进移风易俗的乡风文明型示范村，" * 4
    data["brand"]["slogan"] = "白水清清，家风正正，党旗红红，民心暖暖" * 2
    data["brand"]["meaning"] = "以“清白”二字立家风，党员带头签订移风易俗承诺书，用积分超市引导群众参与。" * 8
    data["highlights"] = [
        {"title": f"看点{i}：新时代文明实践站“积分超市”", "description": "看积分怎么挣、怎么换，" * 12}
        for i in range(8)
    ]
    vy.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    site = build_site(root / "build", content)
    httpd, url = serve(site)
    pdf = root / "long.pdf"
    try:
        page, _ = _open(new_page, url + "villages/baishui/profile/", DESKTOP)
        assert "另有 2 处看点" in page.locator(".vp-profile").inner_text()
        _print(page, pdf)
    finally:
        httpd.shutdown()
        httpd.server_close()
    assert pdf_info(pdf)["pages"] == 1
