"""Registers the map-layer checks with the pipeline: ``check`` and the build
load content/map/ and report every problem; the layers are kept in
``content.extras["map"]`` for the pages."""

from __future__ import annotations

from builder.content import Content
from builder.kernel.diagnostics import Diagnostics
from builder.map.layers import load_map
from builder.pipeline import register_validator


@register_validator
def validate_map(content: Content, diags: Diagnostics) -> None:
    content.extras["map"] = load_map(content, diags)
