"""The editor's headings, one level down (line for line)."""

from __future__ import annotations

import re

_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
_ATX = re.compile(r"^( {0,3})(#{1,6})(?=[ \t]|$)")
_SETEXT = re.compile(r"^ {0,3}(=+|-+)[ \t]*$")
_NOT_PARAGRAPH = re.compile(r"^\s*([-*+]\s|[>|#<]|\d+[.)]\s|$)|^( {4}|\t)")


def nest_headings(md: str) -> str:
    """The editor's prose sits under the page's "## 村情介绍" (the page's <h1>
    is the village name): its headings move one level down, # and ## → ###,
    ### → #### …, so that they nest under 村情介绍 in the contents. ATX and
    setext headings; fenced code is left alone. The number of lines never
    changes (a setext underline becomes an empty line), so diagnostics keep
    the editor's line numbers."""
    out: list[str] = []
    fence = ""
    for line in md.split("\n"):
        f = _FENCE.match(line)
        if fence:
            if f and f.group(1)[0] == fence[0] and len(f.group(1)) >= len(fence):
                fence = ""
            out.append(line)
        elif f:
            fence = f.group(1)
            out.append(line)
        elif a := _ATX.match(line):
            level = min(6, max(3, len(a.group(2)) + 1))
            out.append(a.group(1) + "#" * level + line[a.end() :])
        elif _SETEXT.match(line) and out and not _NOT_PARAGRAPH.match(out[-1]):
            out[-1] = "### " + out[-1].strip()  # "Title\n===" or "Title\n---": h1/h2
            out.append("")
        else:
            out.append(line)
    return "\n".join(out)
