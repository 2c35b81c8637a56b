"""The pipeline in-process, for tests and benchmarks."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING, Any

from builder.kernel.build import BuildContext, Derived, GeneratedFile, Options, build_date
from builder.kernel.diagnostics import Diagnostics
from builder.pipeline import produce, run

if TYPE_CHECKING:
    from builder.content import Content
    from builder.tours.load import TourEntry


def built(
    content_dir: Path,
    root: Path | None = None,
    site_url: str = "",
    today: dt.date | None = None,
    cache_dir: Path | None = None,
    **values: Any,
) -> tuple[Content, Derived, Diagnostics]:
    """(content, derived, diags) of a build (photos processed) of content_dir."""
    options = Options(dict(values), site_url=site_url, build=True, today=today or build_date())
    if cache_dir is not None:
        options.cache_dir = Path(cache_dir)
    return run(Path(content_dir), root or Path(content_dir).parent, options)


def generated(
    content_dir: Path, root: Path | None = None, **kw: Any
) -> tuple[Content, dict[str, GeneratedFile], Diagnostics, Derived]:
    """(content, {path: GeneratedFile}, diags, derived) of a build; no files
    when the content has errors (a build stops there: see diags)."""
    content, derived, diags = built(content_dir, root, **kw)
    files = [] if diags.has_errors else produce(content, derived, diags)
    return content, {g.path: g for g in files}, diags, derived


def context(content: Content, diags: Diagnostics, derived: Derived) -> BuildContext[Content]:
    return BuildContext(content, diags, derived)


def tours(derived: Derived) -> dict[str, TourEntry]:
    from builder.tours.feature import ToursPart

    return derived.get(ToursPart).tours


__all__ = ["GeneratedFile", "built", "context", "generated", "tours"]
