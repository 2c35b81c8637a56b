"""The annual ranking (builder/ranking) against an independent computation
from the sample's raw files, its CSV, its page and print version, the
site.yml rule diagnostics; and the 观摩记录 (tours) on village pages."""

from __future__ import annotations

import csv
import io
import json
import math
import shutil
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from pathlib import Path

import pytest
import yaml
from selectolax.lexbor import LexborHTMLParser as HTMLParser

from builder.kernel.build import BuildContext
from builder.pipeline import check, run
from builder.ranking.compute import rank_year, ranking_years, rule_lines
from builder.ranking.pages import produce_ranking
from tests.conftest import CONTENT

TOUR = "2025-q3-quanxian"


# -- the independent computation ---------------------------------------------------------


def _r2(x: Fraction) -> Decimal:
    return (Decimal(x.numerator) / Decimal(x.denominator)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def independent(content: Path, year: int, fws=("shitiao", "shige"), weights=None, tours_w=1, share=0.5, zero=False):
    """[(slug, name, town, score, county rank, town rank, recommended)] from the
    raw YAML: each framework's score rate = Σ scores ÷ Σ maxima (the year's
    assessments: ``assessments/<year>.yml``, else village.yml's dated in it);
    tour rate = the judges' totals with the highest and the lowest dropped
    (the tour's rule: trimmed), averaged, ÷ 100; the composite = weighted mean
    of the rates the village has (or 0 for the
    missing ones); 1224 ranks; the top floor(n × share) (ties at the cut too)."""
    weights = weights or dict.fromkeys(fws, 1)
    maxima = {}
    for f in fws:
        doc = yaml.safe_load((Path("builder/frameworks/defaults") / f"{f}.yml").read_text(encoding="utf-8"))
        maxima[f] = sum(Fraction(str(i["max_score"])) for i in doc["items"])
    tour_rates: dict[str, list[Fraction]] = {}
    for tf in sorted((content / "tours").glob("*.scores.yml")):
        tour = yaml.safe_load(tf.with_name(tf.name.replace(".scores", "")).read_text(encoding="utf-8"))
        if str(tour["date"])[:4] != str(year):
            continue
        sheets = yaml.safe_load(tf.read_text(encoding="utf-8"))["sheets"]
        by: dict[str, list[Fraction]] = {}
        for s in sheets:
            by.setdefault(s["stop"], []).append(sum(Fraction(str(x)) for x in s["scores"].values()))
        for slug, totals in by.items():
            totals = sorted(totals)[1:-1] if len(totals) >= 3 else totals
            tour_rates.setdefault(slug, []).append(_r2_frac(sum(totals) / len(totals)))
    rows = []
    for vdir in sorted((content / "villages").iterdir()):
        v = yaml.safe_load((vdir / "village.yml").read_text(encoding="utf-8"))
        rates: dict[str, Fraction | None] = {}
        yearly = vdir / "assessments" / f"{year}.yml"
        blocks = (
            yaml.safe_load(yearly.read_text(encoding="utf-8"))["assessments"]
            if yearly.is_file()
            else {f: a for f, a in (v.get("assessments") or {}).items() if str(a["date"])[:4] == str(year)}
        )
        for f in fws:
            a = blocks.get(f)
            rates[f] = (
                Fraction(1000) * sum(Fraction(str(i["score"])) for i in a["items"].values()) / maxima[f] / 10
                if a
                else None
            )
        ts = tour_rates.get(vdir.name)
        if tours_w:
            rates["tours"] = sum(ts) / len(ts) if ts else None
        w = {**weights, "tours": tours_w}
        have = {k: r for k, r in rates.items() if r is not None}
        if not have:
            continue
        used = rates if zero else have
        score = sum(Fraction(w[k]) * (r or 0) for k, r in used.items()) / sum(Fraction(w[k]) for k in used)
        rows.append([vdir.name, v["name"], v["town"], _r2(score)])
    rows.sort(key=lambda r: -r[3])
    for _i, r in enumerate(rows):
        r.append(1 + sum(1 for o in rows if o[3] > r[3]))
        r.append(1 + sum(1 for o in rows if o[2] == r[2] and o[3] > r[3]))
    n = max(1, math.floor(len(rows) * share + 1e-9))
    cut = rows[n - 1][3]
    for r in rows:
        r.append(r[3] >= cut)
    return {r[0]: tuple(r[1:]) for r in rows}


def _r2_frac(x: Fraction) -> Fraction:
    d = _r2(x)
    return Fraction(str(d))


def computed(content: Path, year: int):
    c, derived, diags = run(content, content.parent)
    assert not diags.has_errors, diags.format("text")
    r = rank_year(c, derived, year)
    return r, {v.slug: (v.name, v.town, v.score, v.rank, v.town_rank, v.recommended) for v in r.ranked}


@pytest.fixture
def content(tmp_path: Path) -> Path:
    dst = tmp_path / "content"
    shutil.copytree(CONTENT, dst)
    return dst


def set_rule(content: Path, rule: str) -> int:
    """Append a ranking: block to site.yml; returns the line of 'ranking:'."""
    p = content / "site.yml"
    text = p.read_text(encoding="utf-8").rstrip("\n") + "\n"
    p.write_text(text + rule, encoding="utf-8")
    return text.count("\n") + 1


# -- the ranking --------------------------------------------------------------------------


def test_sample_ranking_matches_an_independent_computation():
    c, derived, _ = run(CONTENT, CONTENT.parent)
    years = ranking_years(c, derived)
    on_file = {int(p.stem) for p in (CONTENT / "villages").glob("*/assessments/*.yml")}
    assert years == sorted(on_file | {2024, 2025, 2026}, reverse=True) and min(on_file) == 2022
    for year in years:
        _, got = computed(CONTENT, year)
        assert got == independent(CONTENT, year), year


def test_sample_has_a_tie_and_a_tie_at_the_cut_recommends_both(content: Path):
    r, got = computed(CONTENT, 2025)
    assert len(r.ranked) == 10 and r.count == 5
    assert got["baishui"][2] == got["wangjiazhuang"][2] == Decimal("87.00")
    assert got["baishui"][3] == got["wangjiazhuang"][3] == 6
    assert got["longwangmiao"][3] == 8  # 1224: after two 6th places comes the 8th
    recommended = ["liushuwan", "hongliu", "nanshan", "majiazhuang", "shangzhuang"]
    assert [v.slug for v in r.recommended] == recommended  # the tie is just below the cut
    # town ranks: 青山镇 liushuwan 1, shangzhuang 2, wangjiazhuang 3, gaojiagou 4
    assert [got[s][4] for s in ("liushuwan", "shangzhuang", "wangjiazhuang", "gaojiagou")] == [1, 2, 3, 4]
    # villages without any 2025 data are listed, not ranked
    assert {s for s, _, _ in r.unranked} == {"xiaohewan", "dongpo", "xiwan"}
    # with the top 60 % the cut falls on the tie: both tied villages are recommended
    set_rule(content, "ranking:\n  share: 0.6\n")
    r, got = computed(content, 2025)
    assert r.count == 6 and [v.slug for v in r.recommended] == [*recommended, "baishui", "wangjiazhuang"]
    assert got == independent(content, 2025, share=0.6)


def test_share_weights_and_missing_rule_from_site_yml(content: Path):
    set_rule(content, "ranking:\n  frameworks: {shitiao: 2, shige: 1}\n  tours: 0.5\n  share: 0.3\n  missing: zero\n")
    r, got = computed(content, 2025)
    want = independent(content, 2025, weights={"shitiao": 2, "shige": 1}, tours_w=Fraction(1, 2), share=0.3, zero=True)
    assert got == want
    assert r.count == 3 and len(r.recommended) == 3


def test_a_framework_left_out_and_tours_not_counted(content: Path):
    set_rule(content, "ranking:\n  frameworks: {shige: 1}\n  tours: 0\n")
    c, derived, _ = run(content, content.parent)
    assert ranking_years(c, derived) == [2026, 2025, 2024, 2023, 2022]
    _, got = computed(content, 2025)
    assert got == independent(content, 2025, fws=("shige",), tours_w=0)
    assert "baishui" not in got  # its only 2025 data was a tour
    lines = rule_lines(c)
    assert "十个好自评得分率" in lines[0] and "观摩" not in lines[0] and "十条标准" not in lines[0]


# -- pages and CSV -----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def files():
    c, derived, diags = run(CONTENT, CONTENT.parent)
    return {f.path: f.content for f in produce_ranking(BuildContext(c, diags, derived))}


def body(md: str) -> HTMLParser:
    end = md.index("\n---\n", 4)
    json.loads(md[4:end])
    return HTMLParser(md[end + 5 :])


def test_ranking_pages_exist_per_year_with_print_and_csv(files):
    for y in (2024, 2025, 2026):
        assert {
            f"ranking/{y}.md",
            f"ranking/{y}/print.md",
            f"ranking/{y}/ranking-{y}.csv",
            f"ranking/{y}/ranking-{y}.xlsx",
        } <= set(files)
    assert "ranking/index.md" in files
    # the index is the latest year, with links to the others
    idx = body(files["ranking/index.md"])
    assert idx.css_first("h1").text() == "示例县2026年度党建示范村综合排名"
    assert [a.attributes["href"] for a in idx.css(".vp-rk-years a")] == ["2025/", "2024/", "2023/", "2022/"]


def test_page_states_the_rule_and_marks_recommended(files):
    html = body(files["ranking/2025.md"])
    c, _, _ = run(CONTENT, CONTENT.parent)
    shown = [li.text() for li in html.css(".vp-rk-rule li")]
    assert shown == rule_lines(c)
    text = " ".join(shown)
    assert "1、2、2、4" in text and "前二分之一" in text and "一并列为拟推荐" in text and "按其权重折算" in text
    rows = html.css("table.vp-rk-table tbody tr")
    cells = [[x.text(strip=True) for x in r.css("td, th")] for r in rows]
    assert [r[0] for r in cells] == ["1", "2", "3", "4", "5", "6", "6", "8", "9", "10"]
    recommended = ["柳树湾村", "红柳村", "南山村", "马家庄村", "上庄村"]
    assert [r[1] for r in cells if r[-1] == "拟推荐"] == recommended
    assert all("vp-rk-rec" in (r.attributes.get("class") or "") for r in rows[:5])
    assert not any("vp-rk-rec" in (r.attributes.get("class") or "") for r in rows[5:])
    assert cells[5][-2] == cells[6][-2] == "87.00"
    # the village links and the tour that counted
    assert rows[0].css_first("th a").attributes["href"] == "../../villages/liushuwan/"
    assert any(a.attributes["href"] == f"../../tours/{TOUR}/results/" for a in html.css("a"))
    # each town's order
    towns = {h.text(): [li.text(strip=True) for li in h.parent.css("li")] for h in html.css(".vp-rk-town h3")}
    assert list(towns) == ["青山镇", "白水乡", "红柳镇"]
    assert towns["青山镇"][2].startswith("第 3 名王家庄村") and "拟推荐" not in towns["青山镇"][2]
    assert towns["青山镇"][0].startswith("第 1 名柳树湾村") and "拟推荐" in towns["青山镇"][0]
    assert "小河湾村" in html.css_first(".vp-rk-unranked").text()
    # links to the print version and the CSV
    hrefs = [a.attributes["href"] for a in html.css(".vp-rk-actions a")]
    assert hrefs == ["print/", "ranking-2025.xlsx", "ranking-2025.csv"]


def test_print_version(files):
    html = body(files["ranking/2025/print.md"])
    assert "vp-rk-print" in html.css_first(".vp-rk").attributes["class"]
    assert len(html.css("table.vp-rk-table tbody tr")) == 10
    assert html.css_first("table.vp-rk-table a") is None  # plain names on paper
    assert html.css_first(".vp-rk-rule li") is not None and html.css_first(".vp-rk-sign") is not None
    meta = json.loads(files["ranking/2025/print.md"].split("\n---\n")[0][4:])
    assert meta["search"] == {"exclude": True}


def test_csv_content(files):
    raw = files["ranking/2025/ranking-2025.csv"]
    assert isinstance(raw, bytes) and raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
    assert rows[0] == [
        "全县名次",
        "村",
        "乡镇",
        "乡镇内名次",
        "十条标准得分率（%）",
        "十个好得分率（%）",
        "观摩评分得分率（%）",
        "综合得分",
        "拟推荐",
    ]
    want = independent(CONTENT, 2025)
    ranked = [r for r in rows[1:] if len(r) > 1 and r[0]]
    assert len(ranked) == 10
    names = {v[0]: slug for slug, v in want.items()}
    for r in ranked:
        _name, town, score, rank, town_rank, rec = want[names[r[1]]]
        assert (r[0], r[2], r[3], r[7], r[8]) == (str(rank), town, str(town_rank), str(score), "拟推荐" if rec else "")
    assert next(r for r in rows if len(r) > 1 and r[1] == "小河湾村")[:3] == ["", "小河湾村", "白水乡"]
    c, _, _ = run(CONTENT, CONTENT.parent)
    assert [r[0] for r in rows if len(r) == 1] == rule_lines(c)


# -- site.yml diagnostics ----------------------------------------------------------------------


def diags_of(content: Path):
    _, diags = check(content, content.parent)
    return diags


def one(diags, code: str):
    found = [d for d in diags if d.code == code]
    assert len(found) == 1, diags.format("text")
    return found[0]


def test_unknown_framework_is_located(content: Path):
    at = set_rule(content, "ranking:\n  frameworks:\n    shitiao: 1\n    shigehao: 1\n")
    d = one(diags_of(content), "ranking-rule")
    assert (d.file, d.line) == ("content/site.yml", at + 3)
    assert "shigehao" in d.message and "shige" in d.hint
    assert not diags_of(content).has_errors or [x.code for x in diags_of(content).errors] == ["ranking-rule"]


def test_fullwidth_digit_weight_is_located(content: Path):
    at = set_rule(content, "ranking:\n  frameworks: {shitiao: 1, shige: １}\n")
    diags = diags_of(content)
    errs = list(diags.errors)
    assert [(d.code, d.file, d.line) for d in errs] == [("lookalike", "content/site.yml", at + 1)], diags.format("text")
    assert "1" in errs[0].hint


def test_weight_not_a_number_is_located(content: Path):
    at = set_rule(content, "ranking:\n  tours: 一\n")
    errs = list(diags_of(content).errors)
    assert [(d.code, d.line) for d in errs] == [("wrong-type", at + 1)], [d.message for d in errs]


@pytest.mark.parametrize("share", ["0", "1.5", "-0.5"])
def test_share_outside_0_1_is_located(content: Path, share: str):
    at = set_rule(content, f"ranking:\n  share: {share}\n")
    errs = list(diags_of(content).errors)
    assert [(d.file, d.line) for d in errs] == [("content/site.yml", at + 1)], [d.message for d in errs]
    assert "份额" in errs[0].message or "比例" in errs[0].message or "share" in errs[0].message


def test_all_weights_zero_is_an_error(content: Path):
    at = set_rule(content, "ranking:\n  frameworks: {shitiao: 0, shige: 0}\n  tours: 0\n")
    d = one(diags_of(content), "ranking-rule")
    assert d.line == at


def test_share_one_is_valid_and_recommends_all(content: Path):
    set_rule(content, "ranking:\n  share: 1\n")
    assert not diags_of(content).has_errors
    r, _ = computed(content, 2025)
    assert len(r.recommended) == len(r.ranked) == 10


# -- tours on the village page --------------------------------------------------------------------


@pytest.fixture(scope="module")
def village_pages(tmp_path_factory):
    from testkit.pipeline import generated

    dst = tmp_path_factory.mktemp("c") / "content"
    shutil.copytree(CONTENT, dst)
    _, files, _, _ = generated(dst, cache_dir=tmp_path_factory.mktemp("cache"))
    return {p: f.content for p, f in files.items() if p.startswith("villages/") and p.endswith(".md")}


def tours_list(md: str):
    html = HTMLParser(md)
    sec = html.css_first(".vp-vtours section")
    return sec, (list(sec.css("li")) if sec else [])


def test_village_page_lists_its_tours_newest_first(village_pages):
    sec, items = tours_list(village_pages["villages/baishui.md"])
    assert sec.css_first("h2").text() == "观摩记录"
    texts = [li.text() for li in items]
    assert len(texts) == 2
    assert texts[0].startswith("2025-10-15") and "白水乡2025年10月" in texts[0] and "未评分" in texts[0]
    assert texts[1].startswith("2025-09-18") and "第 3 名（共 8 个村），得分 87.00（满分 100）" in texts[1]
    links = [a.attributes["href"] for a in items[1].css("a")]
    assert links == [f"../../tours/{TOUR}/", f"../../tours/{TOUR}/results/"]


def test_village_tours_rank_and_score_match_the_results(village_pages):
    _c, derived, _ = run(CONTENT, CONTENT.parent)
    from builder.tours.feature import ToursPart

    res = derived.get(ToursPart).tours[TOUR].scores.results
    for v in res.villages:
        _, items = tours_list(village_pages[f"villages/{v.slug}.md"])
        scored = [li.text() for li in items if "评分结果" in li.text()]
        assert scored == [scored[0]] and f"第 {v.rank} 名" in scored[0] and f"得分 {v.total:.2f}" in scored[0]


def test_village_without_tours_has_no_section(village_pages):
    # 西湾村 and 东坡村 were on no tour
    for slug in ("xiwan", "dongpo"):
        sec, _ = tours_list(village_pages[f"villages/{slug}.md"])
        assert sec is None
        assert "观摩记录" not in village_pages[f"villages/{slug}.md"]


def test_negative_weight_is_located(content: Path):
    at = set_rule(content, "ranking:\n  frameworks:\n    shitiao: -1\n    shige: 1\n")
    errs = list(diags_of(content).errors)
    assert [(d.file, d.line) for d in errs] == [("content/site.yml", at + 2)], [d.message for d in errs]


def test_only_the_named_tours_count(content: Path):
    # the only scored tour left out: 2025 ranks on the self-assessments alone
    set_rule(content, "ranking:\n  only_tours: [2025-baishui-xiang]\n")
    assert not diags_of(content).has_errors
    _, got = computed(content, 2025)
    assert got == independent(content, 2025, tours_w=0)
    assert "baishui" not in got
    c, _, _ = run(content, content.parent)
    assert "只计入“白水乡2025年10月“月观摩、互促进”现场观摩”" in rule_lines(c)[0]


def test_unknown_tour_in_only_tours_is_located(content: Path):
    at = set_rule(content, "ranking:\n  only_tours:\n    - 2025-q3-quanxian\n    - 2025-q3-quanxain\n")
    d = one(diags_of(content), "ranking-rule")
    assert (d.file, d.line) == ("content/site.yml", at + 3)
    assert "2025-q3-quanxian" in d.hint


def test_no_data_gives_one_page_that_says_so(content: Path):
    set_rule(content, "ranking:\n  frameworks: {}\n  only_tours: []\n")
    c, derived, diags = run(content, content.parent)
    assert not diags.has_errors
    out = {f.path: f.content for f in produce_ranking(BuildContext(c, diags, derived))}
    assert list(out) == ["ranking/index.md"]  # no year: no table files either
    html = body(out["ranking/index.md"])
    assert "还没有可以排名的数据" in html.text() and html.css(".vp-page li")


def test_xlsx_holds_the_same_table_as_the_csv(files):
    from openpyxl import load_workbook

    wb = load_workbook(io.BytesIO(files["ranking/2025/ranking-2025.xlsx"]))
    ws = wb.active
    rows = [["" if x is None else x for x in r] for r in ws.iter_rows(values_only=True)]
    assert rows[0][0] == "示例县2025年度党建示范村综合排名"
    table = list(csv.reader(io.StringIO(files["ranking/2025/ranking-2025.csv"].decode("utf-8-sig"))))
    assert [str(x) for x in rows[1]] == table[0]
    for got, want in zip(rows[2:12], table[1:11], strict=True):
        assert (got[0], got[1], got[2], got[3], f"{got[7]:.2f}", got[8]) == (
            int(want[0]),
            want[1],
            want[2],
            int(want[3]),
            want[7],
            want[8],
        )
    assert str(ws.page_setup.paperSize) == ws.PAPERSIZE_A4
