"""Each village's location in WGS-84 (converted once from what the editor
pasted; invalid ones are reported by the rules and left out here)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from builder.kernel import geo

if TYPE_CHECKING:
    from builder.villages.load import VillageEntry


@dataclass
class Coordinates:
    by_village: dict[str, tuple[float, float]] = field(default_factory=dict)

    def get(self, slug: str) -> tuple[float, float] | None:
        return self.by_village.get(slug)


def coordinates(villages: Mapping[str, VillageEntry]) -> Coordinates:
    out = Coordinates()
    for slug, v in villages.items():
        loc = v.model.location
        wgs, _ = geo.check_point(loc.system, loc.lat, loc.lng)
        if wgs is not None:
            out.by_village[slug] = wgs
    return out
