"""The built sample site, checked on its parsed HTML (selectolax)."""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
import segno
from selectolax.lexbor import LexborHTMLParser as HTMLParser

from builder.frameworks.comparison import evaluate_all
from builder.villages.derive import coordinates
from testkit.qr import segno_matrix, svg_matrix
from tests.portal_site import built_site, load_sample

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    return built_site(tmp_path_factory)


@pytest.fixture(scope="module")
def content():
    return load_sample()


def parse(path: Path) -> HTMLParser:
    return HTMLParser(path.read_text(encoding="utf-8"))


def text(node) -> str:
    return node.text(deep=True, separator="").strip() if node else ""


def test_sample_is_big_enough(content):
    assert len(content.villages) >= 12
    assert len(content.towns) >= 3


def test_every_village_has_a_page_with_brand_and_both_frameworks(site, content):
    fws = content.required_frameworks()
    assert len(fws) >= 2
    for slug, v in content.villages.items():
        page = site / "villages" / slug / "index.html"
        assert page.is_file(), slug
        doc = parse(page)
        assert text(doc.css_first("h1")) == v.model.name
        assert text(doc.css_first(".vp-brand-name strong")) == v.model.brand.name
        if v.model.brand.slogan:
            assert text(doc.css_first(".vp-brand-slogan")) == v.model.brand.slogan
        from builder.portal.state import status_label

        facts = {text(li.css_first(".vp-label")): text(li) for li in doc.css("header.vp-vhead .vp-vhead-facts li")}
        assert facts["乡镇"] == f"乡镇 {v.model.town}"
        assert facts["功能定位"] == f"功能定位 {v.model.function}"
        assert facts["状态"].startswith(f"状态 {status_label(v.model.status)}")
        for fw in fws:
            sec = doc.css_first(f"#fw-{fw.id}")
            assert sec is not None, (slug, fw.id)
            assert text(sec.css_first("h3")) == fw.name
            rows = sec.css("tbody tr")
            assert [text(r.css("td")[1]) for r in rows] == [i.name for i in fw.items]
        # radar charts: one per framework, with title and desc (text alternative)
        radars = doc.css("svg.vp-radar")
        assert len(radars) == len(fws)
        for r in radars:
            assert text(r.css_first("title")) and text(r.css_first("desc"))


def test_village_page_shows_highlights_prose_projects_and_designation(site, content):
    by_village = {}
    for p in content.projects.values():
        by_village.setdefault(p.model.village, []).append(p)
    for slug, v in content.villages.items():
        doc = parse(site / "villages" / slug / "index.html")
        if v.model.highlights:
            got = [text(li.css_first("strong")) for li in doc.css(".vp-highlights li")]
            assert got == [h.title for h in v.model.highlights]
        if v.model.designation:
            rows = doc.css(".vp-designation tbody tr")
            assert [text(r.css_first("td")) for r in rows] == [e.stage for e in v.model.designation.history]
        links = {a.attributes["href"] for a in doc.css(".vp-project-list a")}
        assert links == {f"../../projects/{p.id}/" for p in by_village.get(slug, [])}
        if v.prose:
            assert doc.css_first("#_1") is not None or "村情介绍" in text(doc.css_first("article"))


def test_qr_code_encodes_the_page_url(site, content):
    for slug in content.villages:
        doc = parse(site / "villages" / slug / "index.html")
        qr = doc.css_first(".vp-qr svg")
        assert qr is not None
        url = f"https://portal.example.org/villages/{slug}/"
        assert text(qr.css_first("desc")) == url
        # the modules shown are the standard QR code of that URL (kernel qr_svg: level M, mask 0)
        expected = segno.make_qr(url, error="m", mask=0, boost_error=False)
        assert svg_matrix(qr.css_first("path").attributes["d"], border=2) == segno_matrix(expected)


def test_location_map_is_small_and_constant(site, content):
    # The locator shows the village within its own town: one red marker, and
    # only villages of the same town as neighbours (never the whole county).
    for slug, v in content.villages.items():
        doc = parse(site / "villages" / slug / "index.html")
        svg = doc.css_first("svg.vp-locmap2")
        assert svg is not None
        assert len(svg.css("circle.vp-map-here")) == 1
        same_town = sum(1 for w in content.villages.values() if w.model.town == v.model.town and w.slug != slug)
        assert len(svg.css("circle.vp-m-neigh")) <= same_town
        labels = [text(t) for t in svg.css("text.vp-m-label")]
        assert labels[0] == v.model.name
        others = {w.model.name for w in content.villages.values() if w.model.town != v.model.town}
        assert not others & set(labels)


def test_comparisons_list_every_village(site, content):
    names = {v.model.name for v in content.villages.values()}
    for fw in content.required_frameworks():
        doc = parse(site / "compare" / fw.id / "index.html")
        rows = doc.css("table.vp-matrix tbody tr")
        assert {text(r.css_first("th")) for r in rows} == names
        assert len(rows) == len(names)
        for r in rows:
            cells = r.css("td.vp-cell")
            assert len(cells) == len(fw.items)
            for c in cells:  # colour AND text: every cell says ✓ or ✗ in words
                cls = c.attributes.get("class", "")
                t = text(c)
                assert ("vp-c-ok" in cls and t.startswith("✓")) or ("vp-c-short" in cls and t.startswith("✗"))
    doc = parse(site / "compare" / "index.html")
    ranking = doc.css("table.vp-ranking tbody tr")
    assert {text(r.css_first("th")) for r in ranking} == names
    assert "排名规则" in text(doc.css_first(".vp-rule"))
    # ranks are non-decreasing and start at 1
    ranks = [int(text(r.css_first("td"))) for r in ranking]
    assert ranks[0] == 1 and ranks == sorted(ranks)


def test_a_village_that_falls_short_shows_it(site, content):
    evals = evaluate_all(content)
    short = [(s, fid, r) for s, e in evals.items() for fid, r in e.results.items() if r.shortfalls]
    assert short, "the sample must have villages falling short on some standard"
    for slug, fid, r in short:
        doc = parse(site / "villages" / slug / "index.html")
        sec = doc.css_first(f"#fw-{fid}")
        summary = sec.css_first(".vp-fw-summary")
        if not r.meets:
            assert "vp-short" in summary.attributes["class"] and "未达到要求" in text(summary)
        flagged = [text(tr.css("td")[1]) for tr in sec.css("tbody tr.vp-short")]
        assert flagged == [i.item.name for i in r.shortfalls]
        for tr in sec.css("tbody tr.vp-short"):
            assert "未达到要求" in text(tr)
        # and in the matrix
        m = parse(site / "compare" / fid / "index.html")
        row = next(
            tr
            for tr in m.css("table.vp-matrix tbody tr")
            if text(tr.css_first("th")) == content.villages[slug].model.name
        )
        n_short = sum(1 for c in row.css("td.vp-cell") if "vp-c-short" in c.attributes["class"])
        assert n_short == len(r.shortfalls)
    # the shortfall table on the comparison index lists the most-missed items
    doc = parse(site / "compare" / "index.html")
    counts = [int(text(tr.css("td")[2])) for tr in doc.css("table.vp-shortfalls tbody tr")]
    assert counts and counts == sorted(counts, reverse=True)


def test_town_statistics_highlight_towns_under_target(site, content):
    from builder.towns.statistics import town_stats

    doc = parse(site / "compare" / "index.html")
    rows = {text(tr.css_first("th")): tr for tr in doc.css("table.vp-towns tbody tr")}
    stats = town_stats(content)
    assert set(rows) == {t.name for t in stats}
    for t in stats:
        tr = rows[t.name]
        cells = [text(td) for td in tr.css("td")]
        assert int(cells[2]) == t.designated
        assert ("vp-under" in (tr.attributes.get("class") or "")) == t.under_target
        assert ("低于目标" in cells[-1]) == t.under_target


def test_non_public_phones_never_reach_the_site(site, content):
    hidden = {c.phone for v in content.villages.values() for c in v.model.contacts if c.phone and not c.phone_public}
    public = {
        (slug, c.phone) for slug, v in content.villages.items() for c in v.model.contacts if c.phone and c.phone_public
    }
    assert hidden, "the sample should have non-public phones to test"
    # Every file of the site, the hand-written guides included.
    handwritten = ()
    for f in site.rglob("*"):
        rel = f.relative_to(site).as_posix()
        if not f.is_file() or rel.startswith(handwritten):
            continue
        data = f.read_bytes()  # the search index too (assets/search/*.js)
        for phone in hidden:
            assert phone.encode() not in data, (rel, phone)
    for slug, phone in public:
        doc = parse(site / "villages" / slug / "index.html")
        assert phone in [text(a) for a in doc.css(".vp-contacts a")]


REF_ATTRS = [
    ("script", "src"),
    ("link", "href"),
    ("img", "src"),
    ("img", "srcset"),
    ("iframe", "src"),
    ("source", "src"),
    ("source", "srcset"),
    ("video", "src"),
    ("audio", "src"),
    ("embed", "src"),
    ("object", "data"),
    ("image", "href"),
]


def _outside(url: str) -> bool:
    return bool(re.match(r"^\s*(https?:)?//", url, re.I))


def test_no_outside_urls(site):
    pages = list(site.rglob("*.html"))
    assert len(pages) > 20
    bad = []
    for p in pages:
        doc = parse(p)
        for tag, attr in REF_ATTRS:
            for n in doc.css(tag):
                if tag == "link" and (n.attributes.get("rel") or "") in ("canonical", "alternate"):
                    continue  # not fetched by the browser
                val = n.attributes.get(attr) or ""
                for part in val.split(","):
                    if _outside(part.strip().split(" ")[0]):
                        bad.append((p.relative_to(site).as_posix(), tag, val))
    for css in site.rglob("*.css"):
        for m in re.finditer(
            r"url\(\s*['\"]?((?:https?:)?//[^)'\"]+)", css.read_text(encoding="utf-8", errors="replace")
        ):
            bad.append((css.relative_to(site).as_posix(), "css", m.group(1)))
    assert not bad, bad[:10]


def test_internal_links_resolve(site):
    missing = []
    for p in site.rglob("*.html"):
        rel_dir = p.parent
        for a in parse(p).css("a[href]"):
            href = a.attributes["href"] or ""
            if not href or href.startswith(("#", "mailto:", "tel:", "javascript:")) or _outside(href):
                continue
            path = unquote(urlsplit(href).path)
            if not path:
                continue
            target = (site / path.lstrip("/")) if path.startswith("/") else (rel_dir / path)
            if path.endswith("/"):
                target = target / "index.html"
            if not target.exists():
                missing.append((p.relative_to(site).as_posix(), href))
    assert not missing, missing[:20]


def test_village_and_project_pages_are_not_in_the_nav(site, content):
    for page in [site / "index.html", site / "villages" / "index.html", site / "compare" / "index.html"]:
        doc = parse(page)
        nav_links = [a.attributes.get("href") or "" for a in doc.css("nav.md-nav--primary a")]
        assert nav_links, page
        for href in nav_links:
            for slug in content.villages:
                assert not href.rstrip("/").endswith(f"villages/{slug}"), (page, href)
            assert "/projects/2" not in href
    # ...but reachable: the A–Z index links every village
    doc = parse(site / "villages" / "index.html")
    linked = {a.attributes["href"] for a in doc.css(".vp-cards a.vp-card-link")}
    assert linked == {f"{slug}/" for slug in content.villages}


def test_index_pages_by_town_function_and_pinyin(site, content):
    from pypinyin import lazy_pinyin

    doc = parse(site / "villages" / "index.html")
    names = [text(a) for a in doc.css(".vp-cards .vp-card-title")]
    keys = ["".join(lazy_pinyin(n)) for n in names]
    assert keys == sorted(keys)
    for page, attr in [("by-town", "town"), ("by-function", "function")]:
        d = parse(site / "villages" / page / "index.html")
        groups = {}
        for h2 in d.css(".vp-vlist h2"):
            title = h2.text(deep=False).strip()
            ul = h2.next
            while ul is not None and ul.tag != "ul":
                ul = ul.next
            groups[title] = {text(a) for a in ul.css(".vp-card-title")}
        for v in content.villages.values():
            assert v.model.name in groups[getattr(v.model, attr)]


def test_tags_page_lists_functions_and_brand_themes(site, content):
    doc = parse(site / "tags" / "index.html")
    body = text(doc.css_first("article"))
    for v in content.villages.values():
        assert v.model.function in body
        for t in v.model.tags:
            assert t in body
    tags_on_page = {text(a) for a in parse(site / "villages" / "wangjiazhuang" / "index.html").css(".md-tag")}
    assert content.villages["wangjiazhuang"].model.function in tags_on_page


def test_project_pages(site, content):
    assert len(content.projects) >= 1
    for pid, p in content.projects.items():
        doc = parse(site / "projects" / pid / "index.html")
        assert text(doc.css_first("h1")) == p.model.title
        goals = doc.css(".vp-goals tbody tr")
        assert len(goals) == len(p.model.goals)
        for g, tr in zip(p.model.goals, goals, strict=True):
            if g.quantity is not None:
                assert g.unit in text(tr.css("td")[1])
        if p.model.milestones or p.model.phases:
            g = doc.css_first("svg.vp-gantt")
            assert g is not None and text(g.css_first("title")) and text(g.css_first("desc"))
        assert len(doc.css(".vp-reports tbody tr")) == len(p.model.reports)
        assert doc.css_first("progress") is not None
    idx = parse(site / "projects" / "index.html")
    for key in ("year", "theme", "town", "status"):  # one list, filterable (cards.js)
        assert idx.css_first(f"select[data-filter={key}]") is not None
    linked = [a.attributes["href"] for a in idx.css(".vp-project-cards .vp-project-title a")]
    assert sorted(linked) == sorted(f"{pid}/" for pid in content.projects)  # each project once


def test_map_page_draws_every_village_and_belts(site, content):
    doc = parse(site / "map" / "index.html")
    svg = doc.css_first("svg.vp-countymap2")
    assert svg is not None and text(svg.css_first("title"))
    assert len(svg.css("a")) == len(coordinates(content.villages).by_village)
    towns = {text(t) for t in svg.css("text.vp-m-tname")}
    assert towns == set(content.towns)
    assert len(svg.css("path.vp-m-belt")) == len(content.settings.belts)
    assert svg.css_first("g.vp-m-scale") is not None
    rows = doc.css("table.vp-map-list tbody tr")
    assert len(rows) == len(content.villages)


def test_home_page_counts_and_latest(site, content):
    doc = parse(site / "index.html")
    counts = [int(text(s)) for s in doc.css(".vp-counts strong")]
    designated = sum(1 for v in content.villages.values() if v.model.is_designated)
    assert counts == [len(content.villages), designated, len(content.towns), len(content.projects)]
    latest = [text(a) for a in doc.css(".vp-home ol.vp-latest li a")]
    assert latest and len(latest) == len(set(latest)), "each village once"
    hrefs = {a.attributes["href"] for a in doc.css(".vp-home a")}
    for must in ("villages/", "compare/", "projects/", "map/", "data/villages.json"):
        assert must in hrefs


def _tokens(t: str) -> set[str]:
    t = re.sub(r"<[^>]+>", " ", t)
    return {x for x in re.split(r"[\s\u200b\u3000\-、。，．？！；：:（）()“”·]+", t) if x}


def test_chinese_search_index_segments_names_brands_and_terms(site, content):
    """Every village's name and brand is in the published index as its own
    character bigrams and as one exact term, on that village's page."""
    from builder.search.tokens import EXACT, exact_key, terms
    from testkit.searchindex import read_index

    idx = read_index(site)
    url = {i: r[0] for i, r in enumerate(idx.pages)}

    def pages(term: str) -> set[str]:
        return {url[d] for d, _ in idx.postings.get(term, [])}

    # 马铃薯 finds the potato village
    assert "villages/wangjiazhuang/" in pages("马铃") & pages("铃薯")
    for slug, v in content.villages.items():
        for name in (v.model.brand.name, v.model.name):
            assert all(f"villages/{slug}/" in pages(t) for t in terms(name)), (slug, name)
            assert f"villages/{slug}/" in pages(EXACT + exact_key(name))
    # the big list pages are found by their names only, not by every village on them
    assert "villages/by-town/" not in pages("王家")
    assert not any(u.startswith("compare/") and u != "compare/" for u in url.values())


def test_exports_are_linked_and_present(site):
    for name in ("villages.json", "villages.geojson", "assessments.csv"):
        assert (site / "data" / name).is_file()


def test_offline_copy_works_from_files(tmp_path_factory, content):
    """OFFLINE=true: Material's offline plugin, .html links, the search index
    as script files with .html URLs, the iframe-worker shim vendored (not
    fetched from unpkg)."""
    site = built_site(tmp_path_factory, key="offline", OFFLINE="true")
    page = site / "villages" / "wangjiazhuang.html"
    assert page.is_file()
    from testkit.searchindex import read_index

    urls = [r[0] for r in read_index(site).pages]
    assert "villages/wangjiazhuang.html" in urls and all((site / u).is_file() for u in urls)
    doc = parse(page)
    srcs = [s.attributes.get("src") or "" for s in doc.css("script[src]")]
    shim = [s for s in srcs if "iframe-worker" in s]
    assert shim and not any(_outside(s) for s in srcs)
    assert (page.parent / shim[0]).resolve().is_file()
    hrefs = [a.attributes["href"] for a in parse(site / "villages" / "index.html").css(".vp-cards a.vp-card-link")]
    assert hrefs and all((site / "villages" / h).is_file() for h in hrefs)
    for p in site.rglob("*.html"):
        d = parse(p)
        for tag, attr in REF_ATTRS:
            for n in d.css(tag):
                if tag == "link" and (n.attributes.get("rel") or "") in ("canonical", "alternate"):
                    continue
                assert not _outside(n.attributes.get(attr) or ""), (p, tag)


def test_theme_override_marks_sample_sites(site, content):
    assert content.settings.sample
    for page in (site / "index.html", site / "villages" / "wangjiazhuang" / "index.html"):
        banner = parse(page).css_first(".md-banner .vp-announce")
        assert banner is not None and "示例" in text(banner)


def test_village_page_contents_list_every_section(site, content):
    """The page's table of contents (Material's secondary nav) lists the
    generated sections, not only the editor's prose, in page order, with the
    frameworks under 标准自评 (and 历年自评 after it when the village has more
    than one year, then 观摩记录 when it was a tour stop); every entry links to a
    heading on the page; 动态 last when a news item names the village)."""
    from builder.news.load import NewsPart
    from builder.pipeline import run
    from builder.tours.feature import ToursPart
    from builder.years.history import build_history
    from tests.conftest import CONTENT

    history = build_history(content)
    news = content.get(NewsPart)
    _, derived, _ = run(CONTENT, CONTENT.parent)
    toured = {s.slug for e in derived.get(ToursPart).tours.values() if e.plan is not None for s in e.stops}
    assert toured and toured < set(content.villages)
    for slug, v in content.villages.items():
        doc = parse(site / "villages" / slug / "index.html")
        toc = doc.css_first("nav.md-nav--secondary")
        assert toc is not None, slug
        top = [text(a) for a in toc.css("nav.md-nav--secondary > ul > li > a")]
        # the editor's own "## " sections nest under 村情介绍
        sections = re.findall(r"^## (.+)$", v.prose or "", re.M)
        if sections:
            li = next(li for li in toc.css("nav.md-nav--secondary > ul > li") if text(li.css_first("a")) == "村情介绍")
            assert [text(a) for a in li.css("li > nav a")] == sections, slug
        expect = (
            (["看点"] if v.model.highlights else [])
            + (["村情介绍"] if v.prose and v.prose.strip() else [])
            + (["命名记录"] if v.model.designation else [])
            + ["标准自评"]
            + (["历年自评"] if len(history.records(slug)) > 1 else [])
            + (["观摩记录"] if slug in toured else [])
            + (["照片"] if [g for g in v.model.gallery if g.file != v.model.brand.logo] else [])
            + ["书记党建项目"]
            + (["讲解人与联系人"] if v.model.contacts else [])
            + (["动态"] if any(slug in n.model.villages for n in news.items.values()) else [])
        )
        assert top == expect, (slug, top)
        for a in toc.css("a"):
            href = a.attributes["href"]
            assert href.startswith("#") and doc.css_first(f"[id='{href[1:]}']") is not None, (slug, href)
        nested = [text(a) for a in toc.css("nav.md-nav--secondary > ul > li > nav a")]
        for fw in content.required_frameworks():
            assert fw.name in nested, (slug, fw.name, nested)


def test_toc_tokens_from_html():
    from builder.kernel.render.toc import toc_tokens

    html = (
        '<h1 id="t">T</h1><h3 id="pre">Before</h3><h2 id="a">A <code>x</code></h2><p>..</p>'
        '<h3 class="c" id="a1">A&amp;1</h3><h3>no id</h3><h2 id="b">B</h2><h4 id="d">deep</h4>'
    )
    assert toc_tokens(html) == [
        {"level": 3, "id": "pre", "name": "Before", "children": []},
        {
            "level": 2,
            "id": "a",
            "name": "A x",
            "children": [{"level": 3, "id": "a1", "name": "A&amp;1", "children": []}],
        },
        {"level": 2, "id": "b", "name": "B", "children": []},
    ]


def test_prose_headings_nest_under_village_intro():
    from builder.villages.prose.headings import nest_headings as _nest_prose_headings

    md = (
        "# 概况\n\n正文\n\n## 品牌\n\n### 细节\n\n###### 最深\n\n#标签不是标题\n\n"
        "```\n## 代码里的不动\n```\n\n**粗体标题**\n---\n\n- 列表\n---\n\n段落\n\n---\n"
    )
    # line for line: diagnostics keep the editor's line numbers
    assert len(_nest_prose_headings(md).split("\n")) == len(md.split("\n"))
    assert _nest_prose_headings(md).split("\n") == [
        "### 概况",
        "",
        "正文",
        "",
        "### 品牌",
        "",
        "#### 细节",
        "",
        "###### 最深",
        "",
        "#标签不是标题",
        "",
        "```",
        "## 代码里的不动",
        "```",
        "",
        "### **粗体标题**",
        "",
        "",
        "- 列表",
        "---",
        "",
        "段落",
        "",
        "---",
        "",
    ]


# -- village page panels, radar, profile (issue 13) -------------------------------------
def test_village_page_shows_each_part_once(site, content):
    """看点 and the brand's 内涵 appear once on the page (the sample prose no
    longer repeats them), and the panels follow the page's parts."""
    for slug, v in content.villages.items():
        doc = parse(site / "villages" / slug / "index.html")
        article = text(doc.css_first("article"))
        m = v.model
        if m.brand.meaning:
            assert article.count(m.brand.meaning) == 1, slug
        assert len(doc.css(".vp-highlights")) == (1 if m.highlights else 0)
        for h in m.highlights:
            if h.description:
                assert article.count(f"{h.title}：{h.description}") == 1, (slug, h.title)
        labels = [text(lb) for lb in doc.css(".vp-tabs > .tabbed-labels > label")]
        blocks = doc.css(".vp-tabs > .tabbed-content > .tabbed-block")
        inputs = doc.css(".vp-tabs > input[type=radio]")
        assert len(labels) == len(blocks) == len(inputs) >= 3, slug
        assert labels[: 1 if m.highlights else 0] == (["看点"] if m.highlights else [])
        assert {"自评", "项目"} <= set(labels)
        assert "checked" in inputs[0].attributes  # a boolean attribute: present, no value
        for inp, lb in zip(inputs, doc.css(".vp-tabs > .tabbed-labels > label"), strict=True):
            assert lb.attributes["for"] == inp.attributes["id"]
        assert doc.css_first("a.vp-action").attributes["href"] == "profile/"


def test_radar_axes_use_short_names_and_draw_the_pass_line(site, content):
    fws = {fw.id: fw for fw in content.required_frameworks()}
    doc = parse(site / "villages" / "baishui" / "index.html")
    for fid, fw in fws.items():
        svg_ = doc.css_first(f"#fw-{fid} svg.vp-radar")
        labels = [text(t) for t in svg_.css("text.vp-radar-label")]
        assert labels == [i.label for i in fw.items]
        assert all(1 <= len(x) <= 6 for x in labels)
        legend = text(doc.css_first(f"#fw-{fid} .vp-radar-legend"))
        if fw.rule.min_item_score is not None:
            assert svg_.css_first("polygon.vp-radar-pass") is not None
            assert f"{fw.rule.min_item_score:g} 分" in legend and "虚线" in legend
        else:
            assert svg_.css_first("polygon.vp-radar-pass") is None
            assert "不画分数线" in legend
    # 十个好: every item passes at 8 of 10 points, i.e. the pass polygon sits at 80 % of the radius
    pts = doc.css_first("#fw-shige polygon.vp-radar-pass").attributes["points"].split()
    x, y = map(float, pts[0].split(","))
    assert (x, y) == (200, 150 - 80)


def test_every_village_has_a_one_page_profile(site, content):
    for slug, v in content.villages.items():
        doc = parse(site / "villages" / slug / "profile" / "index.html")
        prof = doc.css_first(".vp-profile")
        assert prof is not None, slug
        assert text(prof.css_first("h1")) == v.model.name
        body = text(prof)
        for want in (v.model.brand.name, v.model.town, v.model.function, v.model.status):
            assert want in body, (slug, want)
        for fw in content.required_frameworks():
            assert fw.name in body
        for h in v.model.highlights[:6]:
            assert h.title in body
        qr = prof.css_first(".vp-qr-svg")
        assert text(qr.css_first("desc")) == f"https://portal.example.org/villages/{slug}/"
        if [g for g in v.model.gallery if g.file != v.model.brand.logo]:
            assert prof.css_first(".vp-pf-cover img") is not None, slug
    # the village page, not its profile, is what search finds
    from testkit.searchindex import read_index

    urls = [r[0] for r in read_index(site).pages]
    assert not [u for u in urls if "/profile/" in u]
    assert "villages/baishui/" in urls


def test_item_short_names_and_pass_ratios():
    from builder.frameworks.model import Framework, FrameworkItem
    from builder.frameworks.scores import pass_ratios
    from builder.kernel.render import svg

    def item(name, short=""):
        return FrameworkItem(id="a", name=name, short=short)

    assert item("村党支部领导核心作用突出", "核心作用").label == "核心作用"
    assert item("领导班子好").label == "领导班子好"
    assert item("村书记讲政治、有能力、敢担当").label == "村书记讲政治"
    assert item("村党支部领导核心作用突出").label == "村党支部领…"
    with pytest.raises(ValueError, match="6"):
        item("x", "七个字的简称呀")
    levels = ["达标", "基本达标", "未达标"]
    items = [{"id": "a", "name": "甲", "max_score": 10}, {"id": "b", "name": "乙", "max_score": 20}]
    fw = Framework.model_validate(
        {"id": "f", "name": "F", "scoring": "score", "rule": {"min_item_score": 8}, "items": items}
    )
    assert pass_ratios(fw, levels) == [0.8, 0.4]
    fw = Framework.model_validate(
        {"id": "f", "name": "F", "scoring": "level", "rule": {"min_level": "基本达标"}, "items": items}
    )
    assert pass_ratios(fw, levels) == [0.5, 0.5]
    fw = Framework.model_validate(
        {"id": "f", "name": "F", "scoring": "both", "rule": {"min_level": "达标"}, "items": items}
    )
    assert pass_ratios(fw, levels) == [None, None]
    fw = Framework.model_validate(
        {"id": "f", "name": "F", "scoring": "score", "rule": {"min_level": None, "min_total_score": 24}, "items": items}
    )
    assert pass_ratios(fw, levels) == [0.8, 0.8]
    out = svg.radar(
        "r", "t", ["<甲>", "乙", "丙"], [1.0, 0.5, None], "d", passes=[0.8, 0.8, 0.8], short=[False, True, True]
    )
    assert "&lt;甲&gt;" in out and "<甲>" not in out
    assert out.count('class="vp-radar-pass"') == 1
    assert out.count('class="vp-radar-short"') == 2 and out.count('class="vp-radar-dot"') == 1
    assert 'class="vp-radar-pass"' not in svg.radar(
        "r", "t", ["甲", "乙", "丙"], [1, 1, 1], "d", passes=[0.8, None, 0.8]
    )
