"""The one-way pipeline: load → validate → (derive → render elsewhere).

Other concerns (photos, tours, pages) register extra validation steps here so
that ``check`` and the build report every problem in one pass.
"""

from __future__ import annotations

from pathlib import Path
from typing import Callable

from builder.content import Content, load_content
from builder.kernel.diagnostics import Diagnostics
from builder.validate.rules import validate_content

# Extra validators: each takes (content, diags). Registered by other packages
# (e.g. builder.tours) at import time via register_validator.
_VALIDATORS: list[Callable[[Content, Diagnostics], None]] = []


def register_validator(fn: Callable[[Content, Diagnostics], None]) -> Callable:
    if fn not in _VALIDATORS:
        _VALIDATORS.append(fn)
    return fn


def _load_extensions() -> None:
    # Import concerns that add validators; a missing one is simply not there yet.
    import importlib

    for mod in ("builder.tours.validate", "builder.photos.validate", "builder.map.validate"):
        try:
            importlib.import_module(mod)
        except ModuleNotFoundError as exc:
            if exc.name and not mod.startswith(exc.name):
                raise


def check(content_dir: Path | str, root: Path | str | None = None) -> tuple[Content, Diagnostics]:
    """Load and validate everything; never raises for bad content."""
    _load_extensions()
    diags = Diagnostics()
    content = load_content(Path(content_dir), diags, Path(root) if root else None)
    validate_content(content, diags)
    for fn in _VALIDATORS:
        fn(content, diags)
    # Last: it searches every loaded document, tours included (loaded by their validator).
    from builder.validate.privacy import validate_privacy

    validate_privacy(content, diags)
    return content, diags
