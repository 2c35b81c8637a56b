"""Read the module matrix back out of a QR code's inline SVG (segno's path:
one horizontal run per dark stretch, "M2 2.5h7m4 0h1…", in module units under
transform="scale(n)"), so tests can compare what the page shows with the QR
code of the URL it should open. No decoder library is installed (zbar/zxing
are native); the matrix of segno.make_qr(url) for the same level and mask is
the symbol a phone reads as that URL."""

from __future__ import annotations

import re

_TOKEN = re.compile(r"([Mmh])(-?\d+(?:\.\d+)?)(?: (-?\d+(?:\.\d+)?))?")


def svg_matrix(d: str, border: int) -> list[list[int]]:
    """Dark modules (1) of the path `d`, without the quiet zone of `border` modules."""
    dark: set[tuple[int, int]] = set()
    x = y = 0.0
    for op, a, b in _TOKEN.findall(d):
        if op == "M":
            x, y = float(a), float(b)
        elif op == "m":
            x, y = x + float(a), y + float(b)
        else:
            n = int(float(a))
            dark.update((int(x) + i, int(y)) for i in range(n))
            x += n
    size = max(max(c, r) for c, r in dark) + 1 - border
    return [[int((c + border, r + border) in dark) for c in range(size)] for r in range(size)]


def segno_matrix(qr: object) -> list[list[int]]:
    return [[int(bool(v)) for v in row] for row in qr.matrix]  # type: ignore[attr-defined]
