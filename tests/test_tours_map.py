"""Tour route maps (issue 14): names placed with the kernel's collision check
(builder/kernel/render/labels.py): no two names overlap, none covers a marker,
the scale bar or the north arrow, none leaves the picture; a name with no free
place is left out, but every stop keeps its number in its marker and its name
in the <desc>. On the sample tours and on dense synthetic ones."""

from __future__ import annotations

import math
import random
import re
import shutil

import pytest

from builder.tours.svgmap import MARK_R, NAME_SIZE, route_svg
from testkit.labels import NS, check_boxes, parse_svg, text_boxes, view_box


def furniture(root) -> list:
    """Boxes of the markers, the scale bar (line and text) and the north arrow."""
    boxes = []
    for n in root.iter():
        cls = n.get("class") or ""
        if cls in ("tour-map-stop", "tour-map-lunch"):
            x, y = float(n.get("cx")), float(n.get("cy"))
        elif cls == "tour-map-base":
            x, y = float(n.get("x")) + 10, float(n.get("y")) + 10
        else:
            continue
        boxes.append((x - MARK_R, y - MARK_R, x + MARK_R, y + MARK_R))
    line = next(n for n in root.iter(NS + "line") if n.get("class") == "tour-map-scale")
    (_, scale_text) = text_boxes(root, "tour-map-scaletext", 11)[0]
    boxes.append((float(line.get("x1")), float(line.get("y1")) - 1, scale_text[2], scale_text[3]))
    north = next(n for n in root.iter(NS + "g") if n.get("class") == "tour-map-north")
    nx, ny = (float(v) for v in re.findall(r"[\d.]+", north.get("transform")))
    boxes.append((nx - 6, ny - 14, nx + 6, ny + 18))
    return boxes


def check_map(svg: str) -> tuple[list[str], list[str]]:
    """Assert the rules; return the names drawn and the numbers drawn."""
    root = parse_svg(svg)
    w, h = view_box(root)
    names = text_boxes(root, "tour-map-name", NAME_SIZE)
    check_boxes(names, w, h, furniture(root))
    numbers = [n.text for n in root.iter(NS + "text") if n.get("class") == "tour-map-num"]
    return [t for t, _ in names], numbers


def tour(n: int, seed: int, spread: float, far_start: bool) -> list[dict]:
    rnd = random.Random(seed)
    lat, lng = 36.0, 103.8
    pts = [{"kind": "start", "label": "起", "name": "县委党校", "lat": lat, "lng": lng}]
    c = (lat + 0.12, lng + 0.15) if far_start else (lat, lng)
    for i in range(1, n + 1):
        name = f"{rnd.choice('王李张刘陈杨赵黄')}家{rnd.choice(['庄', '湾', '沟', '坪', '河'])}村{i}"
        pts.append(
            {
                "kind": "stop",
                "label": str(i),
                "name": name,
                "lat": c[0] + rnd.uniform(-spread, spread),
                "lng": c[1] + rnd.uniform(-spread, spread),
            }
        )
        if i == n // 2:
            pts.append({"kind": "lunch", "label": "餐", "name": "乡政府食堂", "lat": c[0], "lng": c[1]})
    pts.append({"kind": "end", "label": "终", "name": "县委党校", "lat": lat, "lng": lng})
    return pts


@pytest.mark.parametrize(
    ("n", "seed", "spread", "far_start"),
    [(20, 1, 0.004, False), (20, 2, 0.004, True), (20, 3, 0.0005, True), (30, 4, 0.01, False), (8, 5, 0.02, False)],
)
def test_dense_synthetic_tours_never_overlap(n, seed, spread, far_start):
    pts = tour(n, seed, spread, far_start)
    svg = route_svg(pts, "map-t", "观摩路线")
    names, numbers = check_map(svg)
    stops = [p for p in pts if p["kind"] == "stop"]
    assert [str(i) for i in range(1, n + 1)] == [x for x in numbers if x.isdigit()]  # every stop numbered
    assert numbers.count("餐") == 1 and numbers.count("起") == 1  # start and end share one marker
    # no marker covers another, so every number can be read; a moved marker
    # is tied to its true place by a leader line
    marks = [((b[0] + b[2]) / 2, (b[1] + b[3]) / 2) for b in furniture(parse_svg(svg))[:-2]]
    assert len(marks) == n + 2
    for i, (x1, y1) in enumerate(marks):
        for x2, y2 in marks[i + 1 :]:
            assert math.hypot(x2 - x1, y2 - y1) >= 2 * MARK_R
    leaders = [ln for ln in parse_svg(svg).iter(NS + "line") if ln.get("class") == "tour-map-leader"]
    assert len(leaders) == len([c for c in parse_svg(svg).iter(NS + "circle") if c.get("class") == "tour-map-place"])
    assert set(names) <= {p["name"] for p in pts}
    assert names, "some names still fit"
    desc = parse_svg(svg).find(NS + "desc").text
    assert all(p["name"] in desc for p in stops)  # the <desc> names every stop in order
    if n <= 8:
        assert {p["name"] for p in stops} <= set(names)  # a sparse tour names every stop


def test_sample_tour_maps(tmp_path):
    from tests.conftest import CONTENT
    from tests.test_tours_pages import generate

    dst = tmp_path / "content"
    shutil.copytree(CONTENT, dst)
    pages = generate(dst)
    svgs = [
        m.group(0) for md in pages.values() for m in re.finditer(r'<svg [^>]*class="tour-map-svg".*?</svg>', md, re.S)
    ]
    assert len(svgs) >= 2
    for svg in svgs:
        names, numbers = check_map(svg)
        root = parse_svg(svg)
        stops = [n for n in root.iter(NS + "circle") if n.get("class") == "tour-map-stop"]
        assert len([x for x in numbers if x.isdigit()]) == len(stops)
        assert len(names) == len(numbers)  # the sample's stops are far enough apart: every one named
