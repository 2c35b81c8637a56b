"""The portal's pages across villages: home, village lists, comparison and
ranking, map, tags, data exports."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar

from builder.kernel.build import GeneratedFile
from builder.kernel.deps import ANY, Key, key
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
        {key("village", ANY, "data"), key("project"), key("news"), key("tour")}
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

    def produce(self, ctx: BuildContext[Content]) -> Iterable[GeneratedFile]:
        from builder.portal.pages import produce

        yield from produce(ctx)


FEATURE = PortalFeature()
