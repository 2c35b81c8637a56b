"""The route map of a tour as an inline SVG drawn from the coordinates: no
tiles, no outside requests, prints as vectors. An equirectangular projection
(longitude scaled by cos(latitude)) is exact enough for a county (< 100 km).
Built with the kernel's svgdom, so every text is escaped."""

from __future__ import annotations

import math
from collections.abc import Callable

from builder.kernel.render.svgdom import Node, Raw, el, num, render, svg_root


def _nice_km(span_km: float) -> float:
    target = span_km / 4
    for v in (0.5, 1, 2, 5, 10, 20, 50, 100):
        if v >= target:
            return v
    return 200


def _overlap(a, b) -> float:
    w = min(a[2], b[2]) - max(a[0], b[0])
    h = min(a[3], b[3]) - max(a[1], b[1])
    return w * h if w > 0 and h > 0 else 0.0


def _place_label(x, y, name, width, height, boxes, marks):
    """Put a name beside its marker where it overlaps the fewest other names
    and markers (right/left × above/below/level), inside the picture."""
    w = 12.5 * len(name) + 4
    best = None
    for dx, dy, anchor in (
        (14, -8, "start"),
        (-14, -8, "end"),
        (14, 18, "start"),
        (-14, 18, "end"),
        (14, 5, "start"),
        (-14, 5, "end"),
    ):
        lx, ly = x + dx, y + dy
        x0 = lx if anchor == "start" else lx - w
        box = (x0, ly - 12, x0 + w, ly + 3)
        cost = sum(_overlap(box, b) for b in boxes)
        cost += sum(_overlap(box, (mx - 11, my - 11, mx + 11, my + 11)) for mx, my in marks)
        if box[0] < 0 or box[2] > width or box[1] < 0 or box[3] > height:
            cost += 1e6
        if best is None or cost < best[0]:
            best = (cost, lx, ly, anchor, box)
    assert best is not None  # there are always candidate places
    boxes.append(best[4])
    return best[1], best[2], best[3]


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

    def xy(i):
        return ox + (xs[i] - min(xs)) * scale, height - (oy + (ys[i] - min(ys)) * scale)

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
    # legs
    for i in range(1, len(points)):
        x1, y1 = xy(i - 1)
        x2, y2 = xy(i)
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
    # points (start/end drawn once when they coincide)
    drawn = set()
    boxes: list[tuple[float, float, float, float]] = []
    marks = [xy(i) for i in range(len(points))]
    for i, p in enumerate(points):
        x, y = xy(i)
        key = (round(x), round(y), p["kind"] in ("start", "end"))
        if key in drawn:
            continue
        drawn.add(key)
        if p["kind"] in ("start", "end"):
            out.append(
                el("rect", {"class": "tour-map-base", "x": x - 10, "y": y - 10, "width": 20, "height": 20, "rx": 3})
            )
        elif p["kind"] == "lunch":
            out.append(el("circle", {"class": "tour-map-lunch", "cx": x, "cy": y, "r": 10}))
        else:
            out.append(el("circle", {"class": "tour-map-stop", "cx": x, "cy": y, "r": 10}))
        out.append(el("text", {"class": "tour-map-num", "x": x, "y": y + 4, "text-anchor": "middle"}, str(p["label"])))
        lx, ly, anchor = _place_label(x, y, p["name"], width, height, boxes, marks)
        out.append(el("text", {"class": "tour-map-name", "x": lx, "y": ly, "text-anchor": anchor}, str(p["name"])))
    # scale bar and north arrow
    span_km = span_x * 111.32  # x is longitude × cos(lat): 1 unit ≈ 111.32 km
    bar_km = _nice_km(max(span_km, 0.5))
    bar_px = bar_km / 111.32 * scale
    y0 = height - 14
    out.append(el("line", {"class": "tour-map-scale", "x1": 12, "y1": y0, "x2": 12 + bar_px, "y2": y0}))
    out.append(el("text", {"class": "tour-map-scaletext", "x": 16 + bar_px, "y": y0 + 4}, f"{num(bar_km)} 公里"))
    out.append(
        el(
            "g",
            {"class": "tour-map-north", "transform": f"translate({width - 22},26)"},
            el("path", {"d": "M0 -14L6 6L0 2L-6 6z"}),
            el("text", {"x": 0, "y": 18, "text-anchor": "middle"}, "北"),
        )
    )
    return render(svg_root(uid, width, height, title, "路线图：按顺序经过 " + names, "tour-map-svg", *out))
