"""A cheap photo check for ``python -m builder check``: each referenced photo
must be a configured format (by extension and by its first bytes) and HEIC
must be enabled for HEIC files. Decoding happens in the build (produce.py).

Settings come from the environment (VILLAGES_PHOTOS_*) here, since check has
no BuildContext; see builder/photos/settings.py.
"""

from __future__ import annotations

from builder.content import Content
from builder.diagnostics import Diagnostics, Location
from builder.photos.produce import format_problem, report
from builder.photos.refs import all_published
from builder.photos.settings import PhotoSettings
from builder.pipeline import register_validator


@register_validator
def validate_photos(content: Content, diags: Diagnostics) -> None:
    try:
        s = PhotoSettings.from_options({})
    except ValueError as exc:
        diags.error(Location("（环境变量）"), "bad-value", str(exc), "改正 VILLAGES_PHOTOS_* 环境变量，或删掉它。")
        return
    for slug, files in all_published(content).items():
        v = content.villages[slug]
        for f, ypath in files.items():
            try:
                with open(v.dir / f, "rb") as fh:
                    head = fh.read(64)
            except OSError:
                head = None
            prob = format_problem(s, f, head)
            if prob:
                report(diags, s, v.doc.loc(ypath), prob[0], prob[1], f"{v.name}（{v.slug}）", f)
