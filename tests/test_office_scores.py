"""Scoring workbooks: the template's structure, filled workbooks read as
content with the results equal to an independent computation (both rules,
and judge-group weights), .scores.yml ⇄ workbook without loss, and every
broken workbook named by its code and sheet!cell."""

from __future__ import annotations

import json
import random
import shutil
import textwrap
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from pathlib import Path

import pytest
from openpyxl import load_workbook

from builder.pipeline import run as _run
from testkit.frameworks import item_ids
from tests.conftest import run_cli


def check(content, root):
    """check, keeping the tours as the check planned them (tours_of)."""
    from testkit.pipeline import tours

    c, derived, d = _run(content, root)
    c._tours = tours(derived)
    return c, d


def tours_of(c):
    return c._tours


TOUR = "2025-q3-quanxian"
ITEMS = item_ids("shitiao")
STOPS = ["wangjiazhuang", "liushuwan", "baishui", "hongliu", "gaojiagou"]
BASE = """\
title: 测试观摩
date: 2025-09-18
start: {name: 县委大院, system: GCJ-02, lat: 35.5598, lng: 104.6521}
depart: "08:00"
return_by: "17:30"
dwell: 40
framework: shitiao
stops: [wangjiazhuang, liushuwan, baishui, hongliu, gaojiagou]
"""


def tour_file(content: Path, scoring: str) -> Path:
    p = content / "tours" / "t.yml"
    p.write_text(BASE + textwrap.dedent(scoring), encoding="utf-8")
    return p


def template(content: Path, tour: Path, out: Path, *extra: str) -> Path:
    r = run_cli("scores", "template", str(tour), "--out", str(out), "--content", str(content), *extra)
    assert r.returncode == 0, r.stderr
    return out


def errors(d, suffix=".scores.xlsx"):
    return [x for x in d if x.file.endswith(suffix) and x.is_error]


def half_up(x: Fraction) -> float:
    return float((Decimal(x.numerator) / Decimal(x.denominator)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP))


def expected(scores, judges, rule, groups=None):
    """Independent computation: exact fractions, rule applied per group."""
    out = {}
    for stop in STOPS:
        totals = {j: sum(Fraction(str(scores[(j, stop, i)])) for i in ITEMS) for j in judges}
        gs = groups or [("", Fraction(1), judges)]
        acc = Fraction(0)
        for _, w, members in gs:
            vals = sorted(totals[j] for j in members)
            if rule == "trimmed":
                vals = vals[1:-1]
            acc += Fraction(w) * sum(vals) / len(vals)
        out[stop] = half_up(acc)
    return out


def fill(path: Path, judges, seed: int) -> dict:
    """Random valid scores (0–10 in halves) into every yellow cell; returns them."""
    rnd = random.Random(seed)
    wb = load_workbook(path)
    scores = {}
    for j in judges:
        ws = wb[f"评委{j}"]
        slugs = {c: ws.cell(4, c).value for c in range(5, 5 + len(STOPS))}
        for r in range(5, 5 + len(ITEMS)):
            iid = ws.cell(r, 1).value
            for c, slug in slugs.items():
                x = rnd.choice([k / 2 for k in range(10, 21)]) if rnd.random() > 0.1 else rnd.randint(0, 10)
                ws.cell(r, c).value = x
                scores[(j, slug, iid)] = x
    wb.save(path)
    return scores


def test_template_structure(sample_copy, tmp_path):
    out = template(sample_copy, sample_copy / "tours" / f"{TOUR}.yml", tmp_path / "t.xlsx")
    wb = load_workbook(out)
    assert wb.sheetnames == ["说明", "评委张明", "评委李娟", "评委王志刚"]
    c, _ = check(sample_copy, sample_copy.parent)
    route = [r.slug for r in tours_of(c)[TOUR].plan.stops]
    ws = wb["评委张明"]
    assert [ws.cell(3, k).value for k in range(1, 5)] == ["编号", "指标", "测评内容", "分值"]
    assert [ws.cell(4, 5 + k).value for k in range(8)] == route  # stops in route order
    assert [ws.cell(5 + k, 1).value for k in range(10)] == ITEMS
    assert ws.cell(5, 3).value.startswith("村党组织领导") and ws.cell(5, 4).value == 10
    assert ws.cell(15, 1).value == "合计" and ws.cell(15, 5).value == "=SUM(E5:E14)"
    # only the score (and note) cells are unlocked; the sheet is protected
    assert ws.protection.sheet
    assert not ws.cell(5, 5).protection.locked and ws.cell(5, 4).protection.locked
    assert ws.cell(5, 2).protection.locked and ws.cell(15, 5).protection.locked
    [dv] = ws.data_validations.dataValidation
    assert (dv.type, dv.operator, dv.formula1, dv.formula2) == ("decimal", "between", "0", "10")
    assert "E5:L14" in str(dv.sqref) or {"E5", "L14"} <= set(str(dv.sqref).replace(":", " ").split())
    ps = ws.page_setup
    assert int(ps.paperSize) == 9 and ps.orientation == "landscape"  # 9 = A4
    assert ws.sheet_properties.pageSetUpPr.fitToPage and ps.fitToWidth == 1 and ps.fitToHeight == 1
    assert ws.print_title_rows == "$3:$4"


def test_single_sheet_layout_reads_back(sample_copy, tmp_path):
    tour = tour_file(sample_copy, "scoring: {judges: [甲, 乙, 丙], workbook: single}\n")
    out = template(sample_copy, tour, sample_copy / "tours" / "t.scores.xlsx")
    wb = load_workbook(out)
    assert wb.sheetnames == ["说明", "评分表"]
    ws = wb["评分表"]
    heads = [c.row for c in ws["A"] if c.value == "编号"]
    assert len(heads) == 3 and [ws.cell(h - 1, 2).value for h in heads] == ["甲", "乙", "丙"]
    for h in heads:
        for r in range(h + 2, h + 12):
            for col in range(5, 10):
                ws.cell(r, col).value = 8
    wb.save(out)
    c, d = check(sample_copy, sample_copy.parent)
    assert errors(d) == []
    res = tours_of(c)["t"].scores.results
    assert [v.total for v in res.villages] == [80.0] * 5


@pytest.mark.parametrize("rule", ["mean", "trimmed", "weights"])
def test_filled_workbook_round_trip(sample_copy, tmp_path, rule):
    judges = ["甲", "乙", "丙", "丁", "戊"] if rule == "weights" else ["甲", "乙", "丙", "丁"]
    groups = None
    if rule == "weights":
        scoring = (
            "scoring:\n  rule: trimmed\n  judges: [甲, 乙, 丙, 丁, 戊]\n  groups:\n"
            "    - {name: 县领导组, weight: 0.4, judges: [甲, 乙, 丙]}\n"
            "    - {name: 乡镇组, weight: 0.6, judges: [丁, 戊]}\n"
        )
        # trimmed needs 3 in every group: 乡镇组 has 2 → use mean for the weighted variant
        scoring = scoring.replace("rule: trimmed", "rule: mean")
        groups = [("县领导组", Fraction(2, 5), ["甲", "乙", "丙"]), ("乡镇组", Fraction(3, 5), ["丁", "戊"])]
    else:
        scoring = f"scoring: {{rule: {rule}, judges: [{', '.join(judges)}]}}\n"
    tour = tour_file(sample_copy, scoring)
    xlsx = template(sample_copy, tour, sample_copy / "tours" / "t.scores.xlsx")
    scores = fill(xlsx, judges, seed=len(rule))
    c, d = check(sample_copy, sample_copy.parent)
    assert errors(d) == [] and not [x for x in d if x.file.endswith("t.yml")]
    res = tours_of(c)["t"].scores.results
    want = expected(scores, judges, "trimmed" if rule == "trimmed" else "mean", groups)
    assert {v.slug: v.total for v in res.villages} == want
    assert [v.total for v in res.villages] == sorted(want.values(), reverse=True)
    # competition ranking on the two-decimal totals
    for v in res.villages:
        assert v.rank == 1 + sum(1 for x in want.values() if x > v.total)
    if rule == "trimmed":
        for v in res.villages:
            kinds = sorted(why for _, _, why in v.discarded)
            assert kinds == ["最低", "最高"]
            dropped = [x for _, x, _ in v.discarded]
            assert max(dropped) == max(v.judge_totals.values()) and min(dropped) == min(v.judge_totals.values())


def test_trimmed_needs_three_judges(sample_copy, tmp_path):
    tour = tour_file(sample_copy, "scoring: {rule: trimmed, judges: [甲, 乙]}\n")
    template(sample_copy, tour, sample_copy / "tours" / "t.scores.xlsx")
    _, d = check(sample_copy, sample_copy.parent)
    [x] = [x for x in d if x.code == "score-rule"]
    assert x.is_error and x.file.endswith("tours/t.yml") and "至少要 3 位评委" in x.message
    assert "rule: mean" in x.hint
    assert x.line == 9  # the scoring line of t.yml


def test_scores_yml_to_workbook_and_back_is_identical(sample_copy, tmp_path):
    tour = sample_copy / "tours" / f"{TOUR}.yml"
    orig_path = sample_copy / "tours" / f"{TOUR}.scores.yml"
    r = run_cli("scores", "export", str(tour), "--out", str(tmp_path / "e.xlsx"), "--content", str(sample_copy))
    assert r.returncode == 0, r.stderr
    r = run_cli(
        "scores",
        "import",
        str(tmp_path / "e.xlsx"),
        "--out",
        str(tmp_path / "back.scores.yml"),
        "--content",
        str(sample_copy),
    )
    assert r.returncode == 0, r.stderr
    import yaml

    orig = yaml.safe_load(orig_path.read_text(encoding="utf-8"))
    back = yaml.safe_load((tmp_path / "back.scores.yml").read_text(encoding="utf-8"))
    assert back == orig  # every judge, score, order and setting
    # and a second round trip gives the same bytes
    shutil.copy(tmp_path / "back.scores.yml", orig_path)
    run_cli("scores", "export", str(tour), "--out", str(tmp_path / "e2.xlsx"), "--content", str(sample_copy))
    run_cli(
        "scores",
        "import",
        str(tmp_path / "e2.xlsx"),
        "--out",
        str(tmp_path / "back2.scores.yml"),
        "--content",
        str(sample_copy),
    )
    assert (tmp_path / "back2.scores.yml").read_bytes() == (tmp_path / "back.scores.yml").read_bytes()
    # the workbook, as content instead of the .yml, gives the same results
    c1, _ = check(sample_copy, sample_copy.parent)
    want = [(v.slug, v.total, v.rank) for v in tours_of(c1)[TOUR].scores.results.villages]
    orig_path.unlink()
    shutil.copy(tmp_path / "e.xlsx", sample_copy / "tours" / f"{TOUR}.scores.xlsx")
    c2, d2 = check(sample_copy, sample_copy.parent)
    assert errors(d2) == []
    assert [(v.slug, v.total, v.rank) for v in tours_of(c2)[TOUR].scores.results.villages] == want


# -- broken workbooks ---------------------------------------------------------------------------


def _set(ws_name, cell, value):
    def f(wb):
        wb[ws_name][cell].value = value

    return f


def _rename(wb):
    wb["评委张明"].title = "张明打分"


def _delete(wb):
    del wb["评委李娟"]


BROKEN = [
    ("above-max", _set("评委张明", "F7", 12), "score-range", "评委张明!F7", "0 到 10"),
    ("text-fen", _set("评委张明", "E5", "9分"), "score-not-number", "评委张明!E5", "改成 9"),
    ("full-width", _set("评委李娟", "G9", "９.５"), "score-not-number", "评委李娟!G9", "改成 9.5"),
    ("chinese-number", _set("评委王志刚", "E6", "九"), "score-not-number", "评委王志刚!E6", "0 到 10"),
    ("renamed-sheet", _rename, "score-sheet-missing", "评委张明", "张明打分"),
    ("deleted-sheet", _delete, "score-sheet-missing", "评委李娟", "评委名单"),
    ("foreign-stop", _set("评委张明", "F4", "dongpo"), "score-unknown-stop", "评委张明!F4", "观摩点有"),
    ("blank-cell", _set("评委李娟", "H10", None), "score-blank", "评委李娟!H10", "补上分数"),
    ("negative", _set("评委王志刚", "I14", -1), "score-range", "评委王志刚!I14", "0 到 10"),
]


@pytest.fixture(scope="module")
def filled_workbook(tmp_path_factory):
    from tests.conftest import CONTENT

    content = tmp_path_factory.mktemp("wb") / "content"
    shutil.copytree(CONTENT, content)
    tour = tour_file(content, "scoring: {judges: [张明, 李娟, 王志刚]}\n")
    out = template(content, tour, content.parent / "filled.xlsx")
    fill(out, ["张明", "李娟", "王志刚"], seed=7)
    return out


@pytest.mark.parametrize(("name", "mutate", "code", "where", "hint"), BROKEN, ids=[b[0] for b in BROKEN])
def test_broken_workbook(sample_copy, filled_workbook, name, mutate, code, where, hint):
    tour_file(sample_copy, "scoring: {judges: [张明, 李娟, 王志刚]}\n")
    wb = load_workbook(filled_workbook)
    mutate(wb)
    dst = sample_copy / "tours" / "t.scores.xlsx"
    wb.save(dst)
    _, d = check(sample_copy, sample_copy.parent)
    found = [x for x in d if x.file.endswith("tours/t.scores.xlsx") and x.code == code]
    assert found, [x.format_text() for x in d if "tours/t." in x.file]
    x = found[0]
    assert where in x.message and hint in (x.message + x.hint)
    assert x.is_error == (code != "score-blank")
    # one diagnostic per mistake: nothing else is an error
    others = [y for y in d if y.file.endswith("tours/t.scores.xlsx") and y.is_error and y is not x and y.code != code]
    assert others == []
    r = run_cli("check", "--content", str(sample_copy))
    assert r.returncode == (1 if x.is_error else 0) and "Traceback" not in r.stderr


def test_blank_cell_counts_as_zero(sample_copy, filled_workbook):
    tour_file(sample_copy, "scoring: {judges: [张明, 李娟, 王志刚]}\n")
    wb = load_workbook(filled_workbook)
    ws = wb["评委李娟"]
    slug, item = ws["E4"].value, ws["A5"].value
    before = {j: sum(wb[f"评委{j}"].cell(r, 5).value for r in range(5, 15)) for j in ["张明", "李娟", "王志刚"]}
    ws["E5"].value = None
    wb.save(sample_copy / "tours" / "t.scores.xlsx")
    c, _ = check(sample_copy, sample_copy.parent)
    v = next(v for v in tours_of(c)["t"].scores.results.villages if v.slug == slug)
    assert item == "core"
    assert v.judge_totals["李娟"] == pytest.approx(
        before["李娟"] - load_workbook(filled_workbook)["评委李娟"]["E5"].value
    )


def test_both_files_and_unreadable_workbook(sample_copy):
    (sample_copy / "tours" / f"{TOUR}.scores.xlsx").write_bytes(b"not a zip")
    _, d = check(sample_copy, sample_copy.parent)
    [x] = [x for x in d if x.code == "scores-both"]
    assert x.is_error and "只保留一个" in x.hint
    (sample_copy / "tours" / f"{TOUR}.scores.yml").unlink()
    _, d = check(sample_copy, sample_copy.parent)
    [x] = [x for x in d if x.code == "workbook-unreadable"]
    assert x.file.endswith(f"{TOUR}.scores.xlsx") and "另存为" in x.hint


# -- results shown -----------------------------------------------------------------------------


def test_tour_json_prints_ranking():
    r = run_cli("tour", f"content/tours/{TOUR}.yml", "--format", "json")
    assert r.returncode == 0, r.stderr
    data = json.loads(r.stdout)
    res = data["results"]
    assert res["rule"] == "trimmed" and "去掉一个最高分和一个最低分" in res["rule_text"]
    ranks = res["ranking"]
    assert len(ranks) == 8 and ranks[0]["rank"] == 1
    for v in ranks:
        assert len(v["total"].split(".")[1]) == 2 and len(v["discarded"]) == 2
        kept = [float(x) for j, x in v["judge_totals"].items() if j not in {d["judge"] for d in v["discarded"]}]
        assert float(v["total"]) == half_up(Fraction(str(kept[0])))


def test_results_page_states_rule_and_discarded(tmp_path):
    from selectolax.lexbor import LexborHTMLParser as HTMLParser

    from builder.tours.pages import produce_tours
    from tests.conftest import CONTENT

    dst = tmp_path / "content"
    shutil.copytree(CONTENT, dst)
    from testkit.pipeline import built, context

    c, derived, d = built(dst, tmp_path)
    files = {f.path: f.content for f in produce_tours(context(c, d, derived))}
    html = HTMLParser(files[f"tours/{TOUR}/results.md"])
    rule = html.css_first("p.tour-rule").text()
    assert "去掉一个最高分和一个最低分" in rule and "两位小数" in rule and "并列" in rule
    rows = html.css("table.tour-ranking tbody tr")
    assert len(rows) == 8
    for tr in rows:
        assert len(tr.css("s")) == 2  # the two discarded judge totals, struck through
        assert tr.css("td")[-2].text(strip=True).count(".") == 1
        assert len(tr.css("td")[-2].text(strip=True).split(".")[1]) == 2
    links = {a.attributes["href"] for a in html.css("p.tour-downloads a")}
    assert any(x.endswith("results.docx") for x in links) and any(x.endswith("results.xlsx") for x in links)
    sheet = HTMLParser(files[f"tours/{TOUR}/scoresheet.md"])
    assert any(a.attributes["href"] == "../scores.xlsx" for a in sheet.css("a[download]"))  # tours/<id>/scores.xlsx
