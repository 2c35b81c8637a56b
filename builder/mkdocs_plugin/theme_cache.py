"""Material's navigation rendered once per folder, not once per page.

Material renders the sidebar navigation (``partials/nav.html``) and the tabs
(``partials/tabs.html``) anew for every page. For a page that is not in the
navigation — every village, project, tour and profile page, thousands of them —
the result depends only on the folder the page's URL is in (the links are
relative) and on nothing of the page itself: no nav item is the page, none is active,
the page's table of contents is not integrated into the nav. So for those
pages the two partials are rendered once per folder and reused (measured ≈ 9 %
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

import posixpath
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


def _key(ctx: Context, name: str) -> tuple | None:
    """The cache key for a page outside the nav, or None (render as usual).

    MkDocs writes each nav link relative to the page (``url`` filter →
    ``get_relative_url``), shortened where the two share folders: from
    ``villages/a/`` the list is ``../``, from ``compare/x/`` it is
    ``../../villages/``. Siblings — pages in the same parent folder, the same
    kind of URL — get the same links, unless a nav page lives inside the
    page's own folder (then it is rendered as usual)."""
    page = ctx.get("page")
    if page is None or getattr(page, "file", None) is None:
        return None
    if not page.file.inclusion.is_not_in_nav() or getattr(page, "parent", None) is not None:
        return None
    url = page.url or ""
    nav = ctx.get("nav")
    own = url if url.endswith("/") else posixpath.dirname(url)
    if own and nav is not None and any((p.url or "").startswith(own) for p in nav.pages):
        return None
    return (name, posixpath.dirname(url.rstrip("/")), url.endswith("/"))


def install(env: Environment) -> None:
    """Wrap ``env``'s loader and add ``vp_cached`` (once per build: the cache
    lives on the environment, which MkDocs makes anew for every build)."""
    if env.loader is None or isinstance(env.loader, _CachingLoader):
        return
    env.loader = _CachingLoader(env.loader)
    cache: dict[tuple, str] = {}

    @pass_context
    def vp_cached(ctx: Context, name: str) -> str:
        from markupsafe import Markup

        template = ctx.environment.get_template(ORIG + name)
        key = _key(ctx, name)
        if key is None:
            return Markup(template.render(ctx.get_all()))
        got = cache.get(key)
        if got is None:
            got = cache[key] = Markup(template.render(ctx.get_all()))
        return got

    env.globals["vp_cached"] = vp_cached
