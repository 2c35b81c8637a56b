"""HTML for one published photo: <picture> with WebP + JPEG srcset, in a
glightbox link to the largest JPEG.

How to call it (portal pages)::

    from builder.photos.html import picture_html

    html = picture_html(ctx, v.slug, "photos/dangqun.jpg", alt=..., caption=..., page="villages/wangjiazhuang.md")

URLs in the result are RELATIVE to the page that embeds the HTML (MkDocs
does not rewrite URLs inside raw HTML). Say where the page is in one of
three ways, first match wins:

* ``base="../../"``: the prefix from the page to the site root, as is;
* ``page="villages/x.md"``: the page's source path; the prefix is computed
  for ``ctx.options["use_directory_urls"]`` (default True, like MkDocs);
* neither: the page is taken to be the village's own page
  ``villages/<slug>.md`` (so "../../" with directory URLs, "../" without).

Returns "" when the photo is not published (missing, rejected, or skipped
with ``photos_on_error: skip``): the problem was already reported as a
diagnostic. Every value is HTML-escaped; the result is safe to mark up as
Markup. ``eager=True`` for photos above the fold (the first gallery photo,
the brand logo) drops ``loading="lazy"``. ``lightbox=False`` gives the bare
<picture>. The link is what the photo viewer opens
(docs/assets/javascripts/lightbox.js starts GLightbox on pages that have one).
"""

from __future__ import annotations

import posixpath
from html import escape
from urllib.parse import quote

from builder.kernel.render.urls import page_url as _page_url
from builder.photos.produce import PhotoEntry, PhotoIndex

DEFAULT_SIZES = "(max-width: 600px) 100vw, 50vw"


def base_for(page: str, directory_urls: bool = True) -> str:
    """Prefix from the page (source path) to the site root: "", "../", "../../"…"""
    url = _page_url(page, directory_urls)
    folder = url.rstrip("/") if url.endswith("/") else posixpath.dirname(url)
    depth = len([p for p in folder.split("/") if p]) if folder else 0
    return "../" * depth


def lookup(derived, slug: str, file: str) -> PhotoEntry | None:
    """derived: the build's Derived (or a BuildContext holding it)."""
    derived = getattr(derived, "derived", derived)
    index = derived.find(PhotoIndex)
    return index.lookup(slug, file) if index else None


def picture_html(
    ctx,
    slug: str,
    file: str,
    *,
    alt: str,
    caption: str,
    eager: bool = False,
    sizes: str = DEFAULT_SIZES,
    lightbox: bool = True,
    base: str | None = None,
    page: str | None = None,
) -> str:
    e = lookup(ctx, slug, file)
    if e is None or not e.derivatives:
        return ""
    if base is None:
        du = bool(ctx.options.get("use_directory_urls", True))
        base = base_for(page or f"villages/{slug}.md", du)
    if base and not base.endswith("/"):
        base += "/"

    def url(path: str) -> str:
        return escape(base + quote(path, safe="/"), quote=True)

    alt = alt or caption
    big = e.largest
    webp_set = ", ".join(f"{url(d.webp)} {d.width}w" for d in e.derivatives)
    jpg_set = ", ".join(f"{url(d.jpg)} {d.width}w" for d in e.derivatives)
    # src: the middle size is a good default for browsers without srcset.
    mid = e.derivatives[min(1, len(e.derivatives) - 1)]
    style = f"background:{e.color} url({e.lqip}) center/cover no-repeat"
    img = (
        f'<img src="{url(mid.jpg)}" srcset="{jpg_set}" sizes="{escape(sizes, quote=True)}" '
        f'width="{big.width}" height="{big.height}"'
        + ("" if eager else ' loading="lazy"')
        + f' decoding="async" alt="{escape(alt, quote=True)}" style="{escape(style, quote=True)}">'
    )
    pic = f'<picture><source type="image/webp" srcset="{webp_set}" sizes="{escape(sizes, quote=True)}">{img}</picture>'
    if not lightbox:
        return pic
    return (
        f'<a class="glightbox" href="{url(big.jpg)}" data-type="image" data-title="{lightbox_text(caption)}"'
        f' data-description="{lightbox_text(alt if alt != caption else "")}">{pic}</a>'
    )


def lightbox_text(text: str) -> str:
    """An attribute value that GLightbox shows as the text itself.

    GLightbox puts data-title and data-description into the page with
    innerHTML, and treats a description starting with "." as a CSS selector
    whose element's HTML it copies. So the text is escaped twice (the
    attribute's own decoding undoes one, innerHTML sees the other as text),
    and a leading "." gets a space before it (white space, invisible)."""
    if text.startswith("."):
        text = " " + text
    return escape(escape(text, quote=True), quote=True)


def thumb_html(entry: PhotoEntry, base: str, *, alt: str, eager: bool = False, cls: str = "") -> str:
    """The smallest derivative (480 px wide) of a photo as a <picture>
    (WebP + JPEG), width and height set so the page does not shift while it
    loads, lazily loaded unless eager. For cards and photo walls."""
    if base and not base.endswith("/"):
        base += "/"
    d = entry.derivatives[0]

    def url(path: str) -> str:
        return escape(base + quote(path, safe="/"), quote=True)

    style = f"background:{entry.color} url({entry.lqip}) center/cover no-repeat"
    return (
        f'<picture><source type="image/webp" srcset="{url(d.webp)}">'
        + (f'<img class="{escape(cls, quote=True)}" ' if cls else "<img ")
        + f'src="{url(d.jpg)}" '
        f'width="{d.width}" height="{d.height}"'
        + (' fetchpriority="high"' if eager else ' loading="lazy"')
        + f' decoding="async" alt="{escape(alt, quote=True)}" style="{escape(style, quote=True)}"></picture>'
    )
