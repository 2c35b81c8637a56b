"""The county map: content/map/ layers (GeoJSON) → the Leaflet map on /map/,
its SVG twin, the village locator, 科学选点 distances, 导航 links."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

from builder.kernel.deps import ANY, Key, key
from builder.kernel.feature import BaseFeature
from builder.map.model import MapLayer, Tiles

if TYPE_CHECKING:
    from collections.abc import Iterable

    from builder.content import Content
    from builder.kernel.build import BuildContext, GeneratedFile
    from builder.kernel.diagnostics import Diagnostics


class MapFeature(BaseFeature["Content"]):
    name = "map"
    reads: ClassVar[frozenset[Key] | None] = frozenset({key("village", ANY, "data")})
    templates = Path(__file__).parent / "templates"
    schemas: ClassVar[Mapping[str, Any]] = {"map-layer": MapLayer, "map-tiles": Tiles}

    def load(self, content: Content, diags: Diagnostics) -> None:
        from builder.map.layers import load_map

        content.put(load_map(content, diags))

    def produce(self, ctx: BuildContext[Content]) -> Iterable[GeneratedFile]:
        from builder.map.page import produce_map

        yield from produce_map(ctx)


FEATURE = MapFeature()
