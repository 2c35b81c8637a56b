"""Outside judges on one page of every generated type: the W3C Nu HTML
Checker (vnu-jar) reports no errors, axe-core no serious or critical
violations. Both are pinned in package-lock.json and installed by `npm ci`."""

from __future__ import annotations

import pytest

from tests.e2e.conftest import missing
from tests.e2e.site import page_types
from tests.validators import axe, vnu

pytestmark = pytest.mark.browser


def _files(site) -> dict[str, str]:
    return {k: v for k, v in page_types(site).items() if v}


def test_nu_html_checker_finds_no_errors_on_any_page(sample_site):
    """Every generated HTML page of the sample site (so every page type)."""
    why = vnu.available()
    if why:
        missing(why)
    pages = sorted(sample_site.rglob("*.html"))
    rel = {p.relative_to(sample_site).as_posix() for p in pages}
    assert set(_files(sample_site).values()) <= rel
    messages = vnu.run_vnu(pages)
    kept, ignored = vnu.split_ignored(messages)
    report = "\n".join(vnu.describe(m) for m in kept[:60])
    assert not kept, f"{len(kept)} HTML errors on {len(pages)} pages:\n{report}"
    print(f"vnu: {len(pages)} pages checked, 0 errors, {len(ignored)} Material-only findings ignored")


def test_nu_html_checker_can_fail(tmp_path):
    """The runner reports errors when there are some (not a test that cannot fail)."""
    why = vnu.available()
    if why:
        missing(why)
    bad = tmp_path / "bad.html"
    bad.write_text(
        '<!DOCTYPE html><html lang="zh"><head><title>x</title></head><body><p><div></p><img src=a.png></body></html>',
        encoding="utf-8",
    )
    kept, _ = vnu.split_ignored(vnu.run_vnu([bad]))
    assert len(kept) >= 2


@pytest.fixture(scope="module")
def axe_ready():
    why = axe.available()
    if why:
        missing(why)


def test_axe_finds_no_serious_or_critical_violations(sample_site, base_url, new_page, axe_ready):
    found: dict[str, list[str]] = {}
    files = _files(sample_site)
    for kind, path in files.items():
        page, _ = new_page(viewport={"width": 1280, "height": 900})
        page.goto(base_url + (path[: -len("index.html")] if path.endswith("index.html") else path))
        page.wait_for_load_state("networkidle")
        violations = axe.run_axe(page)
        if violations:
            found[kind] = [axe.describe(v) for v in violations]
        page.context.close()
    assert not found, "\n".join(f"{k}:\n  " + "\n  ".join(v) for k, v in found.items())
    print(f"axe: {len(files)} pages checked, 0 serious/critical violations")


def test_axe_can_fail(base_url, new_page, axe_ready):
    page, _ = new_page()
    page.goto(base_url)
    page.evaluate("""() => { const i = document.createElement('img'); i.src = 'assets/images/favicon.png';
                            const a = document.createElement('a'); a.href = '#'; a.append(i);
                            document.body.prepend(a); }""")
    ids = {v["id"] for v in axe.run_axe(page)}
    assert ids & {"image-alt", "link-name"}
