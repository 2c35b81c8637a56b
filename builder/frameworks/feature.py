"""Standards frameworks as data (十条标准, 十个好 shipped; a county adds its own)."""

from __future__ import annotations

from builder.frameworks.derive import Evaluations
from builder.frameworks.load import load_frameworks
from builder.frameworks.model import Framework
from builder.kernel.feature import BaseFeature


class FrameworksFeature(BaseFeature):
    name = "frameworks"
    schemas = {"framework": Framework}

    def load(self, content, diags) -> None:  # type: ignore[no-untyped-def]
        content.put(load_frameworks(content, diags))

    def validate(self, content, diags) -> None:  # type: ignore[no-untyped-def]
        from builder.frameworks.rules import validate_frameworks

        validate_frameworks(content, diags)

    def derive(self, content, derived, diags) -> None:  # type: ignore[no-untyped-def]
        from builder.frameworks.comparison import evaluate_all

        if derived.find(Evaluations) is None:
            derived.put(Evaluations(evaluate_all(content)))


FEATURE = FrameworksFeature()
