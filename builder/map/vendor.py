"""Leaflet, Leaflet.markercluster and pmtiles, vendored: the files the site needs are
committed under builder/map/assets/vendor/ (with their licences) so a build
needs neither npm nor the network. They are copies of the pinned npm packages
(package.json / package-lock.json); ``python -m builder.map.vendor`` refreshes
them from node_modules/ after an upgrade, and tests/test_map_vendor.py checks
that the committed copies are byte-identical to the installed packages."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

VENDOR = Path(__file__).parent / "assets" / "vendor"
ROOT = Path(__file__).resolve().parent.parent.parent

# (npm package, file inside the package, where it is published in the site)
FILES = [
    ("leaflet", "dist/leaflet.js", "assets/javascripts/vendor/leaflet/leaflet.js"),
    ("leaflet", "dist/leaflet.css", "assets/stylesheets/vendor/leaflet/leaflet.css"),
    ("leaflet", "dist/images/layers.png", "assets/stylesheets/vendor/leaflet/images/layers.png"),
    ("leaflet", "dist/images/layers-2x.png", "assets/stylesheets/vendor/leaflet/images/layers-2x.png"),
    ("leaflet", "LICENSE", "assets/javascripts/vendor/leaflet/LICENSE.txt"),
    (
        "leaflet.markercluster",
        "dist/leaflet.markercluster.js",
        "assets/javascripts/vendor/leaflet.markercluster/leaflet.markercluster.js",
    ),
    (
        "leaflet.markercluster",
        "dist/MarkerCluster.css",
        "assets/stylesheets/vendor/leaflet.markercluster/MarkerCluster.css",
    ),
    (
        "leaflet.markercluster",
        "dist/MarkerCluster.Default.css",
        "assets/stylesheets/vendor/leaflet.markercluster/MarkerCluster.Default.css",
    ),
    ("leaflet.markercluster", "MIT-LICENCE.txt", "assets/javascripts/vendor/leaflet.markercluster/LICENSE.txt"),
    # pmtiles: read a local PMTiles basemap (content/map/tiles.yml pmtiles:); its
    # browser build bundles fflate (gzip), whose licence comes along.
    ("pmtiles", "dist/pmtiles.js", "assets/javascripts/vendor/pmtiles/pmtiles.js"),
    ("fflate", "LICENSE", "assets/javascripts/vendor/pmtiles/fflate-LICENSE.txt"),
]

# Published only when the county uses a local PMTiles basemap.
OPTIONAL = {"pmtiles", "fflate"}

# The pmtiles npm package ships no licence file: its BSD-3-Clause text is
# committed from the upstream repository (github.com/protomaps/PMTiles, LICENSE).
UPSTREAM = [("pmtiles", "LICENSE.txt", "assets/javascripts/vendor/pmtiles/LICENSE.txt")]


def committed(package: str, inner: str) -> Path:
    return VENDOR / package / inner


def vendored_files(pmtiles: bool = False) -> list[tuple[str, Path]]:
    """(site path, committed file) of every vendored file the site needs:
    Leaflet and markercluster always, pmtiles with a local PMTiles basemap."""
    out = [(dest, committed(pkg, inner)) for pkg, inner, dest in FILES if pmtiles or pkg not in OPTIONAL]
    if pmtiles:
        out += [(dest, committed(pkg, inner)) for pkg, inner, dest in UPSTREAM]
    return out


def refresh(node_modules: Path = ROOT / "node_modules") -> list[Path]:
    out = []
    for pkg, inner, _ in FILES:
        src = node_modules / pkg / inner
        dst = committed(pkg, inner)
        dst.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(src, dst)
        out.append(dst)
    return out


if __name__ == "__main__":
    for p in refresh(Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "node_modules"):
        print(p.relative_to(ROOT))
