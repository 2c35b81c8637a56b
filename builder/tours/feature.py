"""观摩拉练: content/tours/*.yml (+ .scores.yml) → planned routes,
itineraries, score sheets and results; suggested routes per town.

Load reads each tour file (YAML, model, framework: TourFiles). Derive
resolves the stops, converts the coordinates and plans the route
(ToursPart): a tour names villages and needs their WGS-84 coordinates (the
villages feature's derived data), and the problems only planning finds (a day
that cannot be done, a lunch window that cannot be met) are reported there,
as are the score files, which name the tour's stops."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

from builder.kernel.build import GeneratedFile
from builder.kernel.deps import ANY, Key, Later, LaterGroup, key
from builder.kernel.feature import BaseFeature
from builder.tours.load import Places, TourEntry, TourFiles, plan_tours, read_tours, suggested_tours
from builder.tours.model import ScoresFile, Tour

if TYPE_CHECKING:
    from builder.content import Content
    from builder.kernel.build import BuildContext, Derived
    from builder.kernel.diagnostics import Diagnostics


@dataclass
class ToursPart:
    tours: dict[str, TourEntry] = field(default_factory=dict)
    suggested: list[TourEntry] = field(default_factory=list)  # planned in a build only
    places: Places | None = None
    suggested_done: bool = False


class ToursFeature(BaseFeature["Content"]):
    name = "tours"
    # the villages' data, and their 看点 (itineraries list them)
    reads: ClassVar[frozenset[Key] | None] = frozenset(
        {key("tour"), key("village", ANY, "data"), key("village", ANY, "text")}
    )
    cli = "builder.tours.cli"
    schemas: ClassVar[Mapping[str, Any]] = {"tour": Tour, "tour-scores": ScoresFile}
    templates: ClassVar[Path | None] = Path(__file__).parent / "templates"

    def load(self, content: Content, diags: Diagnostics) -> None:
        content.put(read_tours(content, diags))

    def derive(self, content: Content, derived: Derived, diags: Diagnostics) -> None:
        from builder.villages.derive import Coordinates

        part = derived.find(ToursPart)
        if part is None:
            places = Places(content, derived.get(Coordinates).by_village)
            part = derived.put(
                ToursPart(plan_tours(content.find(TourFiles) or TourFiles(), content, diags, places), places=places)
            )
        if derived.build:
            _village_tours_global(derived)
        if derived.build and not part.suggested_done:
            part.suggested = suggested_tours(content, part.places)
            part.suggested_done = True

    def keys_of(self, rel: str) -> frozenset[Key] | None:
        """tours/<id>.yml and its score sheet <id>.scores.yml/.xlsx feed the tour <id>."""
        if not rel.startswith("tours/"):
            return None
        name = rel.removeprefix("tours/")
        for suffix in (".scores.yml", ".scores.xlsx", ".yml"):
            if name.endswith(suffix) and "/" not in name:
                return frozenset({key("tour", name.removesuffix(suffix))})
        return frozenset({key("tour")})

    def produce(self, ctx: BuildContext[Content]) -> Iterable[GeneratedFile | Later | LaterGroup]:
        from builder.tours.pages import tour_files

        yield from tour_files(ctx)


def _village_tours_global(derived: Derived) -> None:
    """village_tours(slug, L) for village_tours.html (the 观摩记录 on a village page)."""
    from builder.kernel.render.templates import Templates
    from builder.tours.village_tours import village_tours

    tpl = derived.find(Templates)
    if tpl is not None:
        tpl.env.globals["village_tours"] = lambda slug, L: village_tours(derived, slug, L)


FEATURE = ToursFeature()
