"""Shared fixtures. Tests never write inside the repository's content/."""

from __future__ import annotations

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

    return subprocess.run([sys.executable, "-m", "builder", *args], cwd=cwd or ROOT,
                          capture_output=True, text=True, timeout=600)
