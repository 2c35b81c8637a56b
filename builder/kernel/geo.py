"""Coordinates: editors paste GCJ-02 (高德/腾讯), BD-09 (百度) or WGS-84
(GPS/天地图); the model stores WGS-84. Conversion uses prcoords (CC0/GPL,
the iterative 'bored' inverses, ~0.1 mm)."""

from __future__ import annotations

import functools
import math

import prcoords

CRS_ALIASES = {
    "GCJ-02": "GCJ-02",
    "GCJ02": "GCJ-02",
    "高德": "GCJ-02",
    "腾讯": "GCJ-02",
    "火星坐标": "GCJ-02",
    "BD-09": "BD-09",
    "BD09": "BD-09",
    "百度": "BD-09",
    "WGS-84": "WGS-84",
    "WGS84": "WGS-84",
    "GPS": "WGS-84",
    "天地图": "WGS-84",
    "CGCS2000": "WGS-84",
}

# Mainland China with a margin (islands of the South China Sea excluded: no villages there to plan for).
LAT_RANGE = (18.0, 54.0)
LNG_RANGE = (73.0, 136.0)


def normalise_crs(system: str) -> str | None:
    key = str(system).strip().upper().replace("_", "-").replace(" ", "")
    return CRS_ALIASES.get(key) or CRS_ALIASES.get(str(system).strip())


def in_china(lat: float, lng: float) -> bool:
    return LAT_RANGE[0] <= lat <= LAT_RANGE[1] and LNG_RANGE[0] <= lng <= LNG_RANGE[1]


def looks_swapped(lat: float, lng: float) -> bool:
    return not in_china(lat, lng) and in_china(lng, lat)


@functools.lru_cache(maxsize=65536)
def to_wgs84(system: str, lat: float, lng: float) -> tuple[float, float]:
    crs = normalise_crs(system)
    if crs == "GCJ-02":
        c = prcoords.gcj_wgs_bored((lat, lng))
    elif crs == "BD-09":
        c = prcoords.bd_wgs_bored((lat, lng))
    elif crs == "WGS-84":
        return (lat, lng)
    else:
        raise ValueError(f"unknown coordinate system {system!r}")
    return (round(c.lat, 7), round(c.lon, 7))


def haversine_km(a: tuple[float, float], b: tuple[float, float]) -> float:
    """Great-circle distance in km between two WGS-84 (lat, lng) points."""
    lat1, lng1 = map(math.radians, a)
    lat2, lng2 = map(math.radians, b)
    h = math.sin((lat2 - lat1) / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin((lng2 - lng1) / 2) ** 2
    return 2 * 6371.0088 * math.asin(min(1.0, math.sqrt(h)))


class PointProblem:
    """Why a pasted point cannot be used: the sub-field to point at, the
    code, a message and a hint (Chinese). ``what`` names the point in the
    message ("" for a village's own location)."""

    __slots__ = ("code", "field", "hint", "message")

    def __init__(self, field: str, code: str, message: str, hint: str) -> None:
        self.field, self.code, self.message, self.hint = field, code, message, hint


def check_point(
    system: str, lat: float, lng: float, what: str = ""
) -> tuple[tuple[float, float] | None, PointProblem | None]:
    """The one rule for a pasted coordinate: (WGS-84 point, None) or (None, problem)."""
    crs = normalise_crs(system)
    if crs is None:
        return None, PointProblem(
            "system",
            "unknown-crs",
            f"坐标系“{system}”不认识。",
            "写 GCJ-02（从高德、腾讯地图复制的坐标）、BD-09（百度地图）或 WGS-84（GPS、天地图）。",
        )
    if looks_swapped(lat, lng):
        return None, PointProblem(
            "lat",
            "coords-swapped",
            f"{what}的纬度 {lat} 和经度 {lng} 看起来写反了。"
            if what
            else f"纬度 {lat} 和经度 {lng} 看起来写反了（中国的纬度约 18–54，经度约 73–135）。",
            f"对调两个值：lat: {lng}，lng: {lat}。",
        )
    if not in_china(lat, lng):
        return None, PointProblem(
            "lat",
            "coords-range",
            f"{what}的坐标（{lat}, {lng}）不在中国范围内。" if what else f"坐标（{lat}, {lng}）不在中国范围内。",
            "从地图上重新复制坐标；纬度约 18–54，经度约 73–135。",
        )
    return to_wgs84(crs, lat, lng), None
