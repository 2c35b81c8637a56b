"""The portal's pages across villages: home, village lists, comparison and
ranking, map, tags, data exports."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from builder.kernel.build import GeneratedFile
from builder.kernel.feature import BaseFeature


class PortalFeature(BaseFeature):
    name = "portal"
    templates = Path(__file__).parent / "templates"

    def derive(self, content, derived, diags) -> None:  # type: ignore[no-untyped-def]
        if derived.build:
            from builder.portal.state import State

            derived.put(State(content, derived))

    def produce(self, ctx) -> Iterable[GeneratedFile]:  # type: ignore[no-untyped-def]
        from builder.portal.pages import produce

        yield from produce(ctx)


FEATURE = PortalFeature()
