"""The payload corpus (builder/safety/xss.py, 200+ vectors from OWASP, PortSwigger,
html5sec and PayloadsAllTheThings) planted into a copy of the sample content:
every vector into index.md and into a news item's body (one per paragraph) and
into the text fields of a village, one of its projects and a tour that visits it. For each vector either
`check` reports it at its file and line, or the built site is harmless: the
static audit (builder/safety/audit.py) finds nothing, and the text after the
vectors survives. The counts (tried / reported by check / sanitized harmlessly /
executed) are printed (-s) and written to xss-corpus-counts.json in the
pytest temp folder. The browser half is tests/e2e/test_xss.py."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest
from selectolax.lexbor import LexborHTMLParser

from builder.pipeline import check
from testkit.audit import audit_site
from testkit.xss import CORPUS, EVIL_HOST, MARKER, Vector, plant, tagged_corpus
from tests.conftest import CONTENT, run_cli
from tests.e2e.site import build_site

pytestmark = pytest.mark.slow

ROUNDS = 3
SENTINEL = "正文到此结束：这一段必须出现在页面上。"
INTRO = "本村是示例村，下面是安全测试用的段落。"
_TAG = re.compile(rf"{re.escape(MARKER)}-(\d{{3}})|{re.escape(EVIL_HOST)}/v(\d{{3}})")
_SWALLOWING = {
    "textarea",
    "noscript",
    "template",
    "plaintext",
    "xmp",
    "noembed",
    "noframes",
    "select",
    "option",
    "title",
    "style",
    "script",
    "iframe",
    "object",
}
_CACHE: dict[str, dict] = {}


def _pick(content: Path) -> tuple[str, str | None, Path | None]:
    """A village with a gallery, a project and a tour stop (wangjiazhuang in the sample)."""
    c, _ = check(content, content.parent)
    tours = sorted((content / "tours").glob("*.yml"))

    def tour_of(slug):
        return next(
            (
                t
                for t in tours
                if not t.name.endswith(".scores.yml") and re.search(rf"\b{slug}\b", t.read_text(encoding="utf-8"))
            ),
            None,
        )

    def score(slug):
        v = c.villages[slug]
        return (
            sum(p.model.village == slug for p in c.projects.values()) > 0,
            tour_of(slug) is not None,
            len(getattr(v.model, "gallery", None) or []),
            slug == "wangjiazhuang",
        )

    slug = max(sorted(c.villages), key=score)
    pid = next((pid for pid, p in sorted(c.projects.items()) if p.model.village == slug), None)
    return slug, pid, tour_of(slug)


def _diags(content: Path) -> list[dict]:
    r = run_cli("check", "--content", str(content), "--format", "json")
    assert "Traceback" not in r.stderr, r.stderr[-3000:]
    assert r.returncode in (0, 1), r.stderr[-3000:]
    return json.loads(r.stdout or "[]")


def _write_index(path: Path, vectors: list[tuple[int, Vector]]) -> dict[int, range]:
    """index.md with one vector per paragraph; returns {vector number: its lines}."""
    blocks, lines, n = [INTRO], {}, 1
    for i, v in vectors:
        n += 2  # blank line, then the block
        lines[i] = range(n, n + v.text.count("\n") + 1)
        n += v.text.count("\n")
        blocks.append(v.text)
    blocks.append(SENTINEL)
    path.write_text("\n\n".join(blocks) + "\n", encoding="utf-8")
    return lines


NEWS_FRONT = "---\ntitle: 安全测试动态\ndate: 2026-01-15\nvillages: [{slug}]\n---\n"
NEWS_NAME = "2026-01-15-xss-corpus.md"


def _write_news(path: Path, slug: str, vectors: list[tuple[int, Vector]]) -> dict[int, range]:
    """A news item (builder/news) whose body holds one vector per paragraph,
    like index.md; returns {vector number: its lines in the .md file}."""
    front = NEWS_FRONT.format(slug=slug)
    offset = front.count("\n")
    path.parent.mkdir(parents=True, exist_ok=True)
    lines = _write_index(path, vectors)
    path.write_text(front + path.read_text(encoding="utf-8"), encoding="utf-8")
    return {i: range(r.start + offset, r.stop + offset) for i, r in lines.items()}


def plant_round(base: Path, vectors: list[tuple[int, Vector]]) -> dict:
    """Plant `vectors` (numbered, tagged) into a copy of the sample content,
    drop from index.md what check reports as an error, build; return a record."""
    content = base / "content"
    shutil.copytree(CONTENT, content)
    slug, pid, tour = _pick(content)
    index = content / "villages" / slug / "index.md"
    rec: dict = {
        "slug": slug,
        "project": pid,
        "tour": tour.stem if tour else None,
        "vectors": [i for i, _ in vectors],
        "index_reported": {},
        "index_warned": {},
        "index_kept": [],
        "mislocated": [],
        "yaml_kept": {},
        "yaml_rejected": {},
        "planted": {},
        "news_reported": {},
        "news_kept": [],
    }

    # index.md: every vector; check's errors there must sit on a vector's lines.
    remaining = list(vectors)
    for _ in range(len(vectors) + 1):  # check may cap its messages per file: repeat until clean
        lines = _write_index(index, remaining)
        diags = [d for d in _diags(content) if Path(d["file"]).parts[-3:] == ("villages", slug, "index.md")]
        errors_at: dict[int, list[str]] = {}
        for d in diags:
            owner = next((i for i, r in lines.items() if d["line"] in r), None)
            if owner is None:
                rec["mislocated"].append(f"{d['line']}:{d['column']} {d['code']} {d['message']}")
                continue
            kind = "index_reported" if d["severity"] == "error" else "index_warned"
            rec[kind].setdefault(owner, []).append(f"{d['line']}:{d['column']} {d['code']}")
            if d["severity"] == "error":
                errors_at.setdefault(owner, [])
        if not errors_at:
            break
        remaining = [(i, v) for i, v in remaining if i not in errors_at]
    rec["index_kept"] = [i for i, _ in remaining]

    # a news item's body (builder/news renders it with the same prose pipeline)
    news = content / "news" / NEWS_NAME
    remaining = list(vectors)
    for _ in range(len(vectors) + 1):
        lines = _write_news(news, slug, remaining)
        diags = [d for d in _diags(content) if Path(d["file"]).parts[-2:] == ("news", NEWS_NAME)]
        reported = set()
        for d in diags:
            owner = next((i for i, r in lines.items() if d["line"] in r), None)
            if owner is None:
                rec["mislocated"].append(f"news {d['line']}:{d['column']} {d['code']} {d['message']}")
                continue
            if d["severity"] == "error":
                rec["news_reported"].setdefault(owner, []).append(f"{d['line']}:{d['column']} {d['code']}")
                reported.add(owner)
        if not reported:
            break
        remaining = [(i, v) for i, v in remaining if i not in reported]
    rec["news_kept"] = [i for i, _ in remaining]

    # YAML: every text field of the village, its project and the tour.
    def problems():
        _, diags = check(content, content.parent)
        return [(d.file, d.line) for d in diags]

    payloads = [v.text for _, v in vectors]
    number = {v.text: i for i, v in vectors}
    files = {"village": content / "villages" / slug / "village.yml"}
    if pid:
        files["project"] = content / "projects" / f"{pid}.yml"
    if tour:
        files["tour"] = tour
    for place, f in files.items():
        rejected: dict[str, list] = {}
        planted = plant(f, payloads, problems, start=7 * len(rec["planted"]), rejected=rejected)
        rec["planted"][place] = {"/".join(map(str, k)): v for k, v in planted.items()}
        rec["yaml_kept"][place] = sorted({number[p] for p in payloads for v in planted.values() if p in v})
        rec["yaml_rejected"][place] = {
            number[p]: [f"{'/'.join(map(str, path))}:{line}" for path, line in where] for p, where in rejected.items()
        }
    _, diags = check(content, content.parent)
    assert not diags.has_errors, diags.format("text")

    site = build_site(base / "build", content=content)
    rec["site"] = str(site)
    findings = audit_site(site)
    rec["findings"] = [str(f) for f in findings]
    rec["executed"] = {}
    rec["unattributed"] = []
    for f in findings:
        ids = {int(a or b) for a, b in _TAG.findall(f.snippet + " " + f.value)}
        if not ids:
            rec["unattributed"].append(str(f))
        for i in ids:
            rec["executed"].setdefault(i, []).append(str(f))
    page = site / "villages" / slug / "index.html"
    tree = LexborHTMLParser(page.read_text(encoding="utf-8"))
    rec["sentinel_shown"] = any(SENTINEL in (p.text() or "") and not _swallowed(p) for p in tree.css(".md-content p"))
    news_page = LexborHTMLParser((site / "news" / "xss-corpus" / "index.html").read_text(encoding="utf-8"))
    rec["news_sentinel_shown"] = any(
        SENTINEL in (p.text() or "") and not _swallowed(p) for p in news_page.css(".md-content p")
    )
    return rec


def _swallowed(node) -> bool:
    p = node.parent
    while p is not None:
        if (p.tag or "").lower() in _SWALLOWING:
            return True
        p = p.parent
    return False


def corpus_rounds(tmp_path_factory) -> dict:
    """The corpus planted and built in ROUNDS sites (cached for the session,
    shared with the browser test)."""
    if "rounds" not in _CACHE:
        vectors = list(enumerate(tagged_corpus()))
        chunks = [vectors[k::ROUNDS] for k in range(ROUNDS)]
        base = tmp_path_factory.mktemp("xss-corpus")
        rounds = [plant_round(base / f"round{k}", chunk) for k, chunk in enumerate(chunks)]
        _CACHE["rounds"] = {"base": base, "rounds": rounds, "vectors": vectors}
    return _CACHE["rounds"]


def counts(data: dict) -> dict:
    vectors = data["vectors"]
    rounds = data["rounds"]
    executed = {int(i) for r in rounds for i in r["executed"]}
    reported = {int(i) for r in rounds for i in r["index_reported"]}
    warned = {int(i) for r in rounds for i in r["index_warned"]} - reported
    published = {int(i) for r in rounds for i in r["index_kept"]}
    published |= {int(i) for r in rounds for kept in r["yaml_kept"].values() for i in kept}
    yaml_rejected = {int(i) for r in rounds for rej in r["yaml_rejected"].values() for i in rej}
    by_source: dict[str, int] = {}
    for _, v in vectors:
        by_source[v.source] = by_source.get(v.source, 0) + 1
    return {
        "tried": len(vectors),
        "reported_by_check": len(reported - executed),
        "sanitized_harmlessly": len((published - reported) - executed),
        "executed": len(executed),
        "index_md": {
            "reported_error": len(reported),
            "reported_warning_only": len(warned),
            "published": len({int(i) for r in rounds for i in r["index_kept"]}),
        },
        "yaml_fields": {
            "published_in_some_field": len({int(i) for r in rounds for kept in r["yaml_kept"].values() for i in kept}),
            "rejected_by_check_somewhere": len(yaml_rejected),
        },
        "by_kind": {k: sum(v.kind == k for _, v in vectors) for k in ("script", "resource", "swallow")},
        "by_source": by_source,
        "executed_vectors": sorted(vectors[i][1].id for i in executed),
    }


@pytest.fixture(scope="module")
def corpus_data(tmp_path_factory):
    data = corpus_rounds(tmp_path_factory)
    c = counts(data)
    out = data["base"] / "xss-corpus-counts.json"
    out.write_text(json.dumps(c, ensure_ascii=False, indent=2), encoding="utf-8")
    print(f"\nXSS corpus ({out}):\n" + json.dumps(c, ensure_ascii=False, indent=2))
    return data


def test_corpus_is_large_and_sourced():
    assert len(CORPUS) >= 80
    assert len({v.text for v in CORPUS}) == len(CORPUS) and len({v.id for v in CORPUS}) == len(CORPUS)
    assert {v.source for v in CORPUS} >= {
        "OWASP XSS Filter Evasion Cheat Sheet",
        "PortSwigger Cross-site scripting cheat sheet",
        "HTML5 Security Cheatsheet (html5sec.org)",
        "PayloadsAllTheThings – XSS Injection",
    }
    for v in CORPUS:
        assert "\n\n" not in v.text, v.id
        if v.kind == "resource":
            assert EVIL_HOST in v.text, v.id
    texts = " ".join(v.text for v in CORPUS)
    for form in [
        '<details title=">" open ontoggle=',
        '<img alt=">" src=x onerror=',
        "![x](x.png){onerror=",
        "{: onmouseover=",
        "[a](https://example.org){onclick=",
        "<plaintext>",
        "<textarea>",
        "<template>",
        "<noscript>",
        '<input type="image"',
        '<link rel="stylesheet"',
        "<object data=",
        "<embed src=",
        "<iframe src=",
        "@import",
        "<picture><source srcset=",
        "<video poster=",
        "<audio src=",
        "<svg><image href=",
        "background=",
        "![](http://",
    ]:
        assert form in texts, form


def test_tagged_vectors_name_themselves():
    import html

    for i, v in enumerate(tagged_corpus()):
        tag = f"{MARKER}-{i:03d}"
        assert tag in v.text or tag in html.unescape(v.text) or f"{EVIL_HOST}/v{i:03d}" in v.text, v.id


def test_check_reports_at_the_right_line_or_the_site_is_harmless(corpus_data):
    c = counts(corpus_data)
    rounds = corpus_data["rounds"]
    mislocated = [m for r in rounds for m in r["mislocated"]]
    assert not mislocated, f"check reported index.md lines that hold no vector: {mislocated[:20]}"
    unattributed = [f for r in rounds for f in r["unattributed"]]
    executed = {corpus_data["vectors"][int(i)][1].id: fs[:2] for r in rounds for i, fs in r["executed"].items()}
    assert not executed and not unattributed, (
        f"{len(executed)} vectors reach the published HTML in a form that can run or fetch:\n"
        + "\n".join(f"{k}: {v}" for k, v in list(executed.items())[:40])
        + ("\nunattributed: " + "\n".join(unattributed[:20]) if unattributed else "")
    )
    assert c["executed"] == 0
    assert c["reported_by_check"] + c["sanitized_harmlessly"] == c["tried"]


def test_every_vector_was_tried_everywhere(corpus_data):
    for r in corpus_data["rounds"]:
        for i in r["vectors"]:
            assert i in r["index_reported"] or i in r["index_kept"], f"vector {i} lost from index.md"
            for place in r["yaml_kept"]:
                assert i in r["yaml_kept"][place] or i in r["yaml_rejected"][place], f"vector {i} not tried in {place}"


def test_the_text_after_the_vectors_survives(corpus_data):
    for r in corpus_data["rounds"]:
        assert r["sentinel_shown"], f"{r['site']}: the paragraph after the vectors is swallowed"
        assert r["news_sentinel_shown"], f"{r['site']}: the news item's paragraph after the vectors is swallowed"


def test_every_vector_was_tried_in_a_news_body(corpus_data):
    for r in corpus_data["rounds"]:
        for i in r["vectors"]:
            assert i in r["news_reported"] or i in r["news_kept"], f"vector {i} lost from the news item"
        assert r["news_kept"], "no vector reached a news page"


def test_planting_reaches_many_fields(corpus_data):
    for r in corpus_data["rounds"]:
        assert len(r["planted"]["village"]) >= 20
        assert "project" not in r["planted"] or len(r["planted"]["project"]) >= 3
        assert "tour" not in r["planted"] or len(r["planted"]["tour"]) >= 2
        assert any(k.startswith("gallery/") for k in r["planted"]["village"]), "no gallery caption/alt planted"
