"""`python -m builder new village|project`: a complete commented template;
unfilled it gives clear errors, filled it passes the check."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import yaml

from builder.kernel.diagnostics import Diagnostics
from builder.kernel.loading.yamlsrc import load_yaml
from builder.pipeline import check
from tests.conftest import run_cli

PH = "【待填写】"

# What an editor would type for each blank, by key.
FILL = {
    "name": "张家湾村",
    "summary": "测试用的村。",
    "lat": "35.5931",
    "lng": "104.6207",
    "address": "示例县青山镇张家湾村",
    "function": "村容村貌整洁型",
    "slogan": "测试口号",
    "meaning": "测试内涵。",
    "title": "测试看点",
    "description": "测试说明。",
    "phone": "13800000099",
    "date": "2026-03-01",
    "assessor": "张家湾村党支部",
    "issuer": "青山镇党委",
    "level": "达标",
    "score": "9",
    "evidence": "测试佐证。",
    "what": "马铃薯种植面积",
    "quantity": "100",
    "unit": "亩",
    "month": "2026-02",
    "secretary": "张三",
    "theme": "产业发展",
    "start": "2026-03-01",
    "end": "2026-03-31",
}
BLANK = re.compile(r"^(\s*(?:-\s+)?)([A-Za-z_][\w-]*): (\"?)" + PH + r"(\"?)")


def fill(path: Path) -> None:
    out = []
    for line in path.read_text(encoding="utf-8").splitlines():
        m = BLANK.match(line)
        if m:
            line = f"{m.group(1)}{m.group(2)}: {m.group(3)}{FILL[m.group(2)]}{m.group(4)}" + line[m.end() :]
        line = line.replace(f"[{PH}]", "[测试]").replace(PH, "张家湾村是示例县的一个村。")
        out.append(line)
    path.write_text("\n".join(out) + "\n", encoding="utf-8")


def new(content: Path, *args):
    return run_cli("new", *args, "--content", str(content), cwd=content.parent)


def test_new_village_lists_every_item_with_comments(sample_copy):
    r = new(sample_copy, "village", "zhangjiawan", "--town", "青山镇")
    assert r.returncode == 0, r.stderr
    folder = sample_copy / "villages" / "zhangjiawan"
    assert (folder / "photos").is_dir() and (folder / "index.md").exists()
    text = (folder / "village.yml").read_text(encoding="utf-8")
    assert text.startswith("# yaml-language-server: $schema=../../../schemas/village.schema.json\n")
    content, _ = check(sample_copy, sample_copy.parent)
    for fid in content.settings.frameworks:
        fw = content.frameworks[fid]
        for n, item in enumerate(fw.items, 1):
            assert f"      {item.id}:\n" in text
            assert f"# 第 {n} 条：{item.name}" in text
    # every line that sets a value says what it means
    for line in text.splitlines():
        if re.match(r"^\s*(-\s+)?[A-Za-z_][\w-]*:\s*\S", line) and not re.match(r"^\s*[\w-]+:\s*$", line):
            if "name: 调研摸底" in line or "name: 项目实施" in line:
                continue
            assert "# " in line, f"no comment on: {line}"


def test_unfilled_scaffold_gives_clear_errors(sample_copy):
    assert new(sample_copy, "village", "zhangjiawan", "--town", "青山镇").returncode == 0
    assert new(sample_copy, "project", "2026-zhangjiawan-test", "--village", "zhangjiawan").returncode == 0
    r = run_cli("check", "--content", "content", "--format", "json", cwd=sample_copy.parent)
    assert r.returncode == 1
    assert "Traceback" not in r.stderr
    items = [i for i in json.loads(r.stdout) if i["severity"] == "error"]
    assert items and {i["code"] for i in items} == {"placeholder"}
    files = {i["file"] for i in items}
    assert files == {
        "content/villages/zhangjiawan/village.yml",
        "content/villages/zhangjiawan/index.md",
        "content/projects/2026-zhangjiawan-test.yml",
    }
    for i in items:
        line = (sample_copy.parent / i["file"]).read_text(encoding="utf-8").splitlines()[i["line"] - 1]
        assert PH in line, (i, line)
        assert "还没有填写" in i["message"]


def test_filled_scaffold_passes_check(sample_copy):
    assert new(sample_copy, "village", "zhangjiawan", "--town", "青山镇").returncode == 0
    assert new(sample_copy, "project", "2026-zhangjiawan-test", "--village", "zhangjiawan").returncode == 0
    folder = sample_copy / "villages" / "zhangjiawan"
    for path in (folder / "village.yml", folder / "index.md", sample_copy / "projects" / "2026-zhangjiawan-test.yml"):
        fill(path)
        assert PH not in path.read_text(encoding="utf-8")
    content, diags = check(sample_copy, sample_copy.parent)
    assert not diags.has_errors, diags.format("text")
    v = content.villages["zhangjiawan"]
    assert v.model.name == "张家湾村" and v.model.status == "申报"
    assert set(v.model.assessments) == set(content.settings.frameworks)
    assert "2026-zhangjiawan-test" in content.projects
    r = run_cli("check", "--content", "content", cwd=sample_copy.parent)
    assert r.returncode == 0, r.stdout


def test_refuses_to_overwrite(sample_copy):
    before = (sample_copy / "villages/wangjiazhuang/village.yml").read_bytes()
    r = new(sample_copy, "village", "wangjiazhuang", "--town", "青山镇")
    assert r.returncode == 1
    assert "已经存在" in r.stderr and "不会覆盖" in r.stderr
    assert (sample_copy / "villages/wangjiazhuang/village.yml").read_bytes() == before
    proj = sample_copy / "projects/2022-wangjiazhuang-malingshu.yml"
    before = proj.read_bytes()
    r = new(sample_copy, "project", "2022-wangjiazhuang-malingshu", "--village", "wangjiazhuang")
    assert r.returncode == 1 and "不会覆盖" in r.stderr
    assert proj.read_bytes() == before


def test_wrong_arguments_exit_2(sample_copy):
    r = new(sample_copy, "village", "王家村", "--town", "青山镇")
    assert r.returncode == 2 and "不合规" in r.stderr
    r = new(sample_copy, "village", "newvillage", "--town", "青山乡")
    assert r.returncode == 2 and "是不是想写“青山镇”" in r.stderr
    r = new(sample_copy, "project", "2026-x", "--village", "wangjiazhang")
    assert r.returncode == 2 and "wangjiazhuang" in r.stderr
    r = run_cli("new", "village", "x", cwd=sample_copy.parent)  # --town missing
    assert r.returncode == 2
    assert not (sample_copy / "villages/newvillage").exists()


def test_scaffold_is_valid_yaml_and_schema_shaped(sample_copy):
    assert new(sample_copy, "village", "zhangjiawan", "--town", "白水乡").returncode == 0
    diags = Diagnostics()
    doc = load_yaml(sample_copy / "villages/zhangjiawan/village.yml", "v.yml", diags)
    assert doc is not None and not diags.has_errors
    assert doc.data["town"] == "白水乡"
    assert doc.data["contacts"][0]["phone_public"] is False


def test_uncommenting_the_examples_gives_valid_lists(sample_copy):
    """The commented gallery and report examples become valid YAML when the
    editor removes the "# " as the comment says (no `[]` left above them)."""
    assert new(sample_copy, "village", "zhangjiawan", "--town", "青山镇").returncode == 0
    assert new(sample_copy, "project", "2026-zhangjiawan-test", "--village", "zhangjiawan").returncode == 0
    folder = sample_copy / "villages" / "zhangjiawan"
    shutil.copy(
        sample_copy / "villages" / "wangjiazhuang" / "photos" / "dangqun.jpg", folder / "photos" / "dangqun.jpg"
    )
    for path, key in (
        (folder / "village.yml", "gallery"),
        (sample_copy / "projects" / "2026-zhangjiawan-test.yml", "reports"),
    ):
        fill(path)
        lines = path.read_text(encoding="utf-8").splitlines()
        start = lines.index(f"# {key}:")
        end = start + 1
        while end < len(lines) and lines[end].startswith("#   "):
            end += 1
        lines[start:end] = [line[2:] for line in lines[start:end]]
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        assert isinstance(data[key], list) and len(data[key]) == 1 and isinstance(data[key][0], dict)
    fill(folder / "index.md")
    content, diags = check(sample_copy, sample_copy.parent)
    assert not diags.has_errors, diags.format("text")
    assert [g.file for g in content.villages["zhangjiawan"].model.gallery] == ["photos/dangqun.jpg"]
    assert len(content.projects["2026-zhangjiawan-test"].model.reports) == 1
