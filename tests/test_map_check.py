"""`check` on content/map/: each GeoJSON mistake of issue 14 is one located
Chinese diagnostic (file, line, column, message, hint), never a traceback."""

from __future__ import annotations

import json

import pytest

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
    assert_diag(run(sample_copy), "map-layer", "content/map/roads.yml", 5)
    yml.write_text(
        yml.read_text(encoding="utf-8")
        .replace("file: daolu.geojson", "file: roads.geojson")
        .replace("system: WGS-84", "system: 北京54"),
        encoding="utf-8",
    )
    d = assert_diag(run(sample_copy), "map-layer", "content/map/roads.yml", 6)
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


# --- a local PMTiles basemap (tiles.yml pmtiles:) ----------------------------------
TILES = "content/map/tiles.yml"
SAMPLE_BOUNDS = (104.3, 35.3, 104.9, 35.8)  # west, south, east, north: around the sample county


def use_pmtiles(content, name: str = "county.pmtiles") -> None:
    # line 3 is the pmtiles: line the diagnostics point at
    (content / "map" / "tiles.yml").write_text(
        f"enabled: true\nname: 县域底图\npmtiles: {name}\nattribution: 县自然资源局\n", encoding="utf-8"
    )


def test_pmtiles_archive_is_read(sample_copy):
    from testkit.pmtiles_archive import write_archive

    write_archive(sample_copy / "map" / "county.pmtiles", SAMPLE_BOUNDS, zooms=range(8, 11))
    use_pmtiles(sample_copy)
    c, diags = check(sample_copy, sample_copy.parent)
    assert not [d for d in diags if d.code.startswith("map-")], diags.format("text")
    a = c.get(MapData).archive
    assert a is not None and a.tile_type == "PNG" and (a.min_zoom, a.max_zoom) == (8, 10)
    assert a.bounds == pytest.approx(SAMPLE_BOUNDS, abs=1e-7)


def test_pmtiles_missing_file(sample_copy):
    use_pmtiles(sample_copy, "xianyu.pmtiles")
    d = assert_diag(run(sample_copy), "map-pmtiles", TILES, 3)
    assert "xianyu.pmtiles" in d.message and "content/map/" in d.message


def test_pmtiles_not_an_archive(sample_copy):
    (sample_copy / "map" / "county.pmtiles").write_bytes(b"SQLite format 3\x00" + bytes(200))
    use_pmtiles(sample_copy)
    d = assert_diag(run(sample_copy), "map-pmtiles", TILES, 3)
    assert "不是 PMTiles" in d.message and "MBTiles" in d.message and "pmtiles convert" in d.hint
    (sample_copy / "map" / "county.pmtiles").write_bytes(b"<html>404</html>")
    d = assert_diag(run(sample_copy), "map-pmtiles", TILES, 3)
    assert "没有 PMTiles 标记" in d.message


def test_pmtiles_old_version(sample_copy):
    from testkit.pmtiles_archive import write_archive

    path = write_archive(sample_copy / "map" / "county.pmtiles", SAMPLE_BOUNDS, zooms=range(8, 9))
    raw = bytearray(path.read_bytes())
    raw[7] = 2
    path.write_bytes(bytes(raw))
    use_pmtiles(sample_copy)
    d = assert_diag(run(sample_copy), "map-pmtiles", TILES, 3)
    assert "第 2 版" in d.message and "第 3 版" in d.message


def test_pmtiles_too_large(sample_copy):
    from builder.map.basemap import MAX_PMTILES_BYTES
    from testkit.pmtiles_archive import write_archive

    path = write_archive(sample_copy / "map" / "county.pmtiles", SAMPLE_BOUNDS, zooms=range(8, 9))
    with path.open("r+b") as f:  # sparse: costs no disk
        f.truncate(MAX_PMTILES_BYTES + 1)
    use_pmtiles(sample_copy)
    d = assert_diag(run(sample_copy), "map-pmtiles", TILES, 3)
    assert "太大" in d.message and "200 MB" in d.message and "--maxzoom" in d.hint


def test_pmtiles_vector_tiles_are_unsupported(sample_copy):
    import gzip

    from testkit.pmtiles_archive import write_archive

    write_archive(
        sample_copy / "map" / "county.pmtiles",
        SAMPLE_BOUNDS,
        zooms=range(8, 9),
        tile_type="MVT",
        data=gzip.compress(b"\x1a\x00", mtime=0),
    )
    use_pmtiles(sample_copy)
    d = assert_diag(run(sample_copy), "map-pmtiles", TILES, 3)
    assert "矢量瓦片" in d.message and "GeoJSON" in d.hint


def test_pmtiles_truncated(sample_copy):
    from testkit.pmtiles_archive import write_archive

    path = write_archive(sample_copy / "map" / "county.pmtiles", SAMPLE_BOUNDS, zooms=range(8, 10))
    path.write_bytes(path.read_bytes()[:-10])
    use_pmtiles(sample_copy)
    d = assert_diag(run(sample_copy), "map-pmtiles", TILES, 3)
    assert "不完整" in d.message


def test_tiles_url_and_pmtiles_together(sample_copy):
    from testkit.pmtiles_archive import write_archive

    write_archive(sample_copy / "map" / "county.pmtiles", SAMPLE_BOUNDS, zooms=range(8, 9))
    (sample_copy / "map" / "tiles.yml").write_text(
        "enabled: true\nurl: https://tiles.example.gov.cn/{z}/{x}/{y}.png\npmtiles: county.pmtiles\n", encoding="utf-8"
    )
    d = assert_diag(run(sample_copy), "map-tiles", TILES, 3)
    assert "只能用一种" in d.message
