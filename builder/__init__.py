"""示范村展示门户 core: content → load → validate → derive → render.

The core is plain Python and knows nothing of MkDocs; ``builder.mkdocs_plugin``
is a thin adapter over it and ``builder.cli`` drives it from the command line.
"""

__version__ = "0.1.0"
