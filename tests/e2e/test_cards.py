"""Pictures on the public pages (issue 13), in Chromium at 1366×800 and
375×740: the home page's photos, one card with an image per village on every
village list, no horizontal scroll, tap targets ≥ 24 px, filters that hide and
show the right cards, and lists complete without JavaScript."""

from __future__ import annotations

import re

import pytest

from builder.pipeline import check
from tests.conftest import CONTENT

VIEWPORTS = {"desktop": {"width": 1366, "height": 800}, "phone": {"width": 375, "height": 740}}
LISTS = ["villages/", "villages/by-town/", "villages/by-function/", "tags/"]


@pytest.fixture(scope="module")
def sample():
    c, _ = check(CONTENT, CONTENT.parent)
    return c


def open_page(new_page, base_url, path, vp, **opts):
    page, log = new_page(viewport=VIEWPORTS[vp], **opts)
    page.goto(base_url + path)
    return page, log


def loaded_images(page, selector: str) -> int:
    """Images under selector that really decoded (lazy ones scrolled into view first)."""
    page.evaluate(
        "async (sel) => { for (const el of document.querySelectorAll(sel)) {"
        " el.scrollIntoView(); await new Promise(r => setTimeout(r, 30)); } }",
        selector,
    )
    page.wait_for_load_state("networkidle")
    return page.evaluate(
        "(sel) => [...document.querySelectorAll(sel)].filter(i => i.complete && i.naturalWidth > 0).length", selector
    )


@pytest.mark.parametrize("vp", VIEWPORTS)
def test_home_shows_village_photos(base_url, new_page, vp):
    page, log = open_page(new_page, base_url, "", vp)
    assert page.locator(".vp-hero img").count() == 1, "the county's cover photo"
    assert page.evaluate("document.querySelector('.vp-hero img').currentSrc").count("/assets/photos/_site/")
    n = loaded_images(page, ".vp-cards img, .vp-photo-wall img")
    assert n >= 6
    assert page.locator(".vp-cards-featured .vp-card").count() == 6
    assert page.evaluate("document.documentElement.scrollWidth") <= VIEWPORTS[vp]["width"]
    assert not log.problems(), log.problems()


def test_latest_designations_name_each_village_once(base_url, new_page):
    page, _ = open_page(new_page, base_url, "", "desktop")
    names = page.locator(".vp-latest li a").all_inner_texts()
    assert names and len(names) == len(set(names))


@pytest.mark.parametrize("vp", VIEWPORTS)
@pytest.mark.parametrize("path", LISTS)
def test_every_list_has_one_card_with_an_image_per_village(base_url, new_page, sample, vp, path):
    page, log = open_page(new_page, base_url, path, vp)
    cards = page.locator("[data-card]")
    keys = cards.evaluate_all("els => els.map(e => e.dataset.key)")
    if path == "tags/":  # a village once per tag it carries
        groups = page.locator("[data-card-group]")
        for i in range(groups.count()):
            ks = groups.nth(i).locator("[data-card]").evaluate_all("els => els.map(e => e.dataset.key)")
            assert len(ks) == len(set(ks))
        assert set(keys) == set(sample.villages)
    else:
        assert sorted(keys) == sorted(sample.villages)
    for i in range(cards.count()):
        card = cards.nth(i)
        img = card.locator(".vp-card-img img, .vp-card-img [role=img]")
        assert img.count() == 1
        if card.locator("img").count():
            attrs = card.locator("img").evaluate(
                "i => [i.getAttribute('loading'), i.getAttribute('width'), i.getAttribute('height'), i.alt,"
                " i.getAttribute('src')]"
            )
            assert attrs[0] == "lazy" and int(attrs[1]) > 0 and int(attrs[2]) > 0 and attrs[3]
            assert re.search(r"-480\.jpg$", attrs[4]), attrs[4]
    assert page.evaluate("document.documentElement.scrollWidth") <= VIEWPORTS[vp]["width"]
    assert not log.problems(), log.problems()


@pytest.mark.parametrize("path", [*LISTS, "projects/"])
def test_tap_targets_of_filters_and_cards_at_375(base_url, new_page, path):
    page, _ = open_page(new_page, base_url, path, "phone", has_touch=True, is_mobile=True)
    sizes = page.evaluate(
        "() => [...document.querySelectorAll('[data-card-filters] select, [data-card-filters] button,"
        " .vp-card-link, .vp-project-title a')].map(e => { const r = e.getBoundingClientRect();"
        " return [e.outerHTML.slice(0, 60), r.width, r.height]; })"
    )
    assert sizes
    small = [s for s in sizes if s[1] < 24 or s[2] < 24]
    assert not small, small
    assert page.evaluate("document.documentElement.scrollWidth") <= 375


def visible_keys(page) -> set[str]:
    return set(
        page.locator("[data-card]").evaluate_all(
            "els => els.filter(e => e.offsetParent !== null).map(e => e.dataset.key)"
        )
    )


@pytest.mark.parametrize("vp", VIEWPORTS)
def test_village_filters_hide_and_show_the_right_cards(base_url, new_page, sample, vp):
    page, log = open_page(new_page, base_url, "villages/by-town/", vp)
    form = page.locator("form[data-card-filters]")
    assert form.is_visible()
    assert visible_keys(page) == set(sample.villages)
    town = sample.villages["wangjiazhuang"].model.town
    form.locator("select[data-filter=town]").select_option(town)
    want = {s for s, v in sample.villages.items() if v.model.town == town}
    assert visible_keys(page) == want
    # groups of other towns are hidden with their cards
    assert page.locator("[data-card-group]:visible").count() == 1
    fn = sample.villages["wangjiazhuang"].model.function
    form.locator("select[data-filter=function]").select_option(fn)
    want = {s for s in want if sample.villages[s].model.function == fn}
    assert visible_keys(page) == want
    assert f"显示 {len(want)} / {len(sample.villages)}" in form.locator("output").inner_text()
    form.locator("select[data-filter=status]").select_option("已申报")
    want = {s for s in want if sample.villages[s].model.status == "申报"}
    assert visible_keys(page) == want
    form.locator("button[type=reset]").click()
    page.wait_for_timeout(50)
    assert visible_keys(page) == set(sample.villages)
    assert not log.problems(), log.problems()


def test_projects_page_is_one_list_filtered_by_year_theme_town_status(base_url, new_page, sample):
    page, log = open_page(new_page, base_url, "projects/", "desktop")
    keys = page.locator("[data-card]").evaluate_all("els => els.map(e => e.dataset.key)")
    assert sorted(keys) == sorted(sample.projects), "every project exactly once"
    # progress bars in the site's red (not the browser's blue), with the value as text
    bar = page.locator("progress.vp-progress[value='100']").first
    png = bar.screenshot()
    from io import BytesIO

    from PIL import Image

    im = Image.open(BytesIO(png)).convert("RGB")
    r, g, b = im.getpixel((im.width // 2, im.height // 2))
    assert r > 120 and g < 80 and b < 80, f"progress bar colour {(r, g, b)} is not the site's red"
    p = next(iter(sorted(sample.projects.values(), key=lambda p: p.id)))
    form = page.locator("form[data-card-filters]")
    form.locator("select[data-filter=year]").select_option(str(p.model.year))
    form.locator("select[data-filter=theme]").select_option(p.model.theme)
    want = {q.id for q in sample.projects.values() if q.model.year == p.model.year and q.model.theme == p.model.theme}
    assert visible_keys(page) == want
    town = sample.villages[p.model.village].model.town
    form.locator("select[data-filter=town]").select_option(town)
    form.locator("select[data-filter=status]").select_option(p.model.status)
    assert p.id in visible_keys(page)
    assert re.search(r"\d+%", page.locator(".vp-project-progress").first.inner_text())
    assert not log.problems(), log.problems()


@pytest.mark.parametrize("path", [*LISTS, "projects/"])
def test_lists_are_complete_without_javascript(base_url, new_page, sample, path):
    page, _ = new_page(java_script_enabled=False, viewport=VIEWPORTS["phone"])
    page.goto(base_url + path)
    expected = set(sample.projects) if path == "projects/" else set(sample.villages)
    assert visible_keys(page) == expected
    assert not page.locator("form[data-card-filters]").is_visible(), "filters need JavaScript: hidden without it"


@pytest.mark.parametrize("vp", VIEWPORTS)
def test_village_header_shows_cover_name_brand_town_function_status(base_url, new_page, sample, vp):
    v = sample.villages["wangjiazhuang"].model
    page, log = open_page(new_page, base_url, "villages/wangjiazhuang/", vp)
    head = page.locator("header.vp-vhead")
    assert head.locator(".vp-vhead-cover img").evaluate("i => i.complete && i.naturalWidth > 0")
    text = head.inner_text()
    for want in (v.name, v.brand.name, v.brand.slogan, v.town, v.function, "已命名"):
        assert want in text
    box = head.locator("h1").bounding_box()
    assert box and box["y"] < VIEWPORTS[vp]["height"], "the village's name is on the first screen"
    assert page.evaluate("document.documentElement.scrollWidth") <= VIEWPORTS[vp]["width"]
    assert not log.problems(), log.problems()
