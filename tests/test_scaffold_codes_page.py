"""docs/editors/check-codes.md is generated from the code catalogue and
committed up to date; every code has its meaning, a bad example and a fix."""

from __future__ import annotations

import re
from pathlib import Path

from builder.kernel.diagnostics.codes import catalogue
from builder.pipeline import features
from builder.scaffold.codes_page import examples, render_codes_page
from tests.conftest import run_cli

ROOT = Path(__file__).resolve().parent.parent
PAGE = ROOT / "docs" / "editors" / "check-codes.md"
CODES = catalogue(features())  # the built-in codes and every feature's own


def test_committed_page_is_up_to_date():
    assert PAGE.exists(), "run python -m builder docs-codes"
    assert PAGE.read_text(encoding="utf-8") == render_codes_page(), "stale: run python -m builder docs-codes"


def test_every_code_has_meaning_bad_example_and_fix():
    text = render_codes_page()
    for code in CODES.values():
        bad, good = examples(code)
        assert bad and good, f"{code.code} needs a bad example and its fix"
        section = text.split(f'<a id="{code.code}"></a>', 1)[1].split('<a id="', 1)[0]
        assert f"## `{code.code}`：" in section
        assert "错误的写法：" in section and "改正后：" in section
        assert bad in section and good in section


def test_page_shows_every_title_and_explanation_verbatim():
    """As MkDocs renders the page (the extensions of mkdocs.yml): each code's
    title and explanation read exactly as in codes.py (a "<script>" in one of
    them once opened a real script element that swallowed the rest of the
    page), and the page has no element an editor's text could have made."""
    import markdown
    from selectolax.lexbor import LexborHTMLParser

    html = markdown.markdown(render_codes_page(), extensions=["attr_list", "tables", "toc"])
    doc = LexborHTMLParser(html)
    assert doc.css("script, style, iframe, img") == []
    rows = {r.css("td")[0].text().strip(): r.css("td")[2].text() for r in doc.css("tbody tr")}
    for code in CODES.values():
        assert rows[code.code] == code.title
        h = doc.css_first(f"#code-{code.code}")
        assert h is not None and h.text() == f"{code.code}：{code.title}", code.code
        level = h.next
        while level.tag != "p":
            level = level.next
        explain = level.next
        while explain.tag != "p":
            explain = explain.next
        assert explain.text() == code.explain, code.code


def test_cli_docs_codes(tmp_path):
    out = tmp_path / "codes.md"
    r = run_cli("docs-codes", "--out", str(out))
    assert r.returncode == 0, r.stderr
    assert out.read_text(encoding="utf-8") == render_codes_page()


def test_guide_pages_exist_and_link_each_other():
    for name in ("index.md", "add-village.md", "add-photos.md", "add-project.md", "check-codes.md"):
        assert (PAGE.parent / name).exists(), name
    index = (PAGE.parent / "index.md").read_text(encoding="utf-8")
    for name in ("add-village.md", "add-photos.md", "add-project.md", "check-codes.md"):
        assert f"({name})" in index
    # every [`code`] mentioned anywhere in the guide is a real code
    for page in (PAGE.parent / n for n in ("index.md", "add-village.md", "add-photos.md", "add-project.md")):
        for code in re.findall(r"`([a-z]+(?:-[a-z]+)+)`", page.read_text(encoding="utf-8")):
            if code in ("yaml-language-server",):
                continue
            assert code in CODES or not code.isascii() or code.count("-") > 3 or code in _NOT_CODES, (page.name, code)


_NOT_CODES = {"piandai-fumo", "builder-new"}
