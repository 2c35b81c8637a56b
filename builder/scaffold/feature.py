"""Editors' tools: ``new village|project``, ``schema``, ``docs-codes``."""

from __future__ import annotations

from builder.kernel.content import ContentBase
from builder.kernel.feature import BaseFeature


class ScaffoldFeature(BaseFeature[ContentBase]):
    name = "scaffold"
    cli = "builder.scaffold.cli"


FEATURE = ScaffoldFeature()
