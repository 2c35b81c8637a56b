"""Site files for Word and Excel: per tour scores.xlsx (the scoring
workbook), itinerary.docx, results.docx and results.xlsx; and
data/assessments.xlsx next to the CSV/JSON exports."""

from __future__ import annotations

from collections.abc import Iterable
from functools import partial
from typing import Any

from builder.kernel.build import BuildContext, GeneratedFile
from builder.kernel.deps import ANY, Later, LaterGroup, key


def produce_office(ctx: BuildContext) -> Iterable[GeneratedFile]:
    """Every Word and Excel file, made."""
    for item in office_files(ctx):
        if isinstance(item, LaterGroup):
            yield from item.make()
        else:
            yield item.make() if isinstance(item, Later) else item


def _tour_files(e: Any) -> list[GeneratedFile]:
    from builder.office import docs, scorebook

    tid = e.id
    out = [GeneratedFile(f"tours/{tid}/itinerary.docx", docs.itinerary_docx(e))]
    if e.framework is not None:
        out.append(GeneratedFile(f"tours/{tid}/scores.xlsx", scorebook.build_workbook(e)))
    if e.scores is not None and e.scores.results is not None and e.scores.results.villages:
        out.append(GeneratedFile(f"tours/{tid}/results.docx", docs.results_docx(e)))
        out.append(GeneratedFile(f"tours/{tid}/results.xlsx", docs.results_xlsx(e)))
    return out


def _assessments(ctx: BuildContext) -> GeneratedFile:
    from builder.frameworks.derive import Evaluations
    from builder.office import assessbook

    by_village = ctx.derived.get(Evaluations).by_village
    return GeneratedFile("data/assessments.xlsx", assessbook.assessments_xlsx(ctx.content, by_village))


def office_files(ctx: BuildContext) -> Iterable[LaterGroup | Later]:
    """Each tour's documents promised with what they read (the tour, its
    stops: the itinerary lists their 看点), the assessments workbook with the
    villages' data (builder/kernel/deps.py)."""
    from builder.tours.feature import ToursPart

    for tid, e in sorted(ctx.derived.get(ToursPart).tours.items()):
        if e.plan is None:
            continue
        deps = frozenset({key("tour", tid)} | {key("village", st.slug) for st in e.stops})
        yield LaterGroup(tid, deps, partial(_tour_files, e))
    yield Later("data/assessments.xlsx", frozenset({key("village", ANY, "data")}), partial(_assessments, ctx))
