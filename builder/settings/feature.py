"""content/site.yml: the county, title and the configured lists."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, ClassVar

from builder.kernel.feature import BaseFeature
from builder.settings.load import load_settings
from builder.settings.model import SiteSettings

if TYPE_CHECKING:
    from builder.content import Content
    from builder.kernel.diagnostics import Diagnostics


class SettingsFeature(BaseFeature["Content"]):
    name = "settings"
    schemas: ClassVar[Mapping[str, Any]] = {"site": SiteSettings}

    def load(self, content: Content, diags: Diagnostics) -> None:
        content.put(load_settings(content, diags))

    def validate(self, content: Content, diags: Diagnostics) -> None:
        from builder.settings.rules import validate_settings

        validate_settings(content, diags)


FEATURE = SettingsFeature()
