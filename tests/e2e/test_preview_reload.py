"""The preview loop in Chromium (python -m builder serve, in-process): saving a
village.yml reloads the open page with the change; saving an error shows the
located Chinese message in a banner over the last good page; fixing it
removes the banner. No request leaves the machine."""

from __future__ import annotations

import threading
import time

from tests.portal_site import make_project


def test_saving_reloads_the_page_and_an_error_shows_a_banner(tmp_path, new_page):
    from builder.preview.cli import Previewer, Watcher, run_in_thread, watched
    from builder.preview.server import serve, url_of

    project = make_project(tmp_path / "project")
    config = project / "mkdocs.yml"
    pv = Previewer(config, None)
    httpd = serve(pv.state, "127.0.0.1", 0)
    folders, files = watched(config)
    watcher = Watcher(folders, files)
    stop = threading.Event()
    try:
        assert pv.full()
        run_in_thread(pv, watcher, stop)
        page, log = new_page()
        page.goto(url_of(httpd) + "villages/xiwan/")
        page.wait_for_function("() => document.readyState === 'complete'")
        time.sleep(0.5)  # the live-reload script has asked the server
        yml = project / "content" / "villages" / "xiwan" / "village.yml"
        good = yml.read_text(encoding="utf-8").replace("西湾村", "西湾预览村", 1)
        yml.write_text(good, encoding="utf-8")
        shown = "() => document.body && document.body.textContent.includes('西湾预览村')"
        page.wait_for_function(shown, timeout=180_000)

        yml.write_text(good.replace("town: ", "town: 没有这个乡 #", 1), encoding="utf-8")
        banner = page.wait_for_selector("#vp-preview-errors", timeout=180_000)
        text = banner.text_content() or ""
        assert "village.yml:" in text and "没有这个乡" in text and "上一次成功生成的网站" in text
        assert "西湾预览村" in (page.text_content("body") or "")  # the last good page stays

        yml.write_text(good, encoding="utf-8")
        page.wait_for_selector("#vp-preview-errors", state="detached", timeout=180_000)
        assert log.outside == []
        assert log.page_errors == []
    finally:
        stop.set()
        watcher.stop()
        httpd.shutdown()
        pv.close()
