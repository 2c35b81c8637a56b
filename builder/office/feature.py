"""Word and Excel for county offices: score workbooks in and out, itinerary
and results documents, assessments workbook, self-assessment import."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, ClassVar

from builder.kernel.build import GeneratedFile
from builder.kernel.deps import ANY, Key, key
from builder.kernel.feature import BaseFeature

if TYPE_CHECKING:
    from builder.content import Content
    from builder.kernel.build import BuildContext


class OfficeFeature(BaseFeature["Content"]):
    name = "office"
    reads: ClassVar[frozenset[Key] | None] = frozenset(
        # the villages' data and 看点 (the itineraries list them), not their prose
        {key("village", ANY, "data"), key("village", ANY, "text"), key("project"), key("tour")}
    )
    cli = "builder.office.cli"

    def produce(self, ctx: BuildContext[Content]) -> Iterable[GeneratedFile]:
        from builder.office.produce import produce_office

        yield from produce_office(ctx)


FEATURE = OfficeFeature()
