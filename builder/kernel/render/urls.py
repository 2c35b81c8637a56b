"""Relative URLs between generated pages.

Generated pages are mostly raw HTML blocks (so editor text cannot inject
Markdown), and MkDocs does not rewrite links inside raw HTML; so we compute
the same relative URLs MkDocs would, for either value of use_directory_urls
(Material's offline plugin switches it off)."""

from __future__ import annotations

import functools
import posixpath


def page_url(src: str, directory_urls: bool) -> str:
    """Site URL (relative to the site root) of a source path like 'villages/x.md'."""
    if not src.endswith(".md"):
        return src
    stem = src[:-3]
    if directory_urls:
        if stem == "index":
            return ""
        if stem.endswith("/index"):
            return stem[:-5]
        return stem + "/"
    return stem + ".html"


@functools.lru_cache(maxsize=1 << 18)
def _relpath(target: str, base: str) -> str:
    """posixpath.relpath, kept per pair (lists link every village from a few pages)."""
    return posixpath.relpath(target, base)


class Linker:
    """Links from one page (its source path) to other pages and assets."""

    __slots__ = ("_base", "du", "src")

    def __init__(self, src: str, directory_urls: bool = True):
        self.src = src
        self.du = directory_urls
        url = page_url(src, directory_urls)
        self._base = url.rstrip("/") if url.endswith("/") or url == "" else posixpath.dirname(url)

    def _rel(self, target: str) -> str:
        return _relpath(target or ".", self._base or ".")

    def page(self, src: str, anchor: str = "") -> str:
        url = page_url(src, self.du)
        if self.du:
            r = self._rel(url.rstrip("/")) if url else self._rel("")
            r = r + "/" if not r.endswith("/") else r
            if r == "./":
                r = "./"
        else:
            r = self._rel(url)
        return r + (f"#{anchor}" if anchor else "")

    def asset(self, path: str) -> str:
        return self._rel(path)
