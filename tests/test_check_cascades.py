"""One mistake, one message (issue 12): a village.yml with errors still
counts as a village for every file that names it, and what it validly says
is still checked, so an editor fixing from the top never fixes a symptom."""

from __future__ import annotations

from pathlib import Path

import pytest

from builder.kernel.diagnostics import Diagnostics
from builder.kernel.loading.yamlsrc import parse_yaml
from builder.kernel.schema import validate_partial
from builder.pipeline import check
from builder.villages.model import Village

VILLAGE = "villages/wangjiazhuang/village.yml"  # named by a tour, its score file, a project and a 示范带


def _edit(content: Path, rel: str, old: str, new: str) -> None:
    p = content / rel
    text = p.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {rel}"
    p.write_text(text.replace(old, new, 1), encoding="utf-8")


def _found(content: Path) -> list[tuple[str, str, int]]:
    _, diags = check(content, content.parent)
    return sorted((d.code, d.file, d.line) for d in diags)


@pytest.fixture
def baseline(sample_copy):
    return _found(sample_copy)


def _new(content: Path, baseline) -> list[tuple[str, str, int]]:
    return [d for d in _found(content) if d not in baseline]


def _line_of(content: Path, rel: str, text: str) -> int:
    lines = (content / rel).read_text(encoding="utf-8").splitlines()
    return next(i for i, line in enumerate(lines, 1) if text in line)


def test_the_sample_names_the_village_everywhere(sample_copy):
    for rel in ("tours/2025-q3-quanxian.yml", "tours/2025-q3-quanxian.scores.yml", "site.yml"):
        assert "wangjiazhuang" in (sample_copy / rel).read_text(encoding="utf-8")
    assert any("wangjiazhuang" in p.read_text(encoding="utf-8") for p in (sample_copy / "projects").glob("*.yml"))


@pytest.mark.parametrize(
    ("old", "new", "code"),
    [
        ("  lat: 35.5712", "  lat: ３５.５712", "lookalike"),  # full-width digits: a required value fails
        ("  system: GCJ-02", "  system: 北京54", "unknown-crs"),  # a rule (not the schema) fails: no route, no cascade
        ("town: 青山镇", "town: [青山镇]", "wrong-type"),
        ("name: 王家庄村", "name:", "empty-value"),
    ],
)
def test_a_broken_required_value_is_reported_only_in_the_village_file(sample_copy, baseline, old, new, code):
    _edit(sample_copy, VILLAGE, old, new)
    found = _new(sample_copy, baseline)
    assert found, "the mistake itself must be reported"
    assert {f for _, f, _ in found} == {f"content/{VILLAGE}"}, found
    assert code in {c for c, _, _ in found}
    # nothing reported before disappeared, except town shares while the
    # village's town cannot be read (they are judged once the file is fixed)
    after = _found(sample_copy)
    assert [d for d in baseline if d not in after and not (old.startswith("town") and d[0] == "town-share")] == []


def test_town_share_is_not_judged_while_a_village_of_the_town_is_unreadable(sample_copy, baseline):
    _edit(sample_copy, VILLAGE, "  lat: 35.5712", "  lat: 北纬35度")
    found = _new(sample_copy, baseline)
    assert [c for c, _, _ in found] == ["wrong-type"]  # not a town-share warning for 青山镇 as well


def test_an_unknown_key_keeps_the_village_and_its_other_mistakes_are_found(sample_copy, baseline):
    _edit(sample_copy, VILLAGE, "summary:", "slogen: 薯香红旗\nsummary:")
    _edit(sample_copy, VILLAGE, "core: {level: 达标,", "core: {level: 优秀,")
    _edit(sample_copy, VILLAGE, "function: 特色产业带动型", "function: 特色产业型")
    found = _new(sample_copy, baseline)
    codes = sorted(c for c, _, _ in found)
    assert {f for _, f, _ in found} == {f"content/{VILLAGE}"}, found
    assert "unknown-key" in codes
    # the rules still ran on what the file validly says: 等次 and 功能定位 in the same run
    lines = {line for _, _, line in found}
    assert _line_of(sample_copy, VILLAGE, "level: 优秀") in lines
    assert _line_of(sample_copy, VILLAGE, "function: 特色产业型") in lines
    assert len(found) == 3


def test_a_broken_gallery_entry_does_not_make_its_photo_unregistered(sample_copy, baseline):
    _edit(sample_copy, VILLAGE, "    taken: 2022-03-09", "    taken: 2022-13-09")
    _edit(
        sample_copy,
        VILLAGE,
        "    caption: 千亩黑色全膜马铃薯示范片带（覆膜后）",
        "    captoin: 千亩黑色全膜马铃薯示范片带（覆膜后）",
    )
    found = _new(sample_copy, baseline)
    assert {f for _, f, _ in found} == {f"content/{VILLAGE}"}, found
    assert sorted(c for c, _, _ in found) == ["bad-date", "unknown-key"]  # no missing caption, no stray photo


# -- the kernel's partial validation --------------------------------------------------------


def _partial(text: str):
    diags = Diagnostics()
    doc = parse_yaml(text, "v.yml", diags)
    assert doc is not None
    return validate_partial(Village, doc, diags, "村信息"), diags


GOOD = """\
name: 王家庄村
town: 青山镇
location: {system: WGS-84, lat: 35.5, lng: 104.6}
function: 特色产业带动型
brand: {name: 薯香红旗}
"""


def test_partial_leaves_out_only_what_failed():
    p, diags = _partial(
        GOOD
        + "tags: [马铃薯, {a: 1}]\ncolour: red\n"
        + "gallery:\n"
        + "  - {file: photos/a.jpg, caption: 甲, taken: 2022-13-01}\n"
        + "  - {file: photos/b.jpg}\n"
    )
    assert p.model is not None
    assert p.model.name == "王家庄村" and p.model.town == "青山镇"
    assert p.model.tags == ["马铃薯"]
    assert [g.file for g in p.model.gallery] == ["photos/a.jpg"]  # b has no caption: the entry is left out
    assert p.model.gallery[0].taken is None and p.model.gallery[0].caption == "甲"
    assert p.is_broken("gallery") and p.is_broken("tags") and not p.is_broken("brand")
    assert len(diags) == 4  # every mistake reported once: tag, unknown key, date, missing caption


def test_partial_without_a_required_value_is_no_model_and_the_mistake_is_reported():
    p, diags = _partial(GOOD.replace("lat: 35.5", "lat: 三十五"))
    assert p.model is None
    assert [d.code for d in diags] == ["wrong-type"]


def test_partial_of_a_valid_file_is_complete():
    p, diags = _partial(GOOD)
    assert p.complete and not diags


def test_one_error_in_a_village_named_by_two_tours_stays_in_its_file(sample_copy):
    """The issue's example: a village named by two tours (one with a score
    file), a project and a 示范带; its coordinates are broken."""
    tours = sample_copy / "tours"
    text = (tours / "2025-q3-quanxian.yml").read_text(encoding="utf-8")
    (tours / "2025-q4-fuhe.yml").write_text(text.replace("2025年第三季度", "2025年第四季度"), encoding="utf-8")
    (tours / "2025-q4-fuhe.scores.yml").write_text(
        (tours / "2025-q3-quanxian.scores.yml").read_text(encoding="utf-8"), encoding="utf-8"
    )
    before = _found(sample_copy)
    _edit(sample_copy, VILLAGE, "  lat: 35.5712", "  lat: 35,5712")
    found = [d for d in _found(sample_copy) if d not in before]
    assert [(c, f) for c, f, _ in found] == [("wrong-type", f"content/{VILLAGE}")], found
