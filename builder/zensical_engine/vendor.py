"""GLightbox for the Zensical build, vendored.

Zensical's theme loads GLightbox from unpkg.com when the page has no
``GLightbox`` of its own — an outside request, and no lightbox offline. The
Zensical build therefore publishes this copy of the pinned npm package
(package.json) and loads it in the page head (``extra.polyfills``), before the
theme's script looks. (Under MkDocs the mkdocs-glightbox plugin ships its own
copy.) tests/test_zensical_engine.py checks the committed files are
byte-identical to node_modules/glightbox."""

from __future__ import annotations

from pathlib import Path

VENDOR = Path(__file__).parent / "assets" / "vendor"

# (npm package, file inside the package, committed as, published at)
_JS, _CSS = "assets/javascripts/vendor/glightbox/", "assets/stylesheets/vendor/glightbox/"
FILES = [
    ("glightbox", "dist/js/glightbox.min.js", "glightbox/glightbox.min.js", _JS + "glightbox.min.js"),
    ("glightbox", "dist/css/glightbox.min.css", "glightbox/glightbox.min.css", _CSS + "glightbox.min.css"),
    ("glightbox", "LICENSE.md", "glightbox/LICENSE.md", _JS + "LICENSE.txt"),  # .md would become a page
]
SCRIPT = FILES[0][3]
STYLESHEET = FILES[1][3]


def vendored_files() -> list[tuple[str, Path]]:
    """(site path, committed file) of every vendored file."""
    return [(site, VENDOR / committed) for _, _, committed, site in FILES]
