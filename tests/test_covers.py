"""Cover photos (village.yml / site.yml ``cover:``) and the home page's
featured villages: the derive answer, and the located Chinese diagnostics."""

from __future__ import annotations

from pathlib import Path

from builder.kernel.build import Derived
from builder.photos.cover import Covers, cover_file, derive_covers
from builder.pipeline import check
from builder.portal.featured import FEATURED_DEFAULT, featured

VILLAGE = "content/villages/wangjiazhuang/village.yml"
SITE = "content/site.yml"


def run(content: Path):
    return check(content, content.parent)


def append(content: Path, rel: str, text: str) -> int:
    """Append text to content/<rel>; return the 1-based line where it starts."""
    path = content.parent / rel
    old = path.read_text(encoding="utf-8")
    if not old.endswith("\n"):
        old += "\n"
    path.write_text(old + text, encoding="utf-8")
    return old.count("\n") + 1


def drop_line(content: Path, rel: str, startswith: str) -> None:
    path = content.parent / rel
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    path.write_text("".join(ln for ln in lines if not ln.startswith(startswith)), encoding="utf-8")


def found(diags, code: str, file: str):
    return [d for d in diags if d.code == code and d.file == file]


def test_default_cover_is_the_first_gallery_photo(sample_copy):
    c, diags = run(sample_copy)
    assert not diags.has_errors, diags.format("text")
    v = c.villages["wangjiazhuang"]
    assert cover_file(v) == v.model.gallery[0].file
    covers = derive_covers(c)
    chosen = 0
    for slug, v in c.villages.items():
        first = next(g.file for g in v.model.gallery if g.file != v.model.brand.logo)
        assert covers.file(slug) == (v.model.cover or first)
        chosen += bool(v.model.cover)
    assert chosen, "the sample shows editors' choice too"
    assert covers.site == "villages/xiaohewan/photos/caiyuan.jpg"


def test_chosen_cover_wins_and_reaches_the_derived_part(sample_copy):
    append(sample_copy, VILLAGE, "cover: photos/dangqun.jpg\n")
    c, diags = run(sample_copy)
    assert not found(diags, "bad-cover", VILLAGE), diags.format("text")
    assert cover_file(c.villages["wangjiazhuang"]) == "photos/dangqun.jpg"
    d = Derived()
    from builder.photos.feature import FEATURE

    FEATURE.derive(c, d, diags)
    assert d.get(Covers).file("wangjiazhuang") == "photos/dangqun.jpg"


def test_cover_not_in_the_gallery_is_a_located_error_listing_the_photos(sample_copy):
    line = append(sample_copy, VILLAGE, "cover: photos/fengmian.jpg\n")
    _, diags = run(sample_copy)
    (d,) = found(diags, "bad-cover", VILLAGE)
    assert d.line == line and d.severity.value == "error"
    assert "photos/fengmian.jpg" in d.message and "gallery" in d.message
    for f in ("photos/piandai.jpg", "photos/dangqun.jpg", "photos/caiwa.jpg"):
        assert f in d.hint


def test_cover_in_the_gallery_but_missing_on_disk(sample_copy):
    append(sample_copy, VILLAGE, "cover: photos/dangqun.jpg\n")
    (sample_copy / "villages/wangjiazhuang/photos/dangqun.jpg").unlink()
    _, diags = run(sample_copy)
    (d,) = found(diags, "bad-cover", VILLAGE)
    assert "找不到" in d.message and "photos/piandai.jpg" in d.hint and "photos/dangqun.jpg" not in d.hint


def test_site_cover_must_exist_under_content(sample_copy):
    drop_line(sample_copy, SITE, "cover:")
    line = append(sample_copy, SITE, "cover: villages/wangjiazhuang/photos/nope.jpg\n")
    c, diags = run(sample_copy)
    (d,) = found(diags, "bad-cover", SITE)
    assert d.line == line and "nope.jpg" in d.message
    assert "villages/baishui/photos/dangqun.jpg" in d.hint  # the hint names real photos
    assert derive_covers(c).site is None


def test_site_cover_of_the_wrong_format_is_reported(sample_copy):
    drop_line(sample_copy, SITE, "cover:")
    append(sample_copy, SITE, "cover: towns.yml\n")
    _, diags = run(sample_copy)
    assert found(diags, "photo-format", SITE), diags.format("text")


def test_featured_default_is_designated_villages_newest_first(sample_copy):
    c, _ = run(sample_copy)
    got = featured(c)
    assert got == ["hongliu", "liushuwan", "baishui", "majiazhuang", "xiaohewan", "wangjiazhuang"]
    assert len(got) <= FEATURED_DEFAULT
    assert all(c.villages[s].model.is_designated for s in got)


def test_featured_list_overrides_in_order(sample_copy):
    append(sample_copy, SITE, "featured: [xiwan, wangjiazhuang, dongpo]\n")
    c, diags = run(sample_copy)
    assert not diags.has_errors, diags.format("text")
    assert featured(c) == ["xiwan", "wangjiazhuang", "dongpo"]


def test_featured_unknown_and_duplicate_villages_are_located(sample_copy):
    line = append(sample_copy, SITE, "featured:\n  - xiwan\n  - wangjiazhaung\n  - xiwan\n")
    c, diags = run(sample_copy)
    (unknown,) = found(diags, "unknown-village", SITE)
    assert unknown.line == line + 2 and "wangjiazhuang" in unknown.hint
    (dup,) = found(diags, "featured-duplicate", SITE)
    assert dup.line == line + 3 and dup.severity.value == "warning"
    assert featured(c) == ["xiwan"]


def test_card_without_photo_gets_a_placeholder_not_a_broken_image():
    from builder.kernel.render.urls import Linker
    from builder.portal.state import Card, State

    card = Card("x", "无图村", "青山镇", "特色产业带动型", "品牌", "未申报", "none", "villages/x.md", "wutu")
    st = State.__new__(State)
    st.du = True
    html = str(State.card_image(st, card, Linker("villages/index.md")))
    assert "<img" not in html and 'role="img"' in html and 'aria-label="无图村暂无照片"' in html


def _generated(content: Path):
    from testkit.pipeline import generated

    c, files, diags, derived = generated(content)
    assert not diags.has_errors, diags.format("text")
    return c, files, derived


def test_build_publishes_covers_and_every_page_uses_the_same_one(sample_copy):
    """One answer to "the cover of this village": the list card, the village
    header and the map popup all show the chosen cover; the county's cover
    goes through the photo pipeline into assets/photos/_site/."""
    from builder.kernel.build import BuildContext
    from builder.map.page import map_data
    from builder.portal.state import State

    append(sample_copy, VILLAGE, "cover: photos/caiwa.jpg\n")
    c, files, derived = _generated(sample_copy)
    covers = derived.get(Covers)
    e = covers.entry(derived, "wangjiazhuang")
    assert e is not None and e.file == "photos/caiwa.jpg"
    small = e.derivatives[0]
    assert small.width == 480
    # list card: the 480 derivative, lazy, with its size
    lst = files["villages/index.md"].content
    card = lst[lst.index('data-key="wangjiazhuang"') :]
    card = card[: card.index("</li>")]
    assert small.jpg.split("/")[-1] in card and 'loading="lazy"' in card
    assert f'width="{small.width}" height="{small.height}"' in card
    # village header
    page = files["villages/wangjiazhuang.md"].content
    head = page[page.index('<header class="vp-vhead') : page.index("</header>")]
    assert "caiwa-" in head and "piandai-" not in head
    # map popup
    st = derived.get(State)
    data = map_data(st, BuildContext(c, None, derived))
    (v,) = [x for x in data["villages"] if x["n"] == c.villages["wangjiazhuang"].model.name]
    assert v["img"] == small.jpg
    # the county's cover: published derivatives, shown in the home page's hero
    site = covers.site_entry(derived)
    assert site is not None and all(d.jpg.startswith("assets/photos/_site/cover-") for d in site.derivatives)
    assert {d.webp for d in site.derivatives} | {d.jpg for d in site.derivatives} <= set(files)
    home = files["index.md"].content
    hero = home[home.index('class="vp-hero') : home.index("</section>")]
    assert "assets/photos/_site/cover-" in hero and 'loading="lazy"' not in hero


def test_tags_page_groups_villages_and_projects_sorted_by_pinyin(sample_copy):
    from pypinyin import lazy_pinyin
    from selectolax.lexbor import LexborHTMLParser

    c, files, _ = _generated(sample_copy)
    md = files["tags.md"].content
    doc = LexborHTMLParser(md[md.index("<div") :])
    sections = doc.css("section.vp-tag")
    names = [s.attributes["id"].removeprefix("tag:") for s in sections]

    def key(s: str) -> str:
        return "".join(lazy_pinyin(s))

    assert names == sorted(names, key=key) and len(names) == len(set(names))
    village_tags = {t for v in c.villages.values() for t in [v.model.function, *v.model.tags]}
    project_tags = {p.model.theme for p in c.projects.values()}
    assert set(names) == village_tags | project_tags
    for s in sections:
        tag = s.attributes["id"].removeprefix("tag:")
        villages = [n.text().strip() for n in s.css(".vp-cards .vp-card-title")]
        want = sorted((v.model.name for v in c.villages.values() if tag in (v.model.function, *v.model.tags)), key=key)
        assert villages == want, tag
        projects = [a.text().strip() for a in s.css(".vp-tag-projects a")]
        assert projects == sorted((p.model.title for p in c.projects.values() if p.model.theme == tag), key=key)
