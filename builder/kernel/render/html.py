"""Helpers every feature's pages use: numbers, front matter, raw HTML
blocks, pinyin keys and anchors, QR codes."""

from __future__ import annotations

import functools
import html
import json
import re
from pathlib import Path
from typing import Any

_BLANK = re.compile(r"\n[ \t]*(?=\n)")


def num(x: float | None) -> str:
    if x is None:
        return ""
    return f"{x:g}" if abs(x) < 1e6 else f"{x:.0f}"


def raw_block(s: str) -> str:
    """A raw HTML block for Markdown: no blank lines inside (they would end it)."""
    return _BLANK.sub("", s).strip("\n")


def safe_title(s: str) -> str:
    """Page title for front matter. Material prints it unescaped in the header
    and through |striptags in <title>; so neither raw nor entity-escaped '<'
    is safe in both places. Angle brackets become full-width look-alikes and
    '&' an entity; village names never legitimately contain them."""
    return s.replace("&", "&amp;").replace("<", "＜").replace(">", "＞")


def meta_text(s: str) -> str:
    """A front-matter value the theme prints inside an attribute without
    escaping (Material's <meta name="description" content="…">): escaped
    here, quotes included, so the text can never leave the attribute."""
    return html.escape(" ".join(s.split()), quote=True)


def page_md(meta: dict[str, Any], *blocks: str) -> str:
    if "description" in meta:
        meta = {**meta, "description": meta_text(meta["description"])}
    fm = json.dumps(meta, ensure_ascii=True, sort_keys=True)
    return "---\n" + fm + "\n---\n\n" + "\n\n".join(b for b in blocks if b) + "\n"


@functools.lru_cache(maxsize=65536)
def pinyin_key(text: str) -> str:
    """The sort key of a Chinese text (its pinyin); kept per text (names recur on every list)."""
    from pypinyin import lazy_pinyin

    return "".join(lazy_pinyin(text)).lower()


def anchor(text: str, prefix: str) -> str:
    key = re.sub(r"[^a-z0-9]+", "-", pinyin_key(text)).strip("-")
    return f"{prefix}-{key or 'x'}"


@functools.lru_cache(maxsize=4096)
def qr_svg(url: str, title: str, *, cls: str = "vp-qr-svg", cache_dir: Path | None = None) -> str:
    """The one QR code of the site (village pages, tour stops): a standard QR
    (never Micro QR, which phones read badly), level M, as inline SVG titled
    `title` (segno escapes it) with the URL as its <desc>; CSS sets its size.
    A fixed mask skips segno's best-mask search (3× the cost; any mask scans).
    Kept in memory for the run and, with a cache_dir, on disk keyed by its
    inputs, so warm builds do no QR work."""
    import hashlib

    key = hashlib.sha256(f"v2\0{url}\0{title}\0{cls}".encode()).hexdigest()[:32]
    path = Path(cache_dir) / "qr" / key[:2] / f"{key}.svg" if cache_dir is not None else None
    if path is not None:
        try:
            return path.read_text(encoding="utf-8")
        except OSError:
            pass
    import segno

    out = segno.make_qr(url, error="m", mask=0, boost_error=False).svg_inline(
        scale=3, title=title, desc=url, svgclass=cls, omitsize=True, border=2
    )
    out = out.replace("<svg ", '<svg role="img" ', 1)
    if path is None:
        return out
    from builder.kernel.atomic import write_file

    write_file(path, out, best_effort=True)  # a read-only or full cache only costs speed
    return out
