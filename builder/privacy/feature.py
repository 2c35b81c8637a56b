"""Phone numbers marked non-public appear in no published text."""

from __future__ import annotations

from typing import TYPE_CHECKING

from builder.kernel.feature import BaseFeature

if TYPE_CHECKING:
    from builder.content import Content
    from builder.kernel.build import Derived
    from builder.kernel.diagnostics import Diagnostics


class PrivacyChecked:
    """Marks that the search ran (derive may be completed for a build later)."""


class PrivacyFeature(BaseFeature["Content"]):
    name = "privacy"

    def derive(self, content: Content, derived: Derived, diags: Diagnostics) -> None:
        # In derive, after the tours are read (their notes are published text too).
        from builder.privacy.rules import validate_privacy
        from builder.tours.feature import ToursPart

        if derived.find(PrivacyChecked) is None:
            part = derived.find(ToursPart)
            validate_privacy(content, diags, part.tours if part else {})
            derived.put(PrivacyChecked())


FEATURE = PrivacyFeature()
