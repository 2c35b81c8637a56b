"""A cheap photo check for ``python -m builder check``: each referenced photo
must be a configured format (by extension and by its first bytes) and HEIC
must be enabled for HEIC files. Decoding happens in the build (produce.py).

Settings come from the environment (VILLAGES_PHOTOS_*) here, since check has
no BuildContext; see builder/photos/settings.py.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path
from typing import Literal

from builder.content import Content
from builder.kernel.diagnostics import Diagnostics, Location
from builder.kernel.loading.textfile import SAFE_OPEN_FLAGS
from builder.photos.produce import format_problem, report
from builder.photos.refs import all_published
from builder.photos.settings import PhotoSettings


def validate_photos(content: Content, diags: Diagnostics) -> None:
    try:
        s = PhotoSettings.from_options(content.options.values)
    except ValueError as exc:
        diags.error(Location("（环境变量）"), "bad-value", str(exc), "改正 VILLAGES_PHOTOS_* 环境变量，或删掉它。")
        return
    for slug, files in all_published(content).items():
        v = content.villages[slug]
        for f, ypath in files.items():
            head = _read_head(v.dir / f)
            if head is False:
                diags.emit(
                    v.doc.loc(ypath),
                    "special-file",
                    f"{v.name}（{v.slug}）的照片 {f} 不是普通文件（可能是链接或特殊文件），门户不会打开它。",
                    "把它换成真正的照片文件；门户只发布仓库里真实存在的文件。",
                )
                continue
            prob = format_problem(s, f, head)
            if prob:
                report(diags, s, v.doc.loc(ypath), prob[0], prob[1], f"{v.name}（{v.slug}）", f)
    cover = content.settings.cover
    doc = content.settings_doc
    if cover and doc is not None and content.listing().is_file(cover):
        head = _read_head(content.content_dir / cover)
        prob = format_problem(s, cover, head or None)
        if prob:
            report(diags, s, doc.loc(("cover",)), prob[0], prob[1], "全县封面", cover)


def _read_head(path: Path) -> bytes | Literal[False] | None:
    """The first bytes of a photo; None when it cannot be read (the build
    reports why), False when it is not a regular file. Opened without
    following a link and without blocking on a FIFO, checked on the open fd
    (the content walk already lists only regular files; this is the second
    line of defence)."""
    try:
        fd = os.open(path, SAFE_OPEN_FLAGS)
    except OSError as exc:
        import errno

        return False if exc.errno == errno.ELOOP else None
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            return False
        return os.read(fd, 64)
    except OSError:
        return None
    finally:
        os.close(fd)
