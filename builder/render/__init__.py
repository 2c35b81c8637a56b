"""Rendering: derived content → generated pages (Markdown/HTML) and assets.

Every concern (portal pages, photos, tours) contributes *producers*: functions
that take a BuildContext and yield GeneratedFile objects. The MkDocs plugin and
the ``generate`` CLI command both just run all producers.
"""

from builder.kernel.build import BuildContext, GeneratedFile, register_producer, producers

__all__ = ["BuildContext", "GeneratedFile", "register_producer", "producers"]
