"""A generated page whose body is already HTML, handed to MkDocs without a
Markdown pass.

Every page the core generates is front matter plus raw HTML blocks (final,
escaped HTML: ``kernel/render/html.py``). MkDocs would still build a
Python-Markdown instance with every extension of mkdocs.yml for each of them
(≈ 1 ms a page, thousands of pages) only to pass the blocks through. For the
pages outside the nav — villages, profiles, projects, tours — the plugin gives
MkDocs this Page instead, whose ``render`` takes the blocks as they are: the
result is what Markdown produced with the blocks set aside
(``plugin.on_page_markdown``), byte for byte
(``tests/test_plugin.py::test_html_pages_are_byte_identical``). A page with
anything else in its body is rendered by MkDocs as usual. Pages in the nav
keep MkDocs' own Page, which takes the nav's title."""

from __future__ import annotations

import re
from typing import Any

from mkdocs.structure.pages import Page
from mkdocs.structure.toc import get_toc

from builder.kernel.render.toc import toc_tokens

# A raw HTML block as written by builder.render.pages.raw_block: starts with
# <div class="vp-page…> at a line start and has no blank line inside.
RAW_BLOCK = re.compile(r'^<div class="vp-page[^\n]*(?:\n(?!\n)[^\n]*)*', re.M)
_ID = re.compile(r'\sid="([^"<>]*)"')


def html_only(markdown: str) -> list[str] | None:
    """The raw blocks, when they are all the body holds; else None."""
    blocks = RAW_BLOCK.findall(markdown)
    if not blocks or RAW_BLOCK.sub("", markdown).strip():
        return None
    return blocks


class HtmlPage(Page):
    def render(self, config: Any, files: Any) -> None:
        blocks = html_only(self.markdown or "")
        if blocks is None:
            super().render(config, files)
            return
        html = "\n".join(blocks)
        self.toc = get_toc(toc_tokens(html))
        self._title_from_render = None
        self.present_anchor_ids = set(_ID.findall(html))
        # MkDocs reads every page before it builds any (populate, then build),
        # so each page's text would stay in memory three times over until the
        # end: the generated file's text, its Markdown without the front
        # matter and the HTML. Only the HTML is kept: the plugin sets it aside
        # as UTF-8 bytes or in its spool until the page is built (plugin.py:
        # _set_aside, on_page_context), as for every generated page.
        self.content = html
        self.markdown = ""  # not None: MkDocs' title would be None then (it stays the meta's)
        if self.file.abs_src_path is None:
            self.file._content = None  # nothing reads a built page's source again
