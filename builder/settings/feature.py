"""content/site.yml: the county, title and the configured lists."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any, ClassVar

from builder.kernel.deps import Key
from builder.kernel.feature import BaseFeature
from builder.settings.identity import CODES
from builder.settings.load import SettingsPart, load_settings
from builder.settings.model import SiteSettings

if TYPE_CHECKING:
    from builder.content import Content
    from builder.kernel.build import BuildContext, GeneratedFile
    from builder.kernel.diagnostics import Diagnostics
    from builder.kernel.diagnostics.codes import Code


class SettingsFeature(BaseFeature["Content"]):
    name = "settings"
    reads: ClassVar[frozenset[Key] | None] = frozenset()
    schemas: ClassVar[Mapping[str, Any]] = {"site": SiteSettings}
    codes: ClassVar[Sequence[Code]] = CODES

    def load(self, content: Content, diags: Diagnostics) -> None:
        content.put(load_settings(content, diags))

    def validate(self, content: Content, diags: Diagnostics) -> None:
        from builder.settings.rules import validate_settings

        validate_settings(content, diags)

    def produce(self, ctx: BuildContext[Content]) -> Iterable[GeneratedFile]:
        """The logo and the 党政机关网站标识, as checked PNG copies."""
        from builder.kernel.build import GeneratedFile

        part = ctx.content.find(SettingsPart)
        for image in (part.images if part else {}).values():
            yield GeneratedFile(image.path, content=image.png)


FEATURE = SettingsFeature()
