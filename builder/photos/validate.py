"""The photo check of ``python -m builder check``: each referenced photo
must be a configured format (by extension and by its first bytes), HEIC must
be enabled for HEIC files, and the file must decode within the limits the
build applies (empty, text, truncated, pixel bomb …): check gives the build's
verdict, with the same code at the same place. The verdict is cached by the
photo's content and the settings: the build's own cache entry when there is
one, else cache/photos/verdicts.json, so a check where nothing changed
decodes nothing.

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
from builder.photos.produce import format_problem, report, report_meta
from builder.photos.refs import all_published, ref_location
from builder.photos.settings import PhotoSettings


def validate_photos(content: Content, diags: Diagnostics) -> None:
    try:
        s = PhotoSettings.from_options(content.options.values)
    except ValueError as exc:
        diags.error(Location("（环境变量）"), "bad-value", str(exc), "改正 VILLAGES_PHOTOS_* 环境变量，或删掉它。")
        return
    todo: list = []
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
                report(diags, s, ref_location(v, ypath), prob[0], prob[1], f"{v.name}（{v.slug}）", f)
                continue
            if head is None:
                continue  # cannot be read: the build says why (io)
            todo.append((v, f, ypath))
    if todo:
        _decode_verdicts(content, s, todo, diags)


def _decode_verdicts(content: Content, s: PhotoSettings, todo: list, diags: Diagnostics) -> None:
    import json

    from builder.kernel.atomic import write_file
    from builder.photos.pipeline import SourceIndex, entry_key, read_entry, verify_file
    from builder.photos.produce import cache_root

    root = cache_root(content.options)
    index = SourceIndex(root)
    store_file = root / "verdicts.json"
    try:
        store: dict[str, dict] = json.loads(store_file.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        store = {}
    fp = s.fingerprint()
    changed = False
    for v, f, ypath in todo:
        path = v.dir / f
        try:
            key = entry_key(fp, index.sha(path))
        except OSError:
            continue  # the build reports what cannot be read
        meta = read_entry(root, key) or store.get(key)
        if meta is None:
            meta = verify_file(path, s)
            if not meta.get("transient"):
                store[key] = {k: meta[k] for k in ("ok", "kind", "detail") if k in meta}
                changed = True
        if not meta.get("ok"):
            report_meta(diags, s, ref_location(v, ypath), meta, f"{v.name}（{v.slug}）", f)
    index.save()
    if changed:  # only a speed-up: an unwritable cache means decoding again next time
        write_file(store_file, json.dumps(store, sort_keys=True, ensure_ascii=False), best_effort=True)
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
