"""How text becomes search terms — the same rules as the browser's
(assets/vp-search.js: ``terms``, ``fnv1a``): NFKC, lower case; a run of
Chinese characters becomes its character bigrams (one character alone stays
a term), a run of ASCII letters and digits one word. A page's own names also
give their single characters (so a one-character query finds names) and one
exact term, ``=`` + the name's characters, which a query equal to the name
matches."""

from __future__ import annotations

import re
import unicodedata

# CJK Unified Ideographs (+ Extension A, compatibility ideographs); ASCII words.
RUN = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]+|[a-z0-9]+")
EXACT = "="


def normalize(text: str) -> str:
    return unicodedata.normalize("NFKC", text).lower()


def runs(text: str) -> list[str]:
    return RUN.findall(normalize(text))


def terms(text: str) -> list[str]:
    """The terms of a text, in order, repeats kept (the query's and the body's rule)."""
    out: list[str] = []
    for r in runs(text):
        if r.isascii() or len(r) == 1:
            out.append(r)
        else:
            out.extend(r[i : i + 2] for i in range(len(r) - 1))
    return out


def name_terms(name: str) -> set[str]:
    """A page's own name: its terms, its single characters and its exact term."""
    rs = runs(name)
    out = set(terms(name))
    for r in rs:
        if not r.isascii():
            out.update(r)
    key = exact_key(name)
    if key:
        out.add(EXACT + key)
    return out


def exact_key(text: str) -> str:
    return "".join(runs(text))


def fnv1a(term: str) -> int:
    """32-bit FNV-1a of the term's UTF-8 bytes (which shard holds its postings)."""
    h = 0x811C9DC5
    for b in term.encode("utf-8"):
        h ^= b
        h = (h * 0x01000193) & 0xFFFFFFFF
    return h
