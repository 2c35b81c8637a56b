"""One-tap navigation: plain links to 高德 and 百度 (nothing is loaded until a
visitor taps one). Each service wants its own coordinate system: 高德 GCJ-02,
百度 BD-09, converted here from the stored WGS-84 with prcoords."""

from __future__ import annotations

import functools
from urllib.parse import quote, urlencode

import prcoords

# 百度's URI API asks callers to identify themselves (src=webapp.<org>.<app>).
BAIDU_SRC = "webapp.dangjian.portal"


def to_gcj(lat: float, lng: float) -> tuple[float, float]:
    c = prcoords.wgs_gcj((lat, lng))
    return round(c.lat, 6), round(c.lon, 6)


def to_bd(lat: float, lng: float) -> tuple[float, float]:
    c = prcoords.wgs_bd((lat, lng))
    return round(c.lat, 6), round(c.lon, 6)


def _q(params: dict) -> str:
    # ',' and ':' are part of the syntax and valid in a URL query; '|' (百度's
    # latlng:…|name:… separator) is not (HTML checkers reject it): sent as %7C,
    # which the services decode like any query value.
    return urlencode(params, quote_via=quote, safe=",:")


def amap_nav(wgs: tuple[float, float], name: str) -> str:
    """高德 navigation from the visitor's position to the point (GCJ-02)."""
    lat, lng = to_gcj(*wgs)
    return "https://uri.amap.com/navigation?" + _q(
        {"to": f"{lng:.6f},{lat:.6f},{name}", "mode": "car", "coordinate": "gaode", "callnative": "1"}
    )


def amap_route(a: tuple[float, float], a_name: str, b: tuple[float, float], b_name: str) -> str:
    """高德 driving route between two points (an itinerary leg)."""
    alat, alng = to_gcj(*a)
    blat, blng = to_gcj(*b)
    return "https://uri.amap.com/navigation?" + _q(
        {
            "from": f"{alng:.6f},{alat:.6f},{a_name}",
            "to": f"{blng:.6f},{blat:.6f},{b_name}",
            "mode": "car",
            "coordinate": "gaode",
            "callnative": "1",
        }
    )


def _bd_place(wgs: tuple[float, float], name: str) -> str:
    lat, lng = to_bd(*wgs)
    return f"latlng:{lat:.6f},{lng:.6f}|name:{name}"


# 百度's URI API (web, 路线规划: https://lbsyun.baidu.com/index.php?title=uri/api/web)
# opens the 百度地图 app on phones, its mobile web page elsewhere. It requires an
# origin; "我的位置" is what 百度地图 calls the visitor's current position, so the
# link opens a route from where the visitor stands, as 高德's does.
MY_POSITION = "我的位置"


def _baidu_direction(origin: str, destination: str, region: str) -> str:
    params = {"origin": origin, "destination": destination, "mode": "driving"}
    if region:
        params["region"] = region
    params.update({"coord_type": "bd09ll", "output": "html", "src": BAIDU_SRC})
    return "https://api.map.baidu.com/direction?" + _q(params)


def baidu_nav(wgs: tuple[float, float], name: str, region: str = "") -> str:
    """百度 driving route from the visitor's position to the point (BD-09)."""
    return _baidu_direction(MY_POSITION, _bd_place(wgs, name), region)


def baidu_route(a: tuple[float, float], a_name: str, b: tuple[float, float], b_name: str, region: str = "") -> str:
    """百度 driving route between two points (an itinerary leg), BD-09."""
    return _baidu_direction(_bd_place(a, a_name), _bd_place(b, b_name), region)


def nav_links(wgs: tuple[float, float] | None, name: str, region: str = "") -> list[tuple[str, str]]:
    """高德 and 百度 navigation to the point; region: the county (helps 百度 place names)."""
    if not wgs:
        return []
    return list(_nav_links((wgs[0], wgs[1]), name, region))


@functools.lru_cache(maxsize=1 << 16)
def _nav_links(wgs: tuple[float, float], name: str, region: str) -> tuple[tuple[str, str], ...]:
    """nav_links, kept per point and name (the map page and each village page link the same)."""
    return (("高德导航", amap_nav(wgs, name)), ("百度导航", baidu_nav(wgs, name, region)))
