"""The photo viewer without the mkdocs-glightbox plugin: GLightbox vendored
from the pinned npm package, published by the photos feature (so every engine
gets it), started by docs/assets/javascripts/lightbox.js; no page carries an
inline script for it."""

from __future__ import annotations

from pathlib import Path

from selectolax.lexbor import LexborHTMLParser

from builder.photos.vendor import FILES, committed, vendored_files
from tests.portal_site import ROOT, make_project, mkdocs_build


def test_vendored_glightbox_matches_the_pinned_package():
    import json

    lock = json.loads((ROOT / "package-lock.json").read_text("utf-8"))
    pinned = json.loads((ROOT / "package.json").read_text("utf-8"))["dependencies"]["glightbox"]
    assert lock["packages"]["node_modules/glightbox"]["version"] == pinned
    for pkg, inner, _ in FILES:
        installed = ROOT / "node_modules" / pkg / inner
        assert committed(pkg, inner).read_bytes() == installed.read_bytes(), inner
    assert any(d.endswith("LICENSE.txt") for d, _ in vendored_files())


def test_site_has_the_viewer_files_and_no_inline_starter(tmp_path):
    proj = make_project(tmp_path / "p")
    r = mkdocs_build(proj)
    assert r.returncode == 0, r.stderr[-2000:]
    site = proj / "site"
    for dest, path in vendored_files():
        assert (site / dest).read_bytes() == path.read_bytes()
    page = LexborHTMLParser((site / "villages" / "wangjiazhuang" / "index.html").read_text("utf-8"))
    assert page.css("a.glightbox"), "the village page's photos open in the viewer"
    srcs = [s.attributes.get("src") or "" for s in page.css("script")]
    assert any(s.endswith("assets/javascripts/lightbox.js") for s in srcs)
    # GLightbox itself is loaded by lightbox.js only where there are photos
    assert not any("glightbox" in s for s in srcs)
    inline = [s.text() for s in page.css("script") if not s.attributes.get("src")]
    assert not any("GLightbox" in t for t in inline)
    assert not any("glightbox" in (link.attributes.get("href") or "") for link in page.css("link"))
    assert not list(Path(site).rglob("glightbox.min.js"))[1:], "one copy of GLightbox"
