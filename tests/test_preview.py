"""The preview (python -m builder serve): an update after one edit writes
exactly what a fresh full build of the edited content writes, and touches
only the pages that depend on the edit.

One preview session on a copy of the sample runs through a sequence of edits
(village.yml, a village's prose, a project, a tour, a deleted and a renamed
village, an error and its fix); after each, the preview's folder is compared
byte for byte with a full build of the same content made at that moment."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from portal_site import EPOCH, make_project

# Material's tags export tags.json is written from every page's Markdown
# before any page is rendered, so only a full build rewrites it. Everything
# else, the search index (builder/search) included, is compared.
NOT_COMPARED = {"tags.json"}


def _tree(d: Path) -> dict[str, tuple[bytes, int]]:
    return {p.relative_to(d).as_posix(): (p.read_bytes(), p.stat().st_mtime_ns) for p in d.rglob("*") if p.is_file()}


@pytest.fixture(scope="module")
def preview(tmp_path_factory):
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    os.environ["SOURCE_DATE_EPOCH"] = EPOCH  # the "today" of the builds, as in the other site tests
    from builder.preview.session import Session

    base = tmp_path_factory.mktemp("preview")
    project = make_project(base / "project")
    # a budget of 0 would spool every generated file of a one-shot build
    # (mkdocs_plugin/spool.py); the preview keeps them, as it renders pages
    # again after the build, and the reference build (mkdocs build) spools all
    cfg = project / "mkdocs.yml"
    text = cfg.read_text("utf-8")
    assert "      content_dir: content\n" in text
    cfg.write_text(
        text.replace("      content_dir: content\n", "      content_dir: content\n      spool_after_mb: 0\n"), "utf-8"
    )
    old = Path.cwd()
    os.chdir(project)
    session = Session(project / "mkdocs.yml", base / "served")
    try:
        session.full_build()
        yield session, project, base
    finally:
        session.close()
        os.chdir(old)
        if epoch is None:
            os.environ.pop("SOURCE_DATE_EPOCH", None)
        else:
            os.environ["SOURCE_DATE_EPOCH"] = epoch


def _full_build(project: Path, base: Path) -> dict[str, tuple[bytes, int]]:
    from builder.preview.session import Session

    out = base / "reference"
    shutil.rmtree(out, ignore_errors=True)
    Session(project / "mkdocs.yml", out).full_build()
    return _tree(out)


def _update_and_compare(preview, edit) -> tuple[object, set[str], dict]:
    """Apply edit(project), update; returns (update, rewritten output paths, preview tree)."""
    session, project, base = preview
    before = _tree(session.site_dir)
    paths = edit(project)  # the changed files, as the watcher reports them
    update = session.update(paths)
    assert update.ok, update.errors
    assert not update.full, "an edit of content was rebuilt in full"
    after = _tree(session.site_dir)
    reference = _full_build(project, base)
    differ = sorted(
        p
        for p in (set(after) | set(reference)) - NOT_COMPARED
        if after.get(p, (None,))[0] != reference.get(p, (None,))[0]
    )
    assert differ == [], f"preview and full build differ in {differ[:10]}"
    rewritten = {p for p in after if p not in before or after[p][1] != before[p][1]}
    return update, rewritten, after


def _edit(path: str, old: str, new: str):
    def edit(project: Path) -> list[Path]:
        f = project / "content" / path
        text = f.read_text(encoding="utf-8")
        assert old in text, f"{old!r} not in {path}"
        f.write_text(text.replace(old, new, 1), encoding="utf-8")
        return [f]

    return edit


def test_village_yml_edit_updates_its_page_and_the_lists(preview):
    update, rewritten, after = _update_and_compare(preview, _edit("villages/xiwan/village.yml", "西湾村", "西湾新村"))
    assert "villages/xiwan/index.html" in rewritten
    assert "villages/index.html" in rewritten  # the A–Z list shows the name
    # made again: its own pages, its town's villages' pages (their locator maps name it), the lists …
    made = set(update.made)
    assert {"villages/xiwan.md", "villages/xiwan/profile.md", "villages/hongliu.md", "villages/index.md"} <= made
    # … but not the page of a village of another town, nor a project page of another village
    assert "villages/gaojiagou.md" not in made
    assert "projects/2022-wangjiazhuang-malingshu.md" not in made
    assert "西湾新村".encode() in after["villages/index.html"][0]
    # an unrelated village's page was not written again
    assert "villages/gaojiagou/index.html" not in rewritten
    # every rewritten page is one whose generated Markdown changed
    pages = {p.removesuffix(".md").removesuffix("/index") + "/index.html" for p in update.pages}
    pages = {p.replace("index/index.html", "index.html") for p in pages}
    html = {p for p in rewritten if p.endswith(".html") and p != "404.html"}
    assert html <= pages, html - pages


def test_a_village_yml_edit_of_its_own_text_leaves_the_lists(preview):
    """简介 and 看点 show on the village's own page (and the itineraries of the
    tours that stop there, the exports, the search), on no list."""
    update, _rewritten, after = _update_and_compare(
        preview, _edit("villages/gaojiagou/village.yml", "summary: ", "summary: 预览测试简介，")
    )
    assert "预览测试简介".encode() in after["villages/gaojiagou/index.html"][0]
    made = {p for p in update.made if p.endswith(".md")}
    assert {"villages/gaojiagou.md", "villages/gaojiagou/profile.md"} <= made
    assert not {"villages/index.md", "compare/index.md", "index.md", "villages/dongpo.md"} & made
    assert "data/villages.json" in update.made  # the export holds the 简介


def test_a_stops_highlights_edit_remakes_the_tours_itinerary(preview):
    update, _rewritten, after = _update_and_compare(
        preview, _edit("villages/longwangmiao/village.yml", "title: 拆危治乱", "title: 预览测试拆危治乱")
    )
    assert "预览测试拆危治乱".encode() in after["tours/2025-baishui-xiang/index.html"][0]  # the itinerary's 看点
    assert "villages/index.md" not in update.made


def test_prose_edit_rewrites_only_that_village(preview):
    edit = _edit("villages/gaojiagou/index.md", "\n", "\n\n预览测试新增的一句话。\n")
    update, rewritten, after = _update_and_compare(preview, edit)
    # the dependency graph: only its page and profile were made again, no list
    assert {p for p in update.made if p.endswith(".md")} == {"villages/gaojiagou.md", "villages/gaojiagou/profile.md"}
    assert "预览测试新增的一句话".encode() in after["villages/gaojiagou/index.html"][0]
    html = {p for p in rewritten if p.endswith(".html")}
    assert html <= {"villages/gaojiagou/index.html", "villages/gaojiagou/profile/index.html"}, html
    assert "villages/index.html" not in rewritten


def test_project_edit(preview):
    update, rewritten, _after = _update_and_compare(
        preview, _edit("projects/2022-wangjiazhuang-malingshu.yml", "title: ", "title: 预览测试")
    )
    made = {p for p in update.made if p.endswith(".md")}
    assert "villages/wangjiazhuang.md" in made  # its village's page lists it
    assert not any(p.startswith("projects/") and "malingshu" not in p and p != "projects/index.md" for p in made)
    assert "villages/gaojiagou.md" not in made
    assert "projects/2022-wangjiazhuang-malingshu/index.html" in rewritten
    assert "projects/index.html" in rewritten
    assert "villages/gaojiagou/index.html" not in rewritten


def test_tour_edit(preview):
    _, rewritten, after = _update_and_compare(
        preview, _edit("tours/2025-baishui-xiang.yml", "title: 白水乡", "title: 预览测试白水乡")
    )
    assert any(p.startswith("tours/2025-baishui-xiang") and p.endswith(".html") for p in rewritten), rewritten
    assert "预览测试白水乡".encode() in b"".join(v[0] for k, v in after.items() if k.startswith("tours/"))
    assert "villages/gaojiagou/index.html" not in rewritten


def test_news_edit(preview):
    _, rewritten, after = _update_and_compare(
        preview,
        _edit("news/2026-09-15-hongliu-xiwan-sangai.md", "title: 红柳镇召开", "title: 预览测试红柳镇召开"),
    )
    assert "news/hongliu-xiwan-sangai/index.html" in rewritten
    # the villages it names show it (their 党建动态 section), the others are not written again
    assert "预览测试红柳镇召开".encode() in after["villages/xiwan/index.html"][0]
    assert "villages/xiwan/index.html" in rewritten
    assert "villages/gaojiagou/index.html" not in rewritten


def test_deleted_village_disappears(preview):
    base = preview[2]

    def delete(project: Path) -> list[Path]:
        shutil.move(project / "content" / "villages" / "nanshan", base / "nanshan-away")
        return [project / "content" / "villages" / "nanshan"]

    _, _rewritten, after = _update_and_compare(preview, delete)
    assert "villages/nanshan/index.html" not in after
    assert not any(p.startswith("assets/photos/nanshan/") for p in after)
    assert b"villages/nanshan/" not in after["villages/index.html"][0]


def test_renamed_village_appears_under_its_new_address(preview):
    base = preview[2]

    def rename(project: Path) -> list[Path]:
        shutil.move(base / "nanshan-away", project / "content" / "villages" / "nanshan-new")
        return [project / "content" / "villages" / "nanshan-new"]

    _, rewritten, after = _update_and_compare(preview, rename)
    assert "villages/nanshan-new/index.html" in after
    assert b"nanshan-new/" in after["villages/index.html"][0]
    assert "sitemap.xml" in rewritten  # the sitemap lists every page


def test_an_error_keeps_the_site_and_is_reported_then_the_fix_applies(preview):
    session, project, _ = preview
    before = _tree(session.site_dir)
    f = project / "content" / "villages" / "xiwan" / "village.yml"
    good = f.read_text(encoding="utf-8")
    f.write_text(good.replace("town: ", "town: 没有这个乡 #", 1), encoding="utf-8")
    update = session.update([f])
    assert not update.ok
    assert any("village.yml" in e and "没有这个乡" in e for e in update.errors), update.errors
    assert _tree(session.site_dir) == before  # nothing written
    f.write_text(good, encoding="utf-8")
    update = session.update([f])
    assert update.ok and update.pages == []  # back to what is served: nothing to render


def test_a_change_to_site_yml_needs_a_full_rebuild(preview):
    from builder.preview.session import needs_full_rebuild

    project = preview[1]
    content = project / "content"
    assert needs_full_rebuild(content / "site.yml", project, content)
    assert needs_full_rebuild(content / "frameworks" / "x.yml", project, content)
    assert needs_full_rebuild(project / "docs" / "editors" / "index.md", project, content)
    assert not needs_full_rebuild(content / "villages" / "xiwan" / "village.yml", project, content)
    assert not needs_full_rebuild(content / "tours" / "t.yml", project, content)


def test_the_reference_is_what_mkdocs_build_writes(preview):
    """The comparisons above use the session's full build; it is byte for byte
    what `mkdocs build` (the published site's build) writes, and so is the
    preview after all the edits."""
    from portal_site import mkdocs_build

    session, project, _ = preview
    r = mkdocs_build(project)
    assert r.returncode == 0, r.stderr[-3000:]
    served, built = _tree(session.site_dir), _tree(project / "site")
    differ = sorted(
        p for p in (set(served) | set(built)) - NOT_COMPARED if served.get(p, (None,))[0] != built.get(p, (None,))[0]
    )
    assert differ == [], differ[:10]


def test_the_server_adds_live_reload_to_pages_only_and_tells_of_changes_and_errors(tmp_path):
    import json
    import threading
    import urllib.error
    import urllib.request

    from builder.preview.server import TAG, PreviewState, serve, url_of

    site = tmp_path / "site"
    (site / "villages" / "a").mkdir(parents=True)
    page = b"<html><body><p>A</p></body></html>"
    (site / "villages" / "a" / "index.html").write_bytes(page)
    (site / "data.json").write_bytes(b'{"x": 1}')
    state = PreviewState(site)
    httpd = serve(state, "127.0.0.1", 0)
    base = url_of(httpd)

    def get(path: str) -> tuple[int, bytes]:
        try:
            with urllib.request.urlopen(base + path, timeout=30) as r:
                return r.status, r.read()
        except urllib.error.HTTPError as e:
            return e.code, e.read()

    try:
        status, body = get("villages/a/")
        assert status == 200 and body == page.replace(b"</body>", TAG + b"</body>")
        assert (site / "villages" / "a" / "index.html").read_bytes() == page  # the file stays as built
        assert get("data.json") == (200, b'{"x": 1}')  # not HTML: untouched
        status, body = get("nowhere/")
        assert status == 404 and TAG in body  # a page that does not exist (yet) still reloads
        assert b"location.reload" in get("__preview/live.js")[1]
        first = json.loads(get("__preview/wait?seen=")[1])
        assert first["errors"] == []
        # a waiting browser is answered when the site changes …
        got: list[dict] = []
        t = threading.Thread(target=lambda: got.append(json.loads(get(f"__preview/wait?seen={first['seen']}")[1])))
        t.start()
        state.publish(reload=True)
        t.join(30)
        assert got and got[0]["site"] == first["site"] + 1
        # … and when the content has errors (no reload: the last good site stays)
        state.publish(reload=False, errors=["content/villages/a/village.yml:3:7: 错误 [unknown-town] …"])
        now = json.loads(get(f"__preview/wait?seen={got[0]['seen']}")[1])
        assert now["site"] == got[0]["site"] and "unknown-town" in now["errors"][0]
    finally:
        httpd.shutdown()


def test_the_rest_of_an_update_waits_until_the_open_pages_have_reloaded(tmp_path):
    import threading
    import time

    from builder.preview.server import PreviewState

    state = PreviewState(tmp_path)
    t0 = time.monotonic()
    state.settle(t0, pages_open=False)
    assert time.monotonic() - t0 < 0.1  # no page open: nothing to wait for

    def browser() -> None:  # reloads 0.3 s after the change: three requests 0.1 s apart
        for _ in range(3):
            time.sleep(0.1)
            state.last_request = time.monotonic()

    t0 = time.monotonic()
    threading.Timer(0.2, browser).start()
    state.settle(t0, pages_open=True, quiet=0.25, limit=3.0)
    waited = time.monotonic() - t0
    assert 0.75 <= waited < 1.5, waited  # after the last request (≈0.5 s) and 0.25 s of quiet
    t0 = time.monotonic()
    state.settle(t0, pages_open=True, quiet=0.25, limit=0.4)  # the page never came: at most the limit
    assert 0.35 <= time.monotonic() - t0 < 0.8
