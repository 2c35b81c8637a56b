"""The built sample site's map pieces, statically: the 选点 table on the
compare page, the distance on the village page, the belt length on /map/."""

from __future__ import annotations

import pytest
from selectolax.lexbor import LexborHTMLParser as HTMLParser

from builder.map.geometry import nearest_on_lines, path_km
from builder.map.layers import MapData
from tests.portal_site import built_site, load_sample


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    return built_site(tmp_path_factory)


def wgs(v):
    from builder.villages.derive import coordinates

    return coordinates({v.slug: v}).get(v.slug)


def parse(p):
    return HTMLParser(p.read_text(encoding="utf-8"))


def test_xuandian_table_on_compare_page(site):
    c = load_sample()
    roads = c.get(MapData).main_road_lines()
    doc = parse(site / "compare" / "index.html")
    rows = doc.css("table.vp-xuandian-table tbody tr")
    assert len(rows) == len(c.villages)
    kms = [float(r.css_first("td.vp-num").text()) for r in rows]
    assert kms == sorted(kms)
    by_name = {r.css_first("th").text().strip(): float(r.css_first("td.vp-num").text()) for r in rows}
    for v in c.villages.values():
        want = nearest_on_lines(wgs(v), roads)[0]
        assert by_name[v.model.name] == pytest.approx(want, abs=0.051)
        page = parse(site / "villages" / v.slug / "index.html").css_first(".vp-road").text()
        assert f"{want:.1f} 公里" in page


def test_belt_length_on_map_page(site):
    c = load_sample()
    b = c.settings.belts[0]
    km = path_km([wgs(c.villages[s]) for s in b.villages])
    text = parse(site / "map" / "index.html").css_first(".vp-belts").text()
    assert f"沿线约 {km:.1f} 公里" in text
