"""XSS: well-known payloads planted in every text field of a village.yml and
of one of its projects (kept valid); the site builds, no script runs in
Chromium on any page that shows those fields, and the payloads appear as text.
(`check` flagging the same payloads in Markdown prose is in
tests/test_build_safety_xss.py.)"""

from __future__ import annotations

import shutil

import pytest
from selectolax.lexbor import LexborHTMLParser as HTMLParser

from builder.pipeline import check
from builder.safety.xss import MARKER, PAYLOADS, plant
from tests.e2e.conftest import serve
from tests.e2e.site import build_site

pytestmark = [pytest.mark.browser, pytest.mark.slow]

ROOT_CONTENT = __import__("tests.conftest", fromlist=["CONTENT"]).CONTENT


@pytest.fixture(scope="module")
def xss_site(tmp_path_factory):
    base = tmp_path_factory.mktemp("xss")
    content = base / "content"
    shutil.copytree(ROOT_CONTENT, content)
    c0, _ = check(content, base)
    # The village with the most projects, so its project pages carry payloads too.
    slug = max(sorted(c0.villages), key=lambda s: sum(p.model.village == s for p in c0.projects.values()))
    village_file = content / "villages" / slug / "village.yml"

    def problems():
        _, diags = check(content, base)
        return [(d.file, d.line) for d in diags]

    planted = {"village": plant(village_file, PAYLOADS, problems)}
    pid = next((pid for pid, p in sorted(c0.projects.items()) if p.model.village == slug), None)
    if pid:
        planted["project"] = plant(content / "projects" / f"{pid}.yml", PAYLOADS, problems, start=7)
    _, diags = check(content, base)
    assert not diags.has_errors, diags.format("text")
    site = build_site(base / "build", content=content)
    return {"site": site, "slug": slug, "project": pid, "planted": planted}


def test_planted_build_succeeds_and_covers_fields(xss_site):
    assert len(xss_site["planted"]["village"]) >= 20
    assert xss_site["project"] and len(xss_site["planted"]["project"]) >= 5


def test_no_executable_payload_in_any_generated_html(xss_site):
    """Structural check of every page: no script, event attribute or
    javascript: URL carries the marker (the payloads are only text)."""
    bad = []
    pages = sorted(xss_site["site"].rglob("*.html")) + sorted(xss_site["site"].rglob("*.svg"))
    for f in pages:
        tree = HTMLParser(f.read_text(encoding="utf-8"))
        for node in tree.css("*"):
            if node.tag == "script" and MARKER in (node.text() or ""):
                if (node.attributes.get("type") or "").endswith("json"):
                    continue  # data, not code
                bad.append(f"{f.relative_to(xss_site['site'])}: <script> with the marker")
            for k, v in (node.attributes or {}).items():
                v = v or ""
                if MARKER in v and (k.startswith("on") or k in ("srcdoc",)
                                    or v.strip().lower().startswith(("javascript:", "data:text/html"))):
                    bad.append(f"{f.relative_to(xss_site['site'])}: <{node.tag} {k}={v[:80]!r}>")
    assert len(pages) > 20
    assert not bad, "\n".join(bad[:30])


def _pages(xss) -> list[str]:
    slug, pid = xss["slug"], xss["project"]
    site = xss["site"]
    paths = ["", f"villages/{slug}/", "villages/", "villages/by-town/", "villages/by-function/", "tags/",
             "compare/", "projects/", "map/"]
    paths += [p.parent.relative_to(site).as_posix() + "/" for p in sorted(site.glob("compare/*/index.html"))]
    if pid:
        paths.append(f"projects/{pid}/")
    for t in sorted(site.glob("tours/*/index.html")) + sorted(site.glob("tours/*/*/index.html")):
        if slug in t.read_text(encoding="utf-8"):
            paths.append(t.parent.relative_to(site).as_posix() + "/")
    return paths


def test_no_script_runs_in_chromium_and_payloads_show_as_text(xss_site, new_page):
    httpd, base = serve(xss_site["site"])
    try:
        ran: dict[str, list[str]] = {}
        texts: dict[str, str] = {}
        for path in _pages(xss_site):
            page, log = new_page(viewport={"width": 1280, "height": 900})
            page.goto(base + path, wait_until="load")
            page.wait_for_load_state("networkidle")
            # Hover and focus everything once (onmouseover/onfocus payloads).
            page.evaluate("""() => { for (const el of document.querySelectorAll('body *')) {
                for (const t of ['mouseover', 'focus', 'toggle']) el.dispatchEvent(new Event(t)); } }""")
            page.wait_for_timeout(100)
            hits = [m for m in log.console if MARKER in m] + log.dialogs + log.page_errors
            if hits:
                ran[path] = hits
            texts[path] = page.inner_text("body")
            page.context.close()
        # Search for the marker text: result snippets are rendered by Material's JS.
        page, log = new_page(viewport={"width": 1280, "height": 900})
        page.goto(base, wait_until="load")
        page.wait_for_load_state("networkidle")
        page.locator("input.md-search__input").click()
        page.keyboard.type("XSS")
        page.keyboard.press("End")
        page.wait_for_timeout(1500)
        hits = [m for m in log.console if MARKER in m] + log.dialogs + log.page_errors
        if hits:
            ran["search"] = hits
    finally:
        httpd.shutdown()
        httpd.server_close()
    assert not ran, ran
    # Escaped, not dropped: the village page shows the planted values as text.
    planted = xss_site["planted"]["village"]
    vtext = texts[f"villages/{xss_site['slug']}/"]
    for key in [("name",), ("brand", "name"), ("brand", "slogan")]:
        if key in planted:
            assert planted[key] in vtext, f"{key}: {planted[key]!r} not shown as text"
    shown = [p for p in PAYLOADS if any(p in t for t in texts.values())]
    assert len(shown) >= len(PAYLOADS) - 2, f"payloads not shown as text anywhere: {set(PAYLOADS) - set(shown)}"


def test_json_exports_carry_the_payloads_as_data(xss_site):
    """JSON files parse and hold the planted text exactly (escaped as JSON, not mangled)."""
    import json

    name = xss_site["planted"]["village"].get(("name",))
    assert name
    found = []
    for f in sorted(xss_site["site"].rglob("*.json")) + sorted(xss_site["site"].rglob("*.geojson")):
        data = json.loads(f.read_text(encoding="utf-8"))
        if name in json.dumps(data, ensure_ascii=False):
            found.append(f.relative_to(xss_site["site"]).as_posix())
    assert any("villages" in f for f in found), found


def test_the_detector_sees_a_payload_that_runs(tmp_path, new_page):
    """Not a test that cannot fail: an unescaped payload is caught."""
    (tmp_path / "index.html").write_text(
        f"<!DOCTYPE html><title>x</title><p>{PAYLOADS[0]}</p><p>{PAYLOADS[3]}</p>", encoding="utf-8")
    httpd, base = serve(tmp_path)
    try:
        page, log = new_page()
        page.goto(base, wait_until="load")
        page.wait_for_timeout(200)
    finally:
        httpd.shutdown()
        httpd.server_close()
    assert any(MARKER in m for m in log.console)
    assert any(MARKER in d for d in log.dialogs)
