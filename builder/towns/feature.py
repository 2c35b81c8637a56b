"""content/towns.yml: the towns and their number of administrative villages."""

from __future__ import annotations

from builder.kernel.feature import BaseFeature
from builder.towns.load import load_towns
from builder.towns.model import TownsFile


class TownsFeature(BaseFeature):
    name = "towns"
    schemas = {"towns": TownsFile}

    def load(self, content, diags) -> None:  # type: ignore[no-untyped-def]
        content.put(load_towns(content, diags))

    def validate(self, content, diags) -> None:  # type: ignore[no-untyped-def]
        from builder.towns.rules import _town_share

        _town_share(content, diags)


FEATURE = TownsFeature()
