"""Shared fixtures. Tests never write inside the repository's content/."""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
CONTENT = ROOT / "content"


@pytest.fixture(scope="session")
def repo_root() -> Path:
    return ROOT


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    if not SHARED.is_dir():
        pytest.skip("../shared is not beside the project root")
    return SHARED


@pytest.fixture
def sample_copy(tmp_path: Path) -> Path:
    """A private copy of the repository's content/ (returns the content dir)."""
    dst = tmp_path / "content"
    shutil.copytree(CONTENT, dst)
    return dst


def run_cli(*args: str, cwd: Path | None = None):
    """Run `python -m builder ...` in a subprocess; returns CompletedProcess."""
    import subprocess

    return subprocess.run(
        [sys.executable, "-m", "builder", *args], cwd=cwd or ROOT, capture_output=True, text=True, timeout=600
    )


# -- Chromium (Debian's, driven by Playwright) ----------------------------------------
# One Playwright instance per test session: Playwright's sync API cannot be
# started twice in one thread, so every browser test shares these fixtures.
CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
    "--disable-quic",
    "--disable-dev-shm-usage",
]


def in_ci() -> bool:
    return os.environ.get("CI", "").lower() not in ("", "0", "false", "no")


def missing(what: str) -> None:
    """Skip locally, fail under CI (a CI run must never pass by skipping)."""
    msg = f"{what} (install with: make system-deps)"
    if in_ci():
        pytest.fail("CI=true: browser tests must run, but " + msg, pytrace=False)
    pytest.skip(msg)


@pytest.fixture(scope="session")
def chromium_path() -> str:
    if not (Path(CHROMIUM).is_file() and os.access(CHROMIUM, os.X_OK)):
        missing(f"Chromium not found at {CHROMIUM}")
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        missing("the Python package playwright is not installed")
    return CHROMIUM


@pytest.fixture(scope="session")
def browser(chromium_path):
    from playwright.sync_api import sync_playwright

    pw = sync_playwright().start()
    b = pw.chromium.launch(executable_path=chromium_path, args=CHROMIUM_ARGS, headless=True)
    yield b
    b.close()
    pw.stop()
