"""Loading and checking content/map/: each <layer>.yml names a GeoJSON file,
its kind, style and coordinate system. Coordinates are converted to WGS-84
once (like village coordinates) and kept as GeoJSON ([lng, lat]) for Leaflet
and as (lat, lng) lines for the SVG maps and road distances.

Every mistake is one located diagnostic: not GeoJSON (with the JSON syntax
error's line and column), an unknown geometry type, coordinates outside
China, swapped axes (lat/lng written the wrong way round), a file too large."""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from builder.content import Content
from builder.kernel.content import has_placeholders
from builder.kernel.diagnostics import Diagnostics, Location
from builder.kernel.geo import in_china, looks_swapped, normalise_crs, to_wgs84
from builder.kernel.loading.textfile import read_bytes, size_text
from builder.kernel.loading.tree import FILE
from builder.kernel.loading.yamlsrc import load_yaml
from builder.kernel.schema import validate_model
from builder.map.basemap import Archive, check_archive
from builder.map.jsonpos import line_col
from builder.map.model import MapLayer, Tiles

MAX_GEOJSON_BYTES = 5 * 1024 * 1024  # a county's simplified layers are a few hundred KB
GEOMETRY_TYPES = {"Point", "MultiPoint", "LineString", "MultiLineString", "Polygon", "MultiPolygon"}
_DEPTH = {"Point": 0, "MultiPoint": 1, "LineString": 1, "MultiLineString": 2, "Polygon": 2, "MultiPolygon": 3}

JsonPath = tuple[str | int, ...]  # keys and indexes from the GeoJSON document's root


@dataclass
class Feature:
    kind: str  # GeoJSON geometry type
    coords: Any  # GeoJSON coordinates, WGS-84 [lng, lat]
    props: dict

    def lines(self) -> list[list[tuple[float, float]]]:
        """Every ring or line as (lat, lng) points; a point is a line of one."""
        d = _DEPTH[self.kind]
        if d == 0:
            return [[(self.coords[1], self.coords[0])]]

        def flat(c, depth):
            if depth == 1:
                return [[(p[1], p[0]) for p in c]]
            return [ln for sub in c for ln in flat(sub, depth - 1)]

        return flat(self.coords, d)

    def rings(self) -> list[list[list[tuple[float, float]]]]:
        """Polygons as lists of rings, (lat, lng); empty for other geometries."""
        if self.kind == "Polygon":
            polys = [self.coords]
        elif self.kind == "MultiPolygon":
            polys = self.coords
        else:
            return []
        return [[[(p[1], p[0]) for p in ring] for ring in poly] for poly in polys]


@dataclass
class Layer:
    id: str
    model: MapLayer
    file: str  # display path of the GeoJSON
    features: list[Feature] = field(default_factory=list)

    def geojson(self) -> dict:
        return {
            "type": "FeatureCollection",
            "features": [
                {
                    "type": "Feature",
                    "properties": {k: v for k, v in f.props.items() if isinstance(v, (str, int, float))},
                    "geometry": {"type": f.kind, "coordinates": f.coords},
                }
                for f in self.features
            ],
        }


@dataclass
class MapData:
    layers: list[Layer] = field(default_factory=list)
    tiles: Tiles | None = None  # enabled and valid, or off (enabled: false)
    archive: Archive | None = None  # the local PMTiles basemap when tiles.pmtiles is used

    def of_kind(self, kind: str) -> list[Layer]:
        return [layer for layer in self.layers if layer.model.kind == kind]

    def main_road_lines(self) -> list[list[tuple[float, float]]]:
        out = []
        for layer in self.of_kind("roads"):
            main = set(layer.model.main_roads)
            for f in layer.features:
                if f.kind in ("LineString", "MultiLineString") and (
                    not main or str(f.props.get(layer.model.road_class, "")) in main
                ):
                    out.extend(f.lines())
        return out

    def approvals(self) -> list[str]:
        return sorted({layer.model.approval for layer in self.layers if layer.model.approval})

    @property
    def sample(self) -> bool:
        return any(layer.model.sample for layer in self.layers)


def load_map(content: Content, diags: Diagnostics) -> MapData:
    data = MapData()
    tree = content.listing()
    if not tree.is_dir("map"):
        return data
    mdir = content.content_dir / "map"
    names = dict(tree.entries("map"))
    used: set[str] = set()
    for name in sorted(names):
        if name.startswith(".") or names[name] != FILE or not name.endswith((".yml", ".yaml")):
            continue
        path = mdir / name
        shown = content.display(path)
        doc = load_yaml(path, shown, diags)
        if not doc or has_placeholders(doc, diags):
            continue
        if name in ("tiles.yml", "tiles.yaml"):
            tiles = validate_model(Tiles, doc, diags, "瓦片底图设置")
            if tiles and tiles.enabled:
                tiles, data.archive = _check_tiles(tiles, doc, mdir, names, content, diags)
            data.tiles = tiles
            continue
        model = validate_model(MapLayer, doc, diags, "地图图层")
        if model is None:
            continue
        crs = normalise_crs(model.system)
        if crs is None:
            diags.emit(
                doc.loc(("system",)),
                "map-layer",
                f"坐标系“{model.system}”认不出来。",
                "写 WGS-84（GPS、天地图、CGCS2000）、GCJ-02（高德、腾讯）或 BD-09（百度）。",
            )
            continue
        gj_name = model.file
        used.add(gj_name)
        if "/" in gj_name or "\\" in gj_name or names.get(gj_name) != FILE:
            diags.emit(
                doc.loc(("file",)),
                "map-layer",
                f"图层文件“{gj_name}”不在 content/map/ 文件夹里。",
                "把 GeoJSON 文件放进 content/map/，文件名与这里写的一致（区分大小写），"
                f"例如 {Path(name).stem}.geojson。",
            )
            continue
        layer = _load_geojson(mdir / gj_name, content.display(mdir / gj_name), crs, model, Path(name).stem, diags)
        if layer is not None:
            data.layers.append(layer)
    order = {"county": 0, "towns": 1, "rivers": 2, "roads": 3, "other": 4}
    data.layers.sort(key=lambda layer: (order[layer.model.kind], layer.id))
    return data


def _check_tiles(tiles: Tiles, doc, mdir: Path, names: dict, content: Content, diags: Diagnostics):
    """An enabled basemap: a tile URL template or a local PMTiles archive, not both."""
    if tiles.url and tiles.pmtiles:
        diags.emit(
            doc.loc(("pmtiles",)),
            "map-tiles",
            "tiles.yml 同时写了 url（瓦片服务地址）和 pmtiles（本地底图文件），只能用一种。",
            "用本地 PMTiles 底图就删掉 url 这一行；用瓦片服务就删掉 pmtiles 这一行。",
        )
        return None, None
    if tiles.pmtiles:
        name = tiles.pmtiles
        if "/" in name or "\\" in name or names.get(name) != FILE or name.startswith("."):
            diags.emit(
                doc.loc(("pmtiles",)),
                "map-pmtiles",
                f"PMTiles 底图文件“{name}”不在 content/map/ 文件夹里。",
                "把 .pmtiles 文件放进 content/map/，文件名与这里写的一致（区分大小写）；"
                "不用本地底图就写 enabled: false。",
            )
            return None, None
        if not name.endswith(".pmtiles"):
            diags.emit(
                doc.loc(("pmtiles",)),
                "map-pmtiles",
                f"底图文件“{name}”的扩展名不是 .pmtiles。",
                "PMTiles 文件的名字以 .pmtiles 结尾，例如 county.pmtiles；别的格式要先用 pmtiles convert 转换。",
            )
            return None, None
        archive = check_archive(mdir / name, content.display(mdir / name), doc.loc(("pmtiles",)), diags)
        return (tiles, archive) if archive else (None, None)
    if not all(k in tiles.url for k in ("{z}", "{x}", "{y}")):
        diags.emit(
            doc.loc(("url",)),
            "map-tiles",
            "瓦片地址模板里缺少 {z}、{x} 或 {y}，地图无法拼出瓦片地址。",
            "照服务商给的地址填写，例如 http://瓦片服务器/tiles/{z}/{x}/{y}.png；"
            "或者用 pmtiles 写本地底图文件；不用底图就写 enabled: false。",
        )
        return None, None
    return tiles, None


def _load_geojson(path: Path, shown: str, crs: str, model: MapLayer, lid: str, diags: Diagnostics) -> Layer | None:
    try:
        size = os.lstat(path).st_size
    except OSError:
        size = 0
    if size > MAX_GEOJSON_BYTES:
        diags.emit(
            Location(shown, 1, 1),
            "map-too-large",
            f"图层文件 {shown} 太大（{size_text(size)}，上限 {size_text(MAX_GEOJSON_BYTES)}），没有读取。",
            "用 mapshaper（mapshaper.org，可离线使用）的“简化”把线条化简到县域示意够用的精度（一般几百 KB），"
            "再导出 GeoJSON。",
        )
        return None
    raw = read_bytes(path, shown, diags, MAX_GEOJSON_BYTES)
    if raw is None:
        return None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        diags.emit(Location(shown, 0, 0), "encoding", f"{shown} 不是 UTF-8 编码。", "用 QGIS 导出时把编码选为 UTF-8。")
        return None
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        diags.emit(
            Location(shown, exc.lineno, exc.colno),
            "map-not-geojson",
            f"{shown} 不是 GeoJSON：第 {exc.lineno} 行第 {exc.colno} 列的格式不对（{_json_zh(exc.msg)}）。",
            "用 QGIS 或 mapshaper 重新导出为 GeoJSON；不要用 Word、记事本改动文件。",
        )
        return None
    feats: list[tuple[JsonPath | None, Any]] = []
    if isinstance(data, dict) and data.get("type") == "FeatureCollection" and isinstance(data.get("features"), list):
        feats = [(("features", i), f) for i, f in enumerate(data["features"])]
    elif isinstance(data, dict) and data.get("type") == "Feature":
        feats = [((), data)]
    elif isinstance(data, dict) and data.get("type") in GEOMETRY_TYPES | {"GeometryCollection"}:
        feats = [(None, {"type": "Feature", "properties": {}, "geometry": data})]
    else:
        diags.emit(
            Location(shown, 1, 1),
            "map-not-geojson",
            f'{shown} 是 JSON，但不是 GeoJSON（最外层应是 "type": "FeatureCollection"）。',
            "用 QGIS 的“导出 → 另存为 GeoJSON”或 mapshaper 导出；shp、kml 等格式要先转成 GeoJSON。",
        )
        return None
    layer = Layer(lid, model, shown)
    counts = {"swapped": 0, "outside": 0}  # points with swapped axes / outside China
    firsts: dict[str, tuple[JsonPath, float, float]] = {}  # the first of each, for the message
    bad = False

    def where(path: JsonPath) -> Location:
        return Location(shown, *line_col(text, path))

    def walk_geometry(g: Any, path: JsonPath) -> None:
        nonlocal bad
        if g is None:
            return
        if not isinstance(g, dict) or not isinstance(g.get("type"), str):
            diags.emit(
                where(path),
                "map-not-geojson",
                f"{shown} 里有一个要素的 geometry 不是几何对象。",
                '每个要素的 geometry 应是 {"type": ..., "coordinates": ...}；重新导出文件。',
            )
            bad = True
            return
        t = g["type"]
        if t == "GeometryCollection":
            for i, sub in enumerate(g.get("geometries") or []):
                walk_geometry(sub, (*path, "geometries", i))
            return
        if t not in GEOMETRY_TYPES:
            diags.emit(
                where((*path, "type")),
                "map-geometry-type",
                f"几何类型“{t}”认不出来。",
                "GeoJSON 只有 Point、MultiPoint、LineString、MultiLineString、Polygon、MultiPolygon"
                "（注意大小写）；用 QGIS 或 mapshaper 重新导出。",
            )
            bad = True
            return
        coords = _convert(g.get("coordinates"), _DEPTH[t], (*path, "coordinates"))
        if coords is not None:
            layer.features.append(Feature(t, coords, props))

    def _convert(c: Any, depth: int, path: JsonPath) -> list[Any] | None:
        nonlocal bad
        if depth == 0:
            if (
                not isinstance(c, list)
                or len(c) < 2
                or not all(isinstance(x, (int, float)) and not isinstance(x, bool) for x in c[:2])
            ):
                diags.emit(
                    where(path),
                    "map-not-geojson",
                    f"{shown} 里有一个坐标不是 [经度, 纬度] 两个数字。",
                    "每个坐标写成 [经度, 纬度]，例如 [104.63, 35.56]；重新导出文件。",
                )
                bad = True
                return None
            lng, lat = float(c[0]), float(c[1])
            if not in_china(lat, lng):
                key = "swapped" if looks_swapped(lat, lng) else "outside"
                counts[key] += 1
                if key not in firsts:
                    firsts[key] = (path, lat, lng)
                return None
            if crs != "WGS-84":
                lat, lng = to_wgs84(crs, lat, lng)
            return [round(lng, 6), round(lat, 6)]
        if not isinstance(c, list) or not c:
            diags.emit(
                where(path),
                "map-not-geojson",
                f"{shown} 里有一组坐标是空的或层次不对。",
                "用 QGIS 或 mapshaper 重新导出 GeoJSON。",
            )
            bad = True
            return None
        out = []
        failed = False
        for i, sub in enumerate(c):
            v = _convert(sub, depth - 1, (*path, i))
            failed = failed or v is None  # go on: every swapped/outside point is counted
            out.append(v)
        return None if failed else out

    for fpath, f in feats:
        if not isinstance(f, dict):
            diags.emit(where(fpath or ()), "map-not-geojson", f"{shown} 里有一个要素不是对象。", "重新导出 GeoJSON。")
            bad = True
            continue
        props: dict[Any, Any] = f["properties"] if isinstance(f.get("properties"), dict) else {}
        walk_geometry(f.get("geometry"), ((*fpath, "geometry")) if fpath is not None else ())
        if bad:
            break
    n = counts["swapped"]
    if n:
        at, lat, lng = firsts["swapped"]
        diags.emit(
            where(at),
            "map-axes-swapped",
            f"{shown} 的坐标经纬度写反了（共 {n} 处），例如 [{lng:g}, {lat:g}]：GeoJSON 要求先经度、后纬度。",
            f"改成 [{lat:g}, {lng:g}]；在 QGIS 里导出时检查“X 字段 = 经度，Y 字段 = 纬度”。",
        )
        bad = True
    n = counts["outside"]
    if n:
        at, lat, lng = firsts["outside"]
        diags.emit(
            where(at),
            "map-outside-china",
            f"{shown} 有 {n} 个坐标不在中国境内，例如 [{lng:g}, {lat:g}]。",
            "多半是投影坐标（例如 CGCS2000 3 度带的米制坐标）或写错了；"
            "在 QGIS 里把图层另存为 EPSG:4326（经纬度）的 GeoJSON。",
        )
        bad = True
    return None if bad else layer


def _json_zh(msg: str) -> str:
    table = {
        "Expecting value": "这里缺少一个值",
        "Expecting ',' delimiter": "缺少逗号",
        "Expecting property name enclosed in double quotes": "属性名要用英文双引号括起来",
        "Expecting ':' delimiter": "缺少冒号",
        "Extra data": "文件结尾后面还有多余的内容",
        "Unterminated string starting at": "引号没有成对",
        "Invalid control character at": "字符串里有不允许的控制字符",
    }
    return table.get(msg, "JSON 语法错误")
