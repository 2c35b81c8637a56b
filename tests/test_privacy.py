"""Issue 10, "private phones stay private everywhere": a number a contact
marks ``phone_public: false`` may appear nowhere else in the content (check
reports each place), and the generated site never contains it."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from builder.pipeline import check
from builder.privacy.rules import find_numbers, numbers_in_phone_field
from tests.conftest import run_cli

WJZ = "content/villages/wangjiazhuang/village.yml"  # 讲解人 王建国 13800000001, private
WJZ_MD = "content/villages/wangjiazhuang/index.md"
LSW = "content/villages/liushuwan/village.yml"  # 讲解人 13800000002, public
LSW_MD = "content/villages/liushuwan/index.md"
SJP = "content/villages/shijiaping/village.yml"
PROJECT = "content/projects/2022-wangjiazhuang-malingshu.yml"
TOUR = "content/tours/2025-q3-quanxian.yml"
SCORES = "content/tours/2025-q3-quanxian.scores.yml"
PRIVATE = "13800000001"


def edit(content: Path, rel: str, old: str, new: str) -> tuple[int, int]:
    """Replace the first `old` with `new` in <root>/<rel>; return the 1-based
    (line, column) where the replacement starts."""
    path = content.parent / rel
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {rel}"
    at = text.index(old)
    path.write_text(text[:at] + new + text[at + len(old) :], encoding="utf-8")
    return text.count("\n", 0, at) + 1, at - (text.rfind("\n", 0, at) + 1) + 1


def where(content: Path, rel: str, needle: str) -> tuple[int, int]:
    text = (content.parent / rel).read_text(encoding="utf-8")
    at = text.index(needle)
    return text.count("\n", 0, at) + 1, at - (text.rfind("\n", 0, at) + 1) + 1


def private_phone(content: Path) -> list:
    _, diags = check(content, content.parent)
    return [d for d in diags if d.code == "private-phone"]


def assert_at(found: list, file: str, line: int, column: int | None = None):
    places = [(d.file, d.line, d.column) for d in found]
    hits = [d for d in found if d.file == file and d.line == line and (column is None or d.column == column)]
    assert hits, f"[private-phone] expected at {file}:{line}:{column}, got {places}"
    d = hits[0]
    assert d.severity.value == "error"
    assert "不公开" in d.message and "phone_public" in d.message and d.hint
    assert PRIVATE not in d.message, "the report masks the number (it may end up in a CI log)"
    return d


def test_sample_has_none(sample_copy):
    assert private_phone(sample_copy) == []


# -- each place ------------------------------------------------------------------------------


def test_index_md_spaces_and_dashes(sample_copy):
    text = (sample_copy / "villages/wangjiazhuang/index.md").read_text(encoding="utf-8")
    (sample_copy / "villages/wangjiazhuang/index.md").write_text(
        text + "\n预约参观请拨 138 0000-0001，或 (+86) 138.0000.0001。\n", encoding="utf-8"
    )
    line = text.count("\n") + 2
    found = private_phone(sample_copy)
    d = assert_at(found, WJZ_MD, line, len("预约参观请拨 ") + 1)
    assert "王建国" in d.message and "138 ****-0001" in d.message
    assert "王家庄村" not in d.message, "in the village's own files the contact is named without the village"
    assert_at(found, WJZ_MD, line, len("预约参观请拨 138 0000-0001，或 (+") + 1)
    assert len(found) == 2


def test_index_md_fullwidth_digits(sample_copy):
    line, col = edit(sample_copy, WJZ_MD, "党员 23 名。", "党员 23 名。书记电话：１３８－００００－０００１。")
    col += len("党员 23 名。书记电话：")
    assert_at(private_phone(sample_copy), WJZ_MD, line, col)


def test_contact_title(sample_copy):
    line, _ = edit(sample_copy, WJZ, "title: 村党支部副书记", "title: 村党支部副书记（书记电话 13800000001）")
    d = assert_at(private_phone(sample_copy), WJZ, line, len("    title: 村党支部副书记（书记电话 ") + 1)
    phone_line = where(sample_copy, WJZ, 'phone: "13800000001"')[0]
    assert f"{WJZ} 第 {phone_line} 行" in d.message


def test_highlight_title_and_description(sample_copy):
    l1, _ = edit(sample_copy, WJZ, "  - title: 党群服务中心", "  - title: 党群服务中心（138-0000-0001）")
    l2, _ = edit(sample_copy, WJZ, "看“十有”标准活动阵地", "看“十有”标准活动阵地，预约 13800000001")
    found = private_phone(sample_copy)
    assert_at(found, WJZ, l1)
    assert_at(found, WJZ, l2)


def test_gallery_caption(sample_copy):
    line, _ = edit(sample_copy, WJZ, "caption: 王家庄村党群服务中心", "caption: 王家庄村党群服务中心 电话 13800000001")
    assert_at(private_phone(sample_copy), WJZ, line)


def test_project_fields(sample_copy):
    # inside a folded multi-line summary: reported on its own line, not at `summary:`
    l1, _ = edit(
        sample_copy, PROJECT, "吸纳在家群众到片带务工增收。", "吸纳在家群众到片带务工增收，报名电话 138 0000 0001。"
    )
    l2, _ = edit(sample_copy, PROJECT, "comment: 示范片带", "comment: 联系王建国 13800000001。示范片带")
    found = private_phone(sample_copy)
    d = assert_at(found, PROJECT, l1)
    assert "王家庄村讲解人 王建国" in d.message, "outside the village's own files the village is named"
    assert_at(found, PROJECT, l2)


def test_yaml_number_split_by_folding_escaped_or_repeated(sample_copy):
    # a folded summary joins "138" and "0000 0001" across a line break: reported where it starts
    l1, c1 = edit(
        sample_copy, PROJECT, "流转剩余土地、整治撂荒地，", "流转剩余土地、整治撂荒地，电话 138\n  0000 0001，"
    )
    # escapes in a double-quoted string spell the digits: reported at the value
    l2, _ = edit(sample_copy, WJZ, "caption: 每月 10 日主题党日", 'caption: "每月 10 日主题党日 \\u003138000\\x300001"')
    # the same number twice in one value: two reports, each at its own column
    l3, _ = edit(
        sample_copy, WJZ, "caption: 10 月马铃薯采挖现场", "caption: 10 月马铃薯采挖现场 13800000001 / 138-0000-0001"
    )
    found = private_phone(sample_copy)
    assert_at(found, PROJECT, l1, c1 + len("流转剩余土地、整治撂荒地，电话 "))
    assert_at(found, WJZ, l2, len("    caption: ") + 1)
    assert_at(found, WJZ, l3, len("    caption: 10 月马铃薯采挖现场 ") + 1)
    assert_at(found, WJZ, l3, len("    caption: 10 月马铃薯采挖现场 13800000001 / ") + 1)
    assert len(found) == 4


def test_tour_stop_note_notes_and_score_note(sample_copy):
    l1, _ = edit(sample_copy, TOUR, "note: 重点看红色教育基地", "note: 重点看红色教育基地，对接 13800000001")
    # the second line of a literal block scalar
    l2, _ = edit(sample_copy, TOUR, "每站按“看、听、讲、评”进行", "每站按“看、听、讲、评”进行（联络 13800000001）")
    l3, _ = edit(
        sample_copy,
        SCORES,
        "  - judge: 张明\n    stop: wangjiazhuang\n",
        "  - judge: 张明\n    stop: wangjiazhuang\n    note: 书记手机 138-0000-0001\n",
    )
    found = private_phone(sample_copy)
    assert_at(found, TOUR, l1)
    assert_at(found, TOUR, l2)
    assert_at(found, SCORES, l3 + 2)


def test_another_villages_file(sample_copy):
    l1, _ = edit(sample_copy, LSW, "summary: ", "summary: 与王家庄村（13800000001）结对共建。")
    l2, c2 = edit(sample_copy, LSW_MD, "党员 19 名。", "党员 19 名。结对村书记 13800000001。")
    found = private_phone(sample_copy)
    d = assert_at(found, LSW, l1)
    assert "王家庄村讲解人 王建国" in d.message
    assert_at(found, LSW_MD, l2, c2 + len("党员 19 名。结对村书记 "))


def test_site_and_towns(sample_copy):
    l1, _ = edit(
        sample_copy,
        "content/site.yml",
        "title: 示例县党建示范村展示门户（示例）",
        "title: 示例县党建示范村展示门户（示例，咨询 13800000001）",
    )
    _l2, _ = edit(
        sample_copy,
        "content/towns.yml",
        "  - name: 白水乡",
        "  - name: 白水乡  # 13800000001 (a comment: not published)",
    )
    found = private_phone(sample_copy)
    assert_at(found, "content/site.yml", l1)
    assert not [d for d in found if d.file == "content/towns.yml"], "YAML comments are not published"


def test_landline_local_number(sample_copy):
    edit(sample_copy, SJP, 'phone: "0931-0000008"', 'phone: "(0931) 812-3456"')
    line, _col = edit(
        sample_copy, "content/villages/shijiaping/index.md", "\n", "\n文书电话 8123456，外地请拨 0931 8123456。\n"
    )
    found = private_phone(sample_copy)
    assert_at(found, "content/villages/shijiaping/index.md", line + 1, 6)
    assert len([d for d in found if d.file.endswith("shijiaping/index.md")]) == 2


def test_cli_exit_code(sample_copy):
    line, _ = edit(sample_copy, WJZ, "caption: 10 月马铃薯采挖现场", "caption: 10 月马铃薯采挖现场 13800000001")
    r = run_cli("check", "--content", str(sample_copy), "--format", "json", cwd=sample_copy.parent)
    assert r.returncode == 1, r.stdout + r.stderr
    assert "Traceback" not in r.stderr
    hits = [d for d in json.loads(r.stdout) if d["code"] == "private-phone"]
    assert [(d["file"], d["line"]) for d in hits] == [(WJZ, line)]


# -- no false positives ----------------------------------------------------------------------


def test_public_number_repeated_is_fine(sample_copy):
    edit(sample_copy, WJZ_MD, "党员 23 名。", "党员 23 名。联系电话 0931-0000001（李红梅）。")
    edit(sample_copy, LSW, "summary: ", "summary: 电话 138 0000 0002。")
    assert private_phone(sample_copy) == []


def test_longer_digit_run_is_not_a_match(sample_copy):
    edit(
        sample_copy,
        WJZ_MD,
        "党员 23 名。",
        "党员 23 名。编号 813800000001、138000000012、2１３８０００００００１、1380000000123。",
    )
    assert private_phone(sample_copy) == []


def test_public_for_one_private_for_another_is_private(sample_copy):
    line, _ = edit(sample_copy, LSW, 'phone: "13800000002"', 'phone: "138-0000-0001"')
    found = private_phone(sample_copy)
    d = assert_at(found, LSW, line)
    assert "phone_public: true" in d.message and "王家庄村讲解人 王建国" in d.message
    assert len(found) == 1, "the private contact's own phone field is not an occurrence"


# -- the matcher --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("field", "numbers"),
    [
        ("13800000001", ["13800000001"]),
        ("+86 138 0000 0001", ["13800000001"]),
        ("0931-8123456", ["09318123456"]),
        ("138 0000 0001 / 0931-8123456 转 802", ["13800000001", "09318123456"]),
        ("13800000001 13900000002", ["13800000001", "13900000002"]),
    ],
)
def test_numbers_in_phone_field(field, numbers):
    assert numbers_in_phone_field(field) == numbers


@pytest.mark.parametrize(
    ("text", "hit"),
    [
        ("电话138-0000-0001。", "138-0000-0001"),
        ("１３８０００００００１", "１３８０００００００１"),
        ("＋８６－１３８－００００－０００１", "８６－１３８－００００－０００１"),
        ("tel:+8613800000001", "8613800000001"),
        ("0086 13800000001", "0086 13800000001"),
        ("2024年 13800000001", "13800000001"),
        ("813800000001", None),
        ("138000000012", None),
        ("3813800000001", None),
    ],
)
def test_find_numbers(text, hit):
    found = [
        text[a:b]
        for a, b, _ in find_numbers(
            text, {"13800000001": "13800000001", "8613800000001": "13800000001", "008613800000001": "13800000001"}
        )
    ]
    assert found == ([hit] if hit else [])


# -- the generated site ----------------------------------------------------------------------

_FW = str.maketrans("０１２３４５６７８９", "0123456789")


def _occurs(text: str, number: str) -> bool:
    """Digits-normalised search, independent of the matcher: digits of any
    width, anything between them dropped when it is a separator."""
    text = text.translate(_FW)
    squeezed = re.sub(r"(?<=\d)[\s\-.()（）－．\u2010-\u2015/]{1,3}(?=\d)", "", text)
    return re.search(rf"(?<!\d){number}(?!\d)", squeezed) is not None or number in text


def test_generated_site_never_contains_a_private_number(sample_copy, tmp_path):
    # liushuwan's 讲解人 becomes private too: his number was on its page and in the tours before
    edit(
        sample_copy,
        LSW,
        'phone: "13800000002"\n    phone_public: true',
        'phone: "13800000002"\n    phone_public: false',
    )
    content, diags = check(sample_copy, sample_copy.parent)
    assert not diags.has_errors, diags.format("text")
    private, public = set(), set()
    for v in content.villages.values():
        for ct in v.model.contacts:
            if ct.phone:
                (public if ct.phone_public else private).update(numbers_in_phone_field(ct.phone))
    assert "13800000002" in private and len(private) >= 10 and public

    out = tmp_path / "out"
    r = run_cli("generate", "--content", str(sample_copy), "--out", str(out), cwd=sample_copy.parent)
    assert r.returncode == 0, r.stdout + r.stderr
    files = [p for p in out.rglob("*") if p.is_file()]
    assert len(files) > 20
    texts = {}
    for p in files:
        raw = p.read_bytes()
        texts[p] = raw.decode("utf-8", errors="replace")
    leaks = [(p.relative_to(out).as_posix(), n) for p, t in texts.items() for n in sorted(private) if _occurs(t, n)]
    assert leaks == []
    # the search does find what is published
    assert any(_occurs(t, n) for t in texts.values() for n in public)


def test_score_workbook_note(sample_copy, tmp_path):
    """A filled scoring workbook (.scores.xlsx) is content: a private number
    in a judge's note is reported at the workbook."""
    from openpyxl import load_workbook

    tours = sample_copy / "tours"
    yml = tours / "2025-q3-quanxian.scores.yml"
    xlsx = tours / "2025-q3-quanxian.scores.xlsx"
    r = run_cli(
        "scores",
        "export",
        str(tours / "2025-q3-quanxian.yml"),
        "--content",
        str(sample_copy),
        "--out",
        str(tmp_path / "s.xlsx"),
    )
    assert r.returncode == 0, r.stderr
    wb = load_workbook(tmp_path / "s.xlsx")
    ws = next(w for w in wb.worksheets if w.title.startswith("评委"))
    note_row = next(r for r in range(1, ws.max_row + 1) if str(ws.cell(r, 1).value or "").strip() == "备注")
    from openpyxl.cell.cell import MergedCell

    cell = next(
        ws.cell(note_row, c) for c in range(2, ws.max_column + 1) if not isinstance(ws.cell(note_row, c), MergedCell)
    )
    cell.value = "讲解人电话 138 0000 0005，会后联系"
    wb.save(xlsx)
    yml.unlink()
    _, diags = check(sample_copy, sample_copy.parent)
    hits = [d for d in diags if d.code == "private-phone"]
    assert [d.file for d in hits] == ["content/tours/2025-q3-quanxian.scores.xlsx"]
    assert diags.has_errors


def test_a_lean_build_places_every_diagnostic_where_check_does(sample_copy):
    """A one-shot build lets each file's YAML positions go once it is
    validated (Options.lean, yamlsrc.YamlDoc.forget), keeping only the
    contacts' for this check. Leaks found later — in a village's own file,
    inside a folded project summary, behind escapes, in another village's
    file, in a tour — are placed at the same line and column as by `check`,
    which keeps every position."""
    from builder.kernel.build import Options
    from builder.pipeline import run

    edit(sample_copy, PROJECT, "流转剩余土地、整治撂荒地，", "流转剩余土地、整治撂荒地，电话 138\n  0000 0001，")
    edit(sample_copy, WJZ, "caption: 每月 10 日主题党日", 'caption: "每月 10 日主题党日 \\u003138000\\x300001"')
    edit(sample_copy, WJZ, "caption: 10 月马铃薯采挖现场", "caption: 10 月马铃薯采挖现场 13800000001 / 138-0000-0001")
    edit(sample_copy, LSW, "  - title: ", "  - title: 联系 138 0000 0001 ")
    edit(sample_copy, TOUR, "note: 重点看红色教育基地", "note: 重点看红色教育基地，对接 13800000001")
    # and two mistakes of the files' own (warnings: the villages stay valid)
    edit(sample_copy, WJZ, "caption: 王家庄村党群服务中心", "caption: “王家庄村党群服务中心”")
    edit(sample_copy, SJP, "town: ", "town: \u200b")

    def found(lean: bool) -> list:
        _, _, diags = run(sample_copy, sample_copy.parent, Options(lean=lean))
        return sorted((d.file, d.line, d.column, d.code, d.message) for d in diags)

    lean, full = found(True), found(False)
    assert lean == full
    assert sum(1 for d in lean if d[3] == "private-phone") >= 6
    assert {d[3] for d in lean if d[0] in (WJZ, SJP)} >= {"private-phone", "curly-quotes"}
