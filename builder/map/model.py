"""content/map/*.yml: one small file per GeoJSON layer the county supplies,
plus the optional tiles.yml: a basemap of tiles, off by default — either a
tile URL template (online or intranet tiles) or a local PMTiles archive
published with the site."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import StringConstraints

from builder.kernel.model import FileRef, Line, Name, Short, Strict, Title, desc

Colour = Annotated[str, StringConstraints(pattern=r"^#[0-9a-fA-F]{6}$")]

KIND_ZH = {"county": "县界", "towns": "乡镇界", "roads": "道路", "rivers": "河流水系", "other": "其他"}


class LayerStyle(Strict):
    color: Colour = desc("线的颜色，例如 #7b5e3b", default="#7b5e3b")
    width: float = desc("线宽（像素）", default=1.5, ge=0.2, le=12)
    fill: Colour | None = desc("面的填充颜色（县界、乡镇界等面图层）；不写则不填充", default=None)
    fill_opacity: float = desc("填充不透明度，0–1", default=0.12, ge=0, le=1)
    dash: bool = desc("是否画成虚线（例如县界、乡镇界）", default=False)


class MapLayer(Strict):
    """content/map/<图层>.yml：县里提供的一个 GeoJSON 图层。"""

    name: Title = desc("图层名称，显示在图层开关和图例里，例如“乡镇界（示例）”")
    kind: Literal["county", "towns", "roads", "rivers", "other"] = desc(
        "图层类别：county 县界、towns 乡镇界、roads 道路、rivers 河流水系、other 其他"
    )
    file: FileRef = desc("同一文件夹里的 GeoJSON 文件名，例如 towns.geojson")
    system: Line = desc(
        "坐标系：WGS-84（GPS、天地图、CGCS2000）、GCJ-02（高德、腾讯）或 BD-09（百度）", default="WGS-84"
    )
    style: LayerStyle = desc("画法", default_factory=LayerStyle)
    approval: Line = desc("审图号，例如“GS（2024）1234号”；有就写，会显示在地图上", default="")
    label: Line = desc("用哪个属性作标注（乡镇界一般是 name）", default="name")
    road_class: Line = desc("道路图层里表示道路等级的属性名", default="class")
    main_roads: list[Name] = desc("算作“主要道路”的等级（科学选点量距离用）；不写则全部道路都算", default_factory=list)
    sample: bool = desc("示例数据（地图上会标注“示例”）", default=False)
    source: Short = desc("数据来源，例如“县自然资源局 2025 年”", default="")


class Tiles(Strict):
    """content/map/tiles.yml：瓦片底图（默认关闭）。二选一：url 写在线或内网瓦片服务的地址模板，
    或 pmtiles 写放在 content/map/ 里的 PMTiles 底图文件（随网站发布，不向外部地址请求）。"""

    enabled: bool = desc("是否启用；关闭时网站不向任何外部地址请求", default=False)
    name: Title = desc("底图名称，显示在图层开关里", default="在线底图")
    url: Annotated[str, StringConstraints(max_length=500)] = desc(
        "瓦片地址模板，含 {z}、{x}、{y}，例如天地图或内网瓦片服务的地址；用 pmtiles 时不写", default=""
    )
    pmtiles: Annotated[str, StringConstraints(max_length=255)] = desc(
        "content/map/ 里的 PMTiles 底图文件名（栅格瓦片：PNG、JPEG、WebP），例如 county.pmtiles；"
        "随网站一起发布，不向外部地址请求；用 url 时不写",
        default="",
    )
    subdomains: Line = desc("子域名，例如 01234567（天地图）", default="")
    attribution: Short = desc("版权说明，显示在地图右下角，例如“天地图 · 审图号 GS（2024）0650号”", default="")
    max_zoom: int = desc("最大缩放级别", default=18, ge=1, le=22)
    system: Literal["WGS-84", "CGCS2000"] = desc(
        "瓦片坐标系：只支持 WGS-84/CGCS2000 的瓦片（例如天地图），这样村的位置才不会偏", default="WGS-84"
    )
