"""Phone numbers marked non-public appear in no published text."""

from __future__ import annotations

from builder.kernel.feature import BaseFeature


class PrivacyChecked:
    """Marks that the search ran (derive may be completed for a build later)."""


class PrivacyFeature(BaseFeature):
    name = "privacy"

    def derive(self, content, derived, diags) -> None:  # type: ignore[no-untyped-def]
        # In derive, after the tours are read (their notes are published text too).
        from builder.privacy.rules import validate_privacy
        from builder.tours.feature import ToursPart

        if derived.find(PrivacyChecked) is None:
            part = derived.find(ToursPart)
            validate_privacy(content, diags, part.tours if part else {})
            derived.put(PrivacyChecked())


FEATURE = PrivacyFeature()
