"""The tours a village was a stop of, for its page (village_tours.html,
included by builder/villages/templates/village_body.html): date, title, its
rank and score when the tour was scored, links to the itinerary and the
results; newest first. Only tours that have pages (planned) are listed; the
generated per-town suggestions are not tours a village took part in."""

from __future__ import annotations

from dataclasses import dataclass

from builder.kernel.build import Derived
from builder.kernel.render.urls import Linker


@dataclass(frozen=True)
class VillageTour:
    tour_id: str
    title: str
    date: str  # ISO date, "" when the tour has none
    href: str  # the itinerary
    results_href: str  # "" when the tour was not scored (or this village has no score)
    rank: int | None
    score: str  # two decimals, "" when not scored
    max_total: str
    of: int  # how many villages were ranked
    proposed: bool


def village_tours(derived: Derived, slug: str, L: Linker) -> list[VillageTour]:
    from builder.tours.feature import ToursPart

    part = derived.find(ToursPart)
    if part is None:
        return []
    out = []
    for tid, e in part.tours.items():
        if e.plan is None or not any(s.slug == slug for s in e.stops):
            continue
        res = e.scores.results if e.scores is not None else None
        mine = next((v for v in res.villages if v.slug == slug), None) if res is not None else None
        out.append(
            VillageTour(
                tid,
                e.title,
                e.model.date.isoformat() if e.model.date else "",
                L.page(f"tours/{tid}/index.md"),
                L.page(f"tours/{tid}/results.md") if mine is not None else "",
                mine.rank if mine is not None else None,
                f"{mine.total:.2f}" if mine is not None else "",
                f"{res.framework.max_total:g}" if mine is not None and res is not None else "",
                len(res.villages) if res is not None else 0,
                bool(mine is not None and mine.proposed),
            )
        )
    out.sort(key=lambda t: (t.date, t.tour_id), reverse=True)
    return out
