"""Villages: content/villages/<slug>/ → village pages."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from builder.kernel.build import GeneratedFile
from builder.kernel.feature import BaseFeature
from builder.villages.derive import coordinates
from builder.villages.load import load_villages
from builder.villages.model import Village


class VillagesFeature(BaseFeature):
    name = "villages"
    schemas = {"village": Village}
    templates = Path(__file__).parent / "templates"

    def load(self, content, diags) -> None:  # type: ignore[no-untyped-def]
        content.put(load_villages(content, diags))

    def validate(self, content, diags) -> None:  # type: ignore[no-untyped-def]
        from builder.villages.rules import validate_villages

        validate_villages(content, diags)

    def derive(self, content, derived, diags) -> None:  # type: ignore[no-untyped-def]
        from builder.villages.derive import Coordinates

        if derived.find(Coordinates) is None:
            derived.put(coordinates(content.villages))

    def produce(self, ctx) -> Iterable[GeneratedFile]:  # type: ignore[no-untyped-def]
        from builder.portal.state import State
        from builder.villages.pages import village_page

        st = ctx.derived.get(State)
        for slug in sorted(ctx.content.villages):
            yield village_page(st, ctx.content.villages[slug])


FEATURE = VillagesFeature()
