"""The static audit of published HTML (builder/safety/audit.py): it flags every
bad form it is meant to catch, in every spelling, and finds nothing in the
real sample site."""

from __future__ import annotations

import markdown
import pytest

from testkit.audit import Finding, audit_html, audit_site, is_outside, is_script_url
from testkit.xss import CORPUS, MARKER
from tests.portal_site import built_site

# Corpus vectors that are harmless as raw HTML (an HTML5 parser makes them
# inert) or not HTML at all: the audit rightly says nothing about them.
HARMLESS_AS_HTML = {
    "owasp-img-empty-src",  # src= onmouseover=…: the handler text is the src value
    "owasp-img-js-grave",  # the src value starts with a backtick: no scheme
    "owasp-js-escape",  # plain text outside a script
    "patt-template-literal",  # plain text outside a script
    "h5-cdata",  # CDATA in HTML is a bogus comment
    "swallow-comment",  # an unclosed comment hides text; the build test checks text survives
    "res-img-data-svg-inner",  # an <img> data: SVG never fetches (images are sandboxed)
    "owasp-frameset",  # <frameset>/<frame> after body content are dropped by the parser
    "h5-frameset-onload",
}
# Markdown-only forms: rendered by plain Python-Markdown with attr_list (what the
# portal did before the sanitizer) they produce markup the audit must flag.
HARMLESS_AS_MARKDOWN = {
    "md-link-js-entity",
    "md-link-js-tab-entity",
    "md-autolink-js",
    "md-image-title-breakout",
}  # Python-Markdown escapes the quotes into the src


def _is_markdown(v) -> bool:
    return v.id.startswith(("md-", "issue-attrlist", "res-md-", "res-attrlist"))


@pytest.mark.parametrize("vector", [v for v in CORPUS if not _is_markdown(v)], ids=lambda v: v.id)
def test_flags_every_html_vector_of_the_corpus(vector):
    found = audit_html(f"<!DOCTYPE html><title>t</title><p>前文</p>\n{vector.text}\n<p>后文</p>")
    if vector.id in HARMLESS_AS_HTML:
        assert not [f for f in found if f.code != "forbidden-element"], found
    else:
        assert found, f"not flagged: {vector.text}"


@pytest.mark.parametrize("vector", [v for v in CORPUS if _is_markdown(v)], ids=lambda v: v.id)
def test_flags_what_unsanitized_markdown_made_of_the_corpus(vector):
    rendered = markdown.markdown(vector.text, extensions=["attr_list", "md_in_html"])
    found = audit_html(f"<!DOCTYPE html><title>t</title>{rendered}")
    if vector.id not in HARMLESS_AS_MARKDOWN:
        assert found, f"not flagged: {vector.text} → {rendered}"


@pytest.mark.parametrize(
    ("html", "code"),
    [
        ('<img src=x onerror="alert(1)">', "event-handler"),
        ('<p ONCLICK="x()">a</p>', "event-handler"),
        ('<details title=">" open ontoggle=alert(1)>x</details>', "event-handler"),
        ('<svg><set attributeName="onmouseover" to="alert(1)"/></svg>', "event-handler"),
        ('<a href="javascript:alert(1)">a</a>', "script-url"),
        ('<a href="JaVaScRiPt:alert(1)">a</a>', "script-url"),
        ('<a href="&#106;avascript:alert(1)">a</a>', "script-url"),
        ('<a href="&amp;#106;avascript:alert(1)">a</a>', "script-url"),
        ('<a href="&#x6A&#x61&#x76&#x61&#x73&#x63&#x72&#x69&#x70&#x74&#x3A;alert(1)">a</a>', "script-url"),
        ('<a href="java&#x09;script:alert(1)">a</a>', "script-url"),
        ('<a href="java\tscript:alert(1)">a</a>', "script-url"),
        ('<a href="jav&#x0A;ascript:alert(1)">a</a>', "script-url"),
        ('<a href=" &#14; javascript:alert(1)">a</a>', "script-url"),
        ('<a href="&#1;javascript:alert(1)">a</a>', "script-url"),
        ('<a href="javascript&colon;alert(1)">a</a>', "script-url"),
        ('<a href="VBScript:msgbox(1)">a</a>', "script-url"),
        ('<a href="data:text/html,<script>alert(1)</script>">a</a>', "script-url"),
        ('<a href="DATA:text/html;base64,PHNjcmlwdD4=">a</a>', "script-url"),
        ('<form><button formaction="javascript:alert(1)">x</button></form>', "script-url"),
        ('<svg><a xlink:href="javascript:alert(1)"><text>x</text></a></svg>', "script-url"),
        ('<math><maction xlink:href="javascript:alert(1)">x</maction></math>', "script-url"),
        ('<svg><animate attributeName=href values="x;javascript:alert(1)"/></svg>', "script-url"),
        ('<div style="background:url(javascript:alert(1))">x</div>', "script-url"),
        ('<div style="width:expression(alert(1))">x</div>', "script-url"),
        ('<img src="http://evil.example/a.png">', "outside-resource"),
        ('<img src="//evil.example/a.png">', "outside-resource"),
        ('<img src="/\\evil.example/a.png">', "outside-resource"),
        ('<img src="https:evil.example/a.png">', "outside-resource"),
        ('<img src="x.png" srcset="x.png 1x, https://evil.example/a.png 2x">', "outside-resource"),
        ('<picture><source srcset="//evil.example/a.webp"><img src="x.png"></picture>', "outside-resource"),
        ('<video poster="http://evil.example/p.png"></video>', "outside-resource"),
        ('<video src="http://evil.example/v.mp4"></video>', "outside-resource"),
        ('<audio src="http://evil.example/a.mp3"></audio>', "outside-resource"),
        ('<svg><image href="http://evil.example/a.png"/></svg>', "outside-resource"),
        ('<svg><image xlink:href="//evil.example/a.png"/></svg>', "outside-resource"),
        ('<table background="//evil.example/a.png"><tr><td>x</td></tr></table>', "outside-resource"),
        ('<input type="image" src="http://evil.example/a.png">', "outside-resource"),
        ('<link rel="stylesheet" href="http://evil.example/a.css">', "outside-resource"),
        ('<link rel="preload" as="image" href="//evil.example/a.png">', "outside-resource"),
        ('<p style="background:url(//evil.example/a.png)">x</p>', "outside-resource"),
        ('<p style="background:u\\72l(//evil.example/a.png)">x</p>', "outside-resource"),
        ('<p style="background:url(&#x2F;&#x2F;evil.example/a.png)">x</p>', "outside-resource"),
        ("<p style=\"background-image:image-set('//evil.example/a.png' 1x)\">x</p>", "outside-resource"),
        ("<style>@import 'http://evil.example/a.css';</style>", "outside-resource"),
        ("<style>@import url(//evil.example/a.css);</style>", "outside-resource"),
        ('<a href="https://example.org/" ping="http://evil.example/p">x</a>', "outside-resource"),
        ('<meta http-equiv="refresh" content="0;url=http://evil.example/">', "outside-resource"),
        ("<script>alert(1)</script>", "script"),
        ('<script src="http://evil.example/x.js"></script>', "script"),
        ('<script src="x.js"></script>', "script"),
        ("<svg><script>alert(1)</script></svg>", "script"),
        ('<script type="application/json">{"a": "' + MARKER + '"}</script>', "marker-in-script"),
        ('<iframe src="x.html"></iframe>', "forbidden-element"),
        ('<iframe srcdoc="x"></iframe>', "forbidden-element"),
        ('<object data="x.svg"></object>', "forbidden-element"),
        ('<embed src="x.svg">', "forbidden-element"),
        ('<base href="/">', "forbidden-element"),
        ("<form><input name=q></form>", "forbidden-element"),
        ("<textarea>x", "forbidden-element"),
        ("<plaintext>x", "forbidden-element"),
        ("<template>x</template>", "forbidden-element"),
        ("<noscript>x</noscript>", "forbidden-element"),
        ("<select><option>x", "forbidden-element"),
        # a radio button is allowed only as one of our content tabs' own controls
        ('<input type="radio" name="t" id="a">', "forbidden-element"),
        ('<div class="tabbed-set"><input type="radio" id="a"></div>', "forbidden-element"),
        ('<div class="tabbed-set vp-tabs"><input type="text" id="a"></div>', "forbidden-element"),
        ('<div class="tabbed-set vp-tabs"><input type="radio" id="a" formaction="x"></div>', "forbidden-element"),
        ('<div class="tabbed-set vp-tabs"><p><input type="radio" id="a"></p></div>', "forbidden-element"),
    ],
)
def test_flags_each_bad_form(html, code):
    found = audit_html(f"<!DOCTYPE html><title>t</title><body><p>前文</p>{html}<p>后文</p>")
    assert code in {f.code for f in found}, found


def test_content_area_rules_apply_only_inside_md_content():
    page = (
        '<!DOCTYPE html><title>t</title><header><form class="md-search__form"><input name=q></form></header>'
        '<div class="md-content"><article><p>x</p>{}</article></div>'
    )
    assert audit_html(page.format("")) == []
    found = audit_html(page.format("<form><input name=q></form>"))
    assert {f.tag for f in found} >= {"form", "input"}


@pytest.mark.parametrize(
    "html",
    [
        '<a href="https://example.org/zhengwu" rel="noopener noreferrer">县政府</a>',
        '<a href="tel:0931-0000001">电话</a><a href="mailto:a@example.org">信</a><a href="#top">顶部</a>',
        '<img src="../assets/photos/x/a-640.jpg" srcset="a-640.jpg 640w, a-1280.jpg 1280w" alt="a">',
        '<img src="a.jpg" style="background:#d29c8b url(data:image/webp;base64,UklGRmQAAABXRU) center/cover">',
        '<link rel="canonical" href="https://portal.example.org/villages/">',
        "<svg><title>图</title><text>一</text></svg>",
        "<p>3 &lt; 5 且 5 &gt; 3，javascript: 只是文字，onerror 也是。</p>",
        '<script src="../assets/javascripts/bundle.min.js"></script>',
        '<script id="__config" type="application/json">{"base": ".."}</script>',
        '<form class="vp-filters" hidden><select><option>全部</option></select><input type=search></form>',
        '<div class="tabbed-set tabbed-alternate vp-tabs"><input checked id="tab-a" name="t" type="radio">'
        '<input id="tab-b" name="t" type="radio"><div class="tabbed-labels"><label for="tab-a">甲</label></div></div>',
    ],
)
def test_does_not_flag_what_is_safe(html):
    assert audit_html(f"<!DOCTYPE html><title>t</title>{html}") == []


def test_url_helpers():
    assert is_script_url("  JAVA\tSCRIPT:alert(1)")
    assert is_script_url("&#x6A;avascript:x")
    assert not is_script_url("data:image/png;base64,AAAA")
    assert is_script_url("data:image/svg+xml,<svg onload=x>")
    assert not is_script_url("data:image/svg+xml,<svg/>", image_context=True)
    assert is_outside("//evil.example/x") and is_outside("HTTPS://evil.example") and is_outside("\\\\evil.example")
    assert not is_outside("../x.png") and not is_outside("data:image/webp;base64,UklG") and not is_outside("#x")


def test_script_src_must_exist_in_the_site(tmp_path):
    (tmp_path / "assets/javascripts").mkdir(parents=True)
    (tmp_path / "assets/javascripts/portal.js").write_text("", encoding="utf-8")
    (tmp_path / "a").mkdir()
    (tmp_path / "a/index.html").write_text(
        '<!DOCTYPE html><title>t</title><script src="../assets/javascripts/portal.js"></script>'
        '<script src="../assets/javascripts/evil.js"></script>',
        encoding="utf-8",
    )
    found = audit_site(tmp_path)
    assert [(f.file, f.code, f.value) for f in found] == [("a/index.html", "script", "../assets/javascripts/evil.js")]
    assert isinstance(found[0], Finding) and "evil.js" in str(found[0])


def test_the_sample_site_has_no_findings(tmp_path_factory):
    site = built_site(tmp_path_factory)
    pages = list(site.rglob("*.html"))
    assert len(pages) > 20
    found = audit_site(site)
    assert found == [], "\n".join(map(str, found[:30]))


def test_the_audit_sees_a_page_broken_after_the_build(tmp_path_factory, tmp_path):
    """Not a test that cannot fail: one bad element added to a real page is found."""
    import shutil

    site = tmp_path / "site"
    shutil.copytree(built_site(tmp_path_factory), site)
    page = sorted(site.glob("villages/*/index.html"))[0]
    text = page.read_text(encoding="utf-8")
    i = text.index('<article class="md-content__inner')
    j = text.index(">", i) + 1
    before = set(audit_site(site))
    page.write_text(text[:j] + '<img src="//evil.example/x.png">' + text[j:], encoding="utf-8")
    found = [f for f in audit_site(site) if f not in before]
    assert [(f.code, f.value) for f in found] == [("outside-resource", "//evil.example/x.png")]
