"""Fixtures for the real-browser tests: the sample site built once per
session, served by a stdlib HTTP server on 127.0.0.1 (random free port), and
Debian's Chromium driven by Playwright.

Without Chromium the browser tests are skipped locally, but under CI (CI=true)
they FAIL: a CI run must never pass by silently skipping them.
"""

from __future__ import annotations

import functools
import http.server
import shutil
import threading
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from tests.conftest import CHROMIUM, CHROMIUM_ARGS, missing  # noqa: F401  (shared browser fixtures live there)
from tests.e2e.site import build_site

LOCAL_HOSTS = {"127.0.0.1", "localhost"}


@pytest.fixture(scope="session")
def sample_site(tmp_path_factory) -> Path:
    """The sample content built once (SOURCE_DATE_EPOCH set), as a folder."""
    return build_site(tmp_path_factory.mktemp("e2e-site"))


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):  # keep pytest output clean
        pass


def serve(root: Path):
    handler = functools.partial(_QuietHandler, directory=str(root))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    httpd.daemon_threads = True
    t = threading.Thread(target=httpd.serve_forever, daemon=True)
    t.start()
    return httpd, f"http://127.0.0.1:{httpd.server_address[1]}/"


@pytest.fixture(scope="session")
def base_url(sample_site) -> str:
    httpd, url = serve(sample_site)
    yield url
    httpd.shutdown()
    httpd.server_close()


@dataclass
class NetLog:
    """Everything a page did that a visitor would not want: console errors,
    uncaught exceptions, failed or 4xx/5xx requests, requests to other hosts,
    dialogs (alert/confirm/prompt) and console messages (for the XSS marker)."""

    requests: list[str] = field(default_factory=list)
    outside: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)
    console_errors: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)
    console: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)

    def problems(self) -> list[str]:
        return (
            [f"console error: {m}" for m in self.console_errors]
            + [f"page error: {m}" for m in self.page_errors]
            + [f"failed request: {m}" for m in self.failed]
            + [f"request to another host: {m}" for m in self.outside]
            + [f"dialog: {m}" for m in self.dialogs]
        )


def attach(context, log: NetLog) -> None:
    """Record a context's traffic; requests to other hosts are recorded and aborted."""

    def route(r):
        url = r.request.url
        parts = urlsplit(url)
        if parts.scheme in ("http", "https", "ws", "wss") and parts.hostname not in LOCAL_HOSTS:
            log.outside.append(url)
            r.abort()
        else:
            r.continue_()

    context.route("**/*", route)


def watch(page, log: NetLog) -> None:
    """Record what one page does (console, errors, requests, dialogs)."""
    page.on("request", lambda req: log.requests.append(req.url))
    page.on(
        "requestfailed",
        lambda req: (
            log.failed.append(f"{req.url} ({req.failure})") if urlsplit(req.url).hostname in LOCAL_HOSTS else None
        ),
    )
    page.on(
        "response", lambda resp: log.failed.append(f"{resp.url} → HTTP {resp.status}") if resp.status >= 400 else None
    )
    page.on(
        "console",
        lambda msg: (
            log.console.append(msg.text),
            log.console_errors.append(msg.text) if msg.type == "error" else None,
        ),
    )
    page.on("pageerror", lambda exc: log.page_errors.append(str(exc)))

    def on_dialog(d):
        log.dialogs.append(f"{d.type}: {d.message}")
        d.dismiss()

    page.on("dialog", on_dialog)


@pytest.fixture
def new_page(browser):
    """Factory: new_page(**context_options) -> (page, NetLog); closed after the test."""
    contexts = []

    def make(**opts):
        ctx = browser.new_context(**opts)
        contexts.append(ctx)
        log = NetLog()
        attach(ctx, log)
        page = ctx.new_page()
        watch(page, log)
        return page, log

    yield make
    for c in contexts:
        c.close()


@pytest.fixture
def page_and_log(new_page):
    return new_page()


def pdftotext_available() -> bool:
    return shutil.which("pdftotext") is not None and shutil.which("pdfinfo") is not None
