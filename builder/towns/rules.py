"""The town share: designated 示范村 per administrative village of each town."""

from __future__ import annotations

import difflib

from builder.content import Content
from builder.kernel.diagnostics import Diagnostics
from builder.kernel.loading.yamlsrc import YamlDoc
from builder.towns.statistics import town_stats


def _town_share(c: Content, diags: Diagnostics) -> None:
    doc = c.towns_doc
    if not c.towns or doc is None:
        return
    # a village whose village.yml could not be read counts for no town: its
    # town's share is not judged until that file is fixed (reported there)
    unsure = set(c.failed_village_towns.values())
    for v in c.villages.values():
        if v.model.town not in c.towns:  # reported as unknown-town: meant for a town near its spelling
            unsure.update(difflib.get_close_matches(v.model.town, list(c.towns), n=1, cutoff=0.4) or [""])
        elif v.is_broken("designation") or v.is_broken("town"):
            unsure.add(v.model.town)
    for st in town_stats(c):
        if st.under_target and st.name not in unsure and "" not in unsure:
            diags.emit(
                doc.loc(("towns", _town_index(doc, st.name), "name")),
                "town-share",
                f"{st.name}已命名示范村 {st.designated} 个，占行政村 {st.administrative_villages} 个的 {st.share:.0%}，"
                f"低于目标 {st.target:.0%}。",
                f"至少需要 {st.required} 个示范村才能达到目标。",
            )


def _town_index(doc: YamlDoc, name: str) -> int:
    data = doc.data.get("towns", []) if isinstance(doc.data, dict) else []
    for i, t in enumerate(data):
        if isinstance(t, dict) and t.get("name") == name:
            return i
    return 0
