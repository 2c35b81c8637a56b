"""Every village evaluated against every required framework, once per run."""

from __future__ import annotations

from dataclasses import dataclass, field

from builder.frameworks.comparison import VillageEval


@dataclass
class Evaluations:
    by_village: dict[str, VillageEval] = field(default_factory=dict)
