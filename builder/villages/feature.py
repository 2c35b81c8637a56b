"""Villages: content/villages/<slug>/ → village pages."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from functools import cache, partial
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

from builder.kernel.build import GeneratedFile
from builder.kernel.deps import Key, Later, key
from builder.kernel.feature import BaseFeature
from builder.villages.derive import coordinates
from builder.villages.load import VillageEntry, VillagesPart, load_villages
from builder.villages.model import Village

if TYPE_CHECKING:
    from builder.content import Content
    from builder.kernel.build import BuildContext, Derived
    from builder.kernel.diagnostics import Diagnostics


# village.yml fields that only the village's own page and profile show (and
# the tours' itineraries of its stops, the exports, the search: they read
# every aspect): a change to them alone does not remake the lists.
TEXT_FIELDS = frozenset({"summary", "highlights"})
YML = "village.yml"  # the aspect keys_of gives village.yml until refine decides


def _only_text_changed(a: VillageEntry, b: VillageEntry) -> bool:
    if a.broken != b.broken or a.photo_files != b.photo_files:
        return False
    fields = type(a.model).model_fields
    return all(getattr(a.model, f) == getattr(b.model, f) for f in fields if f not in TEXT_FIELDS)


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
        if parts[2:] == ["village.yml"]:
            return frozenset({key("village", parts[1], YML)})  # made finer by refine
        aspect = "prose" if parts[2] == "prose" or parts[2:] == ["index.md"] else "data"
        return frozenset({key("village", parts[1], aspect)})

    def refine(self, keys: frozenset[Key], before: Content, after: Content) -> frozenset[Key]:
        """A village.yml whose change is only in its own page's text (TEXT_FIELDS:
        简介, 看点, which no list shows) is the village's "text"; any other change its "data"."""
        out = set()
        for k in keys:
            if k[0] == "village" and k[2] == YML:
                old, new = before.find(VillagesPart), after.find(VillagesPart)
                a = old.items.get(k[1]) if old is not None else None
                b = new.items.get(k[1]) if new is not None else None
                text = a is not None and b is not None and _only_text_changed(a, b)
                k = key("village", k[1], "text" if text else "data")
            out.add(k)
        return frozenset(out)

    def produce(self, ctx: BuildContext[Content]) -> Iterable[GeneratedFile | Later]:
        from builder.portal.state import State
        from builder.villages.pages import page_deps, village_page, village_profile, village_radars

        st = ctx.derived.get(State)
        by_town: dict[str, list[str]] = {}
        for slug, v in ctx.content.villages.items():
            by_town.setdefault(v.model.town, []).append(slug)
        for slug in sorted(ctx.content.villages):
            v = ctx.content.villages[slug]
            deps = page_deps(st, v, by_town.get(v.model.town, []))
            radars = cache(partial(village_radars, st, v))  # the same charts on the page and its printed profile
            yield Later(f"villages/{slug}.md", deps, partial(_with_radars, village_page, st, v, radars))
            yield Later(f"villages/{slug}/profile.md", deps, partial(_with_radars, village_profile, st, v, radars))


def _with_radars(
    make: Callable[..., GeneratedFile], st: Any, v: VillageEntry, radars: Callable[[], Any]
) -> GeneratedFile:
    return make(st, v, radars())


FEATURE = VillagesFeature()
