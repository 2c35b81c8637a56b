"""A jieba user dictionary built from the content, so Chinese search segments
village names, brand names, tags and standards terms as whole words (jieba's
own dictionary would cut 薯香红旗 into 薯香 / 红旗)."""

from __future__ import annotations

import re
from pathlib import Path

from builder.content import Content

_SPLIT = re.compile(r"[\s，。、；：“”‘’（）()《》〈〉\[\]【】!！?？,.;:\"'·—\-/]+")
FREQ = 50000  # high enough for jieba to prefer the whole word over its parts


def terms(c: Content) -> list[str]:
    out: set[str] = set()

    def add(s: str | None) -> None:
        for part in _SPLIT.split(s or ""):
            part = part.strip()
            if 2 <= len(part) <= 20 and not part.isascii():
                out.add(part)

    for v in c.villages.values():
        m = v.model
        add(m.name)
        add(m.name[:-1] if m.name.endswith("村") and len(m.name) > 2 else None)
        add(m.brand.name)
        for t in m.tags:
            add(t)
        add(m.function)
    for t in c.towns:
        add(t)
    for f in c.settings.functions:
        add(f)
    for fw in c.frameworks.values():
        add(fw.name)
        for it in fw.items:
            add(it.name)
    for p in c.projects.values():
        add(p.model.theme)
    return sorted(out)


def write_user_dict(c: Content, path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    text = "".join(f"{t} {FREQ}\n" for t in terms(c))
    if not path.exists() or path.read_text(encoding="utf-8") != text:
        path.write_text(text, encoding="utf-8")
    return path
