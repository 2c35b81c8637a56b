"""Self-assessment workbooks: the template is pre-filled with the village's
values and offers the configured 等次 as a drop-down; importing a filled one
changes only the assessment lines of village.yml (every comment and every
other byte stay); a broken one is reported by cell and changes nothing."""

from __future__ import annotations

import difflib
import random
from pathlib import Path

import pytest
import yaml
from openpyxl import load_workbook

from builder.pipeline import check
from tests.conftest import run_cli


def make_template(content: Path, slug: str, fid: str, out: Path) -> Path:
    r = run_cli("assessment", "template", slug, "--framework", fid, "--out", str(out), "--content", str(content))
    assert r.returncode == 0, r.stderr
    return out


def assessment_lines(text: str, fid: str) -> set[int]:
    """0-based line numbers of the assessments.<fid> block."""
    root = yaml.compose(text)
    for k, v in root.value:
        if k.value == "assessments":
            for k2, v2 in v.value:
                if k2.value == fid:
                    return set(range(k2.start_mark.line, v2.end_mark.line + 1))
    return set()


def test_template_prefilled_with_dropdown(sample_copy, tmp_path):
    out = make_template(sample_copy, "wangjiazhuang", "shitiao", tmp_path / "a.xlsx")
    ws = load_workbook(out)["自评表"]
    assert ws["B3"].value == "wangjiazhuang" and ws["B4"].value == "shitiao"
    assert [ws.cell(8, k).value for k in range(1, 8)] == [
        "编号",
        "指标",
        "测评内容",
        "测评方法",
        "分值",
        "等次",
        "得分",
    ]
    assert ws["A9"].value == "core" and ws["C9"].value.startswith("村党组织") and ws["D9"].value.startswith("查阅")
    assert (ws["F9"].value, ws["G9"].value) == ("达标", 9.5) and "四议两公开" in ws["H9"].value
    lists = [dv for dv in ws.data_validations.dataValidation if dv.type == "list"]
    assert lists and lists[0].formula1 == '"达标,基本达标,未达标"' and "F9" in str(lists[0].sqref)
    assert not ws["F9"].protection.locked and ws["C9"].protection.locked and ws.protection.sheet


def _villages_with(content: Path):
    for vdir in sorted((content / "villages").iterdir()):
        data = yaml.safe_load((vdir / "village.yml").read_text(encoding="utf-8"))
        for fid in data.get("assessments") or {}:
            yield vdir.name, fid


def test_import_changes_only_the_assessment_lines(sample_copy, tmp_path):
    rnd = random.Random(3)
    pairs = list(_villages_with(sample_copy))
    assert len(pairs) >= 10
    for slug, fid in pairs:
        vfile = sample_copy / "villages" / slug / "village.yml"
        before = vfile.read_bytes()
        out = make_template(sample_copy, slug, fid, tmp_path / f"{slug}-{fid}.xlsx")
        wb = load_workbook(out)
        ws = wb["自评表"]
        changed = {}
        for r in range(9, 19):
            if ws.cell(r, 7).value is not None:
                x = rnd.choice([8, 8.5, 9.5, 10])  # still meets the rules: no designation-unmet
                ws.cell(r, 7).value = x
                changed[ws.cell(r, 1).value] = x
        ws["H10"].value = "新写的佐证：党员大会记录 12 次，含“引号”和冒号: 以及 # 号。"
        wb.save(out)
        r = run_cli("assessment", "import", str(out), "--content", str(sample_copy))
        assert r.returncode == 0, r.stderr
        after = vfile.read_bytes()
        old, new = before.decode().split("\n"), after.decode().split("\n")
        block_old, block_new = assessment_lines(before.decode(), fid), assessment_lines(after.decode(), fid)
        for op, i1, i2, j1, j2 in difflib.SequenceMatcher(a=old, b=new, autojunk=False).get_opcodes():
            if op != "equal":
                assert set(range(i1, i2)) <= block_old and set(range(j1, j2)) <= block_new, (slug, op, old[i1:i2])
        assert len(old) == len(new)  # no line added or removed
        data = yaml.safe_load(after)["assessments"][fid]["items"]
        for iid, x in changed.items():
            assert data[iid]["score"] == x
        second = ws.cell(10, 1).value
        assert data[second]["evidence"].startswith("新写的佐证") and "# 号" in data[second]["evidence"]
        # comments and everything outside the block, byte for byte
        assert [ln for ln in old if ln.lstrip().startswith("#")] == [ln for ln in new if ln.lstrip().startswith("#")]
    _c, d = check(sample_copy, sample_copy.parent)
    assert not [x for x in d if x.is_error and "/villages/" in x.file]


def test_import_into_a_village_without_the_block(sample_copy, tmp_path):
    vfile = sample_copy / "villages" / "wangjiazhuang" / "village.yml"
    text = vfile.read_text(encoding="utf-8")
    start = text.index("  shige:\n")
    end = text.index("designation:")
    vfile.write_text(text[:start] + text[end:], encoding="utf-8")
    out = make_template(sample_copy, "wangjiazhuang", "shige", tmp_path / "a.xlsx")
    wb = load_workbook(out)
    ws = wb["自评表"]
    ws["B5"].value = "2025-06-30"
    for r in range(9, 19):
        ws.cell(r, 7).value = 8
    wb.save(out)
    r = run_cli("assessment", "import", str(out), "--content", str(sample_copy))
    assert r.returncode == 0, r.stderr
    new = vfile.read_text(encoding="utf-8")
    assert new.startswith(text[:start]) and new.endswith(text[end:])
    data = yaml.safe_load(new)["assessments"]["shige"]
    assert str(data["date"]) == "2025-06-30" and all(v["score"] == 8 for v in data["items"].values())


BROKEN = [
    ("F9", "优秀", "unknown-level", "自评表!F9"),
    ("G10", "九", "score-not-number", "自评表!G10"),
    ("G11", "9分", "score-not-number", "自评表!G11"),
    ("G12", 11, "score-range", "自评表!G12"),
    ("F13", None, "missing-score", "自评表!F13"),
    ("B5", "去年六月", "bad-date", "自评表!B5"),
    ("B3", "wangjiazuang", "unknown-village", "自评表!B3"),
]


@pytest.mark.parametrize(("cell", "value", "code", "where"), BROKEN, ids=[b[2] + "-" + b[0] for b in BROKEN])
def test_broken_workbook_changes_nothing(sample_copy, tmp_path, cell, value, code, where):
    vfile = sample_copy / "villages" / "wangjiazhuang" / "village.yml"
    before = vfile.read_bytes()
    out = make_template(sample_copy, "wangjiazhuang", "shitiao", tmp_path / "a.xlsx")
    wb = load_workbook(out)
    ws = wb["自评表"]
    ws["G9"].value = 7  # a valid change that must not be written either
    ws[cell].value = value
    wb.save(out)
    r = run_cli("assessment", "import", str(out), "--content", str(sample_copy))
    assert r.returncode == 1 and "Traceback" not in r.stderr
    assert f"[{code}]" in r.stderr and where in r.stderr and "修改建议" in r.stderr
    assert "没有改动" in r.stderr
    assert vfile.read_bytes() == before
