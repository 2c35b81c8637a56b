"""The site frame on the built sample site: the footer's identity and 备案
fields on every page (and no tool credit), the Chinese 404 page, the
top-level tabs with the guides under 工作指南, the guides' Markdown (code
blocks and numbered lists), and what the search index holds."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from selectolax.lexbor import LexborHTMLParser

from tests.portal_site import ROOT, built_site

GUIDES = ("editors", "organisers")
DISCLAIMERS = (
    "示例网站：县、乡镇、村和人物均为虚构，仅作演示。",
    "本站为示例：县、乡镇、村和人物都是虚构的，仅作演示。",
    "示例数据：虚构的村，仅作演示",
    "示例数据，仅作演示",
    "示例数据：虚构的村和路线，仅作演示。",
    "示例数据：虚构的村和评分，仅作演示。",
)


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    return built_site(tmp_path_factory)


def _pages(site: Path) -> list[Path]:
    return sorted(p for p in site.rglob("*.html") if "assets" not in p.relative_to(site).parts)


def _tree(path: Path) -> LexborHTMLParser:
    return LexborHTMLParser(path.read_text("utf-8"))


def _text(node) -> str:
    return re.sub(r"\s+", " ", node.text(deep=True)) if node is not None else ""


def test_every_page_has_the_identity_footer_and_no_tool_credit(site):
    pages = _pages(site)
    assert len(pages) > 50
    for p in pages:
        html = p.read_text("utf-8")
        # the theme's credit line ("Made with Material for MkDocs"); a guide may
        # name the tool in its text (docs/editors/platform.md does)
        assert "Made with" not in html, p
        for footer_el in _tree(p).css("footer"):
            assert "Material for MkDocs" not in _text(footer_el), p
        footer = _tree(p).css_first("footer.vp-footer")
        assert footer is not None, p
        text = _text(footer)
        for want in (
            "主办单位：中共示例县委组织部（示例）",
            "承办单位：示例县融媒体中心（示例）",
            "京ICP备00000000号-1",
            "京公网安备 00000000000000号",
            "网站标识码：0000000000（示例）",
            "电话：0000-0000000（示例）",
        ):
            assert want in text, (p, want)
        mark = footer.css_first("img")
        assert mark is not None and mark.attributes["alt"].startswith("党政机关网站标识"), p
        src = mark.attributes["src"]
        assert not src.startswith(("http:", "https:", "//")), p
        # error pages link from the site root (MkDocs gives them site_url's path as base)
        target = site / src.lstrip("/") if src.startswith("/") else p.parent / src
        assert target.resolve().is_file(), (p, src)
        # the 备案 links point at the query services and load nothing
        links = {a.attributes.get("href"): a.attributes.get("rel", "") for a in footer.css("a")}
        assert "https://beian.miit.gov.cn/" in links
        assert "https://beian.mps.gov.cn/#/query/webSearch?code=00000000000000" in links
        assert all("noopener" in links[h] for h in links if h and h.startswith("https:"))


def test_logo_is_the_countys_and_is_a_checked_png(site):
    png = site / "assets/site/logo.png"
    assert png.read_bytes().startswith(b"\x89PNG")
    home = _tree(site / "index.html")
    logo = home.css_first(".md-header__button.md-logo img")
    assert logo is not None and logo.attributes["src"] == "assets/site/logo.png"
    assert logo.attributes["alt"] == "示例县标志"
    icon = home.css_first('link[rel="icon"]')
    assert icon is not None and icon.attributes["href"] == "assets/site/logo.png"


def test_the_404_page_is_chinese_with_links_home_villages_and_search(site):
    tree = _tree(site / "404.html")
    article = tree.css_first("article")
    assert "Not found" not in _text(article)
    assert _text(article.css_first("h1")).strip() == "找不到这个页面"
    hrefs = [a.attributes["href"] for a in article.css("a")]
    # error pages use site_url's path as base (site_url https://portal.example.org/ → "/")
    assert hrefs == ["/", "/villages/", "/?q="]


def test_the_404_links_follow_a_sub_path_site_url(tmp_path_factory):
    sub = built_site(tmp_path_factory, key="subpath", SITE_URL="https://example.org/county/portal/")
    article = _tree(sub / "404.html").css_first("article")
    hrefs = [a.attributes["href"] for a in article.css("a")]
    assert hrefs == ["/county/portal/", "/county/portal/villages/", "/county/portal/?q="]


def test_top_level_tabs_with_the_guides_last(site):
    tree = _tree(site / "index.html")
    tabs = [_text(a).strip() for a in tree.css("nav.md-tabs a.md-tabs__link")]
    assert tabs == ["首页", "动态", "村庄", "对比", "书记项目", "地图", "观摩拉练", "工作指南"]
    hrefs = [a.attributes["href"] for a in tree.css("nav.md-tabs a.md-tabs__link")]
    assert hrefs[1] == "news/" and hrefs[6] == "tours/"
    # the guides' two sections sit inside the 工作指南 section of the nav, nowhere else
    nav = tree.css_first("nav.md-nav--primary > ul")
    top = [li for li in nav.iter() if li.tag == "li"]
    titles = [_text(li.css_first("label, a")).strip() for li in top]
    assert titles == ["首页", "动态", "村庄", "对比", "书记项目", "地图", "观摩拉练", "工作指南"]
    guide = _text(top[-1])
    assert "编辑指南" in guide and "观摩组织" in guide and "检查代码一览" in guide


def _guide_pages(site: Path) -> list[Path]:
    out = [p for g in GUIDES for p in sorted((site / g).rglob("index.html"))]
    assert len(out) >= 15
    return out


def _source_of(site: Path, page: Path) -> Path:
    rel = page.parent.relative_to(site)
    md = ROOT / "docs" / rel.with_suffix(".md")
    return md if md.is_file() else ROOT / "docs" / rel / "index.md"


def _top_level_lists(md: str) -> int:
    """How many ordered lists start at column 0 outside fenced code."""
    n, fence = 0, False
    for line in md.splitlines():
        if line.lstrip().startswith("```"):
            fence = not fence
            continue
        if not fence and re.match(r"^1\. ", line):
            n += 1
    return n


def test_every_guide_page_renders_its_code_blocks_and_lists(site):
    for page in _guide_pages(site):
        article = _tree(page).css_first("article")
        text = _text(article)
        assert "```" not in text, page
        for code in article.css("pre"):
            assert code.css_first("code") is not None, page
        # a fenced block inside a list item stays inside the item
        src = _source_of(site, page).read_text("utf-8")
        fenced_in_items = len(re.findall(r"^ {2,}```\w", src, re.M))
        in_items = sum(1 for li in article.css("li") if li.css_first("pre") is not None)
        if fenced_in_items:
            assert in_items >= 1, page
        # numbering: no list restarts (<ol start=…>), one <ol> per list of the source
        assert article.css("ol[start]") == [], page
        top_ols = [ol for ol in article.css("ol") if not _inside(ol, "li")]
        assert len(top_ols) == _top_level_lists(src), page


def _inside(node, tag: str) -> bool:
    p = node.parent
    while p is not None:
        if p.tag == tag:
            return True
        p = p.parent
    return False


def test_yaml_examples_are_code_blocks_with_their_lines(site):
    page = site / "organisers/circuity/index.html"
    blocks = [_text_raw(pre) for pre in _tree(page).css("article pre")]
    legs = [b for b in blocks if "legs:" in b]
    assert legs and legs[0].count("\n") >= 2, blocks


def _text_raw(node) -> str:
    return node.text(deep=True)


def test_search_index_has_no_disclaimer_and_no_chart_labels(site):
    from testkit.searchindex import read_index

    idx = read_index(site)
    for url, title, snippet in idx.pages:
        for s in DISCLAIMERS:
            assert s not in title + snippet, url
    # no disclaimer or chart label among the indexed terms either (仅作演示 → 仅作, 作演, 演示)
    assert "作演" not in idx.postings
    # a village's result text is about the village, not the banner
    row = next(r for r in idx.pages if r[0] == "villages/wangjiazhuang/")
    assert "示例数据" not in row[2] and row[2]


def test_search_ranks_guides_below_content(site):
    """The page weights of builder/search/documents.py, as published: a
    village's own name weighs more on its page than on any other, and a
    word's weight on a guide is below its weight on a content page."""
    from testkit.searchindex import read_index

    idx = read_index(site)
    url = {i: r[0] for i, r in enumerate(idx.pages)}
    w = {url[d]: wt for d, wt in idx.postings["王家"]}
    assert max(w, key=lambda u: w[u]) == "villages/wangjiazhuang/"
    kinds = {u.split("/")[0] for u in url.values()}
    assert {"villages", "projects", "tours", "editors", "organisers"} <= kinds
    assert not [u for u in url.values() if "/profile/" in u or (u.startswith("compare/") and u != "compare/")]
    # the same word (党建) in their text weighs less on every guide than on
    # any village page (a guide with the word in its title aside)
    title = {r[0]: r[1] for r in idx.pages}
    w = {url[d]: wt for d, wt in idx.postings["党建"]}
    guides = [wt for u, wt in w.items() if u.startswith(("editors/", "organisers/")) and "党建" not in title[u]]
    villages = [wt for u, wt in w.items() if u.startswith("villages/") and u.count("/") == 2]
    assert guides and villages and max(guides) < min(villages)


DEVELOPER_WORDS = (
    "content/",
    "Held",
    "Karp",
    "WGS-84",
    "GCJ-02",
    "构建日",
    "GeoJSON",
    ".yml",
    "YAML",
    "python",
    "make ",
)


def test_public_pages_speak_visitors_words(site):
    """Outside the guides (工作指南), no page shows the program's words."""
    found = []
    for p in _pages(site):
        rel = p.relative_to(site).parts
        if rel[0] in GUIDES:
            continue
        tree = _tree(p)
        for node in tree.css("script, style"):
            node.decompose()
        body = tree.css_first("body")
        text = body.text(deep=True) if body is not None else ""
        found += [
            (p.relative_to(site).as_posix(), text[max(0, text.find(w) - 40) : text.find(w) + 40])
            for w in DEVELOPER_WORDS
            if w in text
        ]
    assert found == []


def test_editors_prose_keeps_its_own_fixed_extensions():
    """mkdocs.yml's extensions (superfences, highlight) are for the guides;
    village prose is rendered with its own list, unchanged."""
    import yaml

    from builder.villages.prose.render import EXTENSIONS, render_prose

    assert EXTENSIONS == ["tables", "fenced_code", "sane_lists", "attr_list", "toc"]
    cfg = yaml.load((ROOT / "mkdocs.yml").read_text("utf-8"), Loader=yaml.BaseLoader)
    assert any("pymdownx.superfences" in str(e) for e in cfg["markdown_extensions"])
    html = render_prose("1. 第一步\n\n    ```\n    code\n    ```\n", []).html
    assert "highlight" not in html


def test_identity_fields_are_escaped_in_the_footer(tmp_path):
    """MkDocs' theme templates do not autoescape: the footer escapes each field."""
    import shutil

    from testkit.audit import audit_html
    from tests.portal_site import make_project, mkdocs_build

    content = tmp_path / "content"
    shutil.copytree(ROOT / "content", content)
    site_yml = content / "site.yml"
    payload = "'<img src=x onerror=alert(1)>\"><script>alert(2)</script>'"
    text = site_yml.read_text("utf-8").replace("中共示例县委组织部（示例）", payload)
    text = text.replace("示例县人民路 1 号（示例）", "'<b onmouseover=alert(3)>路</b>'")
    site_yml.write_text(text, "utf-8")
    project = make_project(tmp_path / "p", content)
    r = mkdocs_build(project)
    assert r.returncode == 0, r.stderr[-3000:]
    html = (project / "site/index.html").read_text("utf-8")
    assert "&lt;img src=x onerror=alert(1)&gt;" in html
    assert "&lt;b onmouseover=alert(3)&gt;" in html
    assert audit_html(html) == []
