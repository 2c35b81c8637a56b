"""Size limits (issue 10): a maximum size for each content file, checked
before it is read, and a maximum length for each text field, each a located
Chinese error; the photo-bomb message says its limit once, in 万像素."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from builder.kernel.diagnostics import Diagnostics
from builder.kernel.loading.textfile import MAX_PROSE_BYTES, MAX_YAML_BYTES, read_text
from builder.kernel.model import LONG_MAX, NAME_MAX, SHORT_MAX, TITLE_MAX
from builder.pipeline import check

ROOT = Path(__file__).resolve().parent.parent
WJZ = "content/villages/wangjiazhuang"
VILLAGE = f"{WJZ}/village.yml"
PROJECT = "content/projects/2022-wangjiazhuang-malingshu.yml"
SUMMARY = "summary: 以千亩黑色全膜马铃薯示范片带带动群众增收的产业型示范村。"


def replace(content: Path, rel: str, old: str, new: str) -> int:
    """Replace old by new in content/<rel>; the 1-based line of the change."""
    path = content.parent / rel
    text = path.read_text(encoding="utf-8")
    assert old in text, (old, rel)
    at = text.index(old)
    path.write_text(text[:at] + new + text[at + len(old) :], encoding="utf-8")
    return text.count("\n", 0, at) + 1


def run(content: Path) -> Diagnostics:
    return check(content, content.parent)[1]


def of(diags, code: str) -> list:
    return [d for d in diags if d.code == code]


# -- whole files ---------------------------------------------------------------------------


def test_huge_village_yml_is_refused_cheaply(sample_copy):
    """A 51 MB village.yml with one long summary: a located error, and the
    check stays small (peak RSS measured in a fresh child process)."""
    vfile = sample_copy.parent / VILLAGE
    text = vfile.read_text(encoding="utf-8")
    assert SUMMARY in text
    huge = "summary: " + "很" * (17 * 1024 * 1024)  # 3 bytes each: 51 MB
    vfile.write_text(text.replace(SUMMARY, huge), encoding="utf-8")
    assert vfile.stat().st_size > 51 * 1024 * 1024
    before = (vfile.stat().st_size, vfile.stat().st_mtime_ns)
    probe = textwrap.dedent("""
        import json, resource, subprocess, sys
        p = subprocess.run([sys.executable, "-m", "builder", "check", "--format", "json"],
                           capture_output=True, text=True, timeout=300)
        peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss  # KiB on Linux
        print(json.dumps({"code": p.returncode, "out": p.stdout, "err": p.stderr, "peak_kib": peak}))
    """)
    proc = subprocess.run(
        [sys.executable, "-c", probe],
        cwd=sample_copy.parent,
        capture_output=True,
        text=True,
        timeout=600,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    res = json.loads(proc.stdout)
    assert res["code"] == 1 and "Traceback" not in res["err"]
    diags = json.loads(res["out"])
    [d] = [d for d in diags if d["code"] == "file-too-large"]
    assert (d["file"], d["line"], d["column"], d["severity"]) == (VILLAGE, 1, 1, "error")
    assert VILLAGE in d["message"] and "51 MB" in d["message"] and "1 MB" in d["message"]
    assert "index.md" in d["hint"]
    assert res["peak_kib"] < 300 * 1024, f"peak RSS {res['peak_kib'] // 1024} MB"
    assert (vfile.stat().st_size, vfile.stat().st_mtime_ns) == before  # content unchanged


def test_huge_index_md(sample_copy):
    index = sample_copy.parent / WJZ / "index.md"
    index.write_text("# 王家庄村\n\n" + "介绍" * (MAX_PROSE_BYTES // 5), encoding="utf-8")
    diags = run(sample_copy)
    [d] = of(diags, "file-too-large")
    assert (d.file, d.line, d.column) == (f"{WJZ}/index.md", 1, 1)
    assert "512 KB" in d.message and "太大" in d.message
    assert diags.has_errors


def test_file_just_under_the_limit_is_read(tmp_path):
    p = tmp_path / "a.yml"
    p.write_bytes(b"a: " + b"x" * (MAX_YAML_BYTES - 4) + b"\n")
    assert p.stat().st_size == MAX_YAML_BYTES
    diags = Diagnostics()
    assert read_text(p, "a.yml", diags) is not None and not diags
    p.write_bytes(p.read_bytes() + b"x")
    assert read_text(p, "a.yml", diags) is None
    assert [d.code for d in diags] == ["file-too-large"]


def test_huge_tour_file(sample_copy):
    tour = sample_copy / "tours" / "2099-big.yml"
    tour.write_bytes(b"title: x\n# " + b"x" * MAX_YAML_BYTES + b"\n")
    diags = run(sample_copy)
    [d] = of(diags, "file-too-large")
    assert d.file == "content/tours/2099-big.yml" and d.line == 1


# -- text fields ---------------------------------------------------------------------------


def test_too_long_summary_at_its_line(sample_copy):
    line = replace(sample_copy, VILLAGE, SUMMARY, "summary: " + "长" * 412)
    diags = run(sample_copy)
    [d] = of(diags, "text-too-long")
    assert (d.file, d.line, d.column) == (VILLAGE, line, 10)
    assert d.is_error
    assert "“一句话简介（summary）”太长" in d.message and "412" in d.message and f"{SHORT_MAX}" in d.message
    assert "index.md" in d.hint


def test_summary_at_the_limit_passes(sample_copy):
    replace(sample_copy, VILLAGE, SUMMARY, "summary: " + "长" * SHORT_MAX + "   ")
    assert not of(run(sample_copy), "text-too-long")


def test_too_long_block_scalar(sample_copy):
    """A multi-line block value is measured as one text, reported at its key's value."""
    body = "\n".join("  " + "段" * 100 for _ in range(25))  # 2,500 characters + newlines
    line = replace(sample_copy, VILLAGE, SUMMARY, "summary: |\n" + body)
    [d] = of(run(sample_copy), "text-too-long")
    assert d.file == VILLAGE and d.line == line and str(SHORT_MAX) in d.message


@pytest.mark.parametrize(
    ("rel", "old", "new", "field", "limit"),
    [
        (VILLAGE, "name: 王家庄村", "name: " + "王" * 60, "村名（name）", NAME_MAX),
        (VILLAGE, "  - title: ", "  - title: " + "看" * 90, "看点第 1 项的看点名称（title）", TITLE_MAX),
        (PROJECT, "summary: ", "summary: " + "项" * 2100, "项目简介（summary）", LONG_MAX),
    ],
)
def test_other_fields(sample_copy, rel, old, new, field, limit):
    line = replace(sample_copy, rel, old, new)
    [d] = of(run(sample_copy), "text-too-long")
    assert (d.file, d.line) == (rel, line)
    assert f"“{field}”太长" in d.message and f"最多 {limit:,} 个字" in d.message


def test_default_cap_for_other_text(sample_copy):
    """A text field with no limit of its own (a tour's notes) has the default cap."""
    rel = "content/tours/2025-q3-quanxian.yml"
    text = (sample_copy.parent / rel).read_text(encoding="utf-8")
    assert "notes: |\n  " in text
    line = replace(sample_copy, rel, "notes: |\n", "notes: |\n  " + "备" * 2500 + "\n")
    diags = [d for d in run(sample_copy) if d.code == "text-too-long"]
    assert [(d.file, d.line) for d in diags] == [(rel, line)]


def test_schema_tells_editors_the_limits():
    schema = json.loads((ROOT / "schemas/village.schema.json").read_text(encoding="utf-8"))
    props = schema["properties"]
    assert props["summary"]["maxLength"] == SHORT_MAX
    assert props["name"]["maxLength"] == NAME_MAX


# -- photos ------------------------------------------------------------------------------


def test_photo_bomb_message_says_the_limit_once_in_wan_pixels():
    from builder.photos.messages import describe
    from builder.photos.settings import PhotoSettings

    code, msg, hint = describe(
        "bomb", "20000x10000 > 89478485", "王家庄村（wangjiazhuang）", "photos/a.jpg", PhotoSettings()
    )
    assert code == "photo-bomb"
    assert "8,948 万像素" in msg and "20,000 万像素" in msg and "20,000 × 10,000" in msg
    assert (msg + hint).count("8,948") == 1 and "89478485" not in msg + hint
    _, msg, _ = describe(
        "bomb",
        "Image size (100000000 pixels) exceeds limit of 89478485 pixels, could be decompression bomb DOS attack.",
        "村",
        "photos/b.png",
        PhotoSettings(),
    )
    assert "10,000 万像素" in msg and "8,948 万像素" in msg and "exceeds" not in msg
