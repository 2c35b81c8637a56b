"""A local PMTiles basemap (content/map/tiles.yml ``pmtiles:``) in Chromium.

The sample content plus a tiny raster archive (testkit.pmtiles_archive: one
plain PNG tile over the county at zooms 6–11, written with the reference
``pmtiles`` writer) is built with the real command. Served over HTTP with
range requests (as nginx, Apache or IIS do), the vendored pmtiles library
reads the archive from the site itself — every request goes to localhost, the
archive is read in byte ranges, and the tiles are drawn. Opened from file://
(a USB stick), where range requests do not exist, the map still draws the
county's GeoJSON layers and its villages, says in a short note why the
basemap is missing, and raises no JavaScript error."""

from __future__ import annotations

import functools
import http.server
import os
import re
import shutil
import threading
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from testkit.pmtiles_archive import TILE_RGB, write_archive
from tests.conftest import CONTENT
from tests.e2e.conftest import LOCAL_HOSTS, NetLog, attach, watch
from tests.e2e.site import build_site

pytestmark = pytest.mark.browser

BOUNDS = (104.3, 35.3, 104.9, 35.8)  # west, south, east, north: around the sample county


@pytest.fixture(scope="module")
def pmtiles_content(tmp_path_factory) -> Path:
    content = tmp_path_factory.mktemp("pmtiles-content") / "content"
    shutil.copytree(CONTENT, content)
    write_archive(content / "map" / "county.pmtiles", BOUNDS, zooms=range(6, 12))
    (content / "map" / "tiles.yml").write_text(
        "enabled: true\nname: 县域底图（测试）\npmtiles: county.pmtiles\nattribution: 测试底图\n", encoding="utf-8"
    )
    return content


@pytest.fixture(scope="module")
def pmtiles_site(tmp_path_factory, pmtiles_content) -> Path:
    """Built for a web server (directory URLs)."""
    return build_site(tmp_path_factory.mktemp("pmtiles-web"), pmtiles_content)


@pytest.fixture(scope="module")
def pmtiles_usb_site(tmp_path_factory, pmtiles_content) -> Path:
    """Built for a USB stick (OFFLINE=true: .html URLs, search from a script file)."""
    return build_site(tmp_path_factory.mktemp("pmtiles-usb"), pmtiles_content, OFFLINE="true")


class _RangeHandler(http.server.SimpleHTTPRequestHandler):
    """The stdlib file server plus single byte ranges (206), as real web servers
    answer; it records every Range header it was asked for."""

    ranges: list[tuple[str, str]]

    def log_message(self, *args):
        pass

    def send_head(self):
        rng = self.headers.get("Range")
        path = self.translate_path(self.path)
        m = re.fullmatch(r"bytes=(\d+)-(\d*)", rng or "")
        if not m or not os.path.isfile(path):
            return super().send_head()
        self.ranges.append((urlsplit(self.path).path, rng))
        size = os.path.getsize(path)
        start = int(m.group(1))
        end = min(int(m.group(2)) if m.group(2) else size - 1, size - 1)
        f = open(path, "rb")  # noqa: SIM115 (closed by copyfile's caller)
        f.seek(start)
        body = f.read(end - start + 1)
        f.close()
        self.send_response(206)
        self.send_header("Content-Type", "application/octet-stream")
        self.send_header("Content-Range", f"bytes {start}-{end}/{size}")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Accept-Ranges", "bytes")
        self.end_headers()
        self.wfile.write(body)
        return None


def serve_ranges(root: Path):
    seen: list[tuple[str, str]] = []
    handler = functools.partial(type("H", (_RangeHandler,), {"ranges": seen}), directory=str(root))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    httpd.daemon_threads = True
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    return httpd, f"http://127.0.0.1:{httpd.server_address[1]}/", seen


def test_basemap_is_published_with_its_reader(pmtiles_site):
    archive = pmtiles_site / "assets/map/basemap.pmtiles"
    assert archive.read_bytes() == (pmtiles_site.parent / "content/map/county.pmtiles").read_bytes()
    assert archive.stat().st_size < 4096  # one PNG stored once, a directory of runs
    html = (pmtiles_site / "map/index.html").read_text(encoding="utf-8")
    assert "vendor/pmtiles/pmtiles.js" in html and "不向外部地址请求" in html
    assert (pmtiles_site / "assets/javascripts/vendor/pmtiles/LICENSE.txt").is_file()


def test_tiles_are_read_from_the_site_and_drawn(pmtiles_site, browser):
    httpd, url, ranges = serve_ranges(pmtiles_site)
    ctx = browser.new_context(viewport={"width": 1366, "height": 900})
    try:
        log = NetLog()
        attach(ctx, log)
        page = ctx.new_page()
        watch(page, log)
        page.goto(url + "map/", wait_until="load")
        page.wait_for_selector("#vp-lmap[data-ready='1']")
        page.wait_for_selector("#vp-lmap .leaflet-tile-loaded", timeout=15000)
        page.wait_for_load_state("networkidle")
        # every request went to this server; the archive was read in byte ranges
        assert log.requests and all(
            urlsplit(u).hostname in LOCAL_HOSTS or u.startswith(("blob:", "data:")) for u in log.requests
        ), log.requests
        assert not log.outside and not log.problems(), log.problems()
        assert ranges and all(p == "/assets/map/basemap.pmtiles" for p, _ in ranges), ranges
        # the tiles are drawn: decoded 256 px images of the archive's colour
        drawn = page.evaluate("""() => [...document.querySelectorAll('#vp-lmap img.leaflet-tile-loaded')]
          .filter(i => i.complete && i.naturalWidth === 256).map(i => {
            const c = document.createElement('canvas'); c.width = c.height = 4;
            const g = c.getContext('2d'); g.drawImage(i, 0, 0, 4, 4);
            return [...g.getImageData(1, 1, 1, 1).data.slice(0, 3)]; })""")
        assert drawn and all(tuple(px) == TILE_RGB for px in drawn), drawn
        # the basemap is a switchable base layer, the county layers stay on top
        bases = page.locator(".leaflet-control-layers-base label").all_inner_texts()
        assert any("县域底图（测试）" in b for b in bases) and any("不用底图" in b for b in bases)
        assert page.locator(".leaflet-overlay-pane path").count() > 0
        assert page.locator(".vp-lm-offline-note").count() == 0
    finally:
        ctx.close()
        httpd.shutdown()
        httpd.server_close()


def test_from_a_usb_stick_the_map_works_without_the_basemap(pmtiles_usb_site, new_page):
    page, log = new_page(viewport={"width": 375, "height": 740})  # console, errors and requests recorded
    assert (pmtiles_usb_site / "assets/map/basemap.pmtiles").is_file()
    page.goto((pmtiles_usb_site / "map.html").as_uri())
    page.wait_for_selector("#vp-lmap[data-ready='1']")
    page.wait_for_timeout(300)
    note = page.locator("#vp-lmap .vp-lm-offline-note")
    assert note.is_visible() and "不显示底图" in note.inner_text() and "县域底图（测试）" in note.inner_text()
    # the county's own layers and every village are still on the map
    assert page.locator(".leaflet-overlay-pane path").count() > 0
    assert page.locator(".vp-lm-marker, .marker-cluster").count() > 0
    assert page.locator(".leaflet-tile").count() == 0
    errors = log.console_errors + log.page_errors
    other = [u for u in log.requests if not u.startswith("file:")]
    assert not errors and not other, (errors, other)
