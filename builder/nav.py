"""The site's navigation as every engine gets it: mkdocs.yml's ``nav`` plus
the hand-written guides under docs/ (one 工作指南 section) and generated pages
that ask to be listed (``GeneratedFile.in_nav``). Used by the MkDocs plugin
and the Zensical adapter, so both engines show the same tabs."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any


def nav_paths(nav: Any) -> set[str]:
    """Every page path a nav lists (at any depth)."""
    out: set[str] = set()

    def walk(x: Any) -> None:
        if isinstance(x, str):
            out.add(x)
        elif isinstance(x, list):
            for y in x:
                walk(y)
        elif isinstance(x, dict):
            for y in x.values():
                walk(y)

    walk(nav or [])
    return out


def add_guides(nav: list[Any], docs_dir: Path, doc_sections: Mapping[str, str], guides_title: str) -> None:
    """Append the hand-written folders under docs/ that exist (folder → title),
    under one ``guides_title`` section (each at the top level when it is "");
    pages the nav already lists are left where they are."""
    listed = nav_paths(nav)
    sections = []
    for folder, title in doc_sections.items():
        d = docs_dir / folder
        if not d.is_dir():
            continue
        pages = sorted(p.relative_to(docs_dir).as_posix() for p in d.rglob("*.md"))
        pages = [p for p in pages if p not in listed]
        pages.sort(key=lambda p: (not p.endswith("/index.md"), p))
        if pages:
            sections.append({title: pages})
    if sections and guides_title:
        nav.append({guides_title: sections})
    else:
        nav.extend(sections)


def add_generated(nav: list[Any], paths: Iterable[str]) -> None:
    """Append generated pages that ask to be listed and are not yet."""
    listed = nav_paths(nav)
    nav.extend(p for p in paths if p not in listed)
