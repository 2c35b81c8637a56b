"""GLightbox (the photo viewer), vendored like Leaflet (builder/map/vendor.py):
the pinned npm package's files committed under builder/photos/assets/vendor/
with its licence, so a build needs neither npm nor the network.
``python -m builder.photos.vendor`` refreshes them from node_modules/;
tests/test_photos_lightbox.py checks they are byte-identical to the installed
package.

It used to come with the mkdocs-glightbox plugin, which re-parsed every built
page to add it (≈ 8 % of a build) and which other engines do not run; the
photo markup (builder/photos/html.py) already carries the GLightbox links, so
the site only needs the files and a starter (docs/assets/javascripts/lightbox.js),
which loads them on the pages that have photos."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

VENDOR = Path(__file__).parent / "assets" / "vendor"
ROOT = Path(__file__).resolve().parent.parent.parent

# (npm package, file inside the package, where it is published in the site)
FILES = [
    ("glightbox", "dist/js/glightbox.min.js", "assets/javascripts/vendor/glightbox/glightbox.min.js"),
    ("glightbox", "dist/css/glightbox.min.css", "assets/javascripts/vendor/glightbox/glightbox.min.css"),
    ("glightbox", "LICENSE.md", "assets/javascripts/vendor/glightbox/LICENSE.txt"),
]


def committed(package: str, inner: str) -> Path:
    return VENDOR / package / Path(inner).name


def vendored_files() -> list[tuple[str, Path]]:
    """(site path, committed file) of every vendored file."""
    return [(dest, committed(pkg, inner)) for pkg, inner, dest in FILES]


def refresh(node_modules: Path = ROOT / "node_modules") -> list[Path]:
    out = []
    for pkg, inner, _ in FILES:
        dst = committed(pkg, inner)
        dst.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(node_modules / pkg / inner, dst)
        out.append(dst)
    return out


if __name__ == "__main__":
    for p in refresh(Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "node_modules"):
        print(p.relative_to(ROOT))
