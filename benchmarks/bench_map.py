"""The county map in Chromium (issue 14): time to first render of /map/ with
a synthetic county of 2,000 villages, as a ratio to the sample county's (13),
and the time of a pan once loaded. The 2,000-village data file is produced by
the real producer (testkit/mapsite.py); everything else is the built sample site."""

from __future__ import annotations

import statistics
import tempfile
from pathlib import Path

from benchmarks.common import Figure, Section

RUNS = 5


def _measure(url: str, browser) -> tuple[float, float]:
    """(median ms from navigation start to the map's first render, median ms of a pan)."""
    firsts, pans = [], []
    for _ in range(RUNS):
        ctx = browser.new_context(viewport={"width": 375, "height": 740}, is_mobile=True, has_touch=True)
        page = ctx.new_page()
        page.goto(url + "map/", wait_until="load")
        page.wait_for_selector("#vp-lmap[data-ready='1']")
        # first render: the map is ready and the browser has painted a frame after it
        page.evaluate("() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))")
        firsts.append(float(page.get_attribute("#vp-lmap", "data-ready-ms")))
        pans.append(
            page.evaluate("""() => new Promise(done => {
            const m = window.VP_MAP_READY.map, t0 = performance.now();
            m.once('moveend', () => requestAnimationFrame(() => done(performance.now() - t0)));
            m.panBy([150, 90], {animate: false});
        })""")
        )
        ctx.close()
    return statistics.median(firsts), statistics.median(pans)


def run() -> Section:
    from playwright.sync_api import sync_playwright

    from testkit.mapsite import map_site_with, synthetic_map_data
    from tests.conftest import CHROMIUM_ARGS
    from tests.e2e.conftest import serve
    from tests.e2e.site import build_site

    sec = Section("县域地图（issue 14）", "python -m benchmarks bench_map")
    with tempfile.TemporaryDirectory() as tmp:
        site = build_site(Path(tmp) / "sample")
        big = map_site_with(site, Path(tmp) / "big", synthetic_map_data(2000))
        servers = [serve(site), serve(big)]
        try:
            with sync_playwright() as p:
                browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
                s_first, s_pan = _measure(servers[0][1], browser)
                b_first, b_pan = _measure(servers[1][1], browser)
                browser.close()
        finally:
            for httpd, _ in servers:
                httpd.shutdown()
                httpd.server_close()
    sec.figures.append(
        Figure(
            "地图首次渲染 2000 村 / 示例县 13 村",
            b_first / s_first,
            "×",
            "",
            None,
            f"中位数 {b_first:.0f} ms / {s_first:.0f} ms（375 px，{RUNS} 次）",
        )
    )
    sec.figures.append(Figure("平移一次 2000 村", b_pan, "ms", "", None, f"示例县 {s_pan:.0f} ms"))
    sec.notes.append("2000 村用 Leaflet.markercluster 聚合（chunkedLoading）；数据文件由真实的 map_data 生成。")
    return sec
