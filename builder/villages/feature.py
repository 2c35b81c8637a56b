"""Villages: content/villages/<slug>/ → village pages."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

from builder.kernel.build import GeneratedFile
from builder.kernel.deps import Key, Later, key
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

    def keys_of(self, rel: str) -> frozenset[Key] | None:
        """villages/<slug>/index.md and prose/ feed the village's prose (its
        page and profile only); everything else in its folder its data."""
        parts = rel.split("/")
        if parts[0] != "villages" or len(parts) < 2:
            return None
        if len(parts) == 2:  # the folder itself (added, removed, renamed)
            return frozenset({key("village", parts[1])})
        aspect = "prose" if parts[2] == "prose" or parts[2:] == ["index.md"] else "data"
        return frozenset({key("village", parts[1], aspect)})

    def produce(self, ctx: BuildContext[Content]) -> Iterable[GeneratedFile | Later]:
        from builder.portal.state import State
        from builder.villages.pages import page_deps, village_page, village_profile

        st = ctx.derived.get(State)
        by_town: dict[str, list[str]] = {}
        for slug, v in ctx.content.villages.items():
            by_town.setdefault(v.model.town, []).append(slug)
        for slug in sorted(ctx.content.villages):
            v = ctx.content.villages[slug]
            deps = page_deps(st, v, by_town.get(v.model.town, []))
            yield Later(f"villages/{slug}.md", deps, partial(village_page, st, v))
            yield Later(f"villages/{slug}/profile.md", deps, partial(village_profile, st, v))


FEATURE = VillagesFeature()
