"""Material's navigation rendered once, not once per page.

Material renders the sidebar navigation (``partials/nav.html``) and the tabs
(``partials/tabs.html``) anew for every page. For a page that is not in the
navigation — every village, project, tour and profile page, thousands of them —
the result depends only on how the page sees each link (they are relative)
and on nothing else of the page: no nav item is the page, none is active,
the page's table of contents is not integrated into the nav. So for those
pages the two partials are rendered once per distinct view of the links and reused (measured ≈ 9 %
of a 450-village build's CPU).

MkDocs has no hook for this, and Jinja2 no "include the parent theme's file
of the same name"; so the theme's loader is wrapped: ``partials/nav.html``
becomes a one-line template that calls ``vp_cached`` with the original, which
stays reachable as ``vp-orig/partials/nav.html``. Pages in the nav (and any
other engine, which never sees this loader) render Material's partial as
before. ``tests/test_plugin.py::test_cached_nav_is_byte_identical`` builds
the sample with and without the cache and compares every page.
"""

from __future__ import annotations

from typing import Any

from jinja2 import BaseLoader, Environment, pass_context
from jinja2.runtime import Context

CACHED = ("partials/nav.html", "partials/tabs.html")
ORIG = "vp-orig/"


class _CachingLoader(BaseLoader):
    def __init__(self, inner: BaseLoader) -> None:
        self.inner = inner

    def get_source(self, environment: Environment, template: str) -> tuple[str, str | None, Any]:
        if template.startswith(ORIG):
            return self.inner.get_source(environment, template[len(ORIG) :])
        if template in CACHED:
            _, filename, uptodate = self.inner.get_source(environment, template)
            return '{{ vp_cached("' + template + '") }}', filename, uptodate
        return self.inner.get_source(environment, template)

    def list_templates(self) -> list[str]:
        return self.inner.list_templates()


def _targets(ctx: Context) -> list[str]:
    """Every URL the two partials link to: the nav's pages and sections'
    index pages, and the logo."""
    nav = ctx.get("nav")
    urls = [p.url or "" for p in nav.pages] if nav is not None else []
    theme = ctx.get("config", {}).get("theme") if ctx.get("config") else None
    logo = theme.get("logo") if theme is not None else None
    return [*urls, "", *([logo] if isinstance(logo, str) else [])]


def _key(ctx: Context, name: str, targets: list[str]) -> tuple | None:
    """The cache key for a page outside the nav, or None (render as usual).

    MkDocs writes each link relative to the page (``url`` filter →
    ``normalize_url`` → ``get_relative_url``), shortened where the two share
    folders: from ``villages/a/`` the list is ``../``, from ``compare/x/`` it
    is ``../../villages/``. So the key is the page's view of every target:
    two pages that see every link the same get the same partial."""
    from mkdocs.utils import get_relative_url

    page = ctx.get("page")
    if page is None or getattr(page, "file", None) is None:
        return None
    if not page.file.inclusion.is_not_in_nav() or getattr(page, "parent", None) is not None:
        return None
    url = page.url or ""
    return (name, tuple(get_relative_url(t, url) for t in targets))


def install(env: Environment) -> None:
    """Wrap ``env``'s loader and add ``vp_cached`` (once per build: the cache
    lives on the environment, which MkDocs makes anew for every build)."""
    if env.loader is None or isinstance(env.loader, _CachingLoader):
        return
    env.loader = _CachingLoader(env.loader)
    cache: dict[tuple, str] = {}
    targets: list[str] = []  # the nav's URLs: the same for every page of one build

    @pass_context
    def vp_cached(ctx: Context, name: str) -> str:
        from markupsafe import Markup

        template = ctx.environment.get_template(ORIG + name)
        if not targets:
            targets.extend(_targets(ctx))
        key = _key(ctx, name, targets)
        if key is None:
            return Markup(template.render(ctx.get_all()))
        got = cache.get(key)
        if got is None:
            got = cache[key] = Markup(template.render(ctx.get_all()))
        return got

    env.globals["vp_cached"] = vp_cached
