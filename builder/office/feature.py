"""Word and Excel for county offices: score workbooks in and out, itinerary
and results documents, assessments workbook, self-assessment import."""

from __future__ import annotations

from collections.abc import Iterable

from builder.kernel.build import GeneratedFile
from builder.kernel.feature import BaseFeature


class OfficeFeature(BaseFeature):
    name = "office"

    def produce(self, ctx) -> Iterable[GeneratedFile]:  # type: ignore[no-untyped-def]
        from builder.office.produce import produce_office

        yield from produce_office(ctx)

    def commands(self, sub, add_content) -> None:  # type: ignore[no-untyped-def]
        from builder.office.cli import register

        register(sub, add_content)


FEATURE = OfficeFeature()
