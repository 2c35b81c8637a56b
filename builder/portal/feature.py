"""The portal's pages across villages: home, village lists, comparison and
ranking, map, tags, data exports."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar

from builder.kernel.deps import ANY, Key, LaterGroup, key
from builder.kernel.diagnostics.codes import Code
from builder.kernel.feature import BaseFeature
from builder.portal.featured import CODES

if TYPE_CHECKING:
    from builder.content import Content
    from builder.kernel.build import BuildContext, Derived
    from builder.kernel.diagnostics import Diagnostics


class PortalFeature(BaseFeature["Content"]):
    name = "portal"
    reads: ClassVar[frozenset[Key] | None] = frozenset(
        {key("village", ANY, "data"), key("village", ANY, "text"), key("project"), key("news"), key("tour")}
    )
    templates: ClassVar[Path | None] = Path(__file__).parent / "templates"
    codes: ClassVar[Sequence[Code]] = CODES

    def validate(self, content: Content, diags: Diagnostics) -> None:
        from builder.portal.featured import validate_featured

        validate_featured(content, diags)

    def derive(self, content: Content, derived: Derived, diags: Diagnostics) -> None:
        if derived.build:
            from builder.portal.state import State

            derived.put(State(content, derived))

    def produce(self, ctx: BuildContext[Content]) -> Iterable[LaterGroup]:
        """As builder.portal.pages.produce, each part promised with what it reads."""
        from functools import partial

        from builder.portal import pages
        from builder.portal.exports import exports
        from builder.portal.state import State

        st = ctx.derived.get(State)
        villages = frozenset({key("village", ANY, "data")})
        yield LaterGroup("compare", villages, partial(pages.compare_pages, st))
        yield LaterGroup("lists", villages, partial(pages.village_lists, st))
        yield LaterGroup("map", villages, lambda: [pages.map_page(st)])
        yield LaterGroup("tags", villages | {key("project")}, lambda: [pages.tags_page(st)])
        # the exports hold each village's 简介 too
        yield LaterGroup("exports", frozenset({key("village")}), lambda: exports(ctx.content, st.evals, st.coords))
        home = villages | {key("project"), key("news"), key("tour")}
        yield LaterGroup("home", home, partial(pages.produce_home, ctx, st))


FEATURE = PortalFeature()
