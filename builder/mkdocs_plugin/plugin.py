"""The ``villages`` MkDocs plugin: a thin adapter around the core.

on_config: load and validate the content (errors stop the build with the same
Chinese diagnostics as ``python -m builder check``; warnings are logged so
``mkdocs build --strict`` fails).
on_files: run every registered producer and hand MkDocs the generated pages
and assets (``File.generated``, the search index among them: builder/search,
which reads the guides from MkDocs' docs_dir); village, project and tour
pages stay out of the navigation. on_serve: watch content/ so ``mkdocs serve`` rebuilds."""

from __future__ import annotations

import gc
import re
import secrets
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, CombinedEvent, event_priority, get_plugin_logger
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.structure.toc import get_toc

from builder.kernel.render.toc import toc_tokens
from builder.mkdocs_plugin.config import VillagesConfig
from builder.mkdocs_plugin.htmlpage import RAW_BLOCK, HtmlPage
from builder.mkdocs_plugin.spool import Spool
from builder.nav import nav_paths as _nav_paths

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable

    from builder.content import Content
    from builder.kernel.build import Derived, GeneratedFile
    from builder.kernel.diagnostics import Diagnostics

log = get_plugin_logger("villages")


def _fault(exc: OSError) -> PluginError:
    """A disk or permission fault as one Chinese line naming the folder
    (``python -m builder build`` finds the OSError behind it and says the same)."""
    from builder.cli import fault_message

    return PluginError(fault_message(exc))


class VillagesPlugin(BasePlugin[VillagesConfig]):
    supports_multiple_instances = False

    def __init__(self):
        # set together by on_config
        self.content: Content | None = None
        self.derived: Derived | None = None
        self.diags: Diagnostics | None = None
        self.root: Path | None = None
        self.content_dir: Path | None = None
        self.generated_pages: set[str] = set()
        self._stash: dict[str, list[str]] = {}
        self._token = "vpraw" + secrets.token_hex(6)
        # builder.preview runs the produce phase itself (to remember each feature's files)
        self.produce_with: Callable[[Content, Derived, Diagnostics], Iterable[GeneratedFile]] | None = None
        self._spool = Spool(0)
        self._aside: dict[str, bytes | Path] = {}  # a generated page's HTML (_set_aside)
        self.command: str | None = None  # mkdocs build / serve / gh-deploy (None: called as a library)
        self.one_shot = True  # not the preview nor mkdocs serve: set in on_config

    def on_startup(self, *, command, dirty) -> None:
        self.command = command

    def _report(self, diags) -> None:
        for d in diags.warnings:
            log.warning(d.format_text())
        if diags.has_errors:
            text = "\n".join(d.format_text() for d in diags.errors)
            n = len(diags.errors)
            raise PluginError(
                f"内容有 {n} 处错误，网站没有生成：\n{text}\n"
                f"改正后重新构建；也可以先运行 python -m builder check 查看全部问题。"
            )

    @event_priority(100)
    def on_config(self, config):
        try:
            return self._on_config(config)
        except OSError as exc:  # the machine (disk full, read-only cache…), not the content
            raise _fault(exc) from exc

    def _on_config(self, config):
        if not self.config.enabled:
            return config
        from builder.kernel.build import Options
        from builder.pipeline import run

        gc.unfreeze()  # a previous build's content (mkdocs serve) may be collected again
        self.root = Path(config.config_file_path or ".").resolve().parent
        self.content_dir = (self.root / self.config.content_dir).resolve()
        # The plugin's options (photo formats, HEIC, photos_on_error …) apply
        # to the check too, so check and build never disagree. URL options are
        # final only in on_files (Material's offline plugin changes them).
        # one-shot (mkdocs build): not the preview (produce_with) nor mkdocs serve
        self.one_shot = lean = self.produce_with is None and self.command != "serve"
        self.content, self.derived, self.diags = run(
            self.content_dir,
            self.root,
            Options(dict(self.config.options), cache_dir=self.root / self.config.cache_dir, lean=lean),
        )
        self._report(self.diags)
        config.extra["villages_sample"] = bool(self.content.settings.sample)
        self._identity(config)
        # Hand-written sections under docs/ (owned by other parts of the
        # project) join the nav when they exist (builder/nav.py, shared with
        # the Zensical adapter).
        if config.nav is not None:
            from builder.nav import add_guides

            add_guides(config.nav, Path(config.docs_dir), self.config.doc_sections, self.config.guides_title)
        return config

    def _identity(self, config) -> None:
        """site.yml's identity fields for the theme's header and footer
        (theme_overrides/partials/footer.html, logo.html); the county's logo
        also becomes the favicon."""
        from builder.settings.identity import footer_data
        from builder.settings.load import SettingsPart

        assert self.content is not None
        part = self.content.find(SettingsPart)
        data = footer_data(self.content.settings, part.images if part else {})
        config.extra["villages_site"] = data
        if data["logo"]:
            config.theme["logo"] = data["logo"]
            config.theme["favicon"] = data["logo"]

    def on_env(self, env, *, config, files):
        # after MkDocs read every page (populate): its pages, nav and tocs live
        # until the end of the build, out of the collector's reach (as in on_files)
        gc.freeze()
        if self.config.enabled and self.config.theme_cache:
            from builder.mkdocs_plugin.theme_cache import install

            install(env)
        return env

    def on_files(self, files: Files, *, config) -> Files:
        try:
            return self._on_files(files, config)
        except OSError as exc:  # e.g. the photo cache cannot be written
            raise _fault(exc) from exc

    def _on_files(self, files: Files, config) -> Files:
        if not self.config.enabled or self.content is None:
            return files
        root, derived, diags = self.root, self.derived, self.diags
        assert root is not None and derived is not None and diags is not None  # set with content in on_config
        from builder.kernel.build import Options
        from builder.photos.produce import PhotoIndex
        from builder.pipeline import complete_for_build, iter_produce

        options = Options(
            {"use_directory_urls": config.use_directory_urls, "docs_dir": config.docs_dir, **self.config.options},
            site_url=config.site_url or "",
            cache_dir=root / self.config.cache_dir,
            build=True,
        )
        before = len(diags)
        self.derived = derived = complete_for_build(self.content, derived, diags, options)
        index = derived.find(PhotoIndex)
        if index is not None and index.fault is not None:
            raise index.fault  # disk full, read-only cache…: see on_files
        if len(diags) != before:
            from builder.kernel.diagnostics import Diagnostics

            self._report(Diagnostics(list(diags._items[before:])))
        # the preview's produce step (builder/preview) or every file, one at a time
        generated = (self.produce_with or iter_produce)(self.content, derived, diags)
        self._spool.close()  # a previous build's (mkdocs serve)
        self._aside = {}
        # The preview renders pages again after the build (its spool would be
        # gone by then), so only a one-shot build spools.
        self._spool = Spool(self.config.spool_after_mb * 2**20 if self.one_shot else sys.maxsize)
        in_nav = _nav_paths(config.nav)
        extra_nav = []
        self.generated_pages = set()
        # One file at a time, each stored as it comes: a page's text is kept
        # as UTF-8 bytes (half a str's size for Chinese HTML) until MkDocs
        # reads it; the whole site's text is never in memory twice.
        for gf in generated:
            if gf.path.endswith(".md"):
                self.generated_pages.add(gf.path)
                inclusion = InclusionLevel.INCLUDED if (gf.path in in_nav or gf.in_nav) else InclusionLevel.NOT_IN_NAV
                if gf.in_nav and gf.path not in in_nav:
                    extra_nav.append(gf.path)
            else:
                inclusion = InclusionLevel.UNDEFINED
            old = files.get_file_from_path(gf.path)
            if old is not None:
                log.warning(f"docs/{gf.path} 与生成的页面同名，使用生成的版本。请改名或删除 docs/{gf.path}。")
                files.remove(old)
            if gf.content is not None:
                text = gf.content.encode("utf-8") if isinstance(gf.content, str) else gf.content
                spooled = self._spool.keep(text)  # past the budget: on disk (spool.py)
                if spooled is None:
                    f = File.generated(config, gf.path, content=text, inclusion=inclusion)
                else:
                    f = File.generated(config, gf.path, abs_src_path=str(spooled), inclusion=inclusion)
                del text
                if gf.path.endswith(".md") and inclusion is InclusionLevel.NOT_IN_NAV and self.config.html_pages:
                    HtmlPage(None, f, config)  # becomes f.page: rendered without a Markdown pass
            else:
                assert gf.abs_src_path is not None  # a GeneratedFile has content or abs_src_path
                f = File.generated(config, gf.path, abs_src_path=gf.abs_src_path, inclusion=inclusion)
            files.append(f)
        if extra_nav and config.nav is not None:
            config.nav.extend(extra_nav)
        # The loaded content (models, located YAML) lives until the end of the
        # build; moving it out of the collector's reach saves the full GC
        # passes MkDocs' page objects would otherwise trigger over it
        # (measured ≈5–8 % of a 1,000-village build). Undone in on_config.
        gc.collect()
        gc.freeze()
        return files

    # The generated pages' raw HTML blocks are final, escaped HTML. Python-
    # Markdown would run them through html.parser twice (its raw-HTML
    # preprocessor and MkDocs' anchor collector) for nothing: that was about
    # half of a village page's build time. So they are set aside before the
    # Markdown step and put back verbatim afterwards, exactly as Markdown
    # would have passed them through. Editors' prose is untouched.
    def on_page_markdown(self, markdown, *, page, config, files):
        if page.file.src_uri not in self.generated_pages or isinstance(page, HtmlPage):
            return markdown
        blocks: list[str] = []

        def stash(m):
            blocks.append(m.group(0))
            return f"{self._token}x{len(blocks) - 1}x"

        out = RAW_BLOCK.sub(stash, markdown)
        if blocks:
            self._stash[page.file.src_uri] = blocks
        return out

    def _put_blocks_back(self, html, *, page, config, files):
        blocks = self._stash.pop(page.file.src_uri, None)
        if not blocks:  # also an HtmlPage: its toc is set by its render
            return html
        pat = re.compile(rf"<p>{self._token}x(\d+)x</p>")
        html = pat.sub(lambda m: blocks[int(m.group(1))], html)
        # Markdown's toc saw only the prose headings, not those in the blocks.
        page.toc = get_toc(toc_tokens(html))
        return html

    # MkDocs reads every page before it builds any, and would keep each
    # generated page's HTML as str until the end of the build (the lists and
    # compare pages list every village: several MB each at 10,000 villages).
    # After every other plugin has seen it, the HTML is set aside, as UTF-8
    # bytes (half a str's size for Chinese HTML) or in the spool (spool.py),
    # and on_page_context hands it back.
    @event_priority(-100)
    def _set_aside(self, html, *, page, config, files):
        if page.file.src_uri not in self.generated_pages:
            return html
        data = html.encode("utf-8")
        self._aside[page.file.src_uri] = self._spool.keep(data) or data
        page.markdown = ""  # not None: the title stays the meta's or the render's
        return ""

    on_page_content = CombinedEvent(_put_blocks_back, _set_aside)

    # A generated page's HTML, set aside between MkDocs' populate and build
    # steps (_set_aside), goes back to the template here, before any other
    # plugin's on_page_context sees the page.
    @event_priority(100)
    def on_page_context(self, context, *, page, config, nav):
        if (kept := self._aside.pop(page.file.src_uri, None)) is not None:
            page.content = (kept.read_bytes() if isinstance(kept, Path) else kept).decode("utf-8")
        return context

    # Once a generated page's HTML is final, MkDocs would keep its Markdown
    # and HTML in memory until the end of the build; with thousands of
    # villages that working set is what makes each page a little slower than
    # the one before. The returned output is what gets written.
    @event_priority(-100)
    def on_post_page(self, output, *, page, config):
        if page.file.src_uri in self.generated_pages:
            page.markdown = None
            page.content = None
            page.file._content = None
        return output

    def on_post_build(self, *, config) -> None:
        self._spool.close()

    def on_build_error(self, *, error) -> None:
        self._spool.close()

    def on_serve(self, server, *, config, builder):
        if self.content_dir is not None and self.content_dir.is_dir():
            server.watch(str(self.content_dir))
        return server
