"""Editors' prose (index.md): rendered by the core, sanitized with an
allowlist (nh3), every removal a located `check` diagnostic, and the
sanitized HTML is what the page gets (builder/prose)."""

from __future__ import annotations

import json
import shutil

import pytest
from selectolax.lexbor import LexborHTMLParser

from builder.villages.prose import render_prose
from builder.villages.prose.policy import TAGS, allowed_attributes
from tests.conftest import run_cli
from tests.portal_site import make_project, mkdocs_build
from tests.test_photos_helpers import SLUG, jpeg_bytes, scene, set_gallery

PHOTOS = frozenset({"photos/a.jpg", "photos/马铃薯.jpg"})


def codes(text: str, photos=PHOTOS) -> list[tuple[int, int, str]]:
    return [(f.line, f.column, f.code) for f in render_prose(text, photos).findings]


def elements(html: str):
    for node in LexborHTMLParser(html).body.traverse(include_text=False):
        if node.tag != "body":
            yield node.tag, dict(node.attributes)


# -- each form the issue names, located --------------------------------------------------
@pytest.mark.parametrize(
    ("text", "line", "col", "code"),
    [
        ('正文\n\n<details title=">" open ontoggle=alert(1)>x</details>', 3, 1, "unsafe-html"),
        ('正文\n\n<img alt=">" src=x onerror=alert(1)>', 3, 20, "unsafe-html"),
        ('![x](x.png){onerror="alert(1)"}', 1, 13, "unsafe-html"),
        ('一段话\n{: onmouseover="alert(1)"}', 2, 4, "unsafe-html"),
        ('[a](https://example.org){onclick="alert(1)"}', 1, 26, "unsafe-html"),
        ("第一段\n\n![](http://evil.example/a.png)", 3, 5, "outside-resource"),
        ("![远景][pic]\n\n[pic]: //evil.example/x.png", 3, 8, "outside-resource"),
        ('<img src="http://evil.example/a.png">', 1, 11, "outside-resource"),
        ('<img srcset="http://evil.example/a.png 2x" src="photos/a.jpg">', 1, 14, "outside-resource"),
        ('<picture><source srcset="http://evil.example/a.png"></picture>', 1, 1, "unsafe-html"),
        ('<p style="background:url(//evil.example/x)">x</p>', 1, 11, "outside-resource"),
        ('![x](photos/a.jpg){style="background:url(http://evil.example/x)"}', 1, 27, "outside-resource"),
        ('<video poster="http://evil.example/x"></video>', 1, 16, "outside-resource"),
        ('<audio src="http://evil.example/x.mp3"></audio>', 1, 13, "outside-resource"),
        ('<svg><image href="http://evil.example/x.png"/></svg>', 1, 1, "unsafe-html"),
        ('<table background="http://evil.example/x.png"><tr><td>1</td></tr></table>', 1, 20, "outside-resource"),
        ('<input type=image src="http://evil.example/x.png">', 1, 24, "outside-resource"),
        ("正文\n\n<plaintext>后面", 3, 1, "unsafe-html"),
        ("正文\n\n<textarea>后面", 3, 1, "unsafe-html"),
        ("[x](&#106;avascript:alert(1))", 1, 5, "unsafe-html"),
        ("[x](java&#x09;script:alert(1))", 1, 5, "unsafe-html"),
        ('<a href="vbscript:msgbox(1)">x</a>', 1, 10, "unsafe-html"),
        ('<a href="data:text/html,<script>alert(1)</script>">x</a>', 1, 10, "unsafe-html"),
        ("![照片](photos/b.jpg)", 1, 7, "missing-photo"),
        ("<font color=red>重点</font>", 1, 1, "html-removed"),
    ],
)
def test_each_form_is_reported_where_it_is_written(text, line, col, code):
    found = codes(text)
    assert (line, col, code) in found, found


def test_messages_are_chinese_with_a_hint():
    for f in render_prose('<img src="http://evil.example/x.png" onerror=alert(1)>', PHOTOS).findings:
        assert f.message.startswith("正文") and f.hint
        assert f.error
    [f] = render_prose("![x](http://evil.example/x.png)", PHOTOS).findings
    assert "photos/" in f.hint and "gallery" in f.hint  # download it, register it


def test_harmless_prose_has_no_findings_and_keeps_its_markup():
    text = (
        "# 概况\n\n王家庄村**马铃薯**产业，*合作社*带动。\n\n"
        "| 年份 | 产值 |\n|:--|--:|\n| 2024 | 120 万 |\n\n"
        "- 一\n- 二\n\n1. 甲\n2. 乙\n\n> 引言\n\n```\n代码\n\n第二段\n```\n\n"
        '[县政府](https://example.org/zw) 电话 <abbr title="党群服务中心">党群</abbr>\n\n'
        "![马铃薯田](photos/马铃薯.jpg)\n\n数学：3 < 5 且 5 > 3。"
    )
    p = render_prose(text, PHOTOS)
    assert p.findings == ()
    tags = [t for t, _ in elements(p.html)]
    for t in ("h3", "strong", "em", "table", "ul", "ol", "blockquote", "pre", "a", "abbr", "img"):
        assert t in tags, t
    assert p.photos == ("photos/马铃薯.jpg",)
    assert "3 &lt; 5" in p.html


def test_only_allowlisted_tags_and_attributes_are_published():
    text = "\n\n".join(
        [
            '<div class="md-header" id="__drawer" style="color:red" data-x=1>a</div>',
            '<span title="t" lang="en" onclick="x()">b</span>',
            '<a href="https://example.org" target="_blank" ping="https://evil.example">c</a>',
            '<img src="photos/a.jpg" width=1 height=1 loading=lazy alt=d>',
            '<form action="https://evil.example"><input name=q><button>e</button></form>',
            '<iframe src="https://evil.example"></iframe><object data=x></object><embed src=y>',
            '<meta http-equiv=refresh content="0;url=https://evil.example"><base href="https://evil.example/">',
            '<link rel=stylesheet href="https://evil.example/x.css"><style>@import "https://evil.example/y.css";</style>',
            "<template><img src=x onerror=alert(1)></template><noscript><p>f</p></noscript>",
            "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)></style></mglyph></table></mtext></math>",
            '<svg><script>alert(1)</script><a xlink:href="javascript:alert(1)">g</a></svg>',
        ]
    )
    p = render_prose(text, PHOTOS)
    for tag, attrs in elements(p.html):
        assert tag in TAGS, tag
        extra = set(attrs) - allowed_attributes(tag) - ({"rel"} if tag == "a" else set())
        assert not extra, (tag, extra)
        assert attrs.get("id", "x")[0] != "_"
    assert "evil.example" not in p.html.replace('href="https://evil', "")
    errors = {f.code for f in p.findings if f.error}
    assert errors == {"unsafe-html", "outside-resource"}


def test_outside_links_stay_with_rel_noopener():
    p = render_prose("[县政府网站](https://example.org/zw) 和 [邮件](mailto:a@example.org)", PHOTOS)
    links = [a for t, a in elements(p.html) if t == "a"]
    assert [a["href"] for a in links] == ["https://example.org/zw", "mailto:a@example.org"]
    assert all(a["rel"] == "noopener noreferrer" for a in links)
    assert p.findings == ()


def test_ids_cannot_clobber_the_theme():
    p = render_prose('## 品牌 {#__search}\n\n<p id="toc">x</p>', PHOTOS)
    ids = [a.get("id") for _, a in elements(p.html) if "id" in a]
    assert "__search" not in ids and "toc" in ids
    assert [f.code for f in p.findings] == ["html-removed"]


def test_line_numbers_survive_heading_nesting():
    # setext headings lose a line when nested; the locator still counts the editor's lines
    text = "标题\n===\n\n正文\n\n<img src=x onerror=alert(1)>"
    assert (6, 12, "unsafe-html") in codes(text)


def test_own_photo_is_replaced_by_the_callback_and_others_by_their_alt():
    p = render_prose("![马铃薯田](photos/马铃薯.jpg) ![远景](photos/a.jpg)", PHOTOS)
    out = p.with_photos(lambda f, alt: f"<PIC {f} {alt}>" if f.endswith("薯.jpg") else "")
    assert "<PIC photos/马铃薯.jpg 马铃薯田>" in out
    assert "<img" not in out and "远景" in out


# -- through check and the build ----------------------------------------------------------
def _village(content):
    return content / "villages" / SLUG


def test_check_reports_prose_findings_with_file_line_and_exit_code(sample_copy):
    (_village(sample_copy) / "index.md").write_text(
        "王家庄村简介。\n\n![外部](https://evil.example/x.jpg)\n\n"
        "<b onmouseover=alert(1)>重点</b>\n\n<font>旧写法</font>\n",
        encoding="utf-8",
    )
    r = run_cli("check", "--content", str(sample_copy), "--format", "json")
    assert r.returncode == 1 and "Traceback" not in r.stderr
    diags = [d for d in json.loads(r.stdout) if d["file"].endswith(f"{SLUG}/index.md")]
    got = {(d["line"], d["code"], d["severity"]) for d in diags}
    assert got == {(3, "outside-resource", "error"), (5, "unsafe-html", "error"), (7, "html-removed", "warning")}
    text = run_cli("check", "--content", str(sample_copy)).stdout
    assert f"villages/{SLUG}/index.md:3:" in text and "外部网站" in text


def test_page_gets_the_sanitized_prose_and_the_rest_of_the_page_survives(sample_copy, tmp_path):
    """<plaintext>/<textarea> could swallow the rest of the page; the build
    refuses them (check error), and the prose of a page is confined to its
    own block whatever it contains: render what check allows (warnings)."""
    idx = _village(sample_copy) / "index.md"
    idx.write_text(
        "简介\n\n<font>旧</font> <center>居中</center>\n\n```\n第一行\n\n第三行\n```\n\n"
        "[县政府](https://example.org/zw)\n",
        encoding="utf-8",
    )
    out = tmp_path / "gen"
    r = run_cli("generate", "--content", str(sample_copy), "--out", str(out))
    assert r.returncode == 0, r.stderr
    md = (out / "villages" / f"{SLUG}.md").read_text("utf-8")
    block = md[md.index('<div class="vp-page-prose">') :]
    block = block[: block.index("</div>") + 6]
    assert "\n\n" not in block  # one raw HTML block for Markdown
    assert "第一行\n&#10;第三行" in block  # the blank line in <pre> kept
    assert "<font" not in block and "<center" not in block and "居中" in block
    assert 'rel="noopener noreferrer"' in block
    assert "照片" in md[md.index(block) :] or "命名记录" in md[md.index(block) :]

    idx.write_text("简介\n\n<plaintext>\n\n后面\n", encoding="utf-8")
    r = run_cli("check", "--content", str(sample_copy), "--format", "json")
    assert r.returncode == 1
    assert any(d["code"] == "unsafe-html" and d["line"] == 3 for d in json.loads(r.stdout))


def test_prose_photo_is_published_as_its_derivative(sample_copy, tmp_path):
    """index.md that shows one of the village's own photos gets the photo's
    web derivative (the <picture> with a lightbox), not a broken <img>; a
    photo shown only in the prose is processed and not 'unreferenced'."""
    set_gallery(
        sample_copy,
        {"dangqun.jpg": jpeg_bytes(scene(1200, 800)), "tianjian.jpg": jpeg_bytes(scene(1000, 800, seed=1))},
        entries=[{"file": "photos/dangqun.jpg", "caption": "党群服务中心"}],
    )
    (_village(sample_copy) / "index.md").write_text(
        "简介\n\n![田间 <b>管理</b>](photos/tianjian.jpg)\n", encoding="utf-8"
    )
    r = run_cli("check", "--content", str(sample_copy), "--format", "json")
    assert not [d for d in json.loads(r.stdout) if d["code"] in ("unreferenced-photo", "missing-photo")], r.stdout
    project = make_project(tmp_path / "p", sample_copy)
    b = mkdocs_build(project)
    assert b.returncode == 0, b.stderr[-3000:]
    page = (project / "site" / "villages" / SLUG / "index.html").read_text("utf-8")
    tree = LexborHTMLParser(page)
    prose = tree.css_first(".vp-page-prose")
    [pic] = prose.css("picture")
    img = pic.css_first("img")
    assert img.attributes["alt"] == "田间 <b>管理</b>"
    assert "/assets/photos/" in img.attributes["src"] or img.attributes["src"].startswith("../../assets/photos/")
    link = prose.css_first("a.glightbox")
    assert "<b>" not in link.attributes["data-description"] + link.attributes["data-title"]
    src = img.attributes["src"]
    assert (project / "site" / "villages" / SLUG / src).resolve().is_file()
    shutil.rmtree(project / "site")


def test_each_village_prose_is_rendered_once_per_build(sample_copy, tmp_path, monkeypatch):
    """check's rules, the photo references and the village page share one
    render of index.md (it is the costliest step of check at county scale)."""
    import builder.villages.prose as prose_pkg
    from testkit.pipeline import generated

    calls: list[str] = []
    real = prose_pkg.render_prose

    def counting(text, photos=()):
        calls.append(text)
        return real(text, photos)

    monkeypatch.setattr(prose_pkg, "render_prose", counting)
    content, files, _diags, _ = generated(sample_copy, cache_dir=tmp_path / "cache")
    with_prose = [v for v in content.villages.values() if v.prose]
    assert len(with_prose) >= 2
    # one each, none twice (news bodies go through the same function, once each too)
    village_calls = [t for t in calls if t in {v.prose for v in content.villages.values()}]
    assert sorted(village_calls) == sorted(v.prose for v in content.villages.values())
    assert len(calls) == len(set(calls))
    assert any(p.startswith("villages/") and "vp-page-prose" in str(f.content) for p, f in files.items())
