"""Editors' tools: ``new village|project``, ``schema``, ``docs-codes``."""

from __future__ import annotations

import argparse
from collections.abc import Callable

from builder.kernel.content import ContentBase
from builder.kernel.feature import BaseFeature


class ScaffoldFeature(BaseFeature[ContentBase]):
    name = "scaffold"

    def commands(
        self,
        sub: argparse._SubParsersAction[argparse.ArgumentParser],
        add_content: Callable[[argparse.ArgumentParser], None],
    ) -> None:
        from builder.scaffold.cli import register

        register(sub, add_content)


FEATURE = ScaffoldFeature()
