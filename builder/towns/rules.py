"""The town share: designated 示范村 per administrative village of each town."""

from __future__ import annotations

from collections import defaultdict

from builder.content import Content
from builder.kernel.diagnostics import Diagnostics, Location
from builder.kernel.suggest import choices as _choices, suggest as _suggest


def _town_share(c: Content, diags: Diagnostics) -> None:
    if not c.towns or c.towns_doc is None:
        return
    designated = defaultdict(int)
    for v in c.villages.values():
        if v.model.is_designated:
            designated[v.model.town] += 1
    for i, (name, t) in enumerate(c.towns.items()):
        target = t.share_target if t.share_target is not None else c.settings.town_share_target
        share = designated[name] / t.administrative_villages
        if share + 1e-9 < target:
            need = -(-target * t.administrative_villages // 1)
            diags.emit(c.towns_doc.loc(("towns", _town_index(c, name), "name")), "town-share",
                       f"{name}已命名示范村 {designated[name]} 个，占行政村 {t.administrative_villages} 个的 {share:.0%}，"
                       f"低于目标 {target:.0%}。",
                       f"至少需要 {int(need)} 个示范村才能达到目标。")


def _town_index(c: Content, name: str) -> int:
    data = c.towns_doc.data.get("towns", []) if isinstance(c.towns_doc.data, dict) else []
    for i, t in enumerate(data):
        if isinstance(t, dict) and t.get("name") == name:
            return i
    return 0
