"""A preview session: one full MkDocs build, then updates proportional to the change.

``Session.full_build()`` builds the site as ``python -m builder build`` does
(the same MkDocs steps, mkdocs/commands/build.py) and keeps what MkDocs
gathered: the config with its plugins, the files, the navigation and the
Jinja environment, and what each produced file read (builder/kernel/deps.py).

``Session.update(paths)`` turns the changed files into content keys (each
feature's ``keys_of``, made finer by ``refine``), reruns load → validate →
derive (files that did not change are not loaded again:
builder/kernel/loading/memo.py) and the produce phase for the change only
(builder.kernel.pipeline.produce_changed): a file is made again when what
it reads now, or read last time, changed; a feature that reads nothing that
changed is not run. What is made is compared with the previous run's
digest; only changed generated pages are rendered again through MkDocs with
the same nav and plugins (so their HTML is what a full build writes),
changed assets are written, files no longer produced are removed.

Spreadsheets and exports (promised files no page shows) and the features
that produce no page run after the pages are written and the browser told
to reload (``update(pages_done=…)``): what the browser shows does not wait
for them, and they are written in the same update.

A change the pipeline cannot localise (site.yml, frameworks, docs/, the
theme, templates, mkdocs.yml) or that changes the navigation rebuilds
everything (``full=True``); a changed file no feature claims makes every
file again and compares. Content errors leave the served site as it was and
are returned as text (their changes are kept for the next update)."""

from __future__ import annotations

import hashlib
import logging
import os
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from builder.content import Content
    from builder.kernel.build import GeneratedFile
    from builder.kernel.deps import Changes, Key, Later, LaterGroup
    from builder.kernel.feature import Feature
    from builder.kernel.pipeline import Produced

log = logging.getLogger("mkdocs.preview")

# Changes under content/ that may change MkDocs' configuration or every page:
# handled by a full rebuild. Everything else under content/ is incremental.
FULL_REBUILD_CONTENT = ("site.yml", "frameworks/")


@dataclass
class Update:
    """What one update did."""

    full: bool = False  # everything was rebuilt
    pages: list[str] = field(default_factory=list)  # generated pages rendered again (source paths)
    made: list[str] = field(default_factory=list)  # files the produce phase made again (the others were not touched)
    written: list[str] = field(default_factory=list)  # other output files written
    removed: list[str] = field(default_factory=list)  # output files removed
    errors: list[str] = field(default_factory=list)  # content errors (Chinese, file:line); site left as it was
    warnings: list[str] = field(default_factory=list)
    seconds: float = 0.0
    pages_seconds: float = 0.0  # until the pages were written (what the browser waits for)
    timings: dict[str, float] = field(default_factory=dict)  # seconds per step until the pages were written

    @property
    def ok(self) -> bool:
        return not self.errors


def _digest(gf: GeneratedFile) -> str:
    if gf.content is not None:
        data = gf.content.encode("utf-8") if isinstance(gf.content, str) else gf.content
        return hashlib.blake2b(data, digest_size=16).hexdigest()
    assert gf.abs_src_path is not None
    st = os.stat(gf.abs_src_path)
    return f"{gf.abs_src_path}\0{st.st_mtime_ns}\0{st.st_size}"


def needs_full_rebuild(path: Path, root: Path, content_dir: Path) -> bool:
    """Whether a change to ``path`` must rebuild everything (not only the pages it feeds)."""
    try:
        rel = path.resolve().relative_to(content_dir.resolve()).as_posix()
    except ValueError:
        return True  # docs/, theme_overrides/, templates, mkdocs.yml …
    return any(rel == p or rel.startswith(p) for p in FULL_REBUILD_CONTENT)


class Session:
    """The state kept between updates; see the module docstring."""

    def __init__(self, config_file: Path | str, site_dir: Path | str) -> None:
        self.config_file = Path(config_file).resolve()
        self.site_dir = Path(site_dir).resolve()
        self.config: Any = None
        self.files: Any = None
        self.nav: Any = None
        self.env: Any = None
        self.plugin: Any = None
        # per feature name: {output path: digest} of the last good run
        self.digests: dict[str, dict[str, str]] = {}
        self.page_features: set[str] | None = None  # features that produced a page in the full build
        # what each promised file read the last time (builder/kernel/deps.py)
        self.deps: dict[str, frozenset[Key]] = {}
        self.groups: dict[str, list[str]] = {}  # each promised group's paths, last time
        # content keys changed since the last good update (None: unknown, everything)
        self._pending: frozenset[Key] | None = frozenset()
        self.post_build_due = False
        self.nav_titles: dict[str, str | None] = {}

    # -- the full build ---------------------------------------------------------------------------

    def full_build(self) -> Update:
        """A whole build into site_dir, as ``mkdocs build`` does it; keeps MkDocs' state."""
        os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
        from mkdocs.commands.build import _build_extra_template, _build_page, _build_theme_template, _populate_page
        from mkdocs.config import load_config
        from mkdocs.structure.files import get_files, set_exclusions
        from mkdocs.structure.nav import get_navigation
        from mkdocs.structure.pages import Page
        from mkdocs.utils import clean_directory

        from builder.kernel.loading.memo import keep_loaded
        from builder.kernel.loading.yamlsrc import keep_parsed

        keep_parsed()  # the updates parse only the files whose text changed
        keep_loaded()  # … and load again only the villages whose files changed
        t0 = time.perf_counter()
        config = load_config(config_file=str(self.config_file), site_dir=str(self.site_dir))
        plugin = config.plugins.get("villages")
        self.digests = {}
        self.page_features = None
        self._pending = frozenset()
        if plugin is not None:
            plugin.produce_with = self._produce_all
        config = config.plugins.on_config(config)
        config.plugins.on_pre_build(config=config)
        self.site_dir.mkdir(parents=True, exist_ok=True)
        clean_directory(config.site_dir)
        files = get_files(config)
        env = config.theme.get_env()
        files.add_files_from_theme(env, config)
        files = config.plugins.on_files(files, config=config)
        set_exclusions(files, config)
        nav = get_navigation(files, config)
        nav = config.plugins.on_nav(nav, config=config, files=files)
        for file in files.documentation_pages():
            if file.page is None and file.inclusion.is_not_in_nav():
                Page(None, file, config)
            assert file.page is not None
            _populate_page(file.page, config, files)
        # Titles in the navigation (every page shows them), before the pages' Markdown is let go
        self.nav_titles = {
            f.src_uri: f.page.title if f.page else None for f in files.documentation_pages() if f.inclusion.is_in_nav()
        }
        env = config.plugins.on_env(env, config=config, files=files)
        files.copy_static_files()
        for template in config.theme.static_templates:
            _build_theme_template(template, env, files, config, nav)
        for template in config.extra_templates:
            _build_extra_template(template, files, config, nav)
        doc_files = files.documentation_pages()
        pages = [file.page for file in doc_files if file.page is not None]
        for page in pages:
            _build_page(page, config, doc_files, nav, env)
        for page in pages:
            page.validate_anchor_links(files=files, log_level=config.validation.links.anchors)
        config.plugins.on_post_build(config=config)
        if plugin is not None:
            plugin.produce_with = None
        self.config, self.files, self.nav, self.env, self.plugin = config, files, nav, env, plugin
        self.post_build_due = False
        seconds = time.perf_counter() - t0
        return Update(full=True, seconds=seconds, pages_seconds=seconds)

    def close(self) -> None:
        """Turn off what the session turned on for the whole process (the YAML parse cache)."""
        from builder.kernel.loading.memo import keep_loaded
        from builder.kernel.loading.yamlsrc import keep_parsed

        keep_parsed(False)
        keep_loaded(False)

    # -- updates ----------------------------------------------------------------------------------

    def _features(self) -> Sequence[Feature[Content]]:
        from builder.pipeline import features

        return features()

    def _produce(
        self,
        feats: Sequence[Feature[Content]],
        content: Content,
        derived: Any,
        diags: Any,
        changes: Changes | None,
        defer: Callable[[str], bool] | None = None,
    ) -> dict[str, Produced]:
        """The produce phase for these features (builder.kernel.pipeline.produce_changed):
        with ``changes``, only the files depending on them; without, every file."""
        from builder.kernel import pipeline as phases
        from builder.kernel.build import BuildContext

        return phases.produce_changed(feats, BuildContext(content, diags, derived), changes, defer)

    def _produce_all(self, content: Content, derived: Any, diags: Any) -> list[GeneratedFile]:
        """The full build's produce phase (the plugin's ``produce_with``): every
        feature's files, remembered per feature (digest, dependencies) for the next update."""
        from builder.kernel.diagnostics import Location

        by_feature = self._produce(self._features(), content, derived, diags, None)
        out: list[GeneratedFile] = []
        seen: dict[str, str] = {}
        self.deps, self.groups = {}, {}
        for name, got in by_feature.items():
            for gf in got.made:
                if gf.path in seen:  # as builder.kernel.pipeline.produce says it
                    diags.error(
                        Location(""),
                        "io-error",
                        f"两个生成步骤（{seen[gf.path]}、{name}）都要生成 {gf.path}。",
                        "这是程序问题，请报告给维护人员。",
                    )
                    continue
                seen[gf.path] = name
                out.append(gf)
            self.digests[name] = {gf.path: _digest(gf) for gf in got.made}
            self.deps.update(got.deps)
            self.groups.update(got.groups)
        self.page_features = {n for n, got in by_feature.items() if any(g.path.endswith(".md") for g in got.made)}
        return out

    def changes_of(self, paths: Iterable[Path]) -> frozenset[Key] | None:
        """The content keys the changed files feed (each feature's ``keys_of``,
        builder/kernel/deps.py); None when a file is no feature's (everything is remade)."""
        plugin = self.plugin
        content_dir = Path(plugin.content_dir).resolve()
        keys: set[Key] = set()
        for path in paths:
            try:
                rel = Path(path).resolve().relative_to(content_dir).as_posix()
            except ValueError:
                return None
            got = [k for f in self._features() if (k := getattr(f, "keys_of", lambda _r: None)(rel))]
            if not got:
                return None
            keys.update(*got)
        return frozenset(keys)

    def update(self, paths: Iterable[Path] | None = None, pages_done: Callable[[Update], None] | None = None) -> Update:
        """Bring site_dir up to date with the content; see the module docstring.

        ``paths``: the files that changed (None: unknown, every file is
        made again and compared). ``pages_done`` is called once the pages are
        written (before the features that produce no page run), with the
        update so far."""
        from builder.kernel.build import Options
        from builder.kernel.deps import Changes
        from builder.kernel.loading import memo
        from builder.kernel.loading.yamlsrc import bound_parsed
        from builder.pipeline import complete_for_build, run

        t0 = time.perf_counter()
        plugin = self.plugin
        if plugin is None or plugin.derived is None:
            return self.full_build()
        # What changed since the last good update (an update with errors writes
        # nothing, so its changes are still to do).
        keys = None if paths is None else self.changes_of(paths)
        if keys is None or self._pending is None:
            self._pending = None
        else:
            self._pending = self._pending | keys
        root, content_dir = plugin.root, plugin.content_dir
        check_options = Options(dict(plugin.config.options), cache_dir=root / plugin.config.cache_dir)
        build_options = plugin.derived.options
        bound_parsed()
        memo.bound()
        if paths is None:
            memo.keep_loaded()  # what changed is not known: load everything again
        else:
            memo.forget(Path(p).resolve() for p in paths)
        content, derived, diags = run(content_dir, root, check_options)
        result = Update()
        result.timings["check"] = time.perf_counter() - t0
        result.warnings = [d.format_text() for d in diags.warnings]
        if diags.has_errors:
            result.errors = [d.format_text() for d in diags.errors]
            result.seconds = result.pages_seconds = time.perf_counter() - t0
            return result
        before = len(diags)
        derived = complete_for_build(content, derived, diags, Options(**vars(build_options)))
        if diags.has_errors:
            result.errors = [d.format_text() for d in list(diags)[before:] if d.is_error]
            result.seconds = result.pages_seconds = time.perf_counter() - t0
            return result
        result.timings["derive for the build"] = time.perf_counter() - t0 - result.timings["check"]
        feats = self._features()
        changes = None
        if self._pending is not None:
            keys = self._pending
            for f in feats:  # made finer by comparing with what the served pages were made from
                keys = getattr(f, "refine", lambda k, _b, _a: k)(keys, plugin.content, content)
            changes = Changes(keys, self.deps, self.groups)
        pages = [f for f in feats if self.page_features is None or f.name in self.page_features]
        rest = [f for f in feats if f not in pages]
        try:
            # what the browser shows first: promised files that are not pages wait
            t1 = time.perf_counter()
            produced = self._produce(pages, content, derived, diags, changes, _not_shown)
            result.timings["produce"] = time.perf_counter() - t1
            if diags.has_errors:
                result.errors = [d.format_text() for d in diags.errors]
                return result
            plugin.content, plugin.derived, plugin.diags = content, derived, diags
            if self._apply(produced, result):
                full = self.full_build()
                full.seconds = time.perf_counter() - t0
                return full
            result.pages_seconds = time.perf_counter() - t0
            result.timings["render"] = result.pages_seconds - sum(result.timings.values())
            if pages_done is not None:
                pages_done(result)
            later = self._produce(rest, content, derived, diags, changes)
            for name, got in produced.items():
                if got.deferred:
                    later[name] = _made_later(got, name)
            if self._apply(later, result):  # cannot happen (no pages), but never leave a wrong site
                self.full_build()
                result.full = True
            self._pending = frozenset()
            self.finish()
        finally:
            result.seconds = time.perf_counter() - t0
        return result

    def _apply(self, produced: dict[str, Produced], result: Update) -> bool:
        """Write what changed; True when the change needs a full rebuild (the nav changed)."""
        from mkdocs.commands.build import _build_page, _populate_page
        from mkdocs.structure.files import File, InclusionLevel
        from mkdocs.structure.pages import Page

        from builder.mkdocs_plugin.htmlpage import HtmlPage

        config, files = self.config, self.files
        changed: list[GeneratedFile] = []
        gone: list[str] = []
        new_digests: dict[str, dict[str, str]] = {}
        for name, got in produced.items():
            result.made += [gf.path for gf in got.made]
            if got.skipped:  # nothing it reads changed: its files are as they were
                continue
            old = self.digests.get(name, {})
            made = {gf.path: _digest(gf) for gf in got.made}
            later = {p for item in got.deferred for p in _paths(item, got, name)}  # made in a second call
            now: dict[str, str] = {}
            for p in got.order:
                if p in made or p in old:
                    now[p] = made.get(p) or old[p]
                elif p not in later:
                    return True  # a file promised for the first time and not made: cannot be (be safe)
            new_digests[name] = now
            changed += [gf for gf in got.made if old.get(gf.path) != made[gf.path]]
            gone += [p for p in old if p not in now and p not in later]
        if any(gf.in_nav and files.get_file_from_path(gf.path) is None for gf in changed):
            return True  # a new page in the navigation
        for path in gone:
            f = files.get_file_from_path(path)
            if f is None:
                continue
            if f.is_documentation_page() and f.inclusion.is_in_nav():
                return True  # the navigation loses a page
            files.remove(f)
            self.plugin.generated_pages.discard(path)
            _remove_output(Path(f.abs_dest_path), Path(config.site_dir))
            result.removed.append(f.dest_uri)
        to_render = []
        added = False
        for gf in changed:
            f = files.get_file_from_path(gf.path)
            is_page = gf.path.endswith(".md")
            if f is None:
                added = True
                inclusion = InclusionLevel.NOT_IN_NAV if is_page else InclusionLevel.UNDEFINED
                kw = {"content": gf.content} if gf.content is not None else {"abs_src_path": gf.abs_src_path}
                f = File.generated(config, gf.path, inclusion=inclusion, **kw)
                files.append(f)
            elif gf.content is not None:
                if is_page:
                    f.content_string = gf.content if isinstance(gf.content, str) else gf.content.decode("utf-8")
                else:
                    f.content_bytes = gf.content.encode("utf-8") if isinstance(gf.content, str) else gf.content
            else:
                f._content = None
                f.abs_src_path = gf.abs_src_path
            if is_page:
                self.plugin.generated_pages.add(gf.path)
                if f.page is None:  # the page class the plugin gives a new generated page (on_files)
                    html_page = f.inclusion.is_not_in_nav() and self.plugin.config.html_pages
                    (HtmlPage if html_page else Page)(None, f, config)
                to_render.append(f)
            else:
                f.copy_file()
                result.written.append(f.dest_uri)
        if added:
            self._reorder({**self.digests, **new_digests})
        rendered: list[Page] = [f.page for f in to_render]
        for page in rendered:
            _populate_page(page, config, files)
        if any(f.page.title != self.nav_titles[f.src_uri] for f in to_render if f.src_uri in self.nav_titles):
            return True  # a title in the navigation changed: every page shows it
        self.digests.update(new_digests)
        for got in produced.values():
            self.deps.update(got.deps)
            self.groups.update(got.groups)
        if not to_render and not gone:
            return False
        doc_files = files.documentation_pages()
        for page in rendered:
            _build_page(page, config, doc_files, self.nav, self.env)
            page.validate_anchor_links(files=files, log_level=config.validation.links.anchors)
            result.pages.append(page.file.src_uri)
        if added or gone:  # the sitemap lists every page
            from mkdocs.commands.build import _build_theme_template

            for template in config.theme.static_templates:
                _build_theme_template(template, self.env, files, config, self.nav)
        self.post_build_due = True
        return False

    def _reorder(self, digests: dict[str, dict[str, str]]) -> None:
        """MkDocs' files in a full build's order: its own first, then every
        produced file in the order the features produced it (the order of
        the sitemap and the search index)."""
        files = self.files
        generated = [p for name in (f.name for f in self._features()) for p in digests.get(name, {})]
        produced = set(generated)
        order = [f for f in files if f.src_uri not in produced]
        order += [f for p in generated if (f := files.get_file_from_path(p)) is not None]
        files._src_uris = {f.src_uri: f for f in order}

    def finish(self) -> None:
        """Run the plugins' post-build step when pages changed since the last call."""
        if self.post_build_due and self.config is not None:
            self.post_build_due = False
            self.config.plugins.on_post_build(config=self.config)


def _paths(item: Later | LaterGroup, got: Produced, feature: str) -> list[str]:
    from builder.kernel.deps import Later

    return [item.path] if isinstance(item, Later) else got.groups.get(f"{feature}:{item.name}", [])


def _made_later(got: Produced, feature: str) -> Produced:
    """The deferred files of a produce_changed result, made: a second result to apply."""
    from builder.kernel.deps import Later
    from builder.kernel.pipeline import Produced

    made: list[GeneratedFile] = []
    groups: dict[str, list[str]] = {}
    for item in got.deferred:
        if isinstance(item, Later):
            made.append(item.make())
        else:
            files = list(item.make())
            made += files
            groups[f"{feature}:{item.name}"] = [gf.path for gf in files]
    order = got.order + [gf.path for gf in made if gf.path not in got.order]
    return Produced(order, made, groups=groups)


def _not_shown(path: str) -> bool:
    """A produced file no page shows inline (a spreadsheet, a document): written after the reload."""
    return not path.endswith((".md", ".html", ".js", ".css", ".svg", ".png", ".jpg", ".webp"))


def _remove_output(path: Path, site: Path) -> None:
    """Remove an output file and the folders it leaves empty (a full build would not have them)."""
    try:
        path.unlink()
    except FileNotFoundError:
        return
    d = path.parent
    while d != site and site in d.parents:
        try:
            d.rmdir()
        except OSError:
            break
        d = d.parent
