"""The route map of a tour as an inline SVG drawn from the coordinates: no
tiles, no outside requests, prints as vectors. An equirectangular projection
(longitude scaled by cos(latitude)) is exact enough for a county (< 100 km).
Built with the kernel's svgdom, so every text is escaped."""

from __future__ import annotations

import math
from collections.abc import Callable

from builder.kernel.render.labels import Box, Label, place, text_width
from builder.kernel.render.svgdom import Node, Raw, Value, el, render, svg_num, svg_root


def _nice_km(span_km: float) -> float:
    target = span_km / 4
    for v in (0.5, 1, 2, 5, 10, 20, 50, 100):
        if v >= target:
            return v
    return 200


ACCENT = "#b71c1c"  # the route's colour (tours.css)
NAME_SIZE = 12.0  # .tour-map-name { font-size: 12px } (docs/assets/stylesheets/tours.css)
MARK_R = 11.0  # half the size of a marker, its stroke included (circle r=10, square 20×20)
NAME_GAP = MARK_R + 2  # from the marker centre to its name


def marker_box(x: float, y: float) -> Box:
    return (x - MARK_R, y - MARK_R, x + MARK_R, y + MARK_R)


def declutter(pts: list[tuple[float, float]], width: float, height: float) -> list[tuple[float, float]]:
    """Markers moved apart until none covers another (so every number can be
    read): overlapping pairs are pushed apart along the line between them
    (coinciding ones fan out at the golden angle), inside the picture and above
    the scale bar. Deterministic; markers already apart do not move."""
    gap = 2 * MARK_R + 1
    q = [[x, y] for x, y in pts]
    lo, hi_x, hi_y = MARK_R + 2, width - MARK_R - 2, height - 30
    for _ in range(400):
        moved = False
        for i in range(len(q)):
            for j in range(i + 1, len(q)):
                dx, dy = q[j][0] - q[i][0], q[j][1] - q[i][1]
                d = math.hypot(dx, dy)
                if d >= gap:
                    continue
                if d < 1e-6:
                    a = 2.399963 * j
                    dx, dy, d = math.cos(a), math.sin(a), 1.0
                push = (gap - d) / 2 + 0.05
                ux, uy = dx / d * push, dy / d * push
                q[i][0] -= ux
                q[i][1] -= uy
                q[j][0] += ux
                q[j][1] += uy
                moved = True
        for c in q:
            c[0] = min(max(c[0], lo), hi_x)
            c[1] = min(max(c[1], lo), hi_y)
        if not moved:
            break
    return [(x, y) for x, y in q]


def route_svg(
    points: list[dict],
    uid: str,
    title: str,
    width: int = 640,
    height: int = 400,
    underlay: Callable[[Callable[[float, float], tuple[float, float]]], str] | None = None,
) -> str:
    """points: in route order, dicts with lat, lng, label (number or '起'/'终'/'餐'),
    name, kind (start/stop/lunch/end). Legs are drawn between consecutive points.
    underlay: optional fn(project) -> SVG drawn under the route, where
    project(lat, lng) -> (x, y) (the county's own map layers, builder/map)."""
    if not points:
        return ""
    lat0 = sum(p["lat"] for p in points) / len(points)
    k = math.cos(math.radians(lat0))
    xs = [p["lng"] * k for p in points]
    ys = [p["lat"] for p in points]
    pad = 46
    span_x = max(max(xs) - min(xs), 1e-4)
    span_y = max(max(ys) - min(ys), 1e-4)
    scale = min((width - 2 * pad) / span_x, (height - 2 * pad) / span_y)
    ox = (width - scale * span_x) / 2
    oy = (height - scale * span_y) / 2

    def xy(i: int) -> tuple[float, float]:
        return ox + (xs[i] - min(xs)) * scale, height - (oy + (ys[i] - min(ys)) * scale)

    # One marker per point, but start and end share one where they coincide.
    where: list[tuple[float, float]] = []  # true place of each marker
    first: list[int] = []  # the point each marker is drawn for
    mark_of: list[int] = []  # point -> its marker
    bases: dict[tuple[int, int], int] = {}
    for i, p in enumerate(points):
        x, y = xy(i)
        if p["kind"] in ("start", "end"):
            key = (round(x), round(y))
            if key in bases:
                mark_of.append(bases[key])
                continue
            bases[key] = len(where)
        mark_of.append(len(where))
        where.append((x, y))
        first.append(i)
    at = declutter(where, width, height)

    names = "、".join(p["name"] for p in points if p["kind"] == "stop")
    out: list[Node] = [
        el(
            "defs",
            {},
            el(
                "marker",
                {
                    "id": f"{uid}-arrow",
                    "viewBox": "0 0 10 10",
                    "refX": 8,
                    "refY": 5,
                    "markerWidth": 6,
                    "markerHeight": 6,
                    "orient": "auto-start-reverse",
                },
                el("path", {"d": "M0 0L10 5L0 10z", "class": "tour-map-arrowhead"}),
            ),
        ),
        el("rect", {"class": "tour-map-bg", "x": 0, "y": 0, "width": width, "height": height}),
    ]
    if underlay is not None:
        # already-built SVG of the county's layers (builder/map/svgmap.py)
        out.append(
            Raw(underlay(lambda la, ln: (ox + (ln * k - min(xs)) * scale, height - (oy + (la - min(ys)) * scale))))
        )
    # markers moved off their place: a dot at the place and a thin line to the marker
    for (x, y), (mx, my) in zip(where, at, strict=True):
        if math.hypot(mx - x, my - y) >= 1:
            line: dict[str, Value] = {"x1": x, "y1": y, "x2": mx, "y2": my, "stroke": ACCENT, "stroke-width": 1}
            out.append(el("line", {"class": "tour-map-leader", **line}))
            out.append(el("circle", {"class": "tour-map-place", "cx": x, "cy": y, "r": 2.5, "fill": ACCENT}))
    # legs, between the markers as drawn
    for i in range(1, len(points)):
        x1, y1 = at[mark_of[i - 1]]
        x2, y2 = at[mark_of[i]]
        d = math.hypot(x2 - x1, y2 - y1)
        if d < 1:
            continue
        # stop short of the marker circles so the arrow stays visible
        r = 11
        sx, sy = x1 + (x2 - x1) * r / d, y1 + (y2 - y1) * r / d
        ex, ey = x2 - (x2 - x1) * (r + 2) / d, y2 - (y2 - y1) * (r + 2) / d
        out.append(
            el(
                "line",
                {"class": "tour-map-leg", "x1": sx, "y1": sy, "x2": ex, "y2": ey, "marker-end": f"url(#{uid}-arrow)"},
            )
        )
    # scale bar and north arrow
    span_km = span_x * 111.32  # x is longitude × cos(lat): 1 unit ≈ 111.32 km
    bar_km = _nice_km(max(span_km, 0.5))
    bar_px = bar_km / 111.32 * scale
    y0 = height - 14
    bar_text = f"{svg_num(bar_km)} 公里"
    furniture: list[Node] = [
        el("line", {"class": "tour-map-scale", "x1": 12, "y1": y0, "x2": 12 + bar_px, "y2": y0}),
        el("text", {"class": "tour-map-scaletext", "x": 16 + bar_px, "y": y0 + 4}, bar_text),
        el(
            "g",
            {"class": "tour-map-north", "transform": f"translate({width - 22},26)"},
            el("path", {"d": "M0 -14L6 6L0 2L-6 6z"}),
            el("text", {"x": 0, "y": 18, "text-anchor": "middle"}, "北"),
        ),
    ]
    # names never cover the scale bar or the north arrow
    obstacles: list[Box] = [
        (8, y0 - 12, 18 + bar_px + text_width(bar_text, 11), height),
        (width - 32, 8, width - 12, 50),
    ]
    # every marker with its number (stops: 1, 2 …; 起/终/餐)
    labels: list[tuple[int, int, Label]] = []
    for m, ((x, y), i) in enumerate(zip(at, first, strict=True)):
        p = points[i]
        if p["kind"] in ("start", "end"):
            out.append(
                el("rect", {"class": "tour-map-base", "x": x - 10, "y": y - 10, "width": 20, "height": 20, "rx": 3})
            )
        elif p["kind"] == "lunch":
            out.append(el("circle", {"class": "tour-map-lunch", "cx": x, "cy": y, "r": 10}))
        else:
            out.append(el("circle", {"class": "tour-map-stop", "cx": x, "cy": y, "r": 10}))
        out.append(el("text", {"class": "tour-map-num", "x": x, "y": y + 4, "text-anchor": "middle"}, str(p["label"])))
        obstacles.append(marker_box(x, y))
        # the stops' names first, in route order; then start, lunch, end
        labels.append((0 if p["kind"] == "stop" else 1, m, Label(str(p["name"]), x, y, NAME_SIZE, NAME_GAP)))
    # Names with a collision check: none covers another, a marker, the scale
    # bar or the north arrow, or leaves the picture; a name with no free place
    # is left out (the stop keeps its number here and its row in the itinerary).
    placed = place([lb for _, _, lb in sorted(labels, key=lambda t: t[:2])], width, height, obstacles)
    for lb in placed:
        out.append(el("text", {"class": "tour-map-name", "x": lb.tx, "y": lb.ty}, lb.text))
    out += furniture
    return render(svg_root(uid, width, height, title, "路线图：按顺序经过 " + names, "tour-map-svg", *out))
