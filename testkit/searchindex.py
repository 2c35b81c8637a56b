"""Read a built site's search index (builder/search) back, as the browser
would: every ``vpSearch.*(…)`` call of its script files."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path

_CALL = re.compile(r"\AvpSearch\.(\w+)\((.*)\);\n\Z", re.S)


def _args(text: str) -> tuple[str, list]:
    m = _CALL.match(text)
    assert m, text[:80]
    return m.group(1), json.loads("[" + m.group(2) + "]")


@dataclass
class SiteIndex:
    manifest: dict
    pages: list[list[str]]  # [url, title, snippet] by doc id
    postings: dict[str, list[tuple[int, int]]]  # term → [(doc id, weight)]


def read_index(site: Path) -> SiteIndex:
    d = site / "assets" / "search"
    call, (manifest,) = _args((d / "index.js").read_text("utf-8"))
    assert call == "manifest"
    pages: list[list[str]] = []
    for k in range((manifest["docs"] + manifest["chunk"] - 1) // manifest["chunk"]):
        call, (n, rows) = _args((d / "d" / f"{k}.js").read_text("utf-8"))
        assert call == "docs" and n == k
        pages += rows
    postings: dict[str, list[tuple[int, int]]] = {}
    for k in range(manifest["shards"]):
        call, (n, shard) = _args((d / "t" / f"{k}.js").read_text("utf-8"))
        assert call == "terms" and n == k
        for term, flat in shard.items():
            doc, out = 0, []
            for i in range(0, len(flat), 2):
                doc += flat[i]
                out.append((doc, flat[i + 1]))
            postings[term] = out
    return SiteIndex(manifest, pages, postings)
