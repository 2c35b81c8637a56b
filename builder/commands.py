"""Sub-commands contributed by each concern. Each module exposes
``register(sub, add_content)``; a module that is not there yet is skipped."""

from __future__ import annotations

import importlib

MODULES = [
    "builder.scaffold.cli",     # schema, new
    "builder.render.cli",       # generate, build
    "builder.photos.cli",       # photos (cache prune)
    "builder.tours.cli",        # tour
    "builder.office.cli",       # scores, assessment (Excel/Word)
]


def register(sub, add_content) -> None:
    for name in MODULES:
        try:
            mod = importlib.import_module(name)
        except ModuleNotFoundError as exc:
            if exc.name and name.startswith(exc.name):
                continue
            raise
        mod.register(sub, add_content)
