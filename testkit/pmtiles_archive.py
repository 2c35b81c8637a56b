"""A tiny PMTiles v3 raster archive for tests, written with the reference
Python implementation (PyPI ``pmtiles``, the protomaps writer): one plain PNG
tile repeated over a bounding box at a few zoom levels (the writer stores it
once). Used by tests/test_map_check.py (the header checks) and
tests/e2e/test_map_pmtiles.py (the browser reads it with range requests)."""

from __future__ import annotations

import io
import math
from pathlib import Path

# what the test map's tiles are painted with: a colour no other map element uses
TILE_RGB = (64, 160, 96)


def _tile_xy(lat: float, lng: float, z: int) -> tuple[int, int]:
    n = 2**z
    x = int((lng + 180) / 360 * n)
    y = int((1 - math.asinh(math.tan(math.radians(lat))) / math.pi) / 2 * n)
    return min(max(x, 0), n - 1), min(max(y, 0), n - 1)


def png_tile(rgb: tuple[int, int, int] = TILE_RGB) -> bytes:
    from PIL import Image

    buf = io.BytesIO()
    Image.new("RGB", (256, 256), rgb).save(buf, "PNG")
    return buf.getvalue()


def write_archive(
    path: Path,
    bounds: tuple[float, float, float, float],  # west, south, east, north
    zooms: range = range(6, 12),
    tile_type: str = "PNG",
    data: bytes | None = None,
) -> Path:
    from pmtiles.tile import Compression, TileType, zxy_to_tileid
    from pmtiles.writer import write

    west, south, east, north = bounds
    blob = data if data is not None else png_tile()
    ids = []
    for z in zooms:
        x0, y0 = _tile_xy(north, west, z)
        x1, y1 = _tile_xy(south, east, z)
        ids += [zxy_to_tileid(z, x, y) for x in range(x0, x1 + 1) for y in range(y0, y1 + 1)]
    with write(str(path)) as w:
        for tid in sorted(ids):
            w.write_tile(tid, blob)
        w.finalize(
            {
                "tile_type": TileType[tile_type],
                "tile_compression": Compression.NONE if tile_type != "MVT" else Compression.GZIP,
                "min_lon_e7": round(west * 1e7),
                "min_lat_e7": round(south * 1e7),
                "max_lon_e7": round(east * 1e7),
                "max_lat_e7": round(north * 1e7),
                "center_zoom": zooms.start,
                "center_lon_e7": round((west + east) / 2 * 1e7),
                "center_lat_e7": round((south + north) / 2 * 1e7),
            },
            {"name": "测试底图", "attribution": "测试"},
        )
    return path
