"""Registers the tour checks with the pipeline: ``check`` and the build load
content/tours/*.yml, plan each day and report every problem; the loaded
tours are kept in ``content.extras["tours"]`` for the pages and the CLI."""

from __future__ import annotations

from builder.content import Content
from builder.kernel.diagnostics import Diagnostics
from builder.pipeline import register_validator
from builder.tours.load import load_tours


@register_validator
def validate_tours(content: Content, diags: Diagnostics) -> None:
    content.extras["tours"] = load_tours(content, diags)
