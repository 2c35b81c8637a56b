"""The preview's HTTP server: the built folder, plus live reload.

Every HTML page is served with one added line, ``<script src="/__preview/live.js">``
(the files on disk stay exactly what a build writes). The script asks
``/__preview/wait`` (a long poll on the same server: no outside request, no
WebSocket) and reloads the page when the site changed; when the content has
errors it shows them in a banner over the last good site."""

from __future__ import annotations

import contextlib
import json
import threading
import time
from dataclasses import dataclass, field
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

LIVE_JS = Path(__file__).with_name("live.js")
TAG = b'<script src="/__preview/live.js"></script>'
NO_SITE = (
    '<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><title>预览</title></head>'
    "<body><p>网站还没有生成（见下面的错误，或终端里的说明）。改好内容并保存后，这一页会自动刷新。</p></body></html>"
)
WAIT_SECONDS = 25.0


@dataclass
class PreviewState:
    """What the browser is told: the site's version (a change reloads the page) and the errors."""

    site_dir: Path
    site: int = 0  # bumped when pages were written
    seen: int = 0  # bumped on every change of what the browser is told
    errors: list[str] = field(default_factory=list)
    cond: threading.Condition = field(default_factory=threading.Condition)
    polls: int = 0  # browsers waiting for a change (open preview pages)
    last_request: float = 0.0  # time.monotonic() of the last request begun

    def publish(self, *, reload: bool, errors: list[str] | None = None, site_dir: Path | None = None) -> None:
        with self.cond:
            if site_dir is not None:
                self.site_dir = site_dir
            if reload:
                self.site += 1
            self.errors = list(errors or [])
            self.seen += 1
            self.cond.notify_all()

    def wait(self, seen: int | None, timeout: float = WAIT_SECONDS) -> dict[str, Any]:
        with self.cond:
            if seen is not None:
                self.polls += 1
                try:
                    self.cond.wait_for(lambda: self.seen != seen, timeout)
                finally:
                    self.polls -= 1
            return {"site": self.site, "seen": self.seen, "errors": self.errors}

    def settle(self, since: float, pages_open: bool, quiet: float = 0.25, limit: float = 1.5) -> None:
        """After a reload was published at ``since`` (time.monotonic()): wait
        until the open pages have reloaded (a request came after it, then
        ``quiet`` seconds without one), at most ``limit`` seconds; at once
        when no page was open (``pages_open``: some were waiting before the
        reload was published). What the preview does next (spreadsheets, the
        search index) then does not slow the pages' loading."""
        if not pages_open:
            return
        end = since + limit
        while (now := time.monotonic()) < end:
            if self.last_request >= since and now - self.last_request >= quiet:
                return
            time.sleep(0.05)


def inject(html: bytes) -> bytes:
    """The page with the live-reload script before its last </body> (or at the end)."""
    at = html.rfind(b"</body>")
    return html + TAG if at < 0 else html[:at] + TAG + html[at:]


def make_handler(state: PreviewState) -> type[SimpleHTTPRequestHandler]:
    class Handler(SimpleHTTPRequestHandler):
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, directory=str(state.site_dir), **kwargs)

        def log_message(self, format: str, *args: Any) -> None:
            pass

        def end_headers(self) -> None:
            self.send_header("Cache-Control", "no-store")
            super().end_headers()

        def _send(self, status: int, body: bytes, ctype: str) -> None:
            self.send_response(status)
            self.send_header("Content-Type", ctype)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            if self.command != "HEAD":
                # the page may have reloaded while its long poll was answered
                with contextlib.suppress(BrokenPipeError, ConnectionResetError):
                    self.wfile.write(body)

        def do_HEAD(self) -> None:
            self.do_GET()

        def do_GET(self) -> None:
            state.last_request = time.monotonic()
            url = urlsplit(self.path)
            if url.path == "/__preview/live.js":
                self._send(200, LIVE_JS.read_bytes(), "text/javascript; charset=utf-8")
                return
            if url.path == "/__preview/wait":
                raw = parse_qs(url.query).get("seen", [""])[0]
                data = state.wait(int(raw) if raw.isdigit() else None)
                self._send(200, json.dumps(data, ensure_ascii=False).encode(), "application/json; charset=utf-8")
                return
            fs = Path(self.translate_path(self.path))
            if fs.is_dir() and url.path.endswith("/"):
                fs = fs / "index.html"
            if fs.suffix == ".html" and fs.is_file():
                self._send(200, inject(fs.read_bytes()), "text/html; charset=utf-8")
                return
            if not fs.exists():
                page = Path(state.site_dir) / "404.html"
                body = page.read_bytes() if page.is_file() else NO_SITE.encode()
                self._send(404, inject(body), "text/html; charset=utf-8")
                return
            super().do_GET()

    return Handler


class _Server(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request: Any, client_address: Any) -> None:
        import sys

        exc = sys.exc_info()[1]
        if isinstance(exc, (BrokenPipeError, ConnectionResetError)):
            return  # a page closed or reloaded: not worth a traceback in the editor's terminal
        super().handle_error(request, client_address)


def serve(state: PreviewState, host: str, port: int) -> ThreadingHTTPServer:
    """Start serving in a background thread; returns the server (``shutdown()`` stops it)."""
    httpd = _Server((host, port), make_handler(state))
    httpd.daemon_threads = True
    threading.Thread(target=httpd.serve_forever, name="preview-http", daemon=True).start()
    return httpd


def url_of(httpd: ThreadingHTTPServer) -> str:
    host, port = httpd.server_address[:2]
    return f"http://{host if isinstance(host, str) else bytes(host).decode()}:{port}/"
