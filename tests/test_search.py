"""The site's search (builder/search): how text becomes terms, how the index
is split into files, and how pages are ranked — on the sample content and on
made-up pages. The browser side (the same rules in vp-search.js) is tested in
tests/e2e/test_search_browser.py."""

from __future__ import annotations

import gzip
import json
import random
from pathlib import Path

import pytest

from builder.search import documents as D
from builder.search.documents import Doc, guide
from builder.search.index import (
    MAX_POSTINGS,
    MAX_TERMS,
    SHARD_BYTES,
    build,
    files,
    query,
    query_terms,
    shard_count,
)
from builder.search.tokens import EXACT, fnv1a, name_terms, terms

ROOT = Path(__file__).resolve().parent.parent


# -- terms -------------------------------------------------------------------------------
def test_chinese_becomes_bigrams_and_ascii_lowercase_words():
    assert terms("王家庄村") == ["王家", "家庄", "庄村"]
    assert terms("Make check，薯香红旗") == ["make", "check", "薯香", "香红", "红旗"]
    # one character alone stays a term; punctuation and the middle dot separate
    assert terms("马 一米菜园·红色田园") == ["马", "一米", "米菜", "菜园", "红色", "色田", "田园"]
    # full-width letters and digits are the ASCII ones (NFKC)
    assert terms("ＡＢＣ１２") == ["abc12"]
    assert terms("<script>alert(1)</script>") == ["script", "alert", "1", "script"]


def test_a_name_gives_its_characters_and_one_exact_term():
    t = name_terms("王家庄村")
    assert {"王家", "家庄", "庄村", "王", "家", "庄", "村", EXACT + "王家庄村"} == t


def test_fnv1a_is_the_standard_32_bit_hash():
    # published FNV-1a test vectors (the browser computes the same, over UTF-8)
    assert fnv1a("") == 0x811C9DC5
    assert fnv1a("a") == 0xE40C292C
    assert fnv1a("foobar") == 0xBF9CF968
    assert fnv1a("马铃") == fnv1a("马铃") != fnv1a("铃马")


def test_query_terms_are_distinct_capped_and_end_with_the_exact_term():
    assert query_terms("王家庄村") == ["王家", "家庄", "庄村", EXACT + "王家庄村"]
    assert query_terms("马") == ["马"]
    long = query_terms("党建引领促和谐移风易俗入人心党建引领打造沿河人居环境治理示范点")
    assert len(long) == MAX_TERMS + 1 and long[-1].startswith(EXACT)


# -- the guides' Markdown ------------------------------------------------------------------
def test_a_guide_is_read_from_its_markdown():
    d = guide(
        "editors/x.md",
        "---\nhide: [toc]\n---\n# 检查代码一览 {#top}\n\n"
        "运行 `make check`，看[说明](a.md)。\n\n## 第二节\n\n正文 **加粗**。\n",
    )
    assert d.title == "检查代码一览" and d.names == ["检查代码一览"]
    assert d.labels == ["检查代码一览", "第二节"]
    assert d.snippet == "运行 make check ，看说明。"
    assert "make" in terms(" ".join(d.text)) and "加粗" in terms(" ".join(d.text))
    assert d.boost == D.GUIDE


def test_every_guide_under_docs_is_indexed():
    docs = list(D.guides(ROOT / "docs"))
    srcs = {d.src for d in docs}
    assert {"editors/index.md", "editors/check-codes.md", "organisers/index.md"} <= srcs
    assert not [s for s in srcs if s.startswith("assets/")]
    assert all(d.title for d in docs)


# -- sharding --------------------------------------------------------------------------
def _fake_docs(n: int, seed: int = 1) -> list[Doc]:
    rnd = random.Random(seed)
    chars = [chr(0x4E00 + i) for i in range(800)]
    return [
        Doc(
            f"villages/v{i}.md",
            "".join(rnd.choices(chars, k=4)),
            "简介",
            D.VILLAGE,
            names=["".join(rnd.choices(chars, k=4))],
            text=["".join(rnd.choices(chars, k=200))],
        )
        for i in range(n)
    ]


def test_shards_multiply_with_the_index_and_stay_near_the_target_size():
    small, big = build(_fake_docs(100)), build(_fake_docs(800))
    assert shard_count(big.postings) >= 4 * shard_count(small.postings)
    for idx in (small, big):
        out = dict(files(idx, True))
        shards = [t for p, t in out.items() if "/t/" in p]
        assert len(shards) == shard_count(idx.postings)
        sizes = [len(t.encode()) for t in shards]
        assert max(sizes) < 3 * SHARD_BYTES, max(sizes)
    # a term is in the shard its hash names, and nowhere else
    out = dict(files(big, True))
    n = shard_count(big.postings)
    term = next(iter(big.postings))
    for k in range(n):
        data = json.loads(out[f"assets/search/t/{k}.js"].split("(", 1)[1].split(",", 1)[1].rsplit(")", 1)[0])
        assert (term in data) == (k == fnv1a(term) % n)


def test_a_term_shared_by_every_page_keeps_only_its_best_pages():
    docs = _fake_docs(MAX_POSTINGS + 200)
    for d in docs:
        d.text.append("党建")
    docs[-1].names.append("党建")  # the last page is named so: it must be kept
    idx = build(docs)
    kept = [d for d, _ in idx.postings["党建"]]
    assert len(kept) == MAX_POSTINGS and len(docs) - 1 in kept and kept == sorted(kept)


def test_page_chunks_hold_url_title_and_snippet_in_fixed_size_files():
    idx = build(_fake_docs(100))
    out = dict(files(idx, False))
    manifest = json.loads(out["assets/search/index.js"][len("vpSearch.manifest(") : -3])
    assert manifest["docs"] == 100 and manifest["shards"] == shard_count(idx.postings)
    chunk = manifest["chunk"]
    first = json.loads(out["assets/search/d/0.js"][len("vpSearch.docs(0,") : -3])
    assert len(first) == chunk and first[0] == ["villages/v0.html", idx.docs[0].title, "简介"]
    assert len([p for p in out if "/d/" in p]) == -(-100 // chunk)


def test_hostile_text_stays_data_in_the_script_files():
    """A title cannot end the JSON argument nor the script: json.dumps escapes quotes."""
    bad = '");alert(1);//</script><img src=x onerror=alert(2)>'
    idx = build([Doc("villages/x.md", bad, bad, names=[bad])])
    for path, text in files(idx, True):
        assert text.startswith("vpSearch.") and text.count("\n") == 1
        if "/d/" in path:
            assert json.loads(text[len("vpSearch.docs(0,") : -3]) == [["villages/x/", bad, bad]]


# -- ranking on the sample content --------------------------------------------------------
@pytest.fixture(scope="module")
def sample():
    from builder.kernel.build import Options
    from builder.pipeline import run
    from tests.portal_site import load_sample

    content = load_sample()
    c, derived, _ = run(content.content_dir, ROOT, Options())
    docs = D.documents(c, derived, ROOT / "docs")
    return c, docs, build(docs)


def _first(sample, q: str, k: int = 1) -> list[str]:
    _, docs, idx = sample
    return [docs[i].src for i in query(idx, q)[:k]]


def test_names_brands_and_project_titles_find_their_own_page_first(sample):
    c, _, _ = sample
    for slug, v in c.villages.items():
        assert _first(sample, v.model.name) == [f"villages/{slug}.md"]
        assert _first(sample, v.model.brand.name) == [f"villages/{slug}.md"]
    for pid, p in c.projects.items():
        assert _first(sample, p.model.title) == [f"projects/{pid}.md"]


def test_a_news_title_finds_its_item_and_news_ranks_below_villages(sample):
    from builder.news.load import NewsPart

    c, _, _ = sample
    items = c.get(NewsPart).items
    assert len(items) >= 6
    for slug, n in items.items():
        assert _first(sample, n.model.title) == [f"news/{slug}.md"], n.model.title
    # a village's name still finds the village first, though news items name it too
    assert _first(sample, "王家庄村") == ["villages/wangjiazhuang.md"]


def test_a_topic_finds_the_village_before_its_project(sample):
    assert _first(sample, "马铃薯", 2) == ["villages/wangjiazhuang.md", "projects/2022-wangjiazhuang-malingshu.md"]


def test_a_persons_title_finds_a_village_with_that_contact(sample):
    c, _, _ = sample
    for title in ("村党支部书记", "村委会副主任", "村党支部委员"):
        with_title = {f"villages/{s}.md" for s, v in c.villages.items() for p in v.model.contacts if title in p.title}
        assert with_title and _first(sample, title)[0] in with_title, title
    assert _first(sample, "村委会副主任") == ["villages/baishui.md"]  # the one village with that title


def test_a_shared_phrase_lists_its_projects_before_other_pages(sample):
    c, _, _ = sample
    named = {f"projects/{pid}.md" for pid, p in c.projects.items() if "党建引领" in p.model.title}
    assert len(named) == 3 and set(_first(sample, "党建引领", 3)) == named


def test_guides_rank_below_content_but_are_still_found(sample):
    assert _first(sample, "make check")[0].startswith(("editors/", "organisers/"))
    assert "editors/check-codes.md" in _first(sample, "检查代码一览", 3)
    # the project's example title quoted in a guide does not pass the village
    # (a news item about that project may come between: it is content too)
    ranked = _first(sample, "打造千亩黑色全膜马铃薯示范片带", 6)
    assert ranked[0] == "projects/2022-wangjiazhuang-malingshu.md"
    village = ranked.index("villages/wangjiazhuang.md")
    assert all(not r.startswith(("editors/", "organisers/")) for r in ranked[: village + 1]), ranked


def test_a_single_character_finds_names(sample):
    assert "villages/majiazhuang.md" in _first(sample, "马", 3)


def test_snippets_never_show_the_sample_disclaimer_nor_a_hidden_phone(sample):
    c, docs, _idx = sample
    hidden = {p.phone for v in c.villages.values() for p in v.model.contacts if p.phone and not p.phone_public}
    assert hidden
    for d in docs:
        assert "仅作演示" not in d.title + d.snippet
        blob = " ".join([d.title, d.snippet, *d.names, *d.labels, *d.text])
        assert not [ph for ph in hidden if ph in blob], d.src


def test_a_first_query_of_the_sample_loads_little(sample):
    """Manifest + the shards of the query's terms + the page chunks of ten results."""
    _, _docs, idx = sample
    out = {p: len(gzip.compress(t.encode())) for p, t in files(idx, True)}
    n = shard_count(idx.postings)
    need = {fnv1a(t) % n for t in query_terms("王家庄村")}
    chunks = {d // 32 for d in query(idx, "王家庄村")[:10]}
    total = out["assets/search/index.js"] + sum(out[f"assets/search/t/{k}.js"] for k in need)
    total += sum(out[f"assets/search/d/{k}.js"] for k in chunks)
    assert total < 60_000, total


def test_generate_without_mkdocs_writes_the_search(tmp_path):
    """`python -m builder generate --out DIR` (another engine's input) has the
    index, its script and style, and the guides in the index."""
    import subprocess
    import sys

    from testkit.searchindex import read_index

    out = tmp_path / "gen"
    r = subprocess.run(
        [sys.executable, "-m", "builder", "generate", "--out", str(out)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert r.returncode == 0, r.stderr[-3000:]
    assert (out / "assets/javascripts/vp-search.js").is_file() and (out / "assets/stylesheets/vp-search.css").is_file()
    urls = [row[0] for row in read_index(out).pages]
    assert "villages/wangjiazhuang/" in urls and "editors/check-codes/" in urls
