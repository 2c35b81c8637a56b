"""Label placement moved to the kernel's render toolkit
(builder/kernel/render/labels.py), since the county map and the tour route
maps both use it; the names stay importable from here."""

from builder.kernel.render.labels import Box, Label, overlaps, place, text_width

__all__ = ["Box", "Label", "overlaps", "place", "text_width"]
