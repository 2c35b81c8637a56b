"""Word and Excel for county offices: score workbooks in and out, itinerary
and results documents, assessments workbook, self-assessment import."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, ClassVar

from builder.kernel.deps import ANY, Key, Later, LaterGroup, key
from builder.kernel.feature import BaseFeature

if TYPE_CHECKING:
    from builder.content import Content
    from builder.kernel.build import BuildContext


class OfficeFeature(BaseFeature["Content"]):
    name = "office"
    reads: ClassVar[frozenset[Key] | None] = frozenset(
        # the villages' data and 看点 (the itineraries list them), not their prose
        {key("village", ANY, "data"), key("village", ANY, "text"), key("tour")}
    )
    cli = "builder.office.cli"

    def produce(self, ctx: BuildContext[Content]) -> Iterable[Later | LaterGroup]:
        from builder.office.produce import office_files

        yield from office_files(ctx)


FEATURE = OfficeFeature()
