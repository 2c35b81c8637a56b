"""Exports for other systems: data/villages.json, data/villages.geojson
(WGS-84, [lng, lat]) and data/assessments.csv (every self-assessment score).
Non-public phone numbers are never exported."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable

from builder.content import Content
from builder.kernel.build import GeneratedFile


def village_record(c: Content, slug: str, ev, coords: dict[str, tuple[float, float]]) -> dict:
    v = c.villages[slug]
    m = v.model
    pt = coords.get(slug)
    return {
        "slug": slug,
        "name": m.name,
        "town": m.town,
        "county": m.county or c.settings.county,
        "function": m.function,
        "summary": m.summary,
        "brand": {"name": m.brand.name, "slogan": m.brand.slogan, "meaning": m.brand.meaning},
        "tags": list(m.tags),
        "status": m.status,
        "designated": m.is_designated,
        "designation": [
            {"stage": e.stage, "date": e.date.isoformat(), "issuer": e.issuer, "document": e.document, "batch": e.batch}
            for e in (m.designation.history if m.designation else [])
        ],
        "location": {"lat": pt[0], "lng": pt[1], "crs": "WGS-84", "address": m.location.address} if pt else None,
        "highlights": [h.title for h in m.highlights],
        "contacts": [
            {
                "role": ct.role,
                "name": ct.name,
                "title": ct.title,
                **({"phone": ct.phone} if ct.phone_public and ct.phone else {}),
            }
            for ct in m.contacts
        ],
        "frameworks": {
            fid: {
                "meets": r.meets,
                "percent": r.percent,
                "total": r.total,
                "shortfalls": [i.item.id for i in r.shortfalls],
            }
            for fid, r in ev.results.items()
        },
        "page": f"villages/{slug}/",
    }


def exports(c: Content, evals, coords: dict[str, tuple[float, float]]) -> Iterable[GeneratedFile]:
    slugs = sorted(c.villages)
    records = [village_record(c, s, evals[s], coords) for s in slugs]
    yield GeneratedFile(
        "data/villages.json",
        json.dumps({"county": c.settings.county, "villages": records}, ensure_ascii=False, indent=1, sort_keys=True)
        + "\n",
    )
    feats = []
    for r in records:
        if r["location"] is None:
            continue
        feats.append(
            {
                "type": "Feature",
                "geometry": {"type": "Point", "coordinates": [r["location"]["lng"], r["location"]["lat"]]},
                "properties": {
                    "slug": r["slug"],
                    "name": r["name"],
                    "town": r["town"],
                    "function": r["function"],
                    "status": r["status"],
                    "brand": r["brand"]["name"],
                },
            }
        )
    yield GeneratedFile(
        "data/villages.geojson",
        json.dumps({"type": "FeatureCollection", "features": feats}, ensure_ascii=False, sort_keys=True) + "\n",
    )
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(
        [
            "village",
            "village_name",
            "town",
            "framework",
            "item",
            "item_name",
            "level",
            "score",
            "max_score",
            "meets",
            "assessment_date",
        ]
    )
    for s in slugs:
        v = c.villages[s]
        for fid, r in evals[s].results.items():
            for it in r.items:
                w.writerow(
                    [
                        s,
                        v.model.name,
                        v.model.town,
                        fid,
                        it.item.id,
                        it.item.name,
                        it.level or "",
                        "" if it.score is None else f"{it.score:g}",
                        f"{it.item.max_score:g}",
                        "1" if it.meets else "0",
                        r.date.isoformat() if r.date else "",
                    ]
                )
    # UTF-8 with BOM so Excel (what county staff open CSVs with) shows Chinese correctly.
    yield GeneratedFile("data/assessments.csv", "\ufeff" + buf.getvalue())
