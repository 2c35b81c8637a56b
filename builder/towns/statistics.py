"""Per-town statistics: villages in the portal, 示范村 and share against target."""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass

from builder.content import Content


@dataclass
class TownStat:
    name: str
    administrative_villages: int
    villages: int  # villages present in the portal
    designated: int  # 示范村 (命名 / 复核)
    target: float  # share target, 0..1

    @property
    def share(self) -> float:
        return self.designated / self.administrative_villages if self.administrative_villages else 0.0

    @property
    def required(self) -> int:
        """示范村 the town needs to reach its target. The one rule (check and
        the comparison page both use it): 7 % of 100 is 7, although
        0.07 × 100 is 7.000000000000001 in floating point."""
        return math.ceil(round(self.target * self.administrative_villages, 9))

    @property
    def under_target(self) -> bool:
        return self.designated < self.required

    @property
    def needed(self) -> int:
        """示范村 still needed to reach the target."""
        return max(0, self.required - self.designated)


def town_stats(content: Content) -> list[TownStat]:
    present: Counter = Counter()
    designated: Counter = Counter()
    for v in content.villages.values():
        present[v.model.town] += 1
        if v.model.is_designated:
            designated[v.model.town] += 1
    default = content.settings.town_share_target
    out = []
    for t in content.towns.values():
        target = t.share_target if t.share_target is not None else default
        out.append(TownStat(t.name, t.administrative_villages, present[t.name], designated[t.name], target))
    return out


def counts(content: Content) -> dict[str, int]:
    return {
        "villages": len(content.villages),
        "designated": sum(1 for v in content.villages.values() if v.model.is_designated),
        "towns": len(content.towns),
        "projects": len(content.projects),
    }
