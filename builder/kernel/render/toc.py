"""The table of contents of a generated page, from its final HTML.

Generated pages are mostly raw HTML blocks, whose headings Python-Markdown's
toc extension never sees: a village page's contents listed only the editor's
prose ("村情介绍" and its sub-headings), not 看点, 标准自评, 照片, 书记党建项目….
:func:`toc_tokens` reads every ``<h2>``/``<h3>`` that has an id from the
page's HTML, in document order, as the toc extension's tokens (the format
MkDocs' ``get_toc`` and other front ends take). A regular expression is
enough: the HTML is our own templates' and Python-Markdown's output, where a
heading is one element with no nested heading; it costs one linear scan.
"""

from __future__ import annotations

import re
from typing import TypedDict

_HEADING = re.compile(r"<h([23])(\s[^>]*)>(.*?)</h\1>", re.S)
_ID = re.compile(r'\sid="([^"]+)"')
_TAG = re.compile(r"<[^>]*>")


class TocToken(TypedDict):
    """One heading: the toc extension's token (MkDocs' ``_TocToken``)."""

    level: int
    id: str
    name: str
    children: list[TocToken]


def toc_tokens(html: str) -> list[TocToken]:
    """[{level, id, name, children}] for the h2/h3 headings with an id; an h3
    goes under the h2 before it (at the top level when there is none).
    name is the heading's HTML without tags (entities stay escaped)."""
    out: list[TocToken] = []
    for m in _HEADING.finditer(html):
        idm = _ID.search(m.group(2))
        if not idm:
            continue
        name = _TAG.sub("", m.group(3)).strip()
        tok: TocToken = {"level": int(m.group(1)), "id": idm.group(1), "name": name, "children": []}
        if tok["level"] == 3 and out and out[-1]["level"] == 2:
            out[-1]["children"].append(tok)
        else:
            out.append(tok)
    return out
