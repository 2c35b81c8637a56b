"""The interactive county map (issue 14) in Chromium, on the sample site:
one marker (or a cluster counting it) per village, the popup of the right
village, layer switches, no request to another host, no JavaScript error,
tap targets of at least 24 px at 375 px; the village page's 导航 links carry
the converted coordinates (checked against prcoords); the itinerary has a
高德 and a 百度 route link per leg."""

from __future__ import annotations

import json
from urllib.parse import parse_qs, urlsplit

import prcoords
import pytest

pytestmark = pytest.mark.browser


def open_map(page, base_url: str) -> None:
    page.goto(base_url + "map/", wait_until="load")
    page.wait_for_selector("#vp-lmap[data-ready='1']")
    page.wait_for_load_state("networkidle")


def sample_villages(site) -> list[dict]:
    text = (site / "assets/javascripts/vp-map-data.js").read_text(encoding="utf-8")
    return json.loads(text[text.index("=") + 1 :].rstrip().rstrip(";"))["villages"]


def counted(page) -> dict:
    """Villages on the map: single markers by name, plus the sum of cluster counts."""
    return page.evaluate("""() => {
      const box = document.getElementById('vp-lmap');
      const names = [...box.querySelectorAll('.vp-lm-marker')].map(e => e.getAttribute('aria-label').split('，')[0]);
      const inClusters = [...box.querySelectorAll('.marker-cluster')]
        .reduce((s, e) => s + parseInt(e.textContent, 10), 0);
      return {names, inClusters};
    }""")


@pytest.mark.parametrize("width", [375, 1366])
def test_map_shows_every_village_once(sample_site, base_url, new_page, width):
    page, log = new_page(viewport={"width": width, "height": 800}, has_touch=width < 500, is_mobile=width < 500)
    open_map(page, base_url)
    villages = sample_villages(sample_site)
    c = counted(page)
    assert len(c["names"]) + c["inClusters"] == len(villages) == 13
    assert len(set(c["names"])) == len(c["names"])
    assert set(c["names"]) <= {v["n"] for v in villages}
    assert not log.problems(), log.problems()
    assert not log.outside


def test_popup_shows_the_right_village_with_navigation(sample_site, base_url, new_page):
    page, log = new_page(viewport={"width": 1366, "height": 900})
    open_map(page, base_url)
    # zoom in until 白水村 has its own marker, then open it
    page.evaluate("""() => { const r = window.VP_MAP_READY; const m = r.markers.find(m => m.options.alt === '白水村');
                             r.cluster.zoomToShowLayer(m, () => {}); }""")
    marker = page.locator(".vp-lm-marker[aria-label^='白水村，']")
    marker.wait_for()
    page.wait_for_timeout(400)  # cluster animation
    marker.click()
    popup = page.locator(".leaflet-popup-content")
    popup.wait_for()
    assert popup.locator(".vp-lm-name").inner_text() == "白水村"
    text = popup.inner_text()
    assert "白水乡" in text and "清白家风" in text and "命名" in text
    assert popup.locator("a", has_text="村页面").get_attribute("href").endswith("villages/baishui/")
    amap = popup.locator("a", has_text="高德导航").get_attribute("href")
    assert amap.startswith("https://uri.amap.com/navigation?")
    img = popup.locator("img.vp-lm-cover")
    assert img.count() == 1
    page.wait_for_load_state("networkidle")
    assert img.evaluate("i => i.complete && i.naturalWidth > 0")
    # keyboard: Escape-free close and Tab reaches the markers
    assert not log.problems(), log.problems()


def test_layer_switches_hide_and_show(base_url, new_page):
    page, log = new_page(viewport={"width": 1366, "height": 900})
    open_map(page, base_url)
    labels = page.locator(".leaflet-control-layers-overlays label")
    names = [t.strip() for t in labels.all_inner_texts()]
    for want in ("县界（示例）", "乡镇界（示例）", "河流（示例）", "主要道路（示例）", "示范带", "示范村"):
        assert want in names

    def river_paths():
        return page.locator(".leaflet-overlay-pane path[stroke='#4f9ad8']").count()

    assert river_paths() == 1
    labels.filter(has_text="河流（示例）").click()
    assert river_paths() == 0
    labels.filter(has_text="河流（示例）").click()
    assert river_paths() == 1
    labels.filter(has_text="示范村").click()
    assert page.locator(".vp-lm-marker, .marker-cluster").count() == 0
    labels.filter(has_text="示范村").click()
    assert page.locator(".vp-lm-marker, .marker-cluster").count() > 0
    assert not log.problems(), log.problems()


def test_touch_targets_at_375(base_url, new_page):
    page, log = new_page(viewport={"width": 375, "height": 740}, has_touch=True, is_mobile=True)
    open_map(page, base_url)
    small = page.evaluate("""() => {
      const sel = '.vp-lm-marker, .marker-cluster, .leaflet-control-zoom a, .leaflet-control-layers-toggle, '
        + '.vp-lm-legend-btn';
      return [...document.querySelectorAll(sel)].map(e => {const r = e.getBoundingClientRect();
        return [e.className || e.tagName, Math.round(r.width), Math.round(r.height)];})
        .filter(t => t[1] < 24 || t[2] < 24);
    }""")
    assert not small, small
    assert page.locator(".vp-lm-marker, .marker-cluster").count() > 0
    # the legend stays on the map
    assert page.locator(".vp-lm-legend").is_visible()
    # no horizontal scrolling
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    assert not log.problems(), log.problems()


def test_keyboard_opens_a_popup(base_url, new_page):
    page, log = new_page(viewport={"width": 1366, "height": 900})
    open_map(page, base_url)
    page.evaluate("() => window.VP_MAP_READY.map.setZoom(16)")
    page.wait_for_timeout(500)
    first = page.locator(".vp-lm-marker").first
    first.focus()
    page.keyboard.press("Enter")
    page.locator(".leaflet-popup-content").wait_for()
    assert not log.problems(), log.problems()


def test_without_javascript_the_svg_map_and_list_remain(base_url, browser):
    ctx = browser.new_context(java_script_enabled=False)
    try:
        page = ctx.new_page()
        page.goto(base_url + "map/")
        assert page.locator("svg.vp-countymap2").is_visible()
        assert not page.locator("#vp-lmap").is_visible()
        assert page.locator("table.vp-map-list tbody tr").count() == 13
    finally:
        ctx.close()


def _coords(href: str, key: str) -> tuple[float, float]:
    v = parse_qs(urlsplit(href).query)[key][0]
    a, b = v.split(",")[:2]
    return float(a), float(b)


def test_village_page_navigation_links_are_converted(sample_site, base_url, new_page):
    v = next(x for x in sample_villages(sample_site) if x["n"] == "王家庄村")
    wgs = tuple(v["p"])
    page, log = new_page()
    page.goto(base_url + "villages/wangjiazhuang/")
    amap = page.locator(".vp-nav a", has_text="高德导航").get_attribute("href")
    baidu = page.locator(".vp-nav a", has_text="百度导航").get_attribute("href")
    lng, lat = _coords(amap, "to")
    gcj = prcoords.wgs_gcj(wgs)
    assert (lat, lng) == pytest.approx((gcj.lat, gcj.lon), abs=2e-6)
    # 百度: a driving route from the visitor's position to the village, BD-09
    q = parse_qs(urlsplit(baidu).query)
    assert baidu.startswith("https://api.map.baidu.com/direction?") and q["origin"] == ["我的位置"]
    dest, name = q["destination"][0].removeprefix("latlng:").split("|name:")
    blat, blng = map(float, dest.split(","))
    bd = prcoords.wgs_bd(wgs)
    assert (blat, blng) == pytest.approx((bd.lat, bd.lon), abs=2e-6)
    assert name == "王家庄村" and q["coord_type"] == ["bd09ll"] and q["mode"] == ["driving"]
    # nothing was loaded from those hosts
    assert not log.outside and not log.problems()
    # the locator names the village and its road distance
    assert page.locator("svg.vp-locmap2 text", has_text="王家庄村").count() == 1
    assert "公里" in page.locator(".vp-road").inner_text()


def test_itinerary_has_a_route_link_per_leg(sample_site, base_url, new_page):
    sheets = sorted(p for p in (sample_site / "tours").glob("*/index.html") if "town-" not in p.parent.name)
    assert sheets
    rel = sheets[0].relative_to(sample_site).as_posix()[: -len("index.html")]
    page, log = new_page()
    page.goto(base_url + rel)
    legs = page.locator("table.tour-timetable td.c-leg").evaluate_all(
        "tds => tds.filter(td => /公里/.test(td.textContent)).length"
    )
    routes = page.locator("table.tour-timetable a.tour-route")
    assert legs >= 3 and routes.count() == legs  # one 高德 route per leg that is driven
    for href in routes.evaluate_all("as => as.map(a => a.href)"):
        q = parse_qs(urlsplit(href).query)
        assert "from" in q and "to" in q
    bd_routes = page.locator("table.tour-timetable a.tour-route-bd")
    assert bd_routes.count() == legs  # and one 百度 route per leg
    for href in bd_routes.evaluate_all("as => as.map(a => a.href)"):
        q = parse_qs(urlsplit(href).query)
        assert q["origin"][0].startswith("latlng:") and q["destination"][0].startswith("latlng:")
        assert q["coord_type"] == ["bd09ll"]
    stops = page.locator("table.tour-timetable tr.tour-row-stop")
    assert stops.count() and stops.locator("a", has_text="高德导航").count() == stops.count()
    tel = page.locator("table.tour-timetable a[href^='tel:']")
    assert tel.count() >= 1
    assert not log.problems(), log.problems()


def test_two_thousand_villages_cluster_and_pan(sample_site, tmp_path, browser):
    from testkit.mapsite import map_site_with, synthetic_map_data
    from tests.e2e.conftest import NetLog, attach, serve, watch

    data = synthetic_map_data(2000)
    assert len(data["villages"]) == 2000
    site = map_site_with(sample_site, tmp_path / "site2000", data)
    httpd, url = serve(site)
    ctx = browser.new_context(viewport={"width": 375, "height": 740}, has_touch=True, is_mobile=True)
    try:
        log = NetLog()
        attach(ctx, log)
        page = ctx.new_page()
        watch(page, log)
        open_map(page, url)
        c = counted(page)
        assert len(c["names"]) + c["inClusters"] == 2000
        assert page.locator(".marker-cluster").count() < 200  # clustered, not 2,000 icons
        for dx, dy in ((120, 0), (0, 120), (-200, -80)):
            page.evaluate(f"() => window.VP_MAP_READY.map.panBy([{dx}, {dy}], {{animate: false}})")
        page.evaluate("() => window.VP_MAP_READY.map.zoomIn(2, {animate: false})")
        page.wait_for_timeout(300)
        assert page.locator(".vp-lm-marker, .marker-cluster").count() > 0
        assert not log.problems(), log.problems()
    finally:
        ctx.close()
        httpd.shutdown()
        httpd.server_close()


PAYLOAD = "<img src=x onerror=\"console.log('VPXSS')\"><b>毒</b>"


def test_editor_text_on_the_map_is_text_not_html(sample_site, tmp_path, browser):
    """Village, layer, town and belt names reach Leaflet (which sets strings as
    HTML) only as text: a planted tag shows as text and never runs."""
    from testkit.mapsite import map_site_with
    from tests.e2e.conftest import NetLog, attach, serve, watch

    text = (sample_site / "assets/javascripts/vp-map-data.js").read_text(encoding="utf-8")
    data = json.loads(text[text.index("=") + 1 :].rstrip().rstrip(";"))
    for v in data["villages"]:
        v["n"] = PAYLOAD + v["n"]
    for ly in data["layers"]:
        ly["name"] = PAYLOAD + ly["name"]
        for f in ly["data"]["features"]:
            f["properties"]["name"] = PAYLOAD + str(f["properties"].get("name", ""))
    for b in data["belts"]:
        b["name"] = PAYLOAD
    data["note"] = PAYLOAD
    site = map_site_with(sample_site, tmp_path / "xss", data)
    httpd, url = serve(site)
    ctx = browser.new_context(viewport={"width": 1366, "height": 900})
    try:
        log = NetLog()
        attach(ctx, log)
        page = ctx.new_page()
        watch(page, log)
        open_map(page, url)
        page.evaluate("() => window.VP_MAP_READY.markers[0].openPopup()")
        page.wait_for_timeout(300)
        box = page.locator("#vp-lmap")
        assert box.locator("img[src='x'], b").count() == 0
        assert "<b>毒</b>" in box.inner_text()
        assert not any("VPXSS" in m for m in log.console) and not log.dialogs
    finally:
        ctx.close()
        httpd.shutdown()
        httpd.server_close()


def test_map_works_from_a_usb_stick(tmp_path_factory, browser):
    """OFFLINE=true build opened as file://: the map draws, a popup links the
    village's .html page and shows its photo, nothing is requested but files."""
    from tests.portal_site import built_site

    site = built_site(tmp_path_factory, key="offline", OFFLINE="true")
    ctx = browser.new_context(viewport={"width": 375, "height": 740})
    try:
        page = ctx.new_page()
        errors, other = [], []
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.on("request", lambda r: other.append(r.url) if not r.url.startswith("file:") else None)
        page.goto((site / "map.html").as_uri())
        page.wait_for_selector("#vp-lmap[data-ready='1']")
        page.evaluate("""() => { const r = window.VP_MAP_READY;
                                 const m = r.markers.find(m => m.options.alt === '王家庄村');
                                 r.cluster.zoomToShowLayer(m, () => m.openPopup()); }""")
        pop = page.locator(".leaflet-popup-content")
        pop.wait_for()
        assert pop.locator(".vp-lm-name a").get_attribute("href").endswith("villages/wangjiazhuang.html")
        page.wait_for_function("() => { const i = document.querySelector('img.vp-lm-cover'); return i && i.complete; }")
        assert pop.locator("img.vp-lm-cover").evaluate("i => i.naturalWidth") > 0
        assert not errors and not other, (errors, other)
    finally:
        ctx.close()


def test_online_tiles_only_when_configured(sample_site, tmp_path, browser, base_url):
    """Off (the default): no tile layer and no tile request. On: tiles are
    requested from the configured template (here a local tile server)."""
    from testkit.mapsite import map_site_with
    from tests.e2e.conftest import serve

    text = (sample_site / "assets/javascripts/vp-map-data.js").read_text(encoding="utf-8")
    data = json.loads(text[text.index("=") + 1 :].rstrip().rstrip(";"))
    assert data["tiles"] is None
    ctx = browser.new_context()
    page = ctx.new_page()
    seen = []
    page.on("request", lambda r: seen.append(r.url))
    open_map(page, base_url)
    assert page.locator(".leaflet-tile").count() == 0
    assert not [u for u in seen if "/tiles/" in u]
    ctx.close()

    tiles_dir = tmp_path / "tileserver"
    (tiles_dir / "tiles").mkdir(parents=True)
    httpd, tiles_url = serve(tiles_dir)
    data["tiles"] = {
        "name": "内网底图",
        "url": tiles_url + "tiles/{z}/{x}/{y}.png",
        "subdomains": "",
        "attribution": "内网瓦片",
        "maxZoom": 18,
    }
    site = map_site_with(sample_site, tmp_path / "tiles-on", data)
    httpd2, url = serve(site)
    ctx = browser.new_context()
    try:
        page = ctx.new_page()
        seen = []
        page.on("request", lambda r: seen.append(r.url))
        page.goto(url + "map/")
        page.wait_for_selector("#vp-lmap[data-ready='1']")
        page.wait_for_timeout(300)
        assert [u for u in seen if u.startswith(tiles_url + "tiles/")]
        names = page.locator(".leaflet-control-layers-base label").all_inner_texts()
        assert any("内网底图" in n for n in names) and any("不用在线底图" in n for n in names)
    finally:
        ctx.close()
        for h in (httpd, httpd2):
            h.shutdown()
            h.server_close()
