"""Charts as SVG, generated at build time: they print, need no JavaScript,
carry <title>/<desc>, and every text is escaped (built with svgdom, which
escapes by construction). Hand-written because the shapes are tiny and a
plotting library (matplotlib) would cost seconds per thousand pages."""

from __future__ import annotations

import datetime as dt
import math

from builder.kernel.render.svgdom import El, Node, el, points, render, svg_num, svg_root

_n = svg_num


def _head(w: float, h: float, title: str, desc: str, cls: str, uid: str, body: list[Node]) -> str:
    return render(svg_root(uid, w, h, title, desc, f"vp-svg {cls}", *body))


# --- radar ----------------------------------------------------------------------


def radar(
    uid: str,
    title: str,
    labels: list[str],
    ratios: list[float | None],
    desc: str,
    passes: list[float | None] | None = None,
    short: list[bool] | None = None,
) -> str:
    """One polygon of item ratios (0..1, clipped at 1.2 for 积分制) on n axes
    named by labels (short names); passes: the ratio from which each item
    passes (a dashed line, drawn when every item has one); short: items that
    fall short, drawn as a hollow square instead of a dot."""
    n = len(labels)
    w, h, cx, cy, r = 400, 300, 200, 150, 100
    out: list[Node] = []
    pts_axis = []
    for i in range(n):
        a = -math.pi / 2 + 2 * math.pi * i / n
        pts_axis.append((math.cos(a), math.sin(a)))
    for ring in (0.25, 0.5, 0.75, 1.0):
        pts = points((cx + r * ring * c, cy + r * ring * s) for c, s in pts_axis)
        out.append(el("polygon", {"class": "vp-radar-ring", "points": pts}))
    for i, (c, s) in enumerate(pts_axis):
        out.append(el("line", {"class": "vp-radar-axis", "x1": cx, "y1": cy, "x2": cx + r * c, "y2": cy + r * s}))
        lx, ly = cx + (r + 10) * c, cy + (r + 12) * s
        anchor = "middle" if abs(c) < 0.3 else ("start" if c > 0 else "end")
        out.append(el("text", {"class": "vp-radar-label", "x": lx, "y": ly + 4, "text-anchor": anchor}, labels[i]))
    if passes and len(passes) == n and all(p is not None for p in passes):
        pts = points((cx + r * (p or 0) * c, cy + r * (p or 0) * s) for p, (c, s) in zip(passes, pts_axis, strict=True))
        out.append(el("polygon", {"class": "vp-radar-pass", "points": pts}))
    vals = [min(1.2, max(0.0, x if x is not None else 0.0)) for x in ratios]
    pts = points((cx + r * v * c, cy + r * v * s) for v, (c, s) in zip(vals, pts_axis, strict=True))
    out.append(el("polygon", {"class": "vp-radar-value", "points": pts}))
    for i, (v, (c, s)) in enumerate(zip(vals, pts_axis, strict=True)):
        x, y = cx + r * v * c, cy + r * v * s
        if short and short[i]:
            out.append(el("rect", {"class": "vp-radar-short", "x": x - 4.5, "y": y - 4.5, "width": 9, "height": 9}))
        else:
            out.append(el("circle", {"class": "vp-radar-dot", "cx": x, "cy": y, "r": 3}))
    return _head(w, h, title, desc, "vp-radar", uid, out)


# --- trend over years -------------------------------------------------------------


def trend(
    uid: str,
    title: str,
    desc: str,
    years: list[int],
    series: list[tuple[str, list[float | None]]],
) -> str:
    """Lines of percentages over years (the axis from a multiple of 10 below
    the lowest value (at most 70), to 100; 积分制 above 100
    is drawn at the top), one per series (its label, one value per year, None where the
    year has none: the line breaks there). Each series has its own marker
    shape and colour (builder.kernel.render.svg PALETTE/SHAPES), so the lines
    are told apart without colour; the legend names them."""
    n = len(years)
    w, left, right, top = 400, 40, 16, 12
    plot_h = 160
    legend_y = top + plot_h + 34
    h = legend_y + 18 * len(series) + 4
    span = w - left - right

    def x_of(i: int) -> float:
        return left + (span / 2 if n == 1 else span * i / (n - 1))

    given = [v for _, vals in series for v in vals if v is not None]
    low = max(0, min(70, int(min(given) - 5) // 10 * 10)) if given else 0

    def y_of(p: float) -> float:
        return top + plot_h * (1 - (min(100.0, max(float(low), p)) - low) / (100 - low))

    out: list[Node] = []
    step = (100 - low) / 4
    for p in (round(low + k * step) for k in range(5)):
        y = y_of(p)
        out.append(el("line", {"class": "vp-trend-grid", "x1": left, "y1": y, "x2": w - right, "y2": y}))
        out.append(el("text", {"class": "vp-trend-axis", "x": left - 4, "y": y + 4, "text-anchor": "end"}, f"{p}%"))
    for i, year in enumerate(years):
        out.append(
            el(
                "text",
                {"class": "vp-trend-axis", "x": x_of(i), "y": top + plot_h + 16, "text-anchor": "middle"},
                str(year),
            )
        )
    for k, (label, values) in enumerate(series):
        colour, shape = PALETTE[k % len(PALETTE)], SHAPES[k % len(SHAPES)]
        run: list[tuple[float, float]] = []
        runs: list[list[tuple[float, float]]] = [run]
        for i, v in enumerate(values):
            if v is None:
                run = []
                runs.append(run)
            else:
                run.append((x_of(i), y_of(v)))
        for r in runs:
            if len(r) > 1:
                d = "M" + " L".join(f"{_n(x)} {_n(y)}" for x, y in r)
                out.append(el("path", {"class": "vp-trend-line", "d": d, "stroke": colour, "fill": "none"}))
            for x, y in r:
                out.append(marker_el(shape, x, y, 4, "vp-trend-dot", colour))
        ly = legend_y + 18 * k
        out.append(
            el("line", {"class": "vp-trend-line", "x1": left, "y1": ly, "x2": left + 24, "y2": ly, "stroke": colour})
        )
        out.append(marker_el(shape, left + 12, ly, 4, "vp-trend-dot", colour))
        out.append(el("text", {"class": "vp-trend-legend", "x": left + 32, "y": ly + 4}, label))
    return _head(w, h, title, desc, "vp-trend", uid, out)


# --- Gantt-like month timeline ----------------------------------------------------------


def _month_index(y: int, m: int) -> int:
    return y * 12 + (m - 1)


def gantt(
    uid: str,
    title: str,
    phases: list[tuple[str, dt.date, dt.date]],
    milestones: list[tuple[str, dt.date, bool, bool]],
    today: dt.date,
    desc: str,
) -> str:
    """phases: (name, start, end); milestones: (what, date, done, overdue)."""
    dates = [d for _, a, b in phases for d in (a, b)] + [d for _, d, _, _ in milestones]
    if not dates:
        return ""
    first = min(dates)
    last = max(dates)
    m0 = _month_index(first.year, first.month)
    m1 = _month_index(last.year, last.month)
    months = m1 - m0 + 1
    label_w, col_w, row_h, top = 150, 46, 24, 34
    rows = len(phases) + len(milestones)
    w = label_w + months * col_w + 10
    h = top + rows * row_h + 26

    def x_of(d: dt.date) -> float:
        mi = _month_index(d.year, d.month) - m0
        days = (dt.date(d.year + (d.month == 12), d.month % 12 + 1, 1) - dt.date(d.year, d.month, 1)).days
        return label_w + (mi + (d.day - 1) / days) * col_w

    out: list[Node] = []
    for i in range(months):
        y, m = divmod(m0 + i, 12)
        x = label_w + i * col_w
        out.append(
            el(
                "rect",
                {
                    "class": "vp-gantt-col" + (" vp-alt" if i % 2 else ""),
                    "x": x,
                    "y": top - 6,
                    "width": col_w,
                    "height": rows * row_h + 8,
                },
            )
        )
        lab = f"{m + 1}月" if (i and m != 0) else f"{y}年{m + 1}月"
        out.append(
            el(
                "text",
                {"class": "vp-gantt-month", "x": x + col_w // 2, "y": top - 12, "text-anchor": "middle"},
                lab if len(lab) < 6 else f"{m + 1}月",
            )
        )
    years = f"{first.year}{'–' + str(last.year) if last.year != first.year else ''} 年"
    out.append(el("text", {"class": "vp-gantt-year", "x": 4, "y": 14}, years))
    row = 0
    for name, a, b in phases:
        y = top + row * row_h
        x1, x2 = x_of(a), x_of(b)
        out.append(el("text", {"class": "vp-gantt-label", "x": 4, "y": y + 15}, _clip(name)))
        out.append(
            el(
                "rect",
                {
                    "class": "vp-gantt-phase",
                    "x": x1,
                    "y": y + 4,
                    "width": max(3, x2 - x1),
                    "height": row_h - 8,
                    "rx": 3,
                },
            )
        )
        row += 1
    for what, d, done, overdue in milestones:
        y = top + row * row_h
        mx = x_of(d)
        cls = "vp-done" if done else ("vp-overdue" if overdue else "vp-open")
        mark = "✓" if done else ("逾期" if overdue else "")
        out.append(el("text", {"class": "vp-gantt-label", "x": 4, "y": y + 15}, _clip(what)))
        out.append(el("path", {"class": f"vp-gantt-ms {cls}", "d": f"M{_n(mx)} {y + 4}l8 8-8 8-8-8z"}))
        if mark:
            out.append(el("text", {"class": f"vp-gantt-mark {cls}", "x": mx + 11, "y": y + 16}, mark))
        row += 1
    if first <= today <= dt.date(last.year + (last.month == 12), last.month % 12 + 1, 1):
        tx = x_of(today)
        out.append(
            el("line", {"class": "vp-gantt-today", "x1": tx, "y1": top - 6, "x2": tx, "y2": top + rows * row_h + 2})
        )
        out.append(
            el(
                "text",
                {"class": "vp-gantt-today-label", "x": tx, "y": top + rows * row_h + 16, "text-anchor": "middle"},
                f"更新日 {today.isoformat()}",
            )
        )
    return _head(w, h, title, desc, "vp-gantt", uid, out)


def _clip(s: str, n: int = 11) -> str:
    return s if len(s) <= n else s[: n - 1] + "…"


# --- maps -------------------------------------------------------------------------------


class Projection:
    """Equirectangular projection of a WGS-84 bounding box into a w×h box
    (longitudes scaled by cos(mid-latitude) so distances look right)."""

    def __init__(self, points: list[tuple[float, float]], width: float = 800, pad: float = 30):
        lats = [p[0] for p in points] or [35.0]
        lngs = [p[1] for p in points] or [105.0]
        self.lat0, self.lat1 = min(lats), max(lats)
        self.lng0, self.lng1 = min(lngs), max(lngs)
        if self.lat1 - self.lat0 < 0.02:
            self.lat0 -= 0.01
            self.lat1 += 0.01
        if self.lng1 - self.lng0 < 0.02:
            self.lng0 -= 0.01
            self.lng1 += 0.01
        self.k = math.cos(math.radians((self.lat0 + self.lat1) / 2))
        span_x = (self.lng1 - self.lng0) * self.k
        span_y = self.lat1 - self.lat0
        self.pad = pad
        self.scale = (width - 2 * pad) / span_x
        if span_y * self.scale > 1.2 * width:  # tall counties: keep height bounded
            self.scale = 1.2 * width / span_y
        self.width = span_x * self.scale + 2 * pad
        self.height = span_y * self.scale + 2 * pad

    def xy(self, lat: float, lng: float) -> tuple[float, float]:
        return (self.pad + (lng - self.lng0) * self.k * self.scale, self.pad + (self.lat1 - lat) * self.scale)


PALETTE = ["#1b5e20", "#b71c1c", "#0d47a1", "#e65100", "#4a148c", "#006064", "#827717", "#3e2723"]
SHAPES = ["circle", "square", "triangle", "diamond", "pentagon", "cross", "star", "hex"]


def marker_el(shape: str, x: float, y: float, r: float, cls: str, fill: str, **extra: str) -> El:
    """A marker whose shape (not only its colour) tells the category; extra:
    more attributes (stroke, stroke-width …; '_' in a name becomes '-')."""
    more = {k.replace("_", "-"): v for k, v in extra.items()}
    if shape == "circle":
        return el("circle", {"class": cls, "cx": x, "cy": y, "r": r, "fill": fill, **more})
    if shape == "square":
        return el("rect", {"class": cls, "x": x - r, "y": y - r, "width": 2 * r, "height": 2 * r, "fill": fill, **more})
    sides = {"triangle": 3, "diamond": 4, "pentagon": 5, "hex": 6, "cross": 4, "star": 5}[shape]
    rot = {"diamond": 0.0}.get(shape, -math.pi / 2)
    pts = []
    if shape == "star":
        for i in range(10):
            rr = r * 1.3 if i % 2 == 0 else r * 0.55
            a = rot + math.pi * i / 5
            pts.append((x + rr * math.cos(a), y + rr * math.sin(a)))
    elif shape == "cross":
        d, t = r * 1.1, r * 0.38
        pts = [
            (x - t, y - d),
            (x + t, y - d),
            (x + t, y - t),
            (x + d, y - t),
            (x + d, y + t),
            (x + t, y + t),
            (x + t, y + d),
            (x - t, y + d),
            (x - t, y + t),
            (x - d, y + t),
            (x - d, y - t),
            (x - t, y - t),
        ]
    else:
        for i in range(sides):
            a = rot + 2 * math.pi * i / sides
            pts.append((x + r * 1.2 * math.cos(a), y + r * 1.2 * math.sin(a)))
    return el("polygon", {"class": cls, "points": points(pts), "fill": fill, **more})


def marker(shape: str, x: float, y: float, r: float, cls: str, fill: str) -> str:
    """marker_el as SVG text (one self-closed element)."""
    return render(marker_el(shape, x, y, r, cls, fill))
