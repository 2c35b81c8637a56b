"""Which photos a village references, and the site names of their derivatives."""

from __future__ import annotations

import re
from pathlib import PurePosixPath

from builder.content import Content, VillageEntry
from builder.kernel.diagnostics import Location

PROSE = "<index.md>"  # first element of the "path" of a photo shown in the prose

_UNSAFE = re.compile(r"[^\w.\-]+", re.UNICODE)


def references(v: VillageEntry) -> list[tuple[str, tuple]]:
    """Every (file, YAML path) a village refers to, in document order:
    brand.logo, highlights[].photo, gallery[].file, assessments.*.items.*.photos[],
    then the photos its index.md shows (path (PROSE, line, column))."""
    m = v.model
    out: list[tuple[str, tuple]] = []
    if m.brand.logo:
        out.append((m.brand.logo, ("brand", "logo")))
    for i, h in enumerate(m.highlights):
        if h.photo:
            out.append((h.photo, ("highlights", i, "photo")))
    for i, ph in enumerate(m.gallery):
        out.append((ph.file, ("gallery", i, "file")))
    for fw, a in m.assessments.items():
        for item, ia in a.items.items():
            for k, ref in enumerate(ia.photos):
                out.append((ref, ("assessments", fw, "items", item, "photos", k)))
    if v.prose:
        prose = v.rendered_prose
        for f in prose.photos:
            out.append((f, (PROSE, *prose.photo_lines.get(f, (1, 1)))))
    return out


def ref_location(v: VillageEntry, path: tuple) -> Location:
    """Where a reference returned by references() is written."""
    if path and path[0] == PROSE:
        return Location(v.prose_file or v.file, path[1], path[2])
    return v.doc.loc(path)


def published(v: VillageEntry) -> dict[str, tuple]:
    """Referenced files that exist, each with the first place it is named.
    (Missing ones are reported by builder.validate.rules as missing-photo.)"""
    have = set(v.photo_files)
    out: dict[str, tuple] = {}
    for f, path in references(v):
        if f in have and f not in out:
            out[f] = path
    return out


def derivative_names(files: list[str]) -> dict[str, str]:
    """file ("photos/a b.jpg") → base name for its derivatives ("a-b"),
    unique within the village and stable (depends only on the file list)."""
    names: dict[str, str] = {}
    used: set[str] = set()
    for f in sorted(files):
        p = PurePosixPath(f)
        parts = list(p.parts[1:] if p.parts and p.parts[0] == "photos" else p.parts)
        if not parts:
            parts = [p.name]
        parts[-1] = PurePosixPath(parts[-1]).stem
        base = _UNSAFE.sub("-", "-".join(parts)).strip("-.").lower() or "photo"
        name = base
        if name in used:
            name = f"{base}-{p.suffix.lstrip('.').lower() or 'x'}"
        n = 2
        while name in used:
            name = f"{base}-{n}"
            n += 1
        used.add(name)
        names[f] = name
    return names


def all_published(c: Content) -> dict[str, dict[str, tuple]]:
    return {slug: published(v) for slug, v in sorted(c.villages.items())}
