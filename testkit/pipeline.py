"""The pipeline in-process, for tests and benchmarks."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from builder.kernel.build import BuildContext, Derived, GeneratedFile, Options
from builder.kernel.diagnostics import Diagnostics
from builder.pipeline import produce, run


def built(
    content_dir: Path,
    root: Path | None = None,
    site_url: str = "",
    today: dt.date | None = None,
    cache_dir: Path | None = None,
    **values,
) -> tuple:
    """(content, derived, diags) of a build (photos processed) of content_dir."""
    kw = {"today": today} if today else {}
    if cache_dir is not None:
        kw["cache_dir"] = Path(cache_dir)
    options = Options(dict(values), site_url=site_url, build=True, **kw)
    return run(Path(content_dir), root or Path(content_dir).parent, options)


def generated(content_dir: Path, root: Path | None = None, **kw) -> tuple:
    """(content, {path: GeneratedFile}, diags, derived) of a build."""
    content, derived, diags = built(content_dir, root, **kw)
    files = produce(content, derived, diags)
    return content, {g.path: g for g in files}, diags, derived


def context(content, diags: Diagnostics, derived: Derived) -> BuildContext:
    return BuildContext(content, diags, derived)


def tours(derived: Derived) -> dict:
    from builder.tours.feature import ToursPart

    return derived.get(ToursPart).tours


__all__ = ["GeneratedFile", "built", "context", "generated", "tours"]
