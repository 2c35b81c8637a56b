"""A Python-Markdown extension for the Zensical build: the table of contents
of a generated page from its final HTML.

Generated pages are mostly raw HTML blocks whose headings the toc extension
never sees. Under MkDocs the villages plugin replaces such a page's toc
(``kernel/render/toc.py``: ``toc_tokens``); Zensical takes the toc from
``md.toc_tokens`` after conversion, so this postprocessor sets it the same way,
after the raw HTML is back in place. Pages without the portal's blocks (the
hand-written guides) keep the toc extension's result. Zensical runs it from
its ``markdown_extensions`` (``builder.zensical_engine.mdx``)."""

from __future__ import annotations

from typing import Any

from markdown import Extension, Markdown
from markdown.postprocessors import Postprocessor

from builder.kernel.render.toc import TocToken, toc_tokens

MARK = '<div class="vp-page'


def _token(t: TocToken) -> dict[str, Any]:
    # the toc extension's token keys (Zensical reads data-toc-label, name, html)
    return {
        "level": t["level"],
        "id": t["id"],
        "name": t["name"],
        "html": t["name"],
        "data-toc-label": "",
        "children": [_token(c) for c in t["children"]],
    }


class GeneratedToc(Postprocessor):
    def run(self, text: str) -> str:
        if MARK in text:
            self.md.toc_tokens = [_token(t) for t in toc_tokens(text)]  # type: ignore[attr-defined]
        return text


class GeneratedTocExtension(Extension):
    def extendMarkdown(self, md: Markdown) -> None:  # Python-Markdown's name
        # after the raw HTML (priority 30) and the toc extension are done
        md.postprocessors.register(GeneratedToc(md), "vp_generated_toc", 1)


def makeExtension(**kwargs: Any) -> GeneratedTocExtension:  # Python-Markdown's entry point
    return GeneratedTocExtension(**kwargs)
