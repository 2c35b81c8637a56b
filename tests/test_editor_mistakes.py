"""At least 60 realistic editor mistakes across every content file (issue 12):
each gives exactly one diagnostic — the expected code, in the file the editor
changed, at the line of the mistake — and nothing else in any other file.
The list grows with every bug found: add the mistake an office worker made
(Word quotes, 中文逗号, full-width digits, a renamed folder) and what it should say."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from builder.kernel.build import Options
from builder.pipeline import check
from tests.conftest import CONTENT

V = "villages/wangjiazhuang/village.yml"
P = "projects/2022-wangjiazhuang-malingshu.yml"
T = "tours/2025-q3-quanxian.yml"
S = "tours/2025-q3-quanxian.scores.yml"
W = "towns.yml"
Y = "site.yml"
M = "villages/wangjiazhuang/index.md"
H = "villages/hongliu/assessments/2024.yml"  # an earlier year's self-assessment (builder.years)
N = "news/2026-03-10-wangjiazhuang-zhutidangri.md"
N2 = "news/2026-04-18-baishui-yifeng-yisu.md"

# (id, file, text in the sample, what the editor wrote instead, expected code,
#  text at the start of the reported line when it is not the first line written)
MISTAKES = [
    ("key-typo", V, "summary:", "summery:", "unknown-key", None),
    ("tags-comma", V, "tags: [马铃薯, 合作社, 产业振兴]", "tags: [马铃薯，合作社，产业振兴]", "list-separator", None),
    ("tags-dun", V, "tags: [马铃薯, 合作社, 产业振兴]", "tags: [马铃薯、合作社、产业振兴]", "list-separator", None),
    ("lat-fullwidth", V, "  lat: 35.5712", "  lat: ３５.５７１２", "lookalike", None),
    ("coords-swapped", V, "  lat: 35.5712\n  lng: 104.6418", "  lat: 104.6418\n  lng: 35.5712", "coords-swapped", None),
    ("coords-range", V, "  lat: 35.5712", "  lat: 5.5712", "coords-range", None),
    ("crs-unknown", V, "  system: GCJ-02", "  system: 北京54", "unknown-crs", None),
    ("town-unknown", V, "town: 青山镇", "town: 青山乡", "unknown-town", None),
    ("function-typo", V, "function: 特色产业带动型", "function: 产业带动型", "unknown-function", None),
    ("level-typo", V, "core: {level: 达标,", "core: {level: 优秀,", "unknown-level", None),
    ("score-over", V, "core: {level: 达标, score: 9.5,", "core: {level: 达标, score: 12,", "score-range", None),
    ("date-impossible", V, "    taken: 2022-03-09", "    taken: 2022-02-30", "bad-date", None),
    ("date-future", V, "    taken: 2022-03-09", "    taken: 2099-03-09", "bad-date", None),
    ("photo-missing", V, "  - file: photos/caiwa.jpg", "  - file: photos/caiwa2.jpg", "missing-photo", None),
    ("standard-typo", V, "    standard: shitiao.industry", "    standard: shitiao.industri", "unknown-standard", None),
    ("phone-curly", V, '    phone: "0931-0000001"', "    phone: “0931-0000001”", "curly-quotes", None),
    (
        "phone-fullwidth",
        V,
        '    phone: "0931-0000001"',
        '    phone: "０９３１-０００００００１"',
        "phone-lookalike",
        None,
    ),
    ("tab-indent", V, "  lat: 35.5712", "\tlat: 35.5712", "tab-indent", None),
    ("fullwidth-indent", V, "  lat: 35.5712", "\u3000lat: 35.5712", "fullwidth-space", None),
    ("name-missing", V, "name: 王家庄村\n", "", "missing-key", "town: 青山镇"),
    ("name-empty", V, "name: 王家庄村", "name:", "empty-value", None),
    ("name-invisible", V, "name: 王家庄村", "name: 王家庄\u200b村", "invisible-char", None),
    ("role-typo", V, "  - role: 讲解人\n", "  - role: 讲解员\n", "bad-value", None),
    ("bool-chinese", V, "    phone_public: false", "    phone_public: 否", "wrong-type", None),
    (
        "stage-typo",
        V,
        "    - {stage: 命名, date: 2023-06-20",
        "    - {stage: 命令, date: 2023-06-20",
        "bad-value",
        None,
    ),
    (
        "stage-order",
        V,
        "    - {stage: 公示, date: 2023-06-01",
        "    - {stage: 公示, date: 2023-03-01",
        "date-order",
        None,
    ),
    ("item-typo", V, "      core: {level: 达标,", "      cor: {level: 达标,", "extra-item", None),
    ("colon-fullwidth", V, "summary: ", "summary：", "fullwidth-punct", None),
    (
        "duplicate-key",
        V,
        "function: 特色产业带动型",
        "function: 特色产业带动型\nfunction: 党员作用突出型",
        "duplicate-key",
        "function: 党员作用突出型",
    ),
    ("list-indent", V, "  - file: photos/dangqun.jpg", " - file: photos/dangqun.jpg", "yaml-syntax", None),
    (
        "highlight-photo-missing",
        V,
        "    photo: photos/piandai.jpg",
        "    photo: photos/pian-dai.jpg",
        "missing-photo",
        None,
    ),
    ("gallery-no-caption", V, "    caption: 10 月马铃薯采挖现场\n", "", "missing-key", "  - file: photos/caiwa.jpg"),
    ("project-village-typo", P, "village: wangjiazhuang", "village: wangjiazhaung", "unknown-village", None),
    ("project-village-chinese", P, "village: wangjiazhuang", "village: 王家庄村", "bad-value", None),
    ("project-theme", P, "theme: 产业发展", "theme: 产业振兴", "unknown-theme", None),
    ("project-year-fullwidth", P, "year: 2022", "year: ２０２２", "lookalike", None),
    ("project-month", P, "  - {month: 2022-02,", "  - {month: 2022-13,", "bad-value", None),
    (
        "project-phase-order",
        P,
        "    start: 2022-03-15\n    end: 2022-03-31",
        "    start: 2022-03-15\n    end: 2022-03-01",
        "date-order",
        "    end: 2022-03-01",
    ),
    ("project-percent", P, "籽种、农机到位。, percent: 20}", "籽种、农机到位。, percent: 120}", "bad-value", None),
    ("project-status", P, "status: 已验收", "status: 验收", "bad-value", None),
    ("project-report-date", P, "  - {date: 2022-04-30,", "  - {date: 2022-04-31,", "bad-date", None),
    (
        "project-unknown-key",
        P,
        "secretary: 王建国",
        "secretary: 王建国\nleader: 王建国",
        "unknown-key",
        "leader: 王建国",
    ),
    ("tour-stop-typo", T, "  - liushuwan\n", "  - liushuwna\n", "unknown-village", None),
    ("tour-stop-chinese", T, "  - liushuwan\n", "  - 柳树湾村\n", "bad-value", None),
    ("tour-depart-bad", T, 'depart: "08:00"', 'depart: "25:00"', "bad-value", None),
    (
        "tour-lunch-window",
        T,
        '  earliest: "11:40"\n  latest: "12:40"',
        '  earliest: "12:40"\n  latest: "11:40"',
        "tour-time",
        '  latest: "11:40"',
    ),
    (
        "tour-leg-unknown",
        T,
        "  - {from: start, to: wangjiazhuang,",
        "  - {from: start, to: wangjiazuang,",
        "tour-leg",
        None,
    ),
    ("tour-framework", T, "framework: shitiao", "framework: shitiaoo", "unknown-framework", None),
    ("tour-order", T, "order: optimise", "order: optimize", "bad-value", None),
    ("tour-judges-dun", T, "  judges: [张明, 李娟, 王志刚]", "  judges: [张明、李娟、王志刚]", "list-separator", None),
    (
        "scores-judge",
        S,
        "  - judge: 张明\n    stop: wangjiazhuang",
        "  - judge: 张鸣\n    stop: wangjiazhuang",
        "score-unknown-judge",
        "  - judge: 张鸣",
    ),
    (
        "scores-stop",
        S,
        "  - judge: 张明\n    stop: wangjiazhuang",
        "  - judge: 张明\n    stop: wangjiazhaung",
        "score-unknown-stop",
        "    stop: wangjiazhaung",
    ),
    (
        "scores-over",
        S,
        "    scores: {core: 9, secretary: 9, org-life: 9,",
        "    scores: {core: 19, secretary: 9, org-life: 9,",
        "score-range",
        "core: 19",
    ),
    (
        "scores-item",
        S,
        "    scores: {core: 9, secretary: 9, org-life: 9,",
        "    scores: {cor: 9, secretary: 9, org-life: 9,",
        "score-unknown-item",
        "cor: 9",
    ),
    ("scores-share", S, "share: 0.5", "share: 50%", "wrong-type", None),
    ("towns-fullwidth", W, "    administrative_villages: 18", "    administrative_villages: １８", "lookalike", None),
    (
        "towns-duplicate",
        W,
        "  - name: 白水乡",
        "  - name: 青山镇",
        "duplicate-name",
        "  - name: 青山镇\n    administrative_villages: 15",
    ),
    ("towns-seat-swapped", W, "lat: 35.5102, lng: 104.7215", "lat: 104.7215, lng: 35.5102", "coords-swapped", None),
    ("towns-zero", W, "    administrative_villages: 22", "    administrative_villages: 0", "bad-value", None),
    (
        "site-levels-dun",
        Y,
        "levels: [达标, 基本达标, 未达标]",
        "levels: [达标、基本达标、未达标]",
        "settings-list",
        None,
    ),
    (
        "site-functions-dup",
        Y,
        "functions: [两委班子坚强型,",
        "functions: [两委班子坚强型, 两委班子坚强型,",
        "settings-list",
        None,
    ),
    ("site-framework", Y, "frameworks: [shitiao, shige]", "frameworks: [shitiao, shigee]", "unknown-framework", None),
    ("site-share-percent", Y, "town_share_target: 0.10", "town_share_target: 10", "bad-value", None),
    (
        "site-belt-one",
        Y,
        "    villages: [wangjiazhuang, liushuwan]",
        "    villages: [wangjiazhuang]",
        "bad-value",
        None,
    ),
    (
        "site-levels-reversed",
        Y,
        "levels: [达标, 基本达标, 未达标]",
        "levels: [未达标, 基本达标, 达标]",
        "settings-list",
        None,
    ),
    ("prose-script", M, "近年来，", "<script>alert(1)</script>\n\n近年来，", "unsafe-html", None),
    ("prose-outside-image", M, "近年来，", "![航拍](https://example.com/a.jpg)\n\n近年来，", "outside-resource", None),
    ("prose-missing-photo", M, "近年来，", "![片带](photos/nothere.jpg)\n\n近年来，", "missing-photo", None),
    ("prose-link-village", M, "近年来，", "与[柳树湾村](../liushuwna/)结对共建。\n\n近年来，", "prose-link", None),
    ("prose-link-root", M, "近年来，", "见[地图](/map/)。\n\n近年来，", "prose-link", None),
    ("prose-link-anchor", M, "近年来，", "见[下文](#not-a-heading)。\n\n近年来，", "prose-link", None),
    ("prose-placeholder", M, "近年来，", "【待填写】\n\n近年来，", "placeholder", None),
    ("year-date-outside", H, "    date: 2024-06-18", "    date: 2023-06-18", "year-date", None),
    ("year-date-fullwidth", H, "    date: 2024-06-18", "    date: ２０２４-06-18", "lookalike", None),
    ("year-category-typo", H, "category: 先行示范", "category: 先行", "unknown-category", None),
    ("year-level-typo", H, "      core: {level: 达标,", "      core: {level: 优秀,", "unknown-level", None),
    ("year-item-typo", H, "      core: {level: 达标,", "      cor: {level: 达标,", "extra-item", None),
    (
        "year-item-missing",
        H,
        "      core: {level: 达标, score: 9, evidence: 重大事项均经支委会研究，落实“四议两公开”。}\n",
        "",
        "missing-item",
        "    items:",
    ),
    # 党建动态 (content/news/*.md: front matter lines are the file's lines)
    ("news-village-typo", N, "villages: [wangjiazhuang]", "villages: [wangjiazuang]", "unknown-village", None),
    ("news-photo-case", N, "photos: [photos/zhutidangri.jpg]", "photos: [photos/zhutidangri.JPG]", "news-photo", None),
    ("news-date-mismatch", N, "date: 2026-03-10", "date: 2026-03-01", "news-date", None),
    ("news-date-fullwidth-colon", N, "date: 2026-03-10", "date：2026-03-10", "fullwidth-punct", None),
    (
        "news-villages-comma",
        N2,
        "villages: [baishui, longwangmiao]",
        "villages: [baishui，longwangmiao]",
        "lookalike",
        None,
    ),
]


def _found(content: Path, cache: Path) -> list[tuple[str, str, int]]:
    _, diags = check(content, content.parent, Options(cache_dir=cache))
    return sorted((d.code, d.file, d.line) for d in diags)


@pytest.fixture(scope="module")
def baseline(tmp_path_factory):
    root = tmp_path_factory.mktemp("baseline")
    shutil.copytree(CONTENT, root / "content")
    return _found(root / "content", root / "cache")


def test_the_table_is_large_enough():
    assert len(MISTAKES) >= 60
    assert {rel for _, rel, *_ in MISTAKES} == {V, P, T, S, W, Y, M, H, N, N2}


@pytest.mark.parametrize(("cid", "rel", "old", "new", "code", "at"), MISTAKES, ids=[m[0] for m in MISTAKES])
def test_one_mistake_one_message(tmp_path, baseline, cid, rel, old, new, code, at):
    content = tmp_path / "content"
    shutil.copytree(CONTENT, content)
    path = content / rel
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{cid}: the sample no longer has {old!r}"
    text = text.replace(old, new, 1)
    path.write_text(text, encoding="utf-8")
    where = at if at is not None else new
    assert where and where in text
    line = text[: text.index(where)].count("\n") + 1
    after = _found(content, tmp_path / "cache")
    new_diags = [d for d in after if d not in baseline]
    assert new_diags == [(code, f"content/{rel}", line)], new_diags


def test_links_that_work_are_not_reported(sample_copy):
    """Another village, a project, the site's pages and a heading of the
    prose itself: all reachable, nothing said."""
    path = sample_copy / M
    text = path.read_text(encoding="utf-8")
    pid = next(p.stem for p in (sample_copy / "projects").glob("*.yml"))
    links = f"见[柳树湾村](../liushuwan/)、[项目](../../projects/{pid}/)、[对比](../../compare/)和[地图](../../map/)。"
    path.write_text(text + "\n\n## 发展历程\n\n" + links + "回到[发展历程](#s-fazhanlicheng)。\n", encoding="utf-8")
    _, diags = check(sample_copy, sample_copy.parent)
    assert [d for d in diags if d.code == "prose-link"] == []
