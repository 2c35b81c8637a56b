"""Build the sample site for the browser tests with the real command
(`python -m builder build`, atomic), in a private copy of the project."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from tests.portal_site import make_project

ROOT = Path(__file__).resolve().parent.parent.parent
# 2026-11-20 00:00 UTC, the same fixed "today" as the portal tests.
EPOCH = "1795132800"


def build_env(**extra: str) -> dict:
    env = dict(os.environ)
    env.update({"SOURCE_DATE_EPOCH": EPOCH, "NO_MKDOCS_2_WARNING": "1"})
    for k in ("OFFLINE", "SITE_URL"):
        env.pop(k, None)
    env.update(extra)
    return env


def run_build(project: Path, *args: str, **env_extra: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "builder", "build", "--config", str(project / "mkdocs.yml"), *args],
        cwd=project,
        env=build_env(**env_extra),
        capture_output=True,
        text=True,
        timeout=1800,
    )


def build_site(dest: Path, content: Path | None = None, **env_extra: str) -> Path:
    """Copy the project (optionally with other content) to dest, build it, return site/."""
    project = make_project(dest / "project", content)
    r = run_build(project, **env_extra)
    assert r.returncode == 0, f"build failed (exit {r.returncode}):\n{r.stderr[-6000:]}"
    return project / "site"


# One page of each type, as a path under the site root. Found by looking at the
# built site so the tests follow the portal's URL layout.
def page_types(site: Path) -> dict[str, str]:
    def first(pattern: str) -> str | None:
        hits = sorted(p for p in site.glob(pattern) if p.is_file())
        return hits[0].relative_to(site).as_posix() if hits else None

    types = {
        "home": "index.html",
        "village": first("villages/*/index.html")
        if not (site / "villages/wangjiazhuang/index.html").is_file()
        else "villages/wangjiazhuang/index.html",
        "villages-a-z": "villages/index.html",
        "villages-by-town": "villages/by-town/index.html",
        "villages-by-function": "villages/by-function/index.html",
        "tags": "tags/index.html",
        "comparison-index": "compare/index.html",
        "comparison-framework": first("compare/*/index.html"),
        "projects-index": "projects/index.html",
        "project": first("projects/*/index.html"),
        "map": "map/index.html",
        "not-found": "404.html",
        "comparison-year": first("compare/year-*/index.html"),  # builder.years
    }
    village = types["village"]
    if village and (site / village.replace("index.html", "profile/index.html")).is_file():
        types["village-profile"] = village.replace("index.html", "profile/index.html")
    if (site / "villages/majiazhuang/index.html").is_file():  # a village with three years (历年自评)
        types["village-years"] = "villages/majiazhuang/index.html"
    if (site / "tours").is_dir():
        types["tours-index"] = "tours/index.html"
        sheet = first("tours/*/scoresheet/index.html")
        types["tour"] = sheet.replace("scoresheet/", "") if sheet else first("tours/*/index.html")
        types["score-sheet"] = sheet
        types["tour-results"] = first("tours/*/results/index.html")
        types["town-route"] = first("tours/town-*/index.html")
    if (site / "ranking").is_dir():
        types["ranking"] = first("ranking/[0-9]*/index.html")
        types["ranking-print"] = first("ranking/[0-9]*/print/index.html")
    if (site / "news").is_dir():
        types["news-list"] = "news/index.html"
        types["news-year"] = first("news/year/*/index.html")
        items = sorted(p for p in site.glob("news/*/index.html") if p.parent.name not in ("page", "year"))
        types["news-item"] = items[0].relative_to(site).as_posix() if items else None
    if (site / "editors").is_dir():
        types["editors-guide"] = "editors/index.html"
    return types
