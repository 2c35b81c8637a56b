"""Site files for Word and Excel: per tour scores.xlsx (the scoring
workbook), itinerary.docx, results.docx and results.xlsx; and
data/assessments.xlsx next to the CSV/JSON exports."""

from __future__ import annotations

from collections.abc import Iterable

from builder.kernel.build import BuildContext, GeneratedFile


def produce_office(ctx: BuildContext) -> Iterable[GeneratedFile]:
    from builder.frameworks.derive import Evaluations
    from builder.office import assessbook, docs, scorebook
    from builder.tours.feature import ToursPart

    c = ctx.content
    for tid, e in sorted(ctx.derived.get(ToursPart).tours.items()):
        if e.plan is None:
            continue
        yield GeneratedFile(f"tours/{tid}/itinerary.docx", docs.itinerary_docx(e))
        if e.framework is not None:
            yield GeneratedFile(f"tours/{tid}/scores.xlsx", scorebook.build_workbook(e))
        if e.scores is not None and e.scores.results is not None and e.scores.results.villages:
            yield GeneratedFile(f"tours/{tid}/results.docx", docs.results_docx(e))
            yield GeneratedFile(f"tours/{tid}/results.xlsx", docs.results_xlsx(e))
    yield GeneratedFile(
        "data/assessments.xlsx", assessbook.assessments_xlsx(c, ctx.derived.get(Evaluations).by_village)
    )
