"""Check label placement in a built SVG map: rebuild each label's box from its
<text> (x, y and the font size, the same estimate builder/kernel/render/labels.py
places with) and assert no two boxes overlap, none covers an obstacle, none
leaves the picture."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Iterable

from builder.kernel.render.labels import Box, overlaps, text_width

NS = "{http://www.w3.org/2000/svg}"


def parse_svg(svg: str) -> ET.Element:
    """Parsed as strict XML (the standard library never fetches external entities)."""
    return ET.fromstring(svg)


def view_box(root: ET.Element) -> tuple[float, float]:
    _, _, w, h = (float(v) for v in root.get("viewBox", "").split())
    return w, h


def text_boxes(root: ET.Element, cls: str, size: float) -> list[tuple[str, Box]]:
    """(text, box) of every <text class="cls"> (anchored at its start)."""
    out: list[tuple[str, Box]] = []
    for n in root.iter(NS + "text"):
        if cls in (n.get("class") or "").split():
            x, y, s = float(n.get("x", "")), float(n.get("y", "")), float(n.get("font-size") or size)
            t = n.text or ""
            top = y - s * 0.95
            out.append((t, (x, top, x + text_width(t, s), top + s * 1.2)))
    return out


def check_boxes(boxes: list[tuple[str, Box]], w: float, h: float, obstacles: Iterable[Box] = ()) -> None:
    obstacles = list(obstacles)
    for i, (ta, a) in enumerate(boxes):
        assert a[0] >= 0 and a[1] >= 0 and a[2] <= w and a[3] <= h, f"{ta} leaves the picture: {a}"
        for tb, b in boxes[i + 1 :]:
            assert not overlaps(a, b), f"{ta} overlaps {tb}"
        for o in obstacles:
            assert not overlaps(a, o), f"{ta} covers {o}"
