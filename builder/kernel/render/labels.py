"""Label placement with a collision check, for the SVG maps (county map,
locator, print: builder/map; tour route maps: builder/tours). Greedy: labels
in priority order try eight positions around their point; the first whose
box overlaps no placed label, no marker and stays inside the map wins; a
label with no free position is left out (its place stays reachable through
the marker's <title> and the text list, or, on a tour map, through the
stop's number and the itinerary table).

Written by hand: no maintained Python library places point labels, and the
greedy eight-position rule is the classic cartographic one (Imhof)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

Box = tuple[float, float, float, float]  # x0, y0, x1, y1


def text_width(text: str, size: float) -> float:
    """Estimated advance of a label: CJK characters are one em, others ~0.6 em."""
    return sum(size if ord(ch) > 0x2E80 else 0.6 * size for ch in text)


@dataclass
class Label:
    text: str
    x: float  # anchor point (the marker centre)
    y: float
    size: float  # font size
    gap: float  # distance from the point (marker radius + margin)
    cls: str = ""
    # filled by place():
    box: Box | None = None
    tx: float = 0.0  # text baseline start (text-anchor start)
    ty: float = 0.0


def overlaps(a: Box, b: Box) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def place(
    labels: list[Label], width: float, height: float, obstacles: Sequence[Box] = (), margin: float = 2.0
) -> list[Label]:
    """Place labels (in the given priority order); returns those placed."""
    placed: list[Label] = []
    taken: list[Box] = list(obstacles)
    for lb in labels:
        w = text_width(lb.text, lb.size)
        h = lb.size * 1.2
        g = lb.gap
        # right, left, above, below, then the four diagonals (an area name: centred first)
        cands = [
            (lb.x + g, lb.y - h / 2),
            (lb.x - g - w, lb.y - h / 2),
            (lb.x - w / 2, lb.y - g - h),
            (lb.x - w / 2, lb.y + g),
            (lb.x + g, lb.y - g - h),
            (lb.x - g - w, lb.y - g - h),
            (lb.x + g, lb.y + g),
            (lb.x - g - w, lb.y + g),
        ]
        if g == 0:
            cands = [(lb.x - w / 2, lb.y - h / 2)] + [
                (lb.x - w / 2, lb.y - h / 2 + dy) for dy in (-h, h, -2 * h, 2 * h)
            ]
        for x0, y0 in cands:
            box = (x0, y0, x0 + w, y0 + h)
            if box[0] < margin or box[1] < margin or box[2] > width - margin or box[3] > height - margin:
                continue
            if any(overlaps(box, t) for t in taken):
                continue
            lb.box = box
            lb.tx, lb.ty = x0, y0 + lb.size * 0.95
            taken.append(box)
            placed.append(lb)
            break
    return placed
