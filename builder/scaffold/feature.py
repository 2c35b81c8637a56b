"""Editors' tools: ``new village|project``, ``schema``, ``docs-codes``."""

from __future__ import annotations

from builder.kernel.feature import BaseFeature


class ScaffoldFeature(BaseFeature):
    name = "scaffold"

    def commands(self, sub, add_content) -> None:  # type: ignore[no-untyped-def]
        from builder.scaffold.cli import register

        register(sub, add_content)


FEATURE = ScaffoldFeature()
