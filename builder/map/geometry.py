"""Small planar geometry on WGS-84 data at county scale: distance from a point
to a polyline (科学选点), line length, Douglas–Peucker simplification.

Written by hand: shapely/pyproj would be a large compiled dependency for three
functions, and these run on at most a few thousand points per village."""

from __future__ import annotations

import itertools
import math

from builder.kernel.geo import haversine_km

R_KM = 6371.0088


def _local_xy(lat0: float, lng0: float):
    k = math.cos(math.radians(lat0))
    f = math.pi / 180 * R_KM

    def xy(lat: float, lng: float) -> tuple[float, float]:
        return ((lng - lng0) * k * f, (lat - lat0) * f)

    return xy


def nearest_on_lines(
    p: tuple[float, float], lines: list[list[tuple[float, float]]]
) -> tuple[float, tuple[float, float]] | None:
    """(distance in km along the ground, nearest point) from p (lat, lng) to the
    nearest point of any polyline [(lat, lng), …]. The nearest point is found in
    a local equirectangular plane centred on p (exact enough within a county:
    < 0.1 % at 50 km), and its distance measured by the great circle."""
    xy = _local_xy(*p)
    best = None
    for line in lines:
        prev = None
        for q in line:
            cur = (xy(*q), q)
            if prev is None:
                cand = cur
            else:
                (ax, ay), a = prev
                (bx, by), b = cur
                dx, dy = bx - ax, by - ay
                L2 = dx * dx + dy * dy
                t = 0.0 if L2 == 0 else max(0.0, min(1.0, -(ax * dx + ay * dy) / L2))
                cand = ((ax + t * dx, ay + t * dy), (a[0] + t * (b[0] - a[0]), a[1] + t * (b[1] - a[1])))
            d2 = cand[0][0] ** 2 + cand[0][1] ** 2
            if best is None or d2 < best[0]:
                best = (d2, cand[1])
            prev = cur
    if best is None:
        return None
    return haversine_km(p, best[1]), best[1]


def path_km(points: list[tuple[float, float]]) -> float:
    return sum(haversine_km(a, b) for a, b in itertools.pairwise(points))


def simplify(points: list[tuple[float, float]], tol: float) -> list[tuple[float, float]]:
    """Douglas–Peucker on planar (x, y) points; keeps the ends."""
    if len(points) < 3:
        return list(points)
    keep = [False] * len(points)
    keep[0] = keep[-1] = True
    stack = [(0, len(points) - 1)]
    while stack:
        i, j = stack.pop()
        (ax, ay), (bx, by) = points[i], points[j]
        dx, dy = bx - ax, by - ay
        L = math.hypot(dx, dy)
        worst, at = -1.0, -1
        for k in range(i + 1, j):
            px, py = points[k]
            d = abs(dy * (px - ax) - dx * (py - ay)) / L if L else math.hypot(px - ax, py - ay)
            if d > worst:
                worst, at = d, k
        if worst > tol:
            keep[at] = True
            stack += [(i, at), (at, j)]
    return [p for p, k in zip(points, keep, strict=False) if k]


def inside(pt: tuple[float, float], ring: list[tuple[float, float]]) -> bool:
    """Even–odd rule: is pt (lat, lng) inside the ring?"""
    y, x = pt
    hit = False
    for (y1, x1), (y2, x2) in zip(ring, ring[1:] + ring[:1], strict=False):
        if (y1 > y) != (y2 > y) and x < x1 + (y - y1) * (x2 - x1) / (y2 - y1):
            hit = not hit
    return hit


def label_point(ring: list[tuple[float, float]], avoid: list[tuple[float, float]], n: int = 16) -> tuple[float, float]:
    """A point inside an area, for its name: on an n×n grid over the area, the
    inside point farthest from the points to avoid (the villages) and from the
    edge. A grid search, not polylabel: areas are a handful per county."""
    lats = [p[0] for p in ring]
    lngs = [p[1] for p in ring]
    k = math.cos(math.radians(sum(lats) / len(lats)))
    best, at = -1.0, (sum(lats) / len(lats), sum(lngs) / len(lngs))
    edges = list(zip(ring, ring[1:] + ring[:1], strict=False))
    for i in range(1, n):
        for j in range(1, n):
            q = (min(lats) + (max(lats) - min(lats)) * i / n, min(lngs) + (max(lngs) - min(lngs)) * j / n)
            if not inside(q, ring):
                continue
            d_pts = min((math.hypot(q[0] - a, (q[1] - b) * k) for a, b in avoid), default=1.0)
            d_edge = min(_seg_dist(q, a, b, k) for a, b in edges)
            score = min(d_pts, d_edge * 1.5)
            if score > best:
                best, at = score, q
    return at


def _seg_dist(q, a, b, k) -> float:
    ax, ay = (a[1] - q[1]) * k, a[0] - q[0]
    bx, by = (b[1] - q[1]) * k, b[0] - q[0]
    dx, dy = bx - ax, by - ay
    L2 = dx * dx + dy * dy
    t = 0.0 if L2 == 0 else max(0.0, min(1.0, -(ax * dx + ay * dy) / L2))
    return math.hypot(ax + t * dx, ay + t * dy)
