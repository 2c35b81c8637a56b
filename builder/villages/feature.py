"""Villages: content/villages/<slug>/ → village pages."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

from builder.kernel.build import GeneratedFile
from builder.kernel.feature import BaseFeature
from builder.villages.derive import coordinates
from builder.villages.load import load_villages
from builder.villages.model import Village

if TYPE_CHECKING:
    from builder.content import Content
    from builder.kernel.build import BuildContext, Derived
    from builder.kernel.diagnostics import Diagnostics


class VillagesFeature(BaseFeature["Content"]):
    name = "villages"
    schemas: ClassVar[Mapping[str, Any]] = {"village": Village}
    templates: ClassVar[Path | None] = Path(__file__).parent / "templates"

    def load(self, content: Content, diags: Diagnostics) -> None:
        content.put(load_villages(content, diags))

    def validate(self, content: Content, diags: Diagnostics) -> None:
        from builder.villages.rules import validate_villages

        validate_villages(content, diags)

    def derive(self, content: Content, derived: Derived, diags: Diagnostics) -> None:
        from builder.villages.derive import Coordinates

        if derived.find(Coordinates) is None:
            derived.put(coordinates(content.villages))

    def produce(self, ctx: BuildContext[Content]) -> Iterable[GeneratedFile]:
        from builder.portal.state import State
        from builder.villages.pages import village_page, village_profile, village_radars

        st = ctx.derived.get(State)
        for slug in sorted(ctx.content.villages):
            v = ctx.content.villages[slug]
            radars = village_radars(st, v)  # the same charts on the page and its printed profile
            yield village_page(st, v, radars)
            yield village_profile(st, v, radars)


FEATURE = VillagesFeature()
