"""Screenshots of the built site for people to look at: home, a village page,
a village list and the comparison page, at 1366×800 and 375×740 (full page).

    python scripts/screenshots.py [--site site] [--out screenshots]

Serves SITE (default site/, built by `python -m builder build`) on 127.0.0.1
and drives Debian's Chromium (CHROMIUM_PATH) with Playwright. Output is PNG
files in OUT (git-ignored). `make screenshots` builds the site first."""

from __future__ import annotations

import argparse
import functools
import http.server
import os
import sys
import threading
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PAGES = [
    ("home", ""),
    ("village", "villages/wangjiazhuang/"),
    ("list", "villages/"),
    ("compare", "compare/"),
    ("news", "news/"),
    ("news-item", "news/wangjiazhuang-zhutidangri/"),
]
VIEWPORTS = [("desktop", 1366, 800), ("phone", 375, 740)]


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--site", default=str(ROOT / "site"))
    ap.add_argument("--out", default=str(ROOT / "screenshots"))
    ap.add_argument("--viewport-only", action="store_true", help="only the first screen, not the full page")
    a = ap.parse_args(argv)
    site, out = Path(a.site), Path(a.out)
    if not (site / "index.html").is_file():
        print(f"{site} 里没有网站：先运行 python -m builder build", file=sys.stderr)
        return 1
    out.mkdir(parents=True, exist_ok=True)
    from playwright.sync_api import sync_playwright

    sys.path.insert(0, str(ROOT))
    from tests.conftest import CHROMIUM, CHROMIUM_ARGS

    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(site)))
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{httpd.server_address[1]}/"
    try:
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=os.environ.get("CHROMIUM_PATH", CHROMIUM), args=CHROMIUM_ARGS)
            for vname, w, h in VIEWPORTS:
                ctx = browser.new_context(viewport={"width": w, "height": h}, device_scale_factor=1)
                page = ctx.new_page()
                for name, path in PAGES:
                    page.goto(base + path, wait_until="load")
                    # lazy images: scroll through the page so that they load
                    page.evaluate(
                        "async () => { for (let y = 0; y < document.body.scrollHeight; y += 600) {"
                        " window.scrollTo(0, y); await new Promise(r => setTimeout(r, 60)); }"
                        " window.scrollTo(0, 0); }"
                    )
                    page.wait_for_timeout(300)
                    target = out / f"{name}-{vname}.png"
                    page.screenshot(path=str(target), full_page=not a.viewport_only)
                    print(target)
                ctx.close()
            browser.close()
    finally:
        httpd.shutdown()
    return 0


if __name__ == "__main__":
    sys.exit(main())
