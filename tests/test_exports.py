"""data/villages.json, data/villages.geojson and data/assessments.csv match the content."""

from __future__ import annotations

import csv
import io
import json

import pytest

from builder.kernel.geo import in_china
from tests.portal_site import built_site, load_sample

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    return built_site(tmp_path_factory)


def wgs84(v):
    """The village's location in WGS-84, converted as the villages feature does."""
    from builder.villages.derive import coordinates

    return coordinates({v.slug: v}).get(v.slug)


@pytest.fixture(scope="module")
def content():
    return load_sample()


def test_villages_json_matches_content(site, content):
    data = json.loads((site / "data" / "villages.json").read_text(encoding="utf-8"))
    assert data["county"] == content.settings.county
    recs = {r["slug"]: r for r in data["villages"]}
    assert set(recs) == set(content.villages)
    for slug, v in content.villages.items():
        r, m = recs[slug], v.model
        assert (r["name"], r["town"], r["function"], r["status"]) == (m.name, m.town, m.function, m.status)
        assert r["brand"] == {"name": m.brand.name, "slogan": m.brand.slogan, "meaning": m.brand.meaning}
        assert r["tags"] == list(m.tags)
        assert r["designated"] == m.is_designated
        assert (r["location"]["lat"], r["location"]["lng"]) == wgs84(v)
        assert r["location"]["crs"] == "WGS-84"
        assert [c["name"] for c in r["contacts"]] == [c.name for c in m.contacts]
        for c_out, c in zip(r["contacts"], m.contacts, strict=True):
            assert ("phone" in c_out) == bool(c.phone_public and c.phone)
        assert set(r["frameworks"]) == set(content.settings.frameworks)


def test_geojson_is_wgs84_lng_lat(site, content):
    gj = json.loads((site / "data" / "villages.geojson").read_text(encoding="utf-8"))
    assert gj["type"] == "FeatureCollection"
    feats = {f["properties"]["slug"]: f for f in gj["features"]}
    assert set(feats) == {s for s, v in content.villages.items() if wgs84(v)}
    for slug, f in feats.items():
        lat, lng = wgs84(content.villages[slug])
        assert f["geometry"] == {"type": "Point", "coordinates": [lng, lat]}
        x, y = f["geometry"]["coordinates"]
        assert in_china(y, x)  # [lng, lat] order, not swapped
        assert f["properties"]["name"] == content.villages[slug].model.name


def test_assessments_csv_has_every_score(site, content):
    """Each village's current year: its newest (majiazhuang's is assessments/2026.yml)."""
    from builder.years.load import latest_assessments

    raw = (site / "data" / "assessments.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # BOM: Excel opens the Chinese correctly
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))
    fws = content.required_frameworks()
    assert len(rows) == len(content.villages) * sum(len(f.items) for f in fws)
    got = {(r["village"], r["framework"], r["item"]): r for r in rows}
    assert got[("majiazhuang", "shitiao", "venue")]["level"] == "基本达标"  # 2026, not village.yml's 2024
    for slug, v in content.villages.items():
        for fw in fws:
            a = latest_assessments(content, v).get(fw.id)
            for it in fw.items:
                r = got[(slug, fw.id, it.id)]
                ia = a.items.get(it.id) if a else None
                assert r["village_name"] == v.model.name and r["item_name"] == it.name
                assert r["level"] == ((ia.level or "") if ia else "")
                if ia and ia.score is not None:
                    assert float(r["score"]) == ia.score
                else:
                    assert r["score"] == ""
                assert r["meets"] in ("0", "1")
