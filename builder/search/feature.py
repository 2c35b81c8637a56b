"""The site's search: a chunked static index (builder/search/index.py) made
from the content in the produce phase, and the script and style that drive
the header's search box (assets/). Replaces Material's search plugin: no
page loads any of the index until its visitor starts to search."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from builder.kernel.feature import BaseFeature

if TYPE_CHECKING:
    from collections.abc import Iterable

    from builder.content import Content
    from builder.kernel.build import BuildContext, GeneratedFile

HERE = Path(__file__).parent
SCRIPT = "assets/javascripts/vp-search.js"
STYLE = "assets/stylesheets/vp-search.css"


class SearchFeature(BaseFeature["Content"]):
    name = "search"

    def produce(self, ctx: BuildContext[Content]) -> Iterable[GeneratedFile]:
        from builder.kernel.build import GeneratedFile
        from builder.search.documents import documents
        from builder.search.index import build, files

        # The hand-written guides: the adapter names the docs folder (MkDocs'
        # docs_dir); `generate` uses the project's docs/.
        docs_dir = ctx.options.get("docs_dir")
        docs = Path(docs_dir) if docs_dir else ctx.content.root / "docs"
        index = build(documents(ctx.content, ctx.derived, docs))
        for path, text in files(index, bool(ctx.options.get("use_directory_urls", True))):
            yield GeneratedFile(path, text)
        yield GeneratedFile(SCRIPT, abs_src_path=str(HERE / "assets" / "vp-search.js"))
        yield GeneratedFile(STYLE, abs_src_path=str(HERE / "assets" / "vp-search.css"))


FEATURE = SearchFeature()
