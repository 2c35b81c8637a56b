"""The SVG maps: the county map (print and no-JS twin of the Leaflet map)
and the village locator. Both draw the county's own layers, place labels with
a collision check (builder/map/labels.py) and carry a scale bar; every text
is escaped (kernel svgdom). Shapes are simplified to the drawing's resolution, so a detailed
county outline costs a page a few hundred bytes, not megabytes."""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from typing import Protocol

from builder.kernel.render.labels import Label
from builder.kernel.render.svgdom import El, Node, Value, el, render, svg_num
from builder.map.geometry import simplify
from builder.map.layers import Layer, MapData

MARKER_R = {"county": 6.0, "locator": 5.0}


_n = svg_num


class Projection(Protocol):
    """What drawing a layer needs: (lat, lng) to SVG user units."""

    def xy(self, lat: float, lng: float) -> tuple[float, float]: ...


class Frame:
    """A projection fitted to a WGS-84 box (lat0, lng0, lat1, lng1) inside w×h
    user units, keeping distances true (longitudes scaled by cos(latitude))."""

    def __init__(self, box: tuple[float, float, float, float], w: float, h: float | None = None, pad: float = 16):
        lat0, lng0, lat1, lng1 = box
        self.k = math.cos(math.radians((lat0 + lat1) / 2))
        span_x = max((lng1 - lng0) * self.k, 1e-4)
        span_y = max(lat1 - lat0, 1e-4)
        if h is None:
            self.scale = (w - 2 * pad) / span_x
            h = span_y * self.scale + 2 * pad
        else:
            self.scale = min((w - 2 * pad) / span_x, (h - 2 * pad) / span_y)
        self.w, self.h = w, h
        # centre the box
        self.cx, self.cy = (lng0 + lng1) / 2, (lat0 + lat1) / 2

    def xy(self, lat: float, lng: float) -> tuple[float, float]:
        return (self.w / 2 + (lng - self.cx) * self.k * self.scale, self.h / 2 - (lat - self.cy) * self.scale)

    def km_per_unit(self) -> float:
        return 111.195 / self.scale


def bbox(points) -> tuple[float, float, float, float] | None:
    pts = list(points)
    if not pts:
        return None
    lats = [p[0] for p in pts]
    lngs = [p[1] for p in pts]
    return (min(lats), min(lngs), max(lats), max(lngs))


def grow(box, frac: float, min_span: float = 0.02):
    lat0, lng0, lat1, lng1 = box
    dl = max(lat1 - lat0, min_span) * frac + max(0.0, min_span - (lat1 - lat0)) / 2
    dg = max(lng1 - lng0, min_span) * frac + max(0.0, min_span - (lng1 - lng0)) / 2
    return (lat0 - dl, lng0 - dg, lat1 + dl, lng1 + dg)


def _path(fr: Projection, lines, closed: bool, tol: float = 0.6) -> str:
    out = []
    for ln in lines:
        pts = simplify([fr.xy(*p) for p in ln], tol)
        if len(pts) < 2:
            continue
        out.append("M" + " ".join(f"{_n(x)} {_n(y)}" for x, y in pts) + ("Z" if closed else ""))
    return "".join(out)


def layer_svg(fr: Projection, layer: Layer, cls: str, highlight: str | None = None) -> str:
    """One county layer as SVG paths; towns: the highlighted one drawn apart."""
    return render(*layer_els(fr, layer, cls, highlight))


def layer_els(fr: Projection, layer: Layer, cls: str, highlight: str | None = None) -> list[El]:
    st = layer.model.style
    kind = layer.model.kind
    area = [r for f in layer.features for poly in f.rings() for r in poly]
    lines = [ln for f in layer.features if not f.rings() for ln in f.lines() if len(ln) > 1]
    dash = {"stroke-dasharray": "5 3"} if st.dash else {}
    width = f"{st.width:g}"
    out: list[El] = []

    def styled(kind_cls: str, d: str, paint: Mapping[str, Value], ends: Mapping[str, Value] | None = None) -> None:
        """One path of the layer in its own style (stroke, width, line ends, dash)."""
        if d:
            attrs = {"class": f"{cls} vp-m-{kind_cls}", "d": d, **paint, "stroke": st.color, "stroke-width": width}
            out.append(el("path", {**attrs, **(ends or {}), **dash}))

    if area:
        fill: dict[str, Value] = (
            {"fill": st.fill, "fill-opacity": f"{st.fill_opacity:g}"} if st.fill else {"fill": "none"}
        )
        if highlight is not None and kind == "towns":
            own = [
                r
                for f in layer.features
                if str(f.props.get(layer.model.label, "")) == highlight
                for poly in f.rings()
                for r in poly
            ]
            rest = [
                r
                for f in layer.features
                if str(f.props.get(layer.model.label, "")) != highlight
                for poly in f.rings()
                for r in poly
            ]
            styled("towns", _path(fr, rest, True), fill)
            d = _path(fr, own, True)
            if d:
                out.append(
                    el(
                        "path",
                        {
                            "class": f"{cls} vp-m-own-town",
                            "d": d,
                            "fill": "#fff3e0",
                            "fill-opacity": "0.85",
                            "stroke": "#c62828",
                            "stroke-width": "2",
                        },
                    )
                )
        else:
            styled(kind, _path(fr, area, True), fill)
    round_ = {"stroke-linecap": "round", "stroke-linejoin": "round"}
    if lines:
        if kind == "roads":
            main = set(layer.model.main_roads)
            groups: dict[bool, list] = {True: [], False: []}
            for f in layer.features:
                if f.rings():
                    continue
                is_main = not main or str(f.props.get(layer.model.road_class, "")) in main
                groups[is_main] += [ln for ln in f.lines() if len(ln) > 1]
            for is_main, lns in groups.items():
                d = _path(fr, lns, False)
                if d:
                    w = st.width if is_main else st.width * 0.55
                    road = {"class": f"{cls} vp-m-roads", "d": d, "fill": "none"}
                    out.append(el("path", {**road, "stroke": "#fff", "stroke-width": f"{w + 2:g}", **round_}))
                    out.append(el("path", {**road, "stroke": st.color, "stroke-width": f"{w:g}", **round_, **dash}))
        else:
            styled(kind, _path(fr, lines, False), {"fill": "none"}, round_)
    return out


def scale_bar(fr: Frame, x: float, y: float, max_units: float = 120) -> str:
    """A 1-2-5 scale bar no longer than max_units."""
    kmpu = fr.km_per_unit()
    target = max_units * kmpu
    step = 10 ** math.floor(math.log10(target))
    km = max(m * step for m in (1, 2, 5) if m * step <= target) if target >= step else step
    length = km / kmpu
    label = f"{km:g} 公里" if km >= 1 else f"{km * 1000:g} 米"
    return render(
        el(
            "g",
            {"class": "vp-m-scale", "aria-hidden": "true"},
            el(
                "rect",
                {"x": x - 4, "y": y - 16, "width": length + 8, "height": 24, "fill": "#fff", "fill-opacity": "0.8"},
            ),
            el(
                "path",
                {
                    "d": f"M{_n(x)} {_n(y - 4)}V{_n(y)}H{_n(x + length)}V{_n(y - 4)}",
                    "fill": "none",
                    "stroke": "#333",
                    "stroke-width": "1.5",
                },
            ),
            el(
                "text",
                {"x": x + length / 2, "y": y - 6, "text-anchor": "middle", "class": "vp-m-scale-text"},
                label,
            ),
        )
    )


def north_arrow(x: float, y: float) -> str:
    return render(
        el(
            "g",
            {"class": "vp-m-north", "aria-hidden": "true"},
            el("path", {"d": f"M{_n(x)} {_n(y - 14)}l6 16-6-4-6 4z", "fill": "#333"}),
            el("text", {"x": x, "y": y + 14, "text-anchor": "middle", "class": "vp-m-scale-text"}, "北"),
        )
    )


def marker_box(x: float, y: float, r: float) -> tuple[float, float, float, float]:
    return (x - r * 1.3, y - r * 1.3, x + r * 1.3, y + r * 1.3)


def labels_svg(placed: list[Label]) -> str:
    return render(
        *(
            el("text", {"class": f"vp-m-label {lb.cls}", "x": lb.tx, "y": lb.ty, "font-size": lb.size}, lb.text)
            for lb in placed
        )
    )


class _Projected:
    """A bare projection function as a Projection."""

    def __init__(self, project: Callable[[float, float], tuple[float, float]]) -> None:
        self._project = project

    def xy(self, lat: float, lng: float) -> tuple[float, float]:
        return self._project(lat, lng)


def county_layers(content):
    """For other SVG maps (the tour route maps): fn(project) -> the county's
    layers drawn with that projection, or None when there are none."""
    data = content.find(MapData)
    if not data or not data.layers:
        return None

    def draw(project) -> str:
        fr = _Projected(project)
        drawn: list[Node] = [e for ly in data.layers for e in layer_els(fr, ly, "vp-m-layer")]
        return render(el("g", {"class": "vp-m-underlay"}, *(drawn or [""])))

    return draw
