"""Issue 16, years not a snapshot: each village's yearly assessments
(content/villages/<slug>/assessments/<year>.yml), their rules, the 历年自评
section of the village page and the comparison per year."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml
from selectolax.lexbor import LexborHTMLParser as HTMLParser

from builder.frameworks.derive import Evaluations
from builder.kernel.build import Options
from builder.pipeline import check
from builder.years.history import AssessmentHistory
from testkit.pipeline import generated
from tests.conftest import CONTENT

HONGLIU = "villages/hongliu"
Y2024 = f"{HONGLIU}/assessments/2024.yml"


def run(content: Path):
    return check(content, content.parent, Options(cache_dir=content.parent / "cache"))


def diags_of(content: Path, code: str) -> list[tuple[str, int, str]]:
    _, diags = run(content)
    return [(d.file, d.line, d.severity.value) for d in diags if d.code == code]


def line_of(path: Path, needle: str) -> int:
    text = path.read_text(encoding="utf-8")
    return text[: text.index(needle)].count("\n") + 1


def edit(content: Path, rel: str, old: str, new: str) -> int:
    p = content / rel
    text = p.read_text(encoding="utf-8")
    assert old in text, old
    p.write_text(text.replace(old, new, 1), encoding="utf-8")
    return line_of(p, new) if new else 0


def new_diags(content: Path, baseline: set) -> list[tuple[str, str, int, str]]:
    _, diags = run(content)
    return sorted({(d.code, d.file, d.line, d.severity.value) for d in diags} - baseline)


@pytest.fixture(scope="module")
def baseline(tmp_path_factory) -> set:
    root = tmp_path_factory.mktemp("years-baseline")
    shutil.copytree(CONTENT, root / "content")
    _, diags = run(root / "content")
    return {(d.code, d.file, d.line, d.severity.value) for d in diags}


# --- independent expectations from the YAML itself ---------------------------------------


def _raw_years(slug: str) -> dict[int, dict]:
    """year → the assessments block, read with plain PyYAML (not the builder's loader)."""
    d = CONTENT / "villages" / slug
    out = {}
    own = yaml.safe_load((d / "village.yml").read_text(encoding="utf-8"))["assessments"]
    out[max(a["date"] for a in own.values()).year] = own
    for f in (d / "assessments").glob("*.yml"):
        out[int(f.stem)] = yaml.safe_load(f.read_text(encoding="utf-8"))["assessments"]
    return dict(sorted(out.items()))


def _rate(block: dict) -> float:
    """Score rate of a framework whose every item has a score (both sample frameworks): total ÷ 10 per item."""
    scores = [i["score"] for i in block["items"].values()]
    return round(100 * sum(scores) / (10 * len(scores)), 1)


def _changed(before: dict, after: dict) -> tuple[set, set]:
    up, down = set(), set()
    for fid, a in after.items():
        for iid, ia in a["items"].items():
            old = before[fid]["items"][iid]["score"]
            if ia["score"] > old:
                up.add((fid, iid))
            elif ia["score"] < old:
                down.add((fid, iid))
    return up, down


# --- the sample: five villages with three years ---------------------------------------------


def test_sample_has_three_years_for_five_villages_and_a_category_for_every_village():
    content, diags = run_sample()
    hist = diags_derived_history(content)
    three = [s for s, recs in hist.by_village.items() if len(recs) >= 3]
    assert len(three) >= 5, three
    assert all(v.model.category in content.settings.categories for v in content.villages.values())
    for slug in three:
        assert all(r.category in content.settings.categories for r in hist.records(slug)), slug
    # some improve, one falls (majiazhuang: its 复核 is the sample's warning)
    rising = [s for s in three if hist.records(s)[-1].eval.average_percent > hist.records(s)[-2].eval.average_percent]
    assert len(rising) >= 3 and "majiazhuang" not in rising, rising
    assert not diags.has_errors


def run_sample():
    import tempfile

    tmp = Path(tempfile.mkdtemp())
    shutil.copytree(CONTENT, tmp / "content")
    return run(tmp / "content")


def diags_derived_history(content) -> AssessmentHistory:
    from builder.years.history import build_history

    return build_history(content)


def test_the_newest_year_is_the_current_one(sample_copy):
    """majiazhuang's village.yml is 2024; assessments/2026.yml is newer: every
    single value (Evaluations: compare pages, cards, profiles) is 2026's."""
    from builder.pipeline import run as run_pipeline

    _, derived, _ = run_pipeline(sample_copy, sample_copy.parent, Options())
    ev = derived.get(Evaluations).by_village["majiazhuang"]
    assert {r.date.year for r in ev.results.values()} == {2026}
    assert not ev.meets_all
    hist = derived.get(AssessmentHistory)
    assert hist.latest("majiazhuang") is not None and hist.latest("majiazhuang").average_percent == ev.average_percent
    assert [r.year for r in hist.records("majiazhuang")] == [2024, 2025, 2026]
    assert set(hist.for_year(2024)) >= {"majiazhuang", "hongliu", "liushuwan", "nanshan", "baishui"}
    assert hist.years[0] == 2022 and hist.years[-1] == 2026


# --- the page: all three years, the trend, improved and fallen items ------------------------


@pytest.fixture(scope="module")
def pages(tmp_path_factory):
    root = tmp_path_factory.mktemp("years-site")
    shutil.copytree(CONTENT, root / "content")
    _, files, diags, _ = generated(root / "content", cache_dir=root / "cache")
    assert not diags.has_errors
    return files


def _page(pages, src: str) -> HTMLParser:
    return HTMLParser(pages[src].content if isinstance(pages[src].content, str) else pages[src].content.decode())


@pytest.mark.parametrize("slug", ["hongliu", "majiazhuang"])
def test_village_page_shows_every_year_the_trend_and_the_changes(pages, slug):
    raw = _raw_years(slug)
    years = list(raw)
    assert len(years) == 3
    doc = _page(pages, f"villages/{slug}.md")
    sec = doc.css_first("section.vp-years")
    assert sec is not None
    rows = [[td.text(strip=True) for td in tr.css("td")] for tr in sec.css("table.vp-years-table tbody tr")]
    # one row per year and framework, newest first, with the rate computed here from the YAML
    fws = {"shitiao": "十条标准", "shige": "十个好"}
    expected = [[f"{y} 年", name, f"{_rate(raw[y][fid]):.1f}%"] for y in reversed(years) for fid, name in fws.items()]
    assert [r[:3] for r in rows] == expected
    # the chart: one line per framework through every year, its text alternative naming each value
    svg = sec.css_first("svg.vp-trend")
    desc = svg.css_first("desc").text()
    for y in years:
        for fid, name in fws.items():
            assert f"{y} 年 {_rate(raw[y][fid]):.1f}%" in desc.split(name + "：")[1].split("；")[0]
    assert len(svg.css("path.vp-trend-line")) == 2
    # improved / fallen items since the previous year
    up, down = _changed(raw[years[-2]], raw[years[-1]])
    names = {"十条标准": "shitiao", "十个好": "shige"}

    def items(cls: str) -> set:
        out = set()
        for li in sec.css(f"ul.{cls} li"):
            t = li.text(strip=True).lstrip("↑↓ ").strip()
            fw_name, rest = t.split(" · ", 1)
            out.add((names[fw_name], rest.split("：", 1)[0]))
        return out

    item_name = {}  # (framework, item name) → (framework, item id), from the shipped framework files
    for fid in fws:
        data = yaml.safe_load(
            (CONTENT.parent / "builder/frameworks/defaults" / f"{fid}.yml").read_text(encoding="utf-8")
        )
        item_name.update({(fid, i["name"]): (fid, i["id"]) for i in data["items"]})
    assert {item_name[k] for k in items("vp-improved")} == up
    assert {item_name[k] for k in items("vp-fallen")} == down
    assert up or down
    if slug == "majiazhuang":
        assert down == {("shitiao", "venue"), ("shige", "leadership"), ("shige", "members")}
    else:
        assert up == {("shitiao", "cadres"), ("shige", "members"), ("shige", "talent")} and not down


def test_village_with_one_year_has_no_section(pages):
    doc = _page(pages, "villages/wangjiazhuang.md")
    assert doc.css_first("section.vp-years") is None
    assert doc.css_first("h2#ziping") is not None


def test_compare_pages_per_year_with_progress_and_category_mix(pages):
    idx = _page(pages, "compare/index.md")
    links = [a.attributes["href"] for a in idx.css("h2#linian + p a")]
    assert links[0].startswith("year-2026") and len(links) == 5
    top = idx.css_first("table.vp-progress tbody tr")
    assert top is not None
    page = _page(pages, "compare/year-2025.md")
    assert page.css_first("h1").text() == "2025 年示范村对比"
    ranked = [tr.css_first("th").text(strip=True) for tr in page.css("table.vp-ranking tbody tr")]
    assert "红柳村" in ranked and "马家庄村" in ranked
    prog = [
        (tr.css_first("th").text(strip=True), tr.css("td")[-1].text()) for tr in page.css("table.vp-progress tr")[1:]
    ]
    assert prog and all(float(d) > 0 for _, d in prog)
    deltas = [float(d) for _, d in prog]
    assert deltas == sorted(deltas, reverse=True)
    mix = page.css_first("table.vp-category-mix")
    head = [th.text() for th in mix.css("thead th")]
    assert head == ["乡镇", "先行示范", "巩固提升", "重点攻坚", "未分类"]
    total = sum(int(td.text()) for td in mix.css("tbody td"))
    assert total == len(ranked)


# --- diagnostics: one located message per mistake ----------------------------------------------


def test_gap_year_is_a_located_warning(sample_copy, baseline):
    (sample_copy / Y2024).unlink()
    got = new_diags(sample_copy, baseline)
    line = line_of(sample_copy / f"{HONGLIU}/village.yml", "assessments:")
    assert got == [("year-gap", f"content/{HONGLIU}/village.yml", line, "warning")]


def test_duplicate_year_two_files(sample_copy, baseline):
    shutil.copy(sample_copy / Y2024, sample_copy / f"{HONGLIU}/assessments/2024.yaml")
    assert new_diags(sample_copy, baseline) == [
        ("duplicate-year", f"content/{HONGLIU}/assessments/2024.yaml", 1, "error")
    ]


def test_duplicate_year_file_and_village_yml(sample_copy, baseline):
    text = (sample_copy / Y2024).read_text(encoding="utf-8").replace("2024-06-18", "2025-06-18")
    (sample_copy / f"{HONGLIU}/assessments/2025.yml").write_text(text, encoding="utf-8")
    assert new_diags(sample_copy, baseline) == [
        ("duplicate-year", f"content/{HONGLIU}/assessments/2025.yml", 1, "error")
    ]


def test_date_outside_its_year(sample_copy, baseline):
    line = edit(sample_copy, Y2024, "date: 2024-06-18", "date: 2023-12-30")
    assert new_diags(sample_copy, baseline) == [("year-date", f"content/{Y2024}", line, "error")]


def test_village_yml_dates_in_two_years(sample_copy, baseline):
    rel = f"{HONGLIU}/village.yml"
    text = (sample_copy / rel).read_text(encoding="utf-8")
    second = text.index("date: 2025-06-12", text.index("date: 2025-06-12") + 1)
    (sample_copy / rel).write_text(text[:second] + "date: 2024-12-12" + text[second + 16 :], encoding="utf-8")
    line = line_of(sample_copy / rel, "date: 2024-12-12")
    assert new_diags(sample_copy, baseline) == [("year-date", f"content/{rel}", line, "error")]


def test_incomplete_year(sample_copy, baseline):
    p = sample_copy / Y2024
    text = p.read_text(encoding="utf-8")
    start = text.index("      secretary:")
    p.write_text(text[:start] + text[text.index("\n", start) + 1 :], encoding="utf-8")
    line = line_of(p, "    items:")
    got = new_diags(sample_copy, baseline)
    assert got == [("missing-item", f"content/{Y2024}", line, "error")]


def test_unknown_category_suggests(sample_copy):
    line = edit(sample_copy, Y2024, "category: 先行示范", "category: 先行")
    _, diags = run(sample_copy)
    found = [d for d in diags if d.code == "unknown-category"]
    assert [(d.file, d.line) for d in found] == [(f"content/{Y2024}", line)]
    assert "先行示范" in found[0].hint


def test_full_width_year_file_name(sample_copy, baseline):
    (sample_copy / Y2024).rename(sample_copy / f"{HONGLIU}/assessments/２０２４.yml")
    got = new_diags(sample_copy, baseline)
    assert got == [("bad-year-file", f"content/{HONGLIU}/assessments/２０２４.yml", 1, "error")]  # no gap as well
    _, diags = run(sample_copy)
    d = next(d for d in diags if d.code == "bad-year-file")
    assert "全角数字" in d.hint and "2024.yml" in d.hint


def test_review_due_when_the_newest_year_falls(sample_copy, baseline):
    """The sample's own case (majiazhuang 2026) is a warning, located at the
    first framework that falls short in the newest year; check still passes."""
    assert ("review-due", "content/villages/majiazhuang/assessments/2026.yml", 5, "warning") in baseline
    assert not [b for b in baseline if b[3] == "error"]
    # fixing the 2026 items clears it
    rel = "villages/majiazhuang/assessments/2026.yml"
    edit(sample_copy, rel, "venue: {level: 基本达标, score: 6.5,", "venue: {level: 达标, score: 8.5,")
    edit(sample_copy, rel, "leadership: {score: 6.5,", "leadership: {score: 8.5,")
    assert diags_of(sample_copy, "review-due") == []


def test_designated_village_whose_years_never_met_is_designation_unmet(sample_copy, baseline):
    """No earlier year met the frameworks: not 复核 due but the designation
    itself unsupported (the rule of a village without history)."""
    for y in ("2022", "2023"):
        (sample_copy / f"villages/baishui/assessments/{y}.yml").unlink()
    rel = "villages/baishui/village.yml"
    edit(sample_copy, rel, "core: {level: 达标, score: 8.5", "core: {level: 基本达标, score: 7")
    (sample_copy / "villages/baishui/assessments/2025.yml").write_text(
        _year_from(sample_copy / rel, 2025), encoding="utf-8"
    )
    got = new_diags(sample_copy, baseline)
    line = line_of(sample_copy / rel, "{stage: 命名")
    assert got == [("designation-unmet", f"content/{rel}", line, "error")]


def _year_from(village_yml: Path, year: int) -> str:
    """village.yml's assessments block as a year's file of ``year`` (dates moved into it)."""
    data = yaml.safe_load(village_yml.read_text(encoding="utf-8"))
    for a in data["assessments"].values():
        a["date"] = a["date"].replace(year=year)
    return yaml.safe_dump({"category": "巩固提升", "assessments": data["assessments"]}, allow_unicode=True)


def test_validation_never_mutates(sample_copy):
    before = {p: p.read_bytes() for p in sample_copy.rglob("*.yml")}
    content, _ = run(sample_copy)
    assert {p: p.read_bytes() for p in sample_copy.rglob("*.yml")} == before
    assert content.villages["hongliu"].model.assessments["shitiao"].date.year == 2025


def test_synthetic_county_with_three_years_is_clean(tmp_path):
    from testkit.synthetic import generate_county

    counts = generate_county(tmp_path / "content", 24, seed=5, years=3)
    assert counts["year_files"] == 48
    content, diags = run(tmp_path / "content")
    assert len(diags) == 0, diags.format("text")
    hist = diags_derived_history(content)
    assert all(len(hist.records(s)) == 3 for s in content.villages)
    assert all(r.category for s in content.villages for r in hist.records(s))
    # the history is added to the same county: one year's village.yml is the same but for its 分类
    generate_county(tmp_path / "one", 24, seed=5)
    one = (tmp_path / "one/villages/cun00003/village.yml").read_text(encoding="utf-8")
    three = (tmp_path / "content/villages/cun00003/village.yml").read_text(encoding="utf-8")
    assert "category:" not in one
    assert [x for x in three.splitlines() if not x.startswith("category: ")] == one.splitlines()
    assert not (tmp_path / "one/villages/cun00003/assessments").exists()


def test_a_lean_build_reports_a_year_files_mistakes_where_check_does(tmp_path):
    """A one-shot build reads the yearly files without keeping positions
    (Options.lean: parse_yaml(positions=False)); each mistake is still
    reported at the line and column `check` gives: a duplicate key (whose
    message names the first one's line), a date outside its year, an
    unknown 分类 and a look-alike."""
    from builder.pipeline import run

    content = tmp_path / "content"
    shutil.copytree(CONTENT, content)
    year = content / "villages" / "majiazhuang" / "assessments" / "2025.yml"
    text = year.read_text(encoding="utf-8")
    text = text.replace("category: 先行示范\n", "category: 先行示范\ncategory: 巩固提高\n", 1)
    text = text.replace("date: 2025-03-24", "date: 2024-03-24", 1)
    text = text.replace("assessor: 马家庄村党支部", "assessor: “马家庄村党支部”", 1)
    year.write_text(text, encoding="utf-8")

    def found(lean: bool) -> list:
        _, _, diags = run(content, tmp_path, Options(lean=lean))
        return sorted((d.file, d.line, d.column, d.code, d.message) for d in diags if d.file.endswith("2025.yml"))

    lean, full = found(True), found(False)
    assert lean == full
    codes = {d[3] for d in lean}
    assert {"duplicate-key", "year-date", "curly-quotes"} <= codes, lean
    dup = next(d for d in lean if d[3] == "duplicate-key")
    assert dup[1] == 4 and "第 3 行" in dup[4]
