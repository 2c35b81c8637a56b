"""content/site.yml: the county, title and the configured lists."""

from __future__ import annotations

from builder.kernel.content import ContentBase
from builder.kernel.diagnostics import Diagnostics
from builder.kernel.feature import BaseFeature
from builder.settings.load import load_settings
from builder.settings.model import SiteSettings


class SettingsFeature(BaseFeature):
    name = "settings"
    schemas = {"site": SiteSettings}

    def load(self, content: ContentBase, diags: Diagnostics) -> None:
        content.put(load_settings(content, diags))

    def validate(self, content, diags: Diagnostics) -> None:  # type: ignore[no-untyped-def]
        from builder.settings.rules import validate_settings

        validate_settings(content, diags)


FEATURE = SettingsFeature()
