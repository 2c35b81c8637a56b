"""The Zensical engine's adapter (builder/zensical_engine) without a browser:
the configuration derived from mkdocs.yml and the
failure paths of ``python -m builder build --engine zensical`` (one Chinese
line, exit 1, the previous site untouched). The browser smoke test is
tests/e2e/test_zensical.py."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from builder.zensical_engine.config import (
    VILLAGES_DEFAULTS,
    directory_urls,
    plugins,
    read_mkdocs_yml,
    villages_options,
    zensical_config,
)
from tests.conftest import ROOT
from tests.e2e.site import build_env
from tests.portal_site import make_project

pytest.importorskip("zensical")


def test_villages_defaults_are_the_plugins():
    from builder.mkdocs_plugin.config import VillagesConfig

    cfg = VillagesConfig()
    cfg.load_dict({})
    assert not cfg.validate()[0]
    assert dict(cfg) == VILLAGES_DEFAULTS


def test_config_from_the_projects_mkdocs_yml(monkeypatch):
    monkeypatch.delenv("OFFLINE", raising=False)
    monkeypatch.setenv("SITE_URL", "https://cun.example.gov.cn/")
    mk = read_mkdocs_yml(ROOT / "mkdocs.yml")
    assert mk["site_url"] == "https://cun.example.gov.cn/"  # !ENV read as MkDocs reads it
    assert villages_options(mk)["content_dir"] == "content"
    cfg = zensical_config(
        mk, root=ROOT, docs_dir="docs", site_dir="site", nav=["index.md"], extra={"x": 1}, logo="assets/site/logo.png"
    )
    names = [next(iter(p)) for p in cfg["plugins"]]
    assert "villages" not in names and {"search", "tags", "offline"} <= set(names)
    # the photo viewer is the core's (photos/vendor.py, lightbox.js), not a theme plugin
    assert "glightbox" not in names
    assert cfg["theme"]["font"] is False and cfg["theme"]["variant"] == "classic"
    assert Path(cfg["theme"]["custom_dir"]) == ROOT / "theme_overrides"
    assert cfg["theme"]["logo"] == cfg["theme"]["favicon"] == "assets/site/logo.png"
    assert cfg["extra"]["x"] == 1 and cfg["extra"]["polyfills"] == mk["extra"]["polyfills"]
    assert cfg["extra_css"] == mk["extra_css"] and cfg["extra_javascript"] == mk["extra_javascript"]
    assert directory_urls(mk)
    monkeypatch.setenv("OFFLINE", "true")
    assert not directory_urls(read_mkdocs_yml(ROOT / "mkdocs.yml"))  # USB copy: .html links in both engines


def test_search_off_when_mkdocs_yml_has_none():
    mk = {"site_name": "x", "plugins": ["villages", {"tags": None}]}
    assert plugins(mk) == {"villages": {}, "tags": {}}
    cfg = zensical_config(mk, root=ROOT, docs_dir="docs", site_dir="site", nav=None, extra={}, logo="")
    assert {"search": {"enabled": False}} in cfg["plugins"]


def test_guides_links_follow_the_moved_pages():
    from builder.zensical_engine.build import _as_index, _relinked

    moved = {p: _as_index(p) for p in ("map.md", "compare/xuandian.md", "villages/index.md")}
    assert moved["villages/index.md"] == "villages/index.md" and moved["map.md"] == "map/index.md"
    text = "见[全县地图](../map.md)和[选点](../compare/xuandian.md#top)，[指南](other.md)。\n[m]: ../map.md\n"
    assert _relinked(text, "editors/map-layers.md", moved) == (
        "见[全县地图](../map/index.md)和[选点](../compare/xuandian/index.md#top)，[指南](other.md)。\n"
        "[m]: ../map/index.md\n"
    )
    assert _relinked("[地图](map.md)", "index.md", moved) == "[地图](map/index.md)"


def _project(tmp_path: Path) -> Path:
    return make_project(tmp_path / "project")


def _build(project: Path, *args: str):
    import subprocess
    import sys

    env = build_env()
    env["PYTHONPATH"] = str(ROOT)
    cmd = [sys.executable, "-m", "builder", "build", "--engine", "zensical", "--config", str(project / "mkdocs.yml")]
    return subprocess.run(
        [*cmd, *args],
        cwd=project,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )


def _leftovers(project: Path) -> list[str]:
    return sorted(p.name for p in project.iterdir() if p.name.startswith(".site-"))


@pytest.mark.slow
def test_a_zensical_failure_leaves_the_previous_site(tmp_path):
    project = _project(tmp_path)
    site = project / "site"
    site.mkdir()
    (site / "index.html").write_text("old", encoding="utf-8")
    # A template Zensical's engine cannot render.
    (project / "theme_overrides" / "main.html").write_text(
        '{% extends "base.html" %}{% block content %}{{ 1 | no_such_filter }}{% endblock %}', encoding="utf-8"
    )
    r = _build(project)
    assert r.returncode == 1, r.stderr
    last = r.stderr.strip().splitlines()[-1]
    assert last.startswith("构建失败：Zensical 没有生成网站（") and "保持原样" in last, r.stderr
    assert "Traceback" not in r.stderr
    assert sorted(os.listdir(site)) == ["index.html"] and (site / "index.html").read_text("utf-8") == "old"
    assert _leftovers(project) == []


@pytest.mark.slow
def test_content_errors_stop_before_zensical(tmp_path):
    project = _project(tmp_path)
    site = project / "site"
    site.mkdir()
    (site / "index.html").write_text("old", encoding="utf-8")
    yml = next((project / "content" / "villages").glob("*/village.yml"))
    yml.write_text(yml.read_text("utf-8").replace("town:", "town: 没有这个乡镇\nxtown:", 1), encoding="utf-8")
    r = _build(project)
    assert r.returncode == 1
    assert "内容有错误，网站没有生成" in r.stderr and "Zensical" not in r.stderr
    assert (site / "index.html").read_text("utf-8") == "old" and _leftovers(project) == []


def test_zensical_missing_is_one_chinese_sentence(monkeypatch, tmp_path):
    from builder.zensical_engine import build

    monkeypatch.setattr(build, "zensical_version", lambda: None)
    with pytest.raises(build.EngineFailed, match="没有安装 Zensical"):
        build.run_zensical(tmp_path)


def test_unknown_engine_is_a_usage_error():
    from tests.conftest import run_cli

    r = run_cli("build", "--engine", "hugo")
    assert r.returncode == 2 and "没有“hugo”这一项" in r.stderr and "zensical" in r.stderr


@pytest.mark.slow
def test_killed_while_zensical_runs(tmp_path):
    """SIGKILL while Zensical writes: the previous site stays, Zensical dies
    with the build, and the next run removes the leftovers and succeeds."""
    import signal
    import subprocess
    import sys
    import time

    project = _project(tmp_path)
    site = project / "site"
    site.mkdir()
    (site / "index.html").write_text("old", encoding="utf-8")
    env = build_env()
    env["PYTHONPATH"] = str(ROOT)
    cmd = [sys.executable, "-m", "builder", "build", "--engine", "zensical", "--config", str(project / "mkdocs.yml")]
    proc = subprocess.Popen(cmd, cwd=project, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 300
    writing: list[Path] = []
    while not writing:
        assert proc.poll() is None, "the build ended before Zensical wrote anything"
        assert time.monotonic() < deadline
        writing = [p / "site" for p in project.glob(".site-tmp-*-zensical-*") if (p / "site").is_dir()]
        time.sleep(0.002)
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    assert (site / "index.html").read_text("utf-8") == "old" and sorted(os.listdir(site)) == ["index.html"]
    work = str(writing[0].parent)
    deadline = time.monotonic() + 0.5  # the kernel's SIGKILL; Zensical alone would run on for a second or more
    while time.monotonic() < deadline and any(work in _cmdline(p) for p in Path("/proc").glob("[0-9]*")):
        time.sleep(0.05)
    assert not any(work in _cmdline(p) for p in Path("/proc").glob("[0-9]*")), "Zensical outlived the build"
    r = _build(project)
    assert r.returncode == 0, r.stderr
    assert (site / "villages" / "wangjiazhuang" / "index.html").is_file() and _leftovers(project) == []


def _cmdline(proc: Path) -> str:
    try:
        return (proc / "cmdline").read_bytes().replace(b"\0", b" ").decode("utf-8", "replace")
    except OSError:
        return ""
