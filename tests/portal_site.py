"""Build the sample site once per test session (shared by test_portal*.py,
test_plugin*.py and test_exports*.py). Never writes inside the repo."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# 2026-11-20 00:00 UTC: fixed "today" so past-due milestones are stable.
EPOCH = "1795132800"
_CACHE: dict[str, Path] = {}


def make_project(dest: Path, content: Path | None = None) -> Path:
    """A private copy of everything `mkdocs build` needs; returns its folder."""
    dest.mkdir(parents=True, exist_ok=True)
    shutil.copy2(ROOT / "mkdocs.yml", dest / "mkdocs.yml")
    shutil.copytree(ROOT / "docs", dest / "docs", dirs_exist_ok=True)
    if (ROOT / "theme_overrides").is_dir():
        shutil.copytree(ROOT / "theme_overrides", dest / "theme_overrides", dirs_exist_ok=True)
    shutil.copytree(content or ROOT / "content", dest / "content", dirs_exist_ok=True)
    return dest


def env(**extra: str) -> dict:
    e = dict(os.environ)
    e.update({"SOURCE_DATE_EPOCH": EPOCH, "NO_MKDOCS_2_WARNING": "1", "PYTHONHASHSEED": "0"})
    e.pop("OFFLINE", None)
    e.pop("SITE_URL", None)
    e.update(extra)
    return e


def mkdocs_build(project: Path, *args: str, **env_extra: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [
            sys.executable,
            "-m",
            "mkdocs",
            "build",
            "-f",
            str(project / "mkdocs.yml"),
            "-d",
            str(project / "site"),
            *args,
        ],
        cwd=project,
        env=env(**env_extra),
        capture_output=True,
        text=True,
        timeout=900,
    )


def built_site(tmp_path_factory, key: str = "sample", **env_extra: str) -> Path:
    """The sample content built with the plugin; returns the site folder."""
    if key not in _CACHE:
        project = make_project(tmp_path_factory.mktemp(f"portal-{key}"))
        r = mkdocs_build(project, **env_extra)
        assert r.returncode == 0, r.stderr[-4000:]
        _CACHE[key] = project / "site"
    return _CACHE[key]


def load_sample():
    from builder.pipeline import check

    content, diags = check(ROOT / "content", ROOT)
    assert not diags.has_errors, diags.format("text")
    return content
