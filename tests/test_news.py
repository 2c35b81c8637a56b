"""党建动态 (builder/news): each editor's mistake is one located diagnostic;
the list, year, item, home and village pages hold the right items, newest
first and paginated; the Atom feed reads back with a feed parser and has what
RFC 4287 requires; hostile titles and bodies stay text; `new news` scaffolds a
file that passes check once filled."""

from __future__ import annotations

import datetime as dt
import html
import json
import re
import shutil
from pathlib import Path

import pytest

from builder.kernel.build import Options
from builder.pipeline import check
from tests.conftest import CONTENT, run_cli

TODAY = dt.date(2026, 11, 20)
SITE_URL = "https://portal.example.org/"
HOSTILE_TITLE = '"><script>alert(1)</script><img src=x onerror=alert(2)>&amp;'


def _write(folder: Path, name: str, text: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    p = folder / name
    p.write_text(text, encoding="utf-8")
    return p


def _item(title: str, date: str, villages: str, extra: str = "", body: str = "正文。\n") -> str:
    return f"---\ntitle: {title}\ndate: {date}\nvillages: {villages}\n{extra}---\n{body}"


def _diags_by_file(content_dir: Path, today: dt.date = TODAY):
    _, diags = check(content_dir, content_dir.parent, Options(today=today))
    out: dict[str, list] = {}
    for d in diags:
        out.setdefault(d.file, []).append(d)
    return out


# -- validation: one mistake, one located message --------------------------------------------

MISTAKES = {
    # file name: (text, code, line, words the message or hint must hold)
    "2026-03-01-unknown-village.md": (
        _item("村名写错", "2026-03-01", "[baishui, wangjiazuang]"),
        "unknown-village",
        4,
        "wangjiazhuang",
    ),
    "2026-03-02-photo-elsewhere.md": (
        _item("配图不在村里", "2026-03-02", "[wangjiazhuang]", "photos: [photos/piandai.jpg, photos/liuan.jpg]\n"),
        "news-photo",
        5,
        "王家庄村",
    ),
    "2026-03-03-photo-other-village.md": (
        _item("配图写了别的村", "2026-03-03", "[wangjiazhuang]", "photos:\n  - liushuwan/photos/liuan.jpg\n"),
        "news-photo",
        6,
        "liushuwan",
    ),
    "2026-03-04-photo-without-folder.md": (
        _item("配图少了 photos/", "2026-03-04", "[wangjiazhuang]", "photos: [caiwa.jpg]\n"),
        "news-photo",
        5,
        "photos/caiwa.jpg",
    ),
    "2030-01-05-future.md": (_item("将来的动态", "2030-01-05", "[baishui]"), "bad-date", 3, "2030-01-05"),
    "2026-03-06-date-mismatch.md": (
        _item("日期不一致", "2026-03-16", "[baishui]"),
        "news-date",
        3,
        "2026-03-16-date-mismatch.md",
    ),
    "2026-03-07-no-title.md": ("---\ndate: 2026-03-07\nvillages: [baishui]\n---\n正文。\n", "missing-key", 2, "title"),
    "2026-03-08-no-front-matter.md": ("title: 没有信息块\n\n正文。\n", "news-front-matter", 1, "---"),
    "2026-03-09-unclosed.md": (
        "---\ntitle: 没有结束\ndate: 2026-03-09\nvillages: [baishui]\n正文。\n",
        "news-front-matter",
        1,
        "第二行",
    ),
    "2026-03-10-empty-front.md": ("---\n---\n正文。\n", "news-front-matter", 2, "空的"),
    "2026-03-11-yaml-syntax.md": (
        "---\ntitle: 格式错\ndate: 2026-03-11\nvillages: [baishui\n---\n正文。\n",
        None,  # the kernel's YAML diagnostics name the problem (code checked below)
        4,
        "",
    ),
    "2026-03-12-bad-date-value.md": (_item("日期写错", "2026-13-12", "[baishui]"), None, 3, ""),
    "2026-03-13-unsafe-body.md": (
        _item("正文有脚本", "2026-03-13", "[baishui]", body="第一段。\n\n<script>alert(1)</script>\n"),
        "unsafe-html",
        8,
        "",
    ),
    "2026-3-14-bad-name.md": (_item("文件名错", "2026-03-14", "[baishui]"), "bad-file-name", 1, "年-月-日"),
    "2026-03-15-Bad_Slug.md": (_item("编号错", "2026-03-15", "[baishui]"), "bad-slug", 1, "小写"),
    "2026-03-16-page.md": (_item("保留名", "2026-03-16", "[baishui]"), "bad-slug", 1, "网站自己用"),
    "2026-03-17-summary-typo.md": (
        _item("字段拼错", "2026-03-17", "[baishui]", "sumary: 摘要\n"),
        "unknown-key",
        5,
        "summary",
    ),
}


@pytest.fixture(scope="module")
def mistakes(tmp_path_factory):
    content = tmp_path_factory.mktemp("news-mistakes") / "content"
    shutil.copytree(CONTENT, content)
    for name, (text, *_rest) in MISTAKES.items():
        _write(content / "news", name, text)
    # a duplicate slug: the second file (by name) is the one reported
    _write(content / "news", "2026-04-01-twice.md", _item("第一条", "2026-04-01", "[baishui]"))
    _write(content / "news", "2026-04-02-twice.md", _item("第二条", "2026-04-02", "[baishui]"))
    return content, _diags_by_file(content)


@pytest.mark.parametrize("name", sorted(MISTAKES))
def test_each_mistake_is_one_located_diagnostic(mistakes, name):
    _, by_file = mistakes
    _text, code, line, words = MISTAKES[name]
    found = by_file.get(f"content/news/{name}", [])
    assert len(found) == 1, [d.format() if hasattr(d, "format") else d for d in found]
    [d] = found
    if code is not None:
        assert d.code == code, (d.code, d.message)
    else:
        assert d.code in ("yaml-syntax", "bad-date", "wrong-type"), (d.code, d.message)
    assert d.line == line, (d.line, d.message)
    assert d.is_error
    assert words in d.message + d.hint, (d.message, d.hint)
    # Chinese, with a fix
    assert re.search(r"[\u4e00-\u9fff]", d.message) and d.hint


def test_a_duplicate_slug_is_reported_once_at_the_second_file(mistakes):
    _, by_file = mistakes
    assert "content/news/2026-04-01-twice.md" not in by_file
    [d] = by_file["content/news/2026-04-02-twice.md"]
    assert d.code == "duplicate-id" and "2026-04-01-twice.md" in d.message and d.line == 1


def test_the_sample_news_passes_check():
    _, diags = check(CONTENT, CONTENT.parent, Options(today=TODAY))
    news = [d for d in diags if d.file.startswith("content/news/")]
    assert news == []
    assert len(list((CONTENT / "news").glob("*.md"))) >= 6


def test_an_item_naming_a_broken_village_is_not_reported_again(sample_copy):
    """A village whose village.yml cannot be read is reported there; the news
    item naming it (and its photos) says nothing more."""
    (sample_copy / "villages" / "nanshan" / "village.yml").write_text("name: [\n", encoding="utf-8")
    _write(
        sample_copy / "news",
        "2026-05-01-nanshan.md",
        _item("南山村", "2026-05-01", "[nanshan]", "photos: [photos/chengnuo.jpg]\n"),
    )
    by_file = _diags_by_file(sample_copy)
    assert "content/news/2026-05-01-nanshan.md" not in by_file
    assert by_file["content/villages/nanshan/village.yml"]


# -- pages --------------------------------------------------------------------------------

EXTRA = 25  # synthetic items beside the sample's: more than one page of PER_PAGE


def _expected(content: Path) -> list[tuple[dt.date, str, str, list[str]]]:
    """(date, slug, title, villages) of every item, read from the files
    independently of builder.news, newest first."""
    out = []
    for p in (content / "news").glob("*.md"):
        text = p.read_text(encoding="utf-8")
        title = re.search(r"^title: (.*)$", text, re.M).group(1).strip().strip("'")
        villages = re.search(r"^villages: \[(.*)\]$", text, re.M).group(1)
        out.append((dt.date.fromisoformat(p.name[:10]), p.name[11:-3], title, [v.strip() for v in villages.split(",")]))
    out.sort(key=lambda t: (-t[0].toordinal(), t[1]))
    return out


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    from testkit.pipeline import generated

    root = tmp_path_factory.mktemp("news-site")
    content = root / "content"
    shutil.copytree(CONTENT, content)
    for i in range(EXTRA):
        d = dt.date(2024, 1, 1) + dt.timedelta(days=17 * i)
        _write(
            content / "news",
            f"{d.isoformat()}-extra-{i:02d}.md",
            _item(f"第{i:02d}条测试动态", d.isoformat(), "[wangjiazhuang, shangzhuang]", body=f"测试正文 {i}。\n"),
        )
    _write(
        content / "news",
        "2024-02-29-hostile.md",
        "---\ntitle: '" + HOSTILE_TITLE + "'\ndate: 2024-02-29\nvillages: [xiwan]\n"
        "summary: '<b onmouseover=alert(3)>摘要</b>'\n---\n"
        "正文里的 `<img src=x onerror=alert(4)>` 是代码，不是图片。\n\n"
        "```\n<svg onload=alert(6)><script>alert(5)</script>\n```\n\n"
        '[链接](https://example.org/?q="><script>alert(7)</script>)\n',
    )
    _, files, diags, derived = generated(
        content, root, site_url=SITE_URL, today=TODAY, cache_dir=root / "cache", use_directory_urls=True
    )
    assert not diags.has_errors, diags.format("text")
    return content, files, derived


def _text(files, path: str) -> str:
    c = files[path].content
    return c.decode("utf-8") if isinstance(c, bytes) else c


def _card_titles(page: str) -> list[str]:
    return [html.unescape(t) for t in re.findall(r'<h3 class="vp-card-title">(.*?)</h3>', page)]


def _news_titles(page: str) -> list[str]:
    """Titles of the news cards of a page (not the village cards)."""
    return [
        html.unescape(t)
        for t in re.findall(r'<li class="vp-card vp-news-card">.*?<h3 class="vp-card-title">(.*?)</h3>', page, re.S)
    ]


def test_the_list_is_newest_first_and_paginated(site):
    from builder.news.pages import PER_PAGE

    content, files, _ = site
    expected = [t for _, _, t, _ in _expected(content)]
    assert len(expected) > PER_PAGE
    first, second = _text(files, "news/index.md"), _text(files, "news/page/2.md")
    assert _news_titles(first) == expected[:PER_PAGE]
    assert _news_titles(second) == expected[PER_PAGE : 2 * PER_PAGE]
    assert "news/page/3.md" not in files
    # the pager links both ways, relative to each page
    assert 'rel="next" href="page/2/"' in first and 'rel="prev" href="../../"' in second
    # grouped by year: one h2 per year on the page, in order
    years = [int(y) for y in re.findall(r'<h2 id="y(\d{4})">', first)]
    assert years == sorted(set(years), reverse=True) and len(years) >= 2


def test_year_pages_hold_that_year_only(site):
    content, files, _ = site
    exp = _expected(content)
    for year in {d.year for d, *_ in exp}:
        page = _text(files, f"news/year/{year}.md")
        assert _news_titles(page) == [t for d, _, t, _ in exp if d.year == year]
        assert 'aria-current="page">' + str(year) in page


def test_an_item_page_has_title_date_village_links_photos_and_body(site):
    _, files, _ = site
    page = _text(files, "news/baishui-yifeng-yisu.md")
    assert '<h1 id="top">白水乡两村联动推进移风易俗，“积分超市”兑出文明新风</h1>' in page
    assert '<time datetime="2026-04-18">2026年4月18日</time>' in page
    assert '<a href="../../villages/baishui/">白水村</a>' in page
    assert '<a href="../../villages/longwangmiao/">龙王庙村</a>' in page
    # three photos, in the lightbox markup of builder/photos/html.py, the
    # village's own derivatives and captions
    assert page.count('class="glightbox"') == 3
    assert "../../assets/photos/baishui/" in page and "../../assets/photos/longwangmiao/" in page
    assert "拆危治乱后建成的小游园" in page
    # the body went through the prose pipeline: its table survived, sanitized
    assert "<table>" in page and "简办红白事" in page
    # the editor's "## 看什么" is an <h2> right under the page's <h1> (not the
    # village prose's <h3>)
    first = _text(files, "news/quanxian-guanmo-lalian.md")
    assert re.search(r'<h2 id="[^"]+">看什么</h2>', first) and "<h3" not in first.split("vp-news-body", 1)[1]
    # each page is one raw block the MkDocs plugin passes through verbatim (an
    # inner block start would swallow the body: found by the XSS corpus)
    from builder.mkdocs_plugin.plugin import RAW_BLOCK

    for path in ("news/baishui-yifeng-yisu.md", "news/quanxian-guanmo-lalian.md", "news/index.md", "news/year/2025.md"):
        body = _text(files, path).split("\n---\n", 1)[1].strip()
        found = RAW_BLOCK.match(body)
        assert found and found.group(0) == body, path
    # neighbours: newer and older items
    assert 'rel="prev" href="../shangzhuang-houbei-ganbu/"' in page
    assert 'rel="next" href="../wangjiazhuang-zhutidangri/"' in page


def test_the_home_page_shows_the_three_latest(site):
    content, files, _ = site
    home = _text(files, "index.md")
    section = home.split('aria-labelledby="dongtai"', 1)[1].split("</section>", 1)[0]
    assert _card_titles(section) == [t for _, _, t, _ in _expected(content)[:3]]
    assert 'href="news/' in section


def test_village_pages_list_their_items_and_only_theirs(site):
    content, files, _ = site
    exp = _expected(content)
    for slug in ("wangjiazhuang", "baishui", "xiwan", "shangzhuang"):
        page = _text(files, f"villages/{slug}.md")
        mine = [t for _, _, t, vs in exp if slug in vs]
        section = page.split('<section class="vp-news-village"', 1)[1].split("</section>", 1)[0]
        assert _card_titles(section) == mine[:6], slug
    # a village no item names has no 动态 section
    assert 'id="dongtai"' not in _text(files, "villages/nanshan.md")


def test_the_feed_reads_back_and_has_what_rfc4287_requires(site):
    import feedparser
    from lxml import etree

    from builder.news.feed import FEED_ITEMS

    content, files, _ = site
    raw = files["feed.xml"].content
    assert isinstance(raw, bytes)
    feed = feedparser.parse(raw)
    assert not feed.bozo, feed.get("bozo_exception")
    assert feed.version == "atom10"
    exp = _expected(content)[:FEED_ITEMS]
    assert [e.title for e in feed.entries] == [t for _, _, t, _ in exp]
    assert [e.link for e in feed.entries] == [f"{SITE_URL}news/{s}/" for _, s, _, _ in exp]
    assert feed.feed.link == SITE_URL + "news/"
    # RFC 4287 4.1.1 / 4.1.2: the feed and every entry have exactly one
    # atom:id, atom:title and atom:updated; ids are absolute IRIs; the feed
    # has an author (or every entry has one); an entry without content has an
    # alternate link; updated is an RFC 3339 date-time.
    ns = {"a": "http://www.w3.org/2005/Atom"}
    root = etree.fromstring(raw)
    assert root.tag == "{http://www.w3.org/2005/Atom}feed"
    rfc3339 = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$")
    for node in [root, *root.findall("a:entry", ns)]:
        for tag in ("id", "title", "updated"):
            assert len(node.findall(f"a:{tag}", ns)) == 1, (tag, etree.tostring(node)[:200])
        assert node.findtext("a:id", namespaces=ns).startswith(SITE_URL)
        assert rfc3339.match(node.findtext("a:updated", namespaces=ns))
    assert root.find("a:author/a:name", ns) is not None
    self_links = root.findall("a:link[@rel='self']", ns)
    assert [x.get("href") for x in self_links] == [SITE_URL + "feed.xml"]
    for entry in root.findall("a:entry", ns):
        assert entry.find("a:content", ns) is not None or entry.findall("a:link", ns)
        for link in entry.findall("a:link", ns):
            assert link.get("href").startswith(SITE_URL)
    # the list pages name the feed (the theme puts <link rel="alternate"> in <head>)
    assert '"feed": "feed.xml"' in _text(files, "news/index.md")


def test_no_site_url_no_feed(tmp_path):
    from testkit.pipeline import generated

    content = tmp_path / "content"
    shutil.copytree(CONTENT, content)
    _, files, _, _ = generated(content, tmp_path, site_url="", today=TODAY, cache_dir=tmp_path / "cache")
    assert "feed.xml" not in files
    assert "feed" not in _text(files, "news/index.md").split("---")[1]


def _elements(page: str):
    from selectolax.lexbor import LexborHTMLParser

    body = page.split("\n---\n", 1)[1]  # after the front matter
    return LexborHTMLParser(body).root.traverse(include_text=False)


def test_hostile_titles_and_bodies_stay_text(site):
    _, files, _ = site
    pages = {
        "item": _text(files, "news/hostile.md"),
        "list": _text(files, "news/year/2024.md"),
        # the 动态 section only (the rest of a village page has its own SVG charts)
        "village": "---\n{}\n---\n"
        + _text(files, "villages/xiwan.md").split('<section class="vp-news-village"', 1)[1].split("</section>")[0],
    }
    for where, page in pages.items():
        tags = []
        for node in _elements(page):
            tags.append(node.tag)
            attrs = node.attributes or {}
            assert not [a for a in attrs if a.lower().startswith("on")], (where, node.html[:120])
            assert not any("javascript:" in (v or "") for v in attrs.values()), (where, node.html[:120])
        assert "script" not in tags and "svg" not in tags and "b" not in tags, where
        # the title is shown as the text the editor wrote
        assert HOSTILE_TITLE in html.unescape(page.split("\n---\n", 1)[1]), where
    item = pages["item"]
    assert "<code>&lt;img src=x onerror=alert(4)&gt;</code>" in item
    assert "&lt;svg onload=alert(6)&gt;&lt;script&gt;" in item
    # the page title in front matter is made safe for the theme (safe_title)
    meta = json.loads(item.split("\n---\n", 1)[0].removeprefix("---\n"))
    assert meta["title"] == HOSTILE_TITLE.replace("&", "&amp;").replace("<", "＜").replace(">", "＞")
    feed = files["feed.xml"].content
    assert b"<script>" not in feed and b"&lt;script&gt;alert(1)&lt;/script&gt;" in feed


# -- python -m builder new news --------------------------------------------------------------


def test_new_news_scaffolds_a_file_that_passes_once_filled(sample_copy):
    r = run_cli(
        "new",
        "news",
        "wangjiazhuang-dongyuanhui",
        "--village",
        "wangjiazhuang",
        "--village",
        "liushuwan",
        "--date",
        "2026-03-10",
        "--content",
        str(sample_copy),
        cwd=sample_copy.parent,
    )
    assert r.returncode == 0, r.stderr
    path = sample_copy / "news" / "2026-03-10-wangjiazhuang-dongyuanhui.md"
    text = path.read_text(encoding="utf-8")
    assert "villages: [wangjiazhuang, liushuwan]" in text and "photos/piandai.jpg" in text
    # unfilled: the title and the body are the two blanks, each at its line
    by_file = _diags_by_file(sample_copy)
    found = by_file[f"content/news/{path.name}"]
    lines = text.split("\n")
    assert sorted((d.code, d.line) for d in found) == [
        ("placeholder", next(i for i, x in enumerate(lines, 1) if x.startswith("title:"))),
        ("placeholder", next(i for i, x in enumerate(lines, 1) if x == "【待填写】")),
    ]
    text = text.replace("title: 【待填写】", "title: 王家庄村召开马铃薯种植动员大会", 1)
    text = text.replace("\n【待填写】\n", "\n村党支部召开动员大会。\n", 1)
    text = text.replace("# photos: [photos/piandai.jpg]", "photos: [photos/piandai.jpg, liushuwan/photos/liuan.jpg]")
    path.write_text(text, encoding="utf-8")
    assert f"content/news/{path.name}" not in _diags_by_file(sample_copy)
    # the same slug again is refused, and an unknown village is named
    again = run_cli(
        "new", "news", "wangjiazhuang-dongyuanhui", "--village", "wangjiazhuang", "--content", str(sample_copy)
    )
    assert again.returncode == 1 and "已经有了" in again.stderr
    bad = run_cli("new", "news", "x", "--village", "wangjiazuang", "--content", str(sample_copy))
    assert bad.returncode == 2 and "wangjiazhuang" in bad.stderr
