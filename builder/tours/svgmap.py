"""The route map of a tour as an inline SVG drawn from the coordinates: no
tiles, no outside requests, prints as vectors. An equirectangular projection
(longitude scaled by cos(latitude)) is exact enough for a county (< 100 km).
Every text is escaped."""

from __future__ import annotations

import math
from collections.abc import Callable
from html import escape


def _e(s) -> str:
    return escape(str(s), quote=True)


def _f(x: float) -> str:
    return f"{x:.1f}".rstrip("0").rstrip(".")


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
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="tour-map-svg" viewBox="0 0 {width} {height}" '
        f'role="img" aria-labelledby="{uid}-t {uid}-d">',
        f'<title id="{uid}-t">{_e(title)}</title>',
        f'<desc id="{uid}-d">{_e("路线图：按顺序经过 " + names)}</desc>',
        '<defs><marker id="' + uid + '-arrow" viewBox="0 0 10 10" refX="8" refY="5" markerWidth="6" '
        'markerHeight="6" orient="auto-start-reverse"><path d="M0 0L10 5L0 10z" class="tour-map-arrowhead"/>'
        "</marker></defs>",
        f'<rect class="tour-map-bg" x="0" y="0" width="{width}" height="{height}"/>',
    ]
    if underlay is not None:
        out.append(underlay(lambda la, ln: (ox + (ln * k - min(xs)) * scale, height - (oy + (la - min(ys)) * scale))))
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
            f'<line class="tour-map-leg" x1="{_f(sx)}" y1="{_f(sy)}" x2="{_f(ex)}" y2="{_f(ey)}" '
            f'marker-end="url(#{uid}-arrow)"/>'
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
        label = p["label"]
        if p["kind"] in ("start", "end"):
            out.append(f'<rect class="tour-map-base" x="{_f(x - 10)}" y="{_f(y - 10)}" width="20" height="20" rx="3"/>')
        elif p["kind"] == "lunch":
            out.append(f'<circle class="tour-map-lunch" cx="{_f(x)}" cy="{_f(y)}" r="10"/>')
        else:
            out.append(f'<circle class="tour-map-stop" cx="{_f(x)}" cy="{_f(y)}" r="10"/>')
        out.append(f'<text class="tour-map-num" x="{_f(x)}" y="{_f(y + 4)}" text-anchor="middle">{_e(label)}</text>')
        lx, ly, anchor = _place_label(x, y, p["name"], width, height, boxes, marks)
        out.append(
            f'<text class="tour-map-name" x="{_f(lx)}" y="{_f(ly)}" text-anchor="{anchor}">{_e(p["name"])}</text>'
        )
    # scale bar and north arrow
    span_km = span_x * 111.32  # x is longitude × cos(lat): 1 unit ≈ 111.32 km
    bar_km = _nice_km(max(span_km, 0.5))
    bar_px = bar_km / 111.32 * scale
    y0 = height - 14
    out.append(f'<line class="tour-map-scale" x1="12" y1="{y0}" x2="{_f(12 + bar_px)}" y2="{y0}"/>')
    out.append(f'<text class="tour-map-scaletext" x="{_f(16 + bar_px)}" y="{y0 + 4}">{_f(bar_km)} 公里</text>')
    out.append(
        f'<g class="tour-map-north" transform="translate({width - 22},26)">'
        '<path d="M0 -14L6 6L0 2L-6 6z"/><text x="0" y="18" text-anchor="middle">北</text></g>'
    )
    out.append("</svg>")
    return "".join(out)
