"""The `villages` MkDocs plugin and the generate/build commands: content
errors stop the build with the check diagnostics, warnings fail --strict,
serve watches content/, the core generates pages without MkDocs."""

from __future__ import annotations

import datetime as dt
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

import markdown
import pytest
from selectolax.lexbor import LexborHTMLParser as HTMLParser

from tests.portal_site import ROOT, env, make_project, mkdocs_build


def _replace(path: Path, old: str, new: str) -> int:
    """Replace the first line containing `old`; return that line's number."""
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    for i, line in enumerate(lines):
        if old in line:
            lines[i] = line.replace(old, new, 1)
            path.write_text("".join(lines), encoding="utf-8")
            return i + 1
    raise AssertionError(f"{old!r} not in {path}")


def test_content_error_stops_mkdocs_build_with_the_diagnostic(tmp_path):
    proj = make_project(tmp_path / "p")
    vy = proj / "content" / "villages" / "wangjiazhuang" / "village.yml"
    line = _replace(vy, "function: 特色产业带动型", "function: 特色产业型")
    r = mkdocs_build(proj)
    assert r.returncode != 0
    assert f"content/villages/wangjiazhuang/village.yml:{line}:" in r.stderr
    assert "[unknown-function]" in r.stderr and "网站没有生成" in r.stderr
    assert "Traceback" not in r.stderr
    assert not (proj / "site" / "index.html").exists()


def test_builder_build_exits_1_and_keeps_previous_site(tmp_path):
    proj = make_project(tmp_path / "p")
    site = proj / "site"
    site.mkdir()
    (site / "marker.txt").write_text("old", encoding="utf-8")
    vy = proj / "content" / "villages" / "wangjiazhuang" / "village.yml"
    _replace(vy, "town: 青山镇", "town: 不存在镇")
    r = subprocess.run(
        [sys.executable, "-m", "builder", "build"], cwd=proj, env=env(), capture_output=True, text=True, timeout=600
    )
    assert r.returncode == 1, r.stderr[-2000:]
    assert "[unknown-town]" in r.stderr and "village.yml:" in r.stderr
    assert "Traceback" not in r.stderr
    assert [p.name for p in site.iterdir()] == ["marker.txt"]


def test_photo_options_in_mkdocs_yml_apply_to_the_check(tmp_path):
    """Options set on the plugin (here: only PNG photos allowed) are seen by
    the check that runs before the build, so check and build agree."""
    proj = make_project(tmp_path / "p")
    cfg = proj / "mkdocs.yml"
    text = cfg.read_text(encoding="utf-8")
    assert "      content_dir: content\n" in text
    cfg.write_text(
        text.replace(
            "      content_dir: content\n", "      content_dir: content\n      options: {photos_formats: [png]}\n", 1
        ),
        encoding="utf-8",
    )
    r = mkdocs_build(proj)
    assert r.returncode != 0
    assert "[photo-format]" in r.stderr and "village.yml:" in r.stderr
    assert "Traceback" not in r.stderr
    # The check run by on_config (before any page or photo is produced) already
    # sees the option and stops the build.
    from mkdocs.config import load_config
    from mkdocs.exceptions import PluginError

    old_cwd = os.getcwd()
    os.chdir(proj)
    try:
        config = load_config(str(cfg))
        with pytest.raises(PluginError, match=r"photo-format"):
            config.plugins["villages"].on_config(config)
    finally:
        os.chdir(old_cwd)


def test_warnings_are_logged_and_fail_strict(tmp_path):
    proj = make_project(tmp_path / "p")
    towns = proj / "content" / "towns.yml"
    text = towns.read_text(encoding="utf-8")
    towns.write_text(
        re.sub(r"administrative_villages: \d+", "administrative_villages: 900", text, count=1), encoding="utf-8"
    )
    r = mkdocs_build(proj, "--strict")
    assert r.returncode != 0
    assert "[town-share]" in r.stderr and "content/towns.yml:" in r.stderr
    r2 = mkdocs_build(proj)
    assert r2.returncode == 0, r2.stderr[-2000:]
    assert "WARNING" in r2.stderr and "[town-share]" in r2.stderr


def test_generate_writes_markdown_without_mkdocs(tmp_path, sample_copy):
    out = tmp_path / "out"
    r = subprocess.run(
        [sys.executable, "-m", "builder", "generate", "--content", str(sample_copy), "--out", str(out)],
        cwd=ROOT,
        env=env(),
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert r.returncode == 0, r.stderr[-2000:]
    slugs = sorted(p.name for p in (sample_copy / "villages").iterdir() if p.is_dir())
    assert (
        sorted(p.stem for p in (out / "villages").glob("*.md") if p.stem not in ("index", "by-town", "by-function"))
        == slugs
    )
    for must in (
        "index.md",
        "map.md",
        "tags.md",
        "compare/index.md",
        "projects/index.md",
        "data/villages.json",
        "data/villages.geojson",
        "data/assessments.csv",
    ):
        assert (out / must).is_file(), must
    md = (out / "villages" / "wangjiazhuang.md").read_text(encoding="utf-8")
    assert md.startswith("---\n")
    # errors: exit 1, diagnostics, no traceback
    vy = sample_copy / "villages" / "wangjiazhuang" / "village.yml"
    _replace(vy, "function: 特色产业带动型", "function: 乱写型")
    r = subprocess.run(
        [sys.executable, "-m", "builder", "generate", "--content", str(sample_copy), "--out", str(tmp_path / "out2")],
        cwd=ROOT,
        env=env(),
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert r.returncode == 1 and "[unknown-function]" in r.stderr and "Traceback" not in r.stderr
    assert not (tmp_path / "out2").exists()


# --- in-process generation -------------------------------------------------------


def _generate(content_dir: Path, today: dt.date | None = None, **opts):
    from testkit.pipeline import generated

    content, files, diags, _ = generated(content_dir, site_url="https://portal.example.org/", today=today, **opts)
    assert not diags.has_errors, diags.format("text")
    return content, files


def _render(md_text: str) -> HTMLParser:
    body = md_text.split("\n---\n", 1)[1]
    return HTMLParser(markdown.markdown(body, extensions=["attr_list", "tables", "toc"]))


HOSTILE = "<script>alert(1)</script>**粗体** [x](javascript:alert(1)) <img src=x onerror=alert(2)>"
# Names are at most 50 characters (text-too-long): a hostile name that fits.
SHORT_HOSTILE = "<img src=x onerror=alert(2)>**粗**"


def test_editor_text_cannot_inject_html_or_markdown(sample_copy):
    import yaml

    vy = sample_copy / "villages" / "wangjiazhuang" / "village.yml"
    data = yaml.safe_load(vy.read_text(encoding="utf-8"))
    data["brand"]["name"] = "薯香" + SHORT_HOSTILE
    data["brand"]["slogan"] = HOSTILE
    data["highlights"][0]["title"] = SHORT_HOSTILE
    data["name"] = "王家</title>庄村" + SHORT_HOSTILE
    vy.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    _content, files = _generate(sample_copy)
    md = files["villages/wangjiazhuang.md"].content
    doc = _render(md)
    assert doc.css("script") == [] and doc.css("img[onerror]") == []
    assert all(not (a.attributes.get("href") or "").startswith("javascript:") for a in doc.css("a"))
    assert doc.css_first(".vp-brand-name strong").text() == "薯香" + SHORT_HOSTILE
    assert doc.css_first(".vp-brand-slogan").text() == HOSTILE
    assert doc.css_first("h1").text() == "王家</title>庄村" + SHORT_HOSTILE
    # front matter: valid YAML, title without raw angle brackets (Material prints it unescaped)
    meta = yaml.safe_load(md.split("---\n")[1])
    assert "<" not in meta["title"] and ">" not in meta["title"]
    # every page that lists the village escapes it too
    for path in ("villages/index.md", "compare/shitiao.md", "compare/index.md", "map.md"):
        d = _render(files[path].content)
        # Only the site's own scripts (the map's Leaflet and data files), never an inline one.
        for sc in d.css("script"):
            src = sc.attributes.get("src") or ""
            assert src.startswith("../assets/javascripts/") and not sc.text(strip=True), (path, sc.html)
        assert d.css("img[onerror]") == [], path
    # the map's data file carries the names as JSON data only: no markup can start in it
    data = files["assets/javascripts/vp-map-data.js"].content
    assert "<" not in data.split("=", 1)[1], "map data must escape '<'"


def test_overdue_milestones_are_flagged_at_build_date(sample_copy):
    import yaml

    pf = sorted((sample_copy / "projects").glob("*.yml"))[0]
    data = yaml.safe_load(pf.read_text(encoding="utf-8"))
    data["status"] = "实施中"
    data.pop("acceptance", None)
    data["milestones"] = [
        {"month": "2030-02", "what": "动员", "done": True},
        {"month": "2030-03", "what": "覆膜"},
        {"date": "2030-04-10", "what": "种植"},
        {"month": "2030-10", "what": "采挖销售"},
    ]
    data["phases"] = [{"name": "项目实施", "start": "2030-02-01", "end": "2030-10-31"}]
    pf.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    path = f"projects/{pf.stem}.md"

    _, files = _generate(sample_copy, today=dt.date(2030, 5, 1))
    doc = _render(files[path].content)
    assert [r.css("td")[1].text() for r in doc.css(".vp-milestones tr.vp-overdue")] == ["覆膜", "种植"]
    assert "2 个节点已过期" in doc.css_first(".vp-alert.vp-overdue").text()
    g = doc.css_first("svg.vp-gantt")
    assert len(g.css("path.vp-overdue")) == 2 and len(g.css("path.vp-done")) == 1
    assert g.css_first("line.vp-gantt-today") is not None
    idx = _render(files["projects/index.md"].content)
    assert "节点逾期" in idx.text()

    _, files = _generate(sample_copy, today=dt.date(2030, 3, 15))
    doc = _render(files[path].content)
    assert doc.css(".vp-milestones tr.vp-overdue") == [] and doc.css_first(".vp-alert") is None


def test_build_date_honours_source_date_epoch(monkeypatch):
    from builder.kernel.build import build_date

    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1795132800")
    assert build_date() == dt.date(2026, 11, 20)


def test_links_follow_use_directory_urls(sample_copy):
    _, files = _generate(sample_copy, use_directory_urls=False)
    doc = _render(files["villages/index.md"].content)
    hrefs = [a.attributes["href"] for a in doc.css(".vp-cards a.vp-card-link")]
    assert hrefs and all(h.endswith(".html") and "/" not in h for h in hrefs)
    doc = _render(files["index.md"].content)
    assert "villages/index.html" in {a.attributes["href"] for a in doc.css("a")}


# --- mkdocs serve rebuilds on content changes -----------------------------------------


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _get(url: str) -> str | None:
    try:
        with urllib.request.urlopen(url, timeout=5) as r:
            return r.read().decode("utf-8")
    except OSError:
        return None


@pytest.mark.slow
def test_serve_rebuilds_when_content_changes(tmp_path):
    proj = make_project(tmp_path / "p")
    port = _free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "mkdocs", "serve", "-f", str(proj / "mkdocs.yml"), "--dev-addr", f"127.0.0.1:{port}"],
        cwd=proj,
        env=env(),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    url = f"http://127.0.0.1:{port}/villages/wangjiazhuang/"
    try:
        page = None
        for _ in range(240):
            page = _get(url)
            if page:
                break
            time.sleep(0.5)
        assert page and "薯香红旗" in page
        vy = proj / "content" / "villages" / "wangjiazhuang" / "village.yml"
        _replace(vy, "name: 薯香红旗", "name: 薯香新旗帜")
        for _ in range(240):
            page = _get(url)
            if page and "薯香新旗帜" in page:
                break
            time.sleep(0.5)
        assert page and "薯香新旗帜" in page
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()


def test_sample_build_log_has_no_link_or_anchor_problems(tmp_path):
    """mkdocs.yml makes broken links and anchors warnings; the sample site
    has none (its warnings are the deliberate town-share and 复核 ones)."""
    import yaml

    cfg = yaml.load((ROOT / "mkdocs.yml").read_text("utf-8"), Loader=yaml.BaseLoader)
    assert cfg["validation"]["anchors"] == "warn"
    r = mkdocs_build(make_project(tmp_path / "p"))
    assert r.returncode == 0, r.stderr[-2000:]
    lines = r.stderr.splitlines()
    deliberate = ("[town-share]", "[review-due]")
    assert [ln for ln in lines if "WARNING" in ln and not any(d in ln for d in deliberate)] == []
    assert [ln for ln in lines if "anchor" in ln or "not found among documentation files" in ln] == []


def _tree_bytes(site: Path) -> dict[str, bytes]:
    return {p.relative_to(site).as_posix(): p.read_bytes() for p in sorted(site.rglob("*")) if p.is_file()}


def test_cached_nav_and_html_pages_are_byte_identical(tmp_path):
    """Two shortcuts of the MkDocs adapter change nothing in the output:
    theme_cache.py (Material's nav and tabs rendered once per view of the
    links) and htmlpage.py (generated pages outside the nav skip MkDocs'
    Markdown pass). Every file of the sample site is compared with both off,
    with directory URLs and with .html URLs."""
    for directory_urls in ("true", "false"):
        sites = {}
        for on in ("true", "false"):
            proj = make_project(tmp_path / f"{directory_urls}-{on}")
            cfg = proj / "mkdocs.yml"
            text = cfg.read_text("utf-8")
            text = text.replace("use_directory_urls: true", f"use_directory_urls: {directory_urls}")
            option = f"      content_dir: content\n      theme_cache: {on}\n      html_pages: {on}\n"
            text = text.replace("      content_dir: content\n", option)
            cfg.write_text(text, "utf-8")
            r = mkdocs_build(proj)
            assert r.returncode == 0, r.stderr[-2000:]
            sites[on] = _tree_bytes(proj / "site")
        fast, slow = sites["true"], sites["false"]
        assert fast.keys() == slow.keys()
        differ = [k for k in fast if fast[k] != slow[k]]
        assert differ == [], differ[:10]
        assert sum(1 for k in fast if k.startswith("villages/") and k.endswith(".html")) > 10


def test_html_page_takes_only_pages_made_of_raw_blocks():
    from builder.mkdocs_plugin.htmlpage import html_only

    a = '<div class="vp-page vp-a">\n<p>x</p>\n</div>'
    b = '<div class="vp-page-prose">\n<h2 id="j">简介</h2>\n</div>'
    assert [x.strip() for x in html_only(f"{a}\n\n{b}\n") or []] == [a, b]
    assert html_only(f"{a}\n\n# 标题\n") is None  # Markdown left: MkDocs renders it
    assert html_only("") is None


def test_spooled_build_is_byte_identical_and_leaves_no_temporary_files(tmp_path):
    """Past the plugin's memory budget (spool_after_mb) generated files wait
    for MkDocs in a temporary folder, and a page's rendered HTML is kept
    there too (spool.py, htmlpage.py). With a budget of 0 every generated
    file goes that way: the site is the same byte for byte as with
    everything in memory, and the temporary folder is gone afterwards."""
    sites = {}
    for budget in ("0", "4096"):
        proj = make_project(tmp_path / f"spool-{budget}")
        cfg = proj / "mkdocs.yml"
        text = cfg.read_text("utf-8")
        option = f"      content_dir: content\n      spool_after_mb: {budget}\n"
        text = text.replace("      content_dir: content\n", option)
        cfg.write_text(text, "utf-8")
        # a short path of its own: the photo workers' sockets live there too
        # (AF_UNIX paths are limited to 107 bytes)
        tmp = Path(tempfile.mkdtemp(prefix="vs"))
        try:
            r = mkdocs_build(proj, TMPDIR=str(tmp))
            assert r.returncode == 0, r.stderr[-2000:]
            assert [p.name for p in tmp.iterdir() if p.name.startswith("villages-spool-")] == []
        finally:
            shutil.rmtree(tmp, ignore_errors=True)
        sites[budget] = _tree_bytes(proj / "site")
    spooled, held = sites["0"], sites["4096"]
    assert spooled.keys() == held.keys()
    assert [k for k in spooled if spooled[k] != held[k]] == []
    assert sum(1 for k in spooled if k.startswith("villages/") and k.endswith(".html")) > 10
    assert any(k.endswith(".csv") for k in spooled)  # not only pages


def test_spool_keeps_what_fits_the_budget_in_memory(tmp_path, monkeypatch):
    from builder.mkdocs_plugin.spool import Spool

    monkeypatch.setenv("TMPDIR", str(tmp_path))
    import tempfile

    monkeypatch.setattr(tempfile, "tempdir", None)  # read TMPDIR again
    spool = Spool(10)
    assert spool.keep(b"12345") is None
    assert spool.keep(b"12345") is None
    path = spool.keep(b"x")
    assert path is not None and path.read_bytes() == b"x" and path.parent.parent == tmp_path
    spool.close()
    assert not path.parent.exists()
