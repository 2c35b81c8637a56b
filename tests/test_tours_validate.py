"""Tour and score files: every problem is a located diagnostic (file, line),
with a Chinese message and a useful hint; the results are computed right."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from builder.tours.model import fmt_clock
from testkit.frameworks import item_ids

BASE = """\
title: 测试观摩
date: 2025-09-18
start: {name: 县委大院, system: GCJ-02, lat: 35.5598, lng: 104.6521}
depart: "08:00"
return_by: "17:30"
dwell: 40
stops:
  - wangjiazhuang
  - liushuwan
  - baishui
  - hongliu
"""


def write(content: Path, name: str, text: str) -> Path:
    p = content / "tours" / name
    p.parent.mkdir(exist_ok=True)
    p.write_text(textwrap.dedent(text), encoding="utf-8")
    return p


def run(content: Path):
    from builder.pipeline import run as pipeline_run
    from testkit.pipeline import tours

    c, derived, d = pipeline_run(content, content.parent)
    c.tours = tours(derived)  # the tours as the check planned them
    return c, d


def diags_of(d, file_suffix: str, code: str):
    return [x for x in d if x.file.endswith(file_suffix) and x.code == code]


def line_of(path: Path, needle: str) -> int:
    for i, line in enumerate(path.read_text(encoding="utf-8").split("\n"), 1):
        if needle in line:
            return i
    raise AssertionError(needle)


def test_sample_tours_are_clean(sample_copy):
    c, d = run(sample_copy)
    tour_diags = [x for x in d if "/tours/" in x.file and x.is_error]
    assert tour_diags == []
    tours = c.tours
    assert "2025-q3-quanxian" in tours and tours["2025-q3-quanxian"].plan is not None
    assert tours["2025-q3-quanxian"].scores.results.villages


def test_unknown_village_is_located_with_suggestion(sample_copy):
    p = write(sample_copy, "t.yml", BASE.replace("  - liushuwan", "  - liushuwna"))
    _, d = run(sample_copy)
    [x] = diags_of(d, "tours/t.yml", "unknown-village")
    assert x.line == line_of(p, "liushuwna")
    assert "liushuwan" in x.hint and "liushuwna" in x.message


def test_town_entry_expands_to_designated_villages(sample_copy):
    write(sample_copy, "t.yml", BASE.replace("stops:\n", "stops:\n  - {town: 白水乡}\n"))
    c, d = run(sample_copy)
    t = c.tours["t"]
    slugs = [s.slug for s in t.stops]
    designated = sorted(v.slug for v in c.villages.values() if v.model.town == "白水乡" and v.model.is_designated)
    assert designated and all(s in slugs for s in designated)
    assert not any(s for s in slugs if not c.villages[s].model.is_designated and c.villages[s].model.town == "白水乡")
    # baishui is both in the town and listed explicitly: planned once, with a warning
    assert slugs.count("baishui") == 1
    assert diags_of(d, "tours/t.yml", "tour-duplicate-stop")


def test_unknown_town_and_town_without_demo_villages(sample_copy):
    towns = sample_copy / "towns.yml"
    towns.write_text(
        towns.read_text(encoding="utf-8") + "  - name: 新建镇\n    administrative_villages: 9\n", encoding="utf-8"
    )
    p = write(sample_copy, "t.yml", BASE.replace("stops:\n", "stops:\n  - {town: 青山乡}\n  - {town: 新建镇}\n"))
    _, d = run(sample_copy)
    [a] = diags_of(d, "tours/t.yml", "unknown-town")
    assert a.line == line_of(p, "青山乡") and "青山镇" in a.hint
    [b] = diags_of(d, "tours/t.yml", "tour-no-villages")
    assert b.line == line_of(p, "新建镇")


@pytest.mark.parametrize(
    ("bad", "needle"), [('"25:00"', "25:00"), ('"8:75"', "8:75"), ("八点", "八点"), ("8", "depart: 8")]
)
def test_impossible_clock_times(sample_copy, bad, needle):
    p = write(sample_copy, "t.yml", BASE.replace('depart: "08:00"', f"depart: {bad}"))
    _, d = run(sample_copy)
    errs = [x for x in d if x.file.endswith("tours/t.yml") and x.is_error]
    assert errs and errs[0].line == line_of(p, needle)
    assert "时" in errs[0].message


def test_unquoted_clock_times_are_read_as_written(sample_copy):
    # YAML 1.1 would turn 8:30 into 510 and 12:30 into 750
    write(sample_copy, "t.yml", BASE.replace('depart: "08:00"', "depart: 8:30").replace('"17:30"', "17:30"))
    c, d = run(sample_copy)
    assert not [x for x in d if x.file.endswith("tours/t.yml") and x.is_error]
    t = c.tours["t"]
    assert t.model.depart == 8 * 60 + 30 and t.model.return_by == 17 * 60 + 30
    assert t.plan.rows[0].depart == 510


def test_return_before_departure(sample_copy):
    p = write(sample_copy, "t.yml", BASE.replace('return_by: "17:30"', 'return_by: "07:30"'))
    _, d = run(sample_copy)
    [x] = diags_of(d, "tours/t.yml", "tour-time")
    assert x.line == line_of(p, "return_by")


def test_lunch_window_reversed_and_unreachable(sample_copy):
    p = write(sample_copy, "t.yml", BASE + 'lunch: {earliest: "12:30", latest: "11:30", duration: 60}\n')
    _, d = run(sample_copy)
    [x] = diags_of(d, "tours/t.yml", "tour-time")
    assert x.line == line_of(p, "lunch:")
    # a lunch place too far to reach by 08:05 even directly
    p = write(
        sample_copy,
        "t.yml",
        BASE
        + textwrap.dedent("""\
        lunch:
          earliest: "08:00"
          latest: "08:05"
          place: {name: 远处饭店, system: GCJ-02, lat: 35.70, lng: 104.90}
        """),
    )
    _, d = run(sample_copy)
    [x] = diags_of(d, "tours/t.yml", "tour-lunch")
    assert x.line == line_of(p, 'latest: "08:05"')
    assert "赶不上" in x.message and "latest" in x.hint


def test_overrun_says_by_how_much_and_suggests_two_routes_that_fit(sample_copy):
    text = BASE.replace('return_by: "17:30"', 'return_by: "12:30"').replace("dwell: 40", "dwell: 50")
    text = text.replace("stops:\n", "stops:\n  - majiazhuang\n  - longwangmiao\n  - gaojiagou\n")
    p = write(sample_copy, "t.yml", text)
    c, d = run(sample_copy)
    [x] = diags_of(d, "tours/t.yml", "tour-overrun")
    assert x.line == line_of(p, "return_by")
    t = c.tours["t"]
    over = round(t.plan.return_time - 12 * 60 - 30)
    assert over > 0 and f"晚 {over} 分钟" in x.message
    assert len(t.plan.split) == 2
    names = {s.name for s in t.plan.split}
    assert names in ({"北线", "南线"}, {"东线", "西线"})
    assert sorted(slug for s in t.plan.split for slug in s.slugs) == sorted(s.slug for s in t.stops)
    for s in t.plan.split:
        assert s.return_time <= 12 * 60 + 30
        assert s.name in x.hint and fmt_clock(s.return_time) in x.hint


def test_measured_leg_overrides_estimate_and_bad_leg_is_located(sample_copy):
    text = (
        BASE + "order: fixed\nlegs:\n  - {from: start, to: wangjiazhuang, km: 9.9, minutes: 33}\n"
        "  - {from: 县委, to: baishui, km: 3}\n"
    )
    p = write(sample_copy, "t.yml", text)
    c, d = run(sample_copy)
    [x] = diags_of(d, "tours/t.yml", "tour-leg")
    assert x.line == line_of(p, "县委, to")
    first = c.tours["t"].plan.rows[1]
    assert first.slug == "wangjiazhuang" and first.leg_minutes == 33 and first.leg_km == 9.9 and first.measured


def test_unknown_key_and_framework(sample_copy):
    p = write(sample_copy, "t.yml", BASE + "framwork: shitiao\n")
    _, d = run(sample_copy)
    [x] = diags_of(d, "tours/t.yml", "unknown-key")
    assert x.line == line_of(p, "framwork") and "framework" in x.hint
    p = write(sample_copy, "t.yml", BASE + "framework: shitiaoo\n")
    _, d = run(sample_copy)
    [x] = diags_of(d, "tours/t.yml", "unknown-framework")
    assert x.line == line_of(p, "shitiaoo")


# -- scores ---------------------------------------------------------------------------------

ITEMS = item_ids("shitiao")


def sheet(judge, stop, score=8, **over):
    sc = dict.fromkeys(ITEMS, score)
    sc.update(over)
    body = ", ".join(f"{k}: {v}" for k, v in sc.items())
    return f"  - judge: {judge}\n    stop: {stop}\n    scores: {{{body}}}\n"


def test_score_errors_are_located(sample_copy):
    write(sample_copy, "t.yml", BASE + "framework: shitiao\n")
    text = (
        "judges: [甲, 乙]\nsheets:\n"
        + sheet("甲", "wangjiazhuang")
        + sheet("丙", "liushuwan")
        + sheet("乙", "dongpo")
        + sheet("乙", "baishui", cor=5)
        + sheet("甲", "hongliu", core=12)
    )
    p = write(sample_copy, "t.scores.yml", text)
    _, d = run(sample_copy)
    f = "tours/t.scores.yml"
    [j] = diags_of(d, f, "score-unknown-judge")
    assert j.line == line_of(p, "judge: 丙")
    [s] = diags_of(d, f, "score-unknown-stop")
    assert s.line == line_of(p, "stop: dongpo")
    [i] = diags_of(d, f, "score-unknown-item")
    assert i.line == line_of(p, "cor: 5")
    [r] = diags_of(d, f, "score-range")
    assert r.line == line_of(p, "core: 12") and "10" in r.message
    assert all(x.message and x.hint for x in (j, s, i, r))


def test_orphan_scores_file(sample_copy):
    write(sample_copy, "nosuch.scores.yml", "judges: [甲]\nsheets: []\n")
    _, d = run(sample_copy)
    assert diags_of(d, "tours/nosuch.scores.yml", "tour-scores-orphan")


def test_results_totals_averages_ranking_and_top_half(sample_copy):
    write(sample_copy, "t.yml", BASE + "framework: shitiao\n")
    text = (
        "judges: [甲, 乙]\nsheets:\n"
        + sheet("甲", "wangjiazhuang", 9)
        + sheet("乙", "wangjiazhuang", 8)  # 90, 80 → 85
        + sheet("甲", "liushuwan", 7)
        + sheet("乙", "liushuwan", 7, core=10)  # 70, 73 → 71.5
        + sheet("甲", "baishui", 9, core=10)
        + sheet("乙", "baishui", 9)  # 91, 90 → 90.5
        + sheet("甲", "hongliu", 6)
        + sheet("乙", "hongliu", 6)
    )  # 60, 60 → 60
    write(sample_copy, "t.scores.yml", text)
    c, d = run(sample_copy)
    assert not [x for x in d if x.file.endswith("t.scores.yml")]
    res = c.tours["t"].scores.results
    assert [v.slug for v in res.villages] == ["baishui", "wangjiazhuang", "liushuwan", "hongliu"]
    assert [v.total for v in res.villages] == [90.5, 85, 71.5, 60]
    assert [v.rank for v in res.villages] == [1, 2, 3, 4]
    lsw = res.villages[2]
    assert lsw.item_avgs["core"] == 8.5 and lsw.item_avgs["venue"] == 7
    assert [v.proposed for v in res.villages] == [True, True, False, False]
    assert res.proposed_count == 2


def test_ties_at_the_cut_are_all_proposed_and_share_is_configurable(sample_copy):
    write(sample_copy, "t.yml", BASE + "framework: shitiao\n")
    text = (
        "judges: [甲]\nshare: 0.25\nsheets:\n"
        + sheet("甲", "wangjiazhuang", 9)
        + sheet("甲", "liushuwan", 9)
        + sheet("甲", "baishui", 7)
        + sheet("甲", "hongliu", 6)
    )
    write(sample_copy, "t.scores.yml", text)
    c, _ = run(sample_copy)
    res = c.tours["t"].scores.results
    assert [v.rank for v in res.villages] == [1, 1, 3, 4]
    assert [v.proposed for v in res.villages] == [True, True, False, False]  # 25 % of 4 = 1, plus the tie


def test_missing_sheet_is_a_warning(sample_copy):
    write(sample_copy, "t.yml", BASE + "framework: shitiao\n")
    write(sample_copy, "t.scores.yml", "judges: [甲, 乙]\nsheets:\n" + sheet("甲", "wangjiazhuang"))
    _, d = run(sample_copy)
    w = diags_of(d, "tours/t.scores.yml", "score-incomplete")
    assert w and not any(x.is_error for x in w)


def test_sample_tour_files_match_the_models_json_schema():
    """The JSON Schema of the tour formats (for editors' YAML language server;
    builder.scaffold.schema.register_schema can publish it) accepts the samples
    and rejects a misspelt key."""
    import datetime as dt

    import jsonschema

    from builder.kernel.diagnostics import Diagnostics
    from builder.kernel.loading.yamlsrc import load_yaml
    from builder.tours.model import ScoresFile, Tour

    root = Path(__file__).resolve().parent.parent

    def plain(v):
        if isinstance(v, dict):
            return {k: plain(x) for k, x in v.items()}
        if isinstance(v, list):
            return [plain(x) for x in v]
        return v.isoformat() if isinstance(v, (dt.date, dt.datetime)) else v

    schemas = {"tour": Tour.model_json_schema(), "tour-scores": ScoresFile.model_json_schema()}
    files = sorted((root / "content" / "tours").glob("*.yml"))
    assert files
    for f in files:
        name = "tour-scores" if f.name.endswith(".scores.yml") else "tour"
        doc = load_yaml(f, str(f), Diagnostics())
        errors = list(jsonschema.Draft202012Validator(schemas[name]).iter_errors(plain(doc.data)))
        assert not errors, (f.name, [e.message for e in errors])
    bad = {
        "title": "x",
        "start": {"name": "a", "lat": 35, "lng": 104},
        "depart": "08:00",
        "return_by": "18:00",
        "stops": ["wangjiazhuang", {"village": "liushuwan", "dwel": 3}],
    }
    assert list(jsonschema.Draft202012Validator(schemas["tour"]).iter_errors(bad))


def test_fixed_order_is_kept_and_hopeless_overrun_says_so(sample_copy):
    text = BASE.replace('return_by: "17:30"', 'return_by: "09:00"') + "order: fixed\n"
    write(sample_copy, "t.yml", text)
    c, d = run(sample_copy)
    t = c.tours["t"]
    assert [r.slug for r in t.plan.stops] == ["wangjiazhuang", "liushuwan", "baishui", "hongliu"]
    assert t.plan.method == "fixed"
    [x] = diags_of(d, "tours/t.yml", "tour-overrun")
    assert "写定的顺序" in x.message and "两条线也排不下" in x.hint and not t.plan.split
