"""Units of the map: navigation links (converted coordinates, checked against
prcoords), the road-distance computation against a hand-computed case, label
placement (no overlap, nothing leaves the map) on the sample and on a dense
synthetic county, the JSON locator, and the vendored Leaflet files."""

from __future__ import annotations

import json
import math
import random
import re
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import prcoords
import pytest

from builder.map.geometry import nearest_on_lines, path_km, simplify
from builder.map.labels import Label, overlaps, place
from builder.map.nav import amap_nav, amap_route, baidu_nav, baidu_route

ROOT = Path(__file__).resolve().parent.parent


def test_amap_link_carries_gcj02():
    wgs = (35.5717317, 104.6390965)
    q = parse_qs(urlsplit(amap_nav(wgs, "王家庄村")).query)
    lng, lat, name = q["to"][0].split(",")
    want = prcoords.wgs_gcj(wgs)
    assert (float(lat), float(lng)) == (round(want.lat, 6), round(want.lon, 6))
    assert name == "王家庄村" and q["coordinate"] == ["gaode"]
    # GCJ-02 differs from WGS-84 by hundreds of metres here: the conversion matters
    assert abs(float(lng) - wgs[1]) > 0.002


def _bd_place(value: str) -> tuple[float, float, str]:
    """latlng:LAT,LNG|name:NAME (百度 URI API) -> (lat, lng, name)."""
    m = re.fullmatch(r"latlng:(-?[\d.]+),(-?[\d.]+)\|name:(.*)", value)
    assert m, value
    return float(m.group(1)), float(m.group(2)), m.group(3)


def test_baidu_link_is_a_route_from_here_in_bd09():
    wgs = (35.5717317, 104.6390965)
    url = baidu_nav(wgs, "王家庄村", "示例县")
    assert url.startswith("https://api.map.baidu.com/direction?")
    assert "|" not in url and "%7C" in url  # a valid URL (the Nu checker rejects a raw '|')
    q = parse_qs(urlsplit(url).query)
    lat, lng, name = _bd_place(q["destination"][0])
    want = prcoords.wgs_bd(wgs)
    assert (lat, lng) == (round(want.lat, 6), round(want.lon, 6)) and name == "王家庄村"
    # BD-09 is GCJ-02 shifted again: neither WGS-84 nor 高德's coordinates would do
    gcj = prcoords.wgs_gcj(wgs)
    assert abs(lng - gcj.lon) > 0.005 and abs(lng - wgs[1]) > 0.005
    # a route from the visitor's position, by car; the URI API's required parameters
    assert q["origin"] == ["我的位置"] and q["mode"] == ["driving"]
    assert q["coord_type"] == ["bd09ll"] and q["output"] == ["html"] and q["src"][0].startswith("webapp.")
    assert q["region"] == ["示例县"]


def test_route_link_has_both_ends():
    a, b = (35.56, 104.63), (35.50, 104.72)
    q = parse_qs(urlsplit(amap_route(a, "县委", b, "白水村")).query)
    assert q["from"][0].endswith(",县委") and q["to"][0].endswith(",白水村")
    q = parse_qs(urlsplit(baidu_route(a, "县委", b, "白水村")).query)
    for key, wgs, name in (("origin", a, "县委"), ("destination", b, "白水村")):
        lat, lng, got = _bd_place(q[key][0])
        want = prcoords.wgs_bd(wgs)
        assert (lat, lng, got) == (round(want.lat, 6), round(want.lon, 6), name)
    assert q["coord_type"] == ["bd09ll"] and q["mode"] == ["driving"] and "region" not in q


def test_road_distance_hand_computed():
    # A north–south road along 105.1°E; the village at (35.0, 105.0).
    # Nearest point (35.0, 105.1); ground distance = R·Δλ·cos φ
    #   = 6371.0088 km × 0.1° × π/180 × cos 35° = 9.1085 km (great circle: 9.1085 to 0.1 m).
    d, p = nearest_on_lines((35.0, 105.0), [[(34.9, 105.1), (35.1, 105.1)]])
    assert p == pytest.approx((35.0, 105.1), abs=1e-6)
    assert d == pytest.approx(6371.0088 * math.radians(0.1) * math.cos(math.radians(35)), rel=1e-4)
    assert round(d, 2) == 9.11
    # beyond the end of a segment the nearest point is its end
    d2, p2 = nearest_on_lines((35.3, 105.1), [[(34.9, 105.1), (35.1, 105.1)]])
    assert p2 == pytest.approx((35.1, 105.1)) and d2 == pytest.approx(6371.0088 * math.radians(0.2), rel=1e-4)


def test_belt_length_is_sum_of_legs():
    pts = [(35.0, 105.0), (35.1, 105.0), (35.2, 105.0)]
    assert path_km(pts) == pytest.approx(6371.0088 * math.radians(0.2), rel=1e-6)


def test_simplify_keeps_shape_ends():
    line = [(x, 0.01 * math.sin(x)) for x in range(100)]
    s = simplify(line, 0.5)
    assert s[0] == line[0] and s[-1] == line[-1] and len(s) < 10


def _check_labels(placed, w, h):
    for a in placed:
        x0, y0, x1, y1 = a.box
        assert x0 >= 0 and y0 >= 0 and x1 <= w and y1 <= h, f"{a.text} leaves the map: {a.box}"
    for i, a in enumerate(placed):
        for b in placed[i + 1 :]:
            assert not overlaps(a.box, b.box), f"{a.text} overlaps {b.text}"


@pytest.mark.parametrize(("n", "at_least"), [(2000, 10), (300, 60)])
def test_labels_dense_synthetic_county(n, at_least):
    rnd = random.Random(7)
    W, H = 800, 700
    labels = [
        Label(
            f"{rnd.choice('王李张刘陈杨赵黄')}家{rnd.choice(['庄', '湾', '沟', '坪'])}村",
            rnd.uniform(0, W),
            rnd.uniform(0, H),
            14,
            7,
        )
        for _ in range(n)
    ]
    obstacles = [(lb.x - 5, lb.y - 5, lb.x + 5, lb.y + 5) for lb in labels]
    placed = place(labels, W, H, obstacles)
    assert at_least <= len(placed) < n  # the rest are left out rather than overlapping
    _check_labels(placed, W, H)
    for lb in placed:  # no label covers a marker
        assert not any(overlaps(lb.box, o) for o in obstacles)


def _svg_label_boxes(svg: str):
    """The placed labels' boxes, rebuilt from the SVG (testkit/labels.py, as for the tour maps)."""
    from testkit.labels import parse_svg, text_boxes, view_box

    root = parse_svg(svg[: svg.index("</svg>") + len("</svg>")])  # a locator: then its links (HTML)
    return (*view_box(root), text_boxes(root, "vp-m-label", 0))


def test_sample_maps_labels_do_not_overlap(tmp_path):
    from builder.map.page import county_svg, map_state, village_locator
    from builder.portal.state import State
    from testkit.labels import check_boxes
    from testkit.pipeline import built
    from tests.conftest import CONTENT

    c, derived, _ = built(CONTENT, CONTENT.parent, cache_dir=tmp_path)
    st = derived.get(State)
    ms = map_state(st)
    svgs = [county_svg(st, ms, st.linker("map.md"))] + [str(village_locator(st, v)) for v in c.villages.values()]
    for svg in svgs:
        w, h, boxes = _svg_label_boxes(svg)
        assert boxes
        check_boxes(boxes, w, h)
    # every village of the sample is named on the county map, every town too
    w, h, boxes = _svg_label_boxes(svgs[0])
    names = {t for t, _ in boxes}
    assert {v.model.name for v in c.villages.values()} <= names
    assert {"青山镇", "白水乡", "红柳镇"} <= names
    # the locator names its own village, with a scale bar
    loc = str(village_locator(st, c.villages["baishui"]))
    assert ">白水村</text>" in loc and "公里</text>" in loc


def test_jsonpos_follows_path():
    from builder.map.jsonpos import line_col

    s = '{"a": "x]\\"{",\n "b": [1, {"c": [2,\n   3]}]}'
    assert line_col(s, ("b", 1, "c", 1)) == (3, 4)
    assert line_col(s, ("b", 5)) == (2, 7)  # missing index: the enclosing value


def test_vendored_files_match_pinned_packages():
    """The committed Leaflet files are the npm packages pinned in package-lock.json."""
    from builder.map.vendor import FILES, UPSTREAM, committed, vendored_files

    lock = json.loads((ROOT / "package-lock.json").read_text())
    pkg = json.loads((ROOT / "package.json").read_text())
    for name in ("leaflet", "leaflet.markercluster", "pmtiles"):
        pinned = pkg["dependencies"][name]
        assert re.fullmatch(r"\d+\.\d+\.\d+", pinned), "pinned exactly"
        assert lock["packages"][f"node_modules/{name}"]["version"] == pinned
    # fflate is bundled into pmtiles' browser build (its licence is vendored with it)
    assert lock["packages"]["node_modules/fflate"]["version"]
    assert "Leaflet 1.9.4" in committed("leaflet", "dist/leaflet.js").read_text(encoding="utf-8")[:200]
    js = committed("pmtiles", "dist/pmtiles.js").read_text(encoding="utf-8")
    assert "leafletRasterLayer" in js and "PMTiles" in js
    assert "BSD" in committed("pmtiles", "LICENSE.txt").read_text(encoding="utf-8")
    assert "MIT" in committed("fflate", "LICENSE").read_text(encoding="utf-8")
    # every published script has its licence next to it; pmtiles only with a PMTiles basemap
    for pm in (False, True):
        dests = [d for d, _ in vendored_files(pmtiles=pm)]
        assert all(p.is_file() for _, p in vendored_files(pmtiles=pm))
        for d in dests:
            if d.endswith(".js"):
                assert d.rsplit("/", 1)[0] + "/LICENSE.txt" in dests, d
        assert any("pmtiles" in d for d in dests) == pm
    assert [u[0] for u in UPSTREAM] == ["pmtiles"]
    nm = ROOT / "node_modules"
    if not (nm / "leaflet").is_dir() or not (nm / "pmtiles").is_dir():
        pytest.skip("node_modules/ not installed (make test runs npm ci)")
    for pkg_name, inner, _ in FILES:
        assert (nm / pkg_name / inner).read_bytes() == committed(pkg_name, inner).read_bytes(), (
            f"{pkg_name}/{inner} differs: run python -m builder.map.vendor"
        )
