"""The index as small script files, so a query loads only what it needs and
works from ``file://`` (each file is a <script> that hands its data to
``vpSearch``; fetch/XHR of local files is blocked there).

- ``assets/search/index.js``: the manifest (number of term shards and of
  page chunks, chunk size); loaded when a visitor starts to search.
- ``assets/search/t/<n>.js``: the postings of every term whose FNV-1a hash is
  ``n`` modulo the number of shards: ``term: [doc, weight, doc, weight …]``
  (doc ids as differences to the previous one, weights as integers, the
  page's boost included). The number of shards grows with the index so that
  a shard stays near ``SHARD_BYTES``; a term keeps its ``MAX_POSTINGS`` best
  pages, so a shard does not grow with the county either.
- ``assets/search/d/<n>.js``: ``[url, title, snippet]`` of ``CHUNK`` pages
  (ids n·CHUNK …), loaded only for the results shown.

A query's terms (tokens.terms + the exact term) are looked up; a page's
rank is the sum of its weights for them times the square of the share of the
query's terms it contains (a guide that quotes a project's whole title does
not pass the village that has most of its words with far more weight);
tests/test_search.py holds the rules."""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from builder.kernel.render.urls import page_url
from builder.search.documents import VILLAGE, Doc
from builder.search.tokens import EXACT, exact_key, fnv1a, name_terms, terms

PREFIX = "assets/search/"
SHARD_BYTES = 12_000  # target size of a term shard (uncompressed)
CHUNK = 32  # pages per metadata chunk
MAX_POSTINGS = 600  # a term's best pages kept
NAME, LABEL, BODY, EXACT_BONUS = 200, 100, 10, 1000


@dataclass
class Index:
    docs: list[Doc]
    postings: dict[str, list[tuple[int, int]]]  # term → [(doc id, weight)], doc ids ascending


def weights(doc: Doc) -> dict[str, float]:
    """Each term of one page and its weight before the page's boost."""
    strong: dict[str, float] = {}
    for n in doc.names:
        for t in name_terms(n):
            strong[t] = EXACT_BONUS if t.startswith(EXACT) else NAME
    for lab in [doc.title, *doc.labels]:
        for t in terms(lab):
            strong[t] = max(strong.get(t, 0), LABEL)
        key = exact_key(lab)
        if key and lab in doc.labels and EXACT + key not in strong:
            strong[EXACT + key] = EXACT_BONUS / 4  # a tag equal to the query
    body = Counter(t for s in doc.text for t in terms(s))
    out = dict(strong)
    for term, count in body.items():
        out[term] = out.get(term, 0) + BODY + 2 * min(count - 1, 5)
    return out


def _weights(doc: Doc) -> dict[str, float]:
    """weights(doc), kept by the page's words while the preview's memo is on
    (an update indexes again only the pages whose words changed)."""
    from builder.kernel.loading import memo

    if not memo.enabled():
        return weights(doc)
    words = (doc.title, tuple(doc.names), tuple(doc.labels), tuple(doc.text))
    return memo.pure(("search-weights", words), lambda: weights(doc))


def build(docs: list[Doc]) -> Index:
    postings: dict[str, list[tuple[int, int]]] = {}
    for i, doc in enumerate(docs):
        for t, w in _weights(doc).items():
            # a page's own whole name (the exact term) weighs as much on every
            # page, whatever its boost: typing a news item's or a guide's whole
            # title finds that page before a village or project sharing its words
            boost = max(doc.boost, VILLAGE) if w >= EXACT_BONUS and t.startswith(EXACT) else doc.boost
            postings.setdefault(t, []).append((i, max(1, round(w * boost))))
    for t, ps in postings.items():
        if len(ps) > MAX_POSTINGS:
            keep = sorted(ps, key=lambda p: (-p[1], p[0]))[:MAX_POSTINGS]
            postings[t] = sorted(keep)
    return Index(docs, postings)


def shard_count(postings: dict[str, list[tuple[int, int]]]) -> int:
    size = sum(len(t) * 3 + 6 + 8 * len(ps) for t, ps in postings.items())
    n = 1
    while size / n > SHARD_BYTES:
        n *= 2
    return n


def _js(call: str, *args: object) -> str:
    body = ",".join(json.dumps(a, ensure_ascii=False, separators=(",", ":")) for a in args)
    # </script> cannot occur: the file is a script of its own, never inlined
    return f"vpSearch.{call}({body});\n"


def files(index: Index, directory_urls: bool) -> Iterable[tuple[str, str]]:
    """(path, text) of every index file."""
    n = shard_count(index.postings)
    shards: list[dict[str, list[int]]] = [{} for _ in range(n)]
    for t in sorted(index.postings):
        flat: list[int] = []
        prev = 0
        for d, w in index.postings[t]:
            flat += [d - prev, w]
            prev = d
        shards[fnv1a(t) % n][t] = flat
    chunks = (len(index.docs) + CHUNK - 1) // CHUNK
    digest = hashlib.sha256()
    for k, shard in enumerate(shards):
        text = _js("terms", k, shard)
        digest.update(text.encode())
        yield f"{PREFIX}t/{k}.js", text
    for k in range(chunks):
        rows = [[page_url(d.src, directory_urls), d.title, d.snippet] for d in index.docs[k * CHUNK : (k + 1) * CHUNK]]
        text = _js("docs", k, rows)
        digest.update(text.encode())
        yield f"{PREFIX}d/{k}.js", text
    manifest = {"shards": n, "chunk": CHUNK, "docs": len(index.docs), "version": digest.hexdigest()[:12]}
    yield f"{PREFIX}index.js", _js("manifest", manifest)


def query(index: Index, q: str) -> list[int]:
    """Doc ids, best first: the browser's ranking (assets/vp-search.js), for tests."""
    qterms = query_terms(q)
    hits: Counter[int] = Counter()
    score: Counter[int] = Counter()
    for t in qterms:
        for d, w in index.postings.get(t, []):
            if not t.startswith(EXACT):
                hits[d] += 1
            score[d] += w
    n = max(1, sum(1 for t in qterms if not t.startswith(EXACT)))
    rank = {d: score[d] * (hits[d] / n) ** 2 for d in score}
    return sorted(rank, key=lambda d: (-rank[d], d))


MAX_TERMS = 16  # a long query looks up at most this many terms (the first ones)


def query_terms(q: str) -> list[str]:
    ts = list(dict.fromkeys(terms(q)))[:MAX_TERMS]
    key = exact_key(q)
    if key and len(key) > 1:
        ts.append(EXACT + key)
    return ts
