"""content/towns.yml: the towns and their number of administrative villages."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, ClassVar

from builder.kernel.feature import BaseFeature
from builder.towns.load import load_towns
from builder.towns.model import TownsFile

if TYPE_CHECKING:
    from builder.content import Content
    from builder.kernel.diagnostics import Diagnostics


class TownsFeature(BaseFeature["Content"]):
    name = "towns"
    schemas: ClassVar[Mapping[str, Any]] = {"towns": TownsFile}

    def load(self, content: Content, diags: Diagnostics) -> None:
        content.put(load_towns(content, diags))

    def validate(self, content: Content, diags: Diagnostics) -> None:
        from builder.towns.rules import _town_share

        _town_share(content, diags)


FEATURE = TownsFeature()
