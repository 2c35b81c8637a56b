"""`check` on content/map/: each GeoJSON mistake of issue 14 is one located
Chinese diagnostic (file, line, column, message, hint), never a traceback."""

from __future__ import annotations

import json

from builder.map.layers import MapData
from builder.pipeline import check
from tests.test_check_diagnostics import assert_diag, run

ROADS = "content/map/roads.geojson"


def write(content, name: str, text: str) -> None:
    (content / "map" / name).write_text(text, encoding="utf-8")


def test_sample_layers_load_clean(sample_copy):
    c, diags = check(sample_copy, sample_copy.parent)
    assert not [d for d in diags if d.code.startswith("map-")], diags.format("text")
    kinds = [layer.model.kind for layer in c.get(MapData).layers]
    assert kinds == ["county", "towns", "rivers", "roads"]
    assert c.get(MapData).tiles is not None and not c.get(MapData).tiles.enabled


def test_not_json_is_located(sample_copy):
    write(sample_copy, "roads.geojson", '{"type": "FeatureCollection",\n "features": [\n  {"type": "Feature",, }\n]}\n')
    d = assert_diag(run(sample_copy), "map-not-geojson", ROADS, 3)
    assert d.column == 22 and "第 3 行" in d.message


def test_json_but_not_geojson(sample_copy):
    write(sample_copy, "roads.geojson", json.dumps({"roads": []}))
    d = assert_diag(run(sample_copy), "map-not-geojson", ROADS, 1)
    assert "FeatureCollection" in d.message


def test_unknown_geometry_type_points_at_the_type(sample_copy):
    text = (
        '{"type": "FeatureCollection", "features": [\n'
        '{"type": "Feature", "properties": {}, '
        '"geometry": {"type": "LineString", "coordinates": [[104.6, 35.5], [104.7, 35.6]]}},\n'
        '{"type": "Feature", "properties": {},\n '
        '"geometry": {"type": "Polyline", "coordinates": [[104.6, 35.5], [104.7, 35.6]]}}\n]}\n'
    )
    write(sample_copy, "roads.geojson", text)
    d = assert_diag(run(sample_copy), "map-geometry-type", ROADS, 4)
    assert d.column == text.splitlines()[3].index('"Polyline"') + 1
    assert "Polyline" in d.message


def test_swapped_axes(sample_copy):
    text = (
        '{"type": "FeatureCollection", "features": [\n'
        '{"type": "Feature", "properties": {}, "geometry": {"type": "LineString",\n'
        ' "coordinates": [\n  [35.5, 104.6],\n  [35.6, 104.7]]}}]}\n'
    )
    write(sample_copy, "roads.geojson", text)
    d = assert_diag(run(sample_copy), "map-axes-swapped", ROADS, 4)
    assert "共 2 处" in d.message and "[104.6, 35.5]" in d.hint


def test_outside_china(sample_copy):
    # projected metres (a CGCS2000 3-degree zone), a common export mistake
    text = (
        '{"type": "FeatureCollection", "features": [\n'
        '{"type": "Feature", "properties": {}, '
        '"geometry": {"type": "Point", "coordinates": [35612345.2, 3942123.8]}}]}\n'
    )
    write(sample_copy, "roads.geojson", text)
    d = assert_diag(run(sample_copy), "map-outside-china", ROADS, 2)
    assert "EPSG:4326" in d.hint


def test_file_too_large(sample_copy):
    from builder.map.layers import MAX_GEOJSON_BYTES

    path = sample_copy / "map" / "roads.geojson"
    with path.open("w", encoding="utf-8") as f:
        f.write('{"type": "FeatureCollection", "features": []}')
        f.write(" " * (MAX_GEOJSON_BYTES + 1))
    d = assert_diag(run(sample_copy), "map-too-large", ROADS, 1)
    assert "mapshaper" in d.hint


def test_missing_file_and_unknown_system(sample_copy):
    yml = sample_copy / "map" / "roads.yml"
    yml.write_text(
        yml.read_text(encoding="utf-8").replace("file: roads.geojson", "file: daolu.geojson"), encoding="utf-8"
    )
    assert_diag(run(sample_copy), "map-layer", "content/map/roads.yml", 4)
    yml.write_text(
        yml.read_text(encoding="utf-8")
        .replace("file: daolu.geojson", "file: roads.geojson")
        .replace("system: WGS-84", "system: 北京54"),
        encoding="utf-8",
    )
    d = assert_diag(run(sample_copy), "map-layer", "content/map/roads.yml", 5)
    assert "北京54" in d.message


def test_tiles_template_needs_xyz(sample_copy):
    t = sample_copy / "map" / "tiles.yml"
    t.write_text("enabled: true\nurl: https://tiles.example.gov.cn/\n", encoding="utf-8")
    assert_diag(run(sample_copy), "map-tiles", "content/map/tiles.yml", 2)


def test_gcj_layer_is_converted_once(sample_copy):
    from builder.kernel.geo import to_wgs84

    yml = sample_copy / "map" / "rivers.yml"
    yml.write_text(yml.read_text(encoding="utf-8").replace("system: WGS-84", "system: GCJ-02"), encoding="utf-8")
    c, _diags = check(sample_copy, sample_copy.parent)
    river = next(layer for layer in c.get(MapData).layers if layer.model.kind == "rivers")
    lng, lat = river.features[0].coords[0]
    want = to_wgs84("GCJ-02", 35.53, 104.50)
    assert (round(lat, 6), round(lng, 6)) == (round(want[0], 6), round(want[1], 6))


def test_check_cli_prints_one_located_line(sample_copy, tmp_path):
    from tests.conftest import run_cli

    write(sample_copy, "roads.geojson", "not json at all")
    r = run_cli("check", "--content", str(sample_copy), cwd=sample_copy.parent)
    assert r.returncode == 1
    assert "Traceback" not in r.stderr + r.stdout
    assert "content/map/roads.geojson:1:1" in r.stdout + r.stderr
