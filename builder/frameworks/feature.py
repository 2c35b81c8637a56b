"""Standards frameworks as data (十条标准, 十个好 shipped; a county adds its own)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, ClassVar

from builder.frameworks.derive import Evaluations
from builder.frameworks.load import load_frameworks
from builder.frameworks.model import Framework
from builder.kernel.feature import BaseFeature

if TYPE_CHECKING:
    from builder.content import Content
    from builder.kernel.build import Derived
    from builder.kernel.diagnostics import Diagnostics


class FrameworksFeature(BaseFeature["Content"]):
    name = "frameworks"
    schemas: ClassVar[Mapping[str, Any]] = {"framework": Framework}

    def load(self, content: Content, diags: Diagnostics) -> None:
        content.put(load_frameworks(content, diags))

    def validate(self, content: Content, diags: Diagnostics) -> None:
        from builder.frameworks.rules import validate_frameworks

        validate_frameworks(content, diags)

    def derive(self, content: Content, derived: Derived, diags: Diagnostics) -> None:
        from builder.frameworks.comparison import evaluate_all

        if derived.find(Evaluations) is None:
            derived.put(Evaluations(evaluate_all(content)))


FEATURE = FrameworksFeature()
