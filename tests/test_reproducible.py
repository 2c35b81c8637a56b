"""Reproducible builds: two clean builds of the same sources with
SOURCE_DATE_EPOCH set — one with a cold cache, one with the cache the first
left (warm), in different folders and with different hash seeds — give
byte-identical site/ trees."""

from __future__ import annotations

import shutil

import pytest

from builder.kernel.treediff import digest, explain
from tests.e2e.site import run_build
from tests.portal_site import make_project

pytestmark = pytest.mark.slow


def test_cold_and_warm_builds_are_byte_identical(tmp_path):
    a = make_project(tmp_path / "a")
    r = run_build(a, PYTHONHASHSEED="1")
    assert r.returncode == 0, r.stderr[-4000:]
    cache = a / ".cache"
    assert cache.is_dir() and any(cache.rglob("*")), "the first build filled its cache"

    # Second build: another folder, the first build's cache (warm), another hash seed.
    b = make_project(tmp_path / "b")
    shutil.copytree(cache, b / ".cache")
    r = run_build(b, PYTHONHASHSEED="2")
    assert r.returncode == 0, r.stderr[-4000:]

    report = explain(a / "site", b / "site")
    assert report == "", "site/ differs between a cold and a warm build:\n" + report

    # A third, cold again (own empty cache): photo processing in parallel is deterministic too.
    c = make_project(tmp_path / "c")
    r = run_build(c, PYTHONHASHSEED="3")
    assert r.returncode == 0, r.stderr[-4000:]
    report = explain(a / "site", c / "site")
    assert report == "", "site/ differs between two cold builds:\n" + report
    tree = digest(a / "site")
    assert sum(v != "<dir>" for v in tree.values()) > 100
    assert "sitemap.xml.gz" in tree and "assets/search/index.js" in tree


def test_tree_comparison_reports_the_first_difference(tmp_path):
    """The comparison can fail and says where."""
    for name, text in (("a", '{"x": 1, "y": 2}'), ("b", '{"x": 1, "y": 3}')):
        d = tmp_path / name / "search"
        d.mkdir(parents=True)
        (d / "search_index.json").write_text(text)
    (tmp_path / "b" / "extra.html").write_text("x")
    report = explain(tmp_path / "a", tmp_path / "b")
    assert "only in second: extra.html" in report
    assert "first differing file: search/search_index.json" in report
    assert '- "y": 2}' in report and '+ "y": 3}' in report
