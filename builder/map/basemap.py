"""A local PMTiles basemap (content/map/tiles.yml ``pmtiles:``): checked here,
published with the site, read in the browser by the vendored ``pmtiles``
library (its Leaflet adapter for raster archives) with HTTP range requests.

Only the fixed 127-byte header of a PMTiles v3 archive is read (the format is
public: https://github.com/protomaps/PMTiles/blob/main/spec/v3/spec.md):

    0   7  magic "PMTiles"            72  8  addressed tiles
    7   1  version (3)                80  8  tile entries
    8   8  root directory offset      88  8  tile contents
    16  8  root directory length      96  1  clustered
    24  8  metadata offset            97  1  internal compression
    32  8  metadata length            98  1  tile compression
    40  8  leaf directories offset    99  1  tile type
    48  8  leaf directories length    100 1  min zoom, 101 1 max zoom
    56  8  tile data offset           102 16 bounds (4 × int32, degrees × 10⁷)
    64  8  tile data length           118 9  center zoom, lon, lat

integers little-endian. Compression: 0 unknown, 1 none, 2 gzip, 3 brotli,
4 zstd; tile type: 0 unknown, 1 MVT (vector), 2 PNG, 3 JPEG, 4 WebP, 5 AVIF.
"""

from __future__ import annotations

import os
import struct
from dataclasses import dataclass
from pathlib import Path

from builder.kernel.diagnostics import Diagnostics, Location
from builder.kernel.loading.textfile import size_text

MAX_PMTILES_BYTES = 200 * 1024 * 1024  # a county's raster basemap to zoom 16 is a few tens of MB
HEADER_LEN = 127
MAGIC = b"PMTiles"
RASTER = {2: "PNG", 3: "JPEG", 4: "WebP", 5: "AVIF"}
# what the browser library decompresses (gzip with the built-in fflate)
COMPRESSION = {0: "未知", 1: "不压缩", 2: "gzip", 3: "brotli", 4: "zstd"}
READABLE = {1, 2}
TILES_HINT = "用 pmtiles 命令行工具检查：pmtiles show 文件名.pmtiles（见编辑指南“地图图层”）。"


@dataclass(frozen=True)
class Archive:
    path: Path
    size: int
    tile_type: str  # PNG, JPEG, WebP or AVIF
    min_zoom: int
    max_zoom: int
    bounds: tuple[float, float, float, float]  # west, south, east, north (degrees)


def check_archive(path: Path, shown: str, where: Location, diags: Diagnostics) -> Archive | None:
    """The archive at path, or None after one located diagnostic (at where,
    the ``pmtiles:`` line of tiles.yml) saying what is wrong and how to fix it."""

    def emit(message: str, hint: str) -> None:
        diags.emit(where, "map-pmtiles", message, hint)

    try:
        size = os.lstat(path).st_size
        with path.open("rb") as f:
            head = f.read(HEADER_LEN)
    except OSError as exc:
        emit(f"PMTiles 底图文件 {shown} 读不出来（{exc.strerror or exc}）。", "检查文件是否完整、是否被别的程序占用。")
        return None
    if size > MAX_PMTILES_BYTES:
        emit(
            f"PMTiles 底图文件 {shown} 太大（{size_text(size)}，上限 {size_text(MAX_PMTILES_BYTES)}）。",
            "县域底图一般到 16 级就够：pmtiles extract 时加 --maxzoom=16 和县界范围（--bbox），只取本县。",
        )
        return None
    if head[:7] != MAGIC:
        what = "是 MBTiles（SQLite）文件" if head.startswith(b"SQLite format 3") else "开头没有 PMTiles 标记"
        emit(
            f"{shown} 不是 PMTiles 文件（{what}）。",
            "MBTiles 用 pmtiles convert 旧文件.mbtiles 新文件.pmtiles 转换；"
            "其他格式请让提供底图的单位导出为 PMTiles 第 3 版。",
        )
        return None
    if len(head) < HEADER_LEN or head[7] != 3:
        version = f"第 {head[7]} 版" if len(head) > 7 else "版本不明"
        emit(
            f"{shown} 是 PMTiles {version}，本网站只能读第 3 版。",
            "用 pmtiles convert 旧文件.pmtiles 新文件.pmtiles 转成第 3 版。",
        )
        return None
    offsets = struct.unpack_from("<8Q", head, 8)  # root, metadata, leaves, tile data: (offset, length) each
    internal, tile_comp, tile_type, min_z, max_z = head[97], head[98], head[99], head[100], head[101]
    west, south, east, north = (v / 1e7 for v in struct.unpack_from("<4i", head, 102))
    if any(offsets[i] + offsets[i + 1] > size for i in range(0, 8, 2)):
        emit(
            f"{shown} 不完整（文件头写的内容超出了文件末尾，多半是复制或下载到一半）。",
            "重新复制或重新导出这个文件。" + TILES_HINT,
        )
        return None
    if tile_type not in RASTER:
        kind = "矢量瓦片（MVT）" if tile_type == 1 else "未知类型的瓦片"
        emit(
            f"{shown} 里是{kind}，本网站的底图只能显示栅格瓦片（PNG、JPEG、WebP、AVIF）。",
            "请提供栅格底图（例如从县里的瓦片服务导出 PNG/JPEG 瓦片，再用 pmtiles convert 打包）；"
            "县界、道路、河流等矢量数据请做成 GeoJSON 图层。",
        )
        return None
    if internal not in READABLE or tile_comp not in READABLE:
        emit(
            f"{shown} 用了浏览器读不了的压缩方式（目录：{COMPRESSION.get(internal, internal)}，"
            f"瓦片：{COMPRESSION.get(tile_comp, tile_comp)}）。",
            "用 pmtiles convert 重新打包（目录用 gzip，栅格瓦片不压缩）。",
        )
        return None
    return Archive(path, size, RASTER[tile_type], min_z, max_z, (west, south, east, north))
