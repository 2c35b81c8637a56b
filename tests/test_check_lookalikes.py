"""Full-width and look-alike input (issue 12): recognised everywhere, the
message names the character and the hint shows the corrected text; field
paths read as an editor reads them (Chinese labels, counted from 1)."""

from __future__ import annotations

from pathlib import Path

import pytest

from builder.pipeline import check

V = "villages/wangjiazhuang/village.yml"


def _edit(content: Path, rel: str, old: str, new: str) -> int:
    p = content / rel
    text = p.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {rel}"
    text = text.replace(old, new, 1)
    p.write_text(text, encoding="utf-8")
    return text[: text.index(new)].count("\n") + 1


CASES = [
    # (file, old, new, code, words in the message, the corrected text in the hint)
    (
        V,
        "tags: [马铃薯, 合作社, 产业振兴]",
        "tags: [马铃薯，合作社，产业振兴]",
        "list-separator",
        ["中文逗号“，”", "3 项", "品牌主题标签第 1 项"],
        "tags: [马铃薯, 合作社, 产业振兴]",
    ),
    (
        V,
        "tags: [马铃薯, 合作社, 产业振兴]",
        "tags: [马铃薯、合作社、产业振兴]",
        "list-separator",
        ["顿号“、”"],
        "tags: [马铃薯, 合作社, 产业振兴]",
    ),
    (V, "  lat: 35.5712", "  lat: ３５.５７１２", "lookalike", ["全角数字“３”", "纬度（lat）"], "lat: 35.5712"),
    (
        V,
        '    phone: "0931-0000001"',
        "    phone: “0931-0000001”",
        "curly-quotes",
        ["中文引号", "讲解人和联系人第 2 项的电话（phone）"],
        'phone: "0931-0000001"',
    ),
    (
        V,
        '    phone: "0931-0000001"',
        '    phone: "０９３１－００００００１"',
        "phone-lookalike",
        ["全角数字“０”", "全角短横“－”"],
        'phone: "0931-0000001"',
    ),
    (
        V,
        "    taken: 2022-03-09",
        "    taken: ２０２２-０３-０９",
        "lookalike",
        ["全角数字", "照片第 1 项的拍摄日期（taken）"],
        "taken: 2022-03-09",
    ),
    (V, "summary: ", "ｓｕｍｍａｒｙ: ", "lookalike", ["字段名“ｓｕｍｍａｒｙ”", "全角字母"], "summary"),
    (V, "name: 王家庄村", "name: 王家庄\u200b村", "invisible-char", ["零宽空格"], "name: 王家庄村"),
    (
        "site.yml",
        "levels: [达标, 基本达标, 未达标]",
        "levels: [达标、基本达标、未达标]",
        "settings-list",
        ["顿号“、”"],
        "levels: [达标, 基本达标, 未达标]",
    ),
]


@pytest.mark.parametrize(("rel", "old", "new", "code", "words", "fixed"), CASES)
def test_lookalike_is_named_and_the_fix_is_shown(sample_copy, rel, old, new, code, words, fixed):
    line = _edit(sample_copy, rel, old, new)
    _, diags = check(sample_copy, sample_copy.parent)
    mine = [d for d in diags if d.code == code]
    assert len(mine) == 1, [(d.code, d.file, d.line, d.message) for d in diags]
    [d] = mine
    assert (d.file, d.line) == (f"content/{rel}", line)
    for w in words:
        assert w in d.message, d.message
    assert fixed in d.hint, d.hint


def test_a_lookalike_value_is_one_message_not_two(sample_copy):
    line = _edit(sample_copy, V, "  lat: 35.5712", "  lat: ３５.５７１２")
    _, diags = check(sample_copy, sample_copy.parent)
    at_line = [d.code for d in diags if d.file == f"content/{V}" and d.line == line]
    assert at_line == ["lookalike"]


def test_paths_in_messages_count_from_one_and_use_labels(sample_copy):
    line = _edit(sample_copy, V, "    taken: 2022-03-09", "    taken: [2022-03-09]")
    _, diags = check(sample_copy, sample_copy.parent)
    [d] = [d for d in diags if d.line == line and d.file == f"content/{V}"]
    assert "照片第 1 项的拍摄日期（taken）" in d.message
    assert "gallery.0" not in d.message


def test_an_impossible_date_names_its_field(sample_copy):
    line = _edit(sample_copy, V, "    taken: 2022-03-09", "    taken: 2022-13-09")
    _, diags = check(sample_copy, sample_copy.parent)
    [d] = [d for d in diags if d.line == line and d.file == f"content/{V}"]
    assert d.code == "bad-date" and "taken" in d.message and "2022-13-09" in d.message


@pytest.mark.parametrize(
    ("rel", "old", "new"),
    [
        ("projects/2022-wangjiazhuang-malingshu.yml", "village: wangjiazhuang", "village: 王家庄村"),
        ("tours/2025-q3-quanxian.yml", "  - wangjiazhuang\n", "  - 王家庄\n"),
    ],
)
def test_a_village_written_by_its_chinese_name_gets_its_folder_name(sample_copy, rel, old, new):
    line = _edit(sample_copy, rel, old, new)
    _, diags = check(sample_copy, sample_copy.parent)
    errors = [d for d in diags if d.is_error]
    assert [(d.file, d.line) for d in errors] == [(f"content/{rel}", line)]  # and nothing else
    assert "是不是想写“wangjiazhuang”" in errors[0].hint


# -- site.yml's lists are configuration, judged at site.yml ----------------------------------


@pytest.mark.parametrize(
    ("old", "new", "fixed"),
    [
        ("levels: [达标, 基本达标, 未达标]", "levels: [达标、基本达标、未达标]", "levels: [达标, 基本达标, 未达标]"),
        (
            "functions: [两委班子坚强型, 党员作用突出型,",
            "functions: [两委班子坚强型，党员作用突出型,",
            "functions: [两委班子坚强型, 党员作用突出型]",
        ),
        ("project_themes: [产业发展, 组织建设,", "project_themes: [产业发展, 产业发展, 组织建设,", "删掉重复的一项"),
    ],
)
def test_a_wrong_settings_list_is_one_error_at_site_yml(sample_copy, old, new, fixed):
    line = _edit(sample_copy, "site.yml", old, new)
    _, diags = check(sample_copy, sample_copy.parent)
    errors = [d for d in diags if d.is_error]
    assert [(d.code, d.file, d.line) for d in errors] == [("settings-list", "content/site.yml", line)]
    assert fixed in errors[0].hint


def test_builtin_framework_needs_a_level_site_yml_lacks_reported_at_site_yml(sample_copy):
    line = _edit(sample_copy, "site.yml", "levels: [达标, 基本达标, 未达标]", "levels: [合格, 基本合格, 不合格]")
    _, diags = check(sample_copy, sample_copy.parent)
    at_site = [d for d in diags if d.code == "unknown-level" and d.file == "content/site.yml"]
    assert at_site and all(d.line == line for d in at_site)
    assert not [d for d in diags if d.file.startswith("/") or "builder/frameworks" in d.file]


def test_levels_written_low_to_high_are_refused_with_the_right_order(sample_copy):
    _edit(sample_copy, "site.yml", "levels: [达标, 基本达标, 未达标]", "levels: [未达标, 基本达标, 达标]")
    _, diags = check(sample_copy, sample_copy.parent)
    errors = [d for d in diags if d.is_error]
    assert errors and {(d.code, d.file) for d in errors} == {("settings-list", "content/site.yml")}
    assert "levels: [达标, 基本达标, 未达标]" in errors[0].hint


def test_a_renamed_village_folder_is_suggested_where_the_old_name_is_used(sample_copy):
    (sample_copy / "villages" / "wangjiazhuang").rename(sample_copy / "villages" / "wjz")
    _, diags = check(sample_copy, sample_copy.parent)
    errors = [d for d in diags if d.is_error]
    # every place that still says wangjiazhuang: the tour, the project, the 示范带, the news items
    # about it — and nothing else
    assert {d.file for d in errors} == {
        "content/tours/2025-q3-quanxian.yml",
        "content/projects/2022-wangjiazhuang-malingshu.yml",
        "content/site.yml",
        "content/news/2025-09-18-quanxian-guanmo-lalian.md",
        "content/news/2025-10-12-wangjiazhuang-malingshu-caiwa.md",
        "content/news/2026-03-10-wangjiazhuang-zhutidangri.md",
    }, [(d.code, d.file, d.line) for d in errors]
    for d in errors:
        assert d.code == "unknown-village" and "是不是想写“wjz”" in d.hint, (d.message, d.hint)


def test_utf16_without_a_byte_order_mark_is_named_as_utf16(sample_copy):
    path = sample_copy / V
    path.write_bytes(path.read_text(encoding="utf-8").encode("utf-16-le"))  # Notepad's "Unicode", no BOM
    _, diags = check(sample_copy, sample_copy.parent)
    [d] = [d for d in diags if d.file == f"content/{V}"]
    assert d.code == "encoding" and "UTF-16" in d.message and "GBK" not in d.message + d.hint


@pytest.mark.parametrize(
    "text",
    [
        "tags:\n- 红色，旅游\n",
        "a:\n  b:\n    - - 红色、旅游\n",
        "tags: [红色，旅游]\n",
        'tags: ["红色\\uff0c旅游"]\n',
    ],
)
def test_a_list_item_with_a_chinese_comma_is_found_however_the_list_is_written(text):
    """scan_lookalikes skips files whose text cannot hold a finding
    (schema._may_hold_lookalikes); every way of writing a list still gets
    its list-separator warning."""
    from builder.kernel.diagnostics import Diagnostics
    from builder.kernel.loading.yamlsrc import parse_yaml
    from builder.kernel.schema import scan_lookalikes

    diags = Diagnostics()
    doc = parse_yaml(text, "v.yml", diags)
    assert doc is not None and not list(diags)
    scan_lookalikes(doc, diags)
    assert [d.code for d in diags] == ["list-separator"]


def test_a_file_without_lists_quotes_or_phones_is_not_walked():
    from builder.kernel.diagnostics import Diagnostics
    from builder.kernel.loading.yamlsrc import parse_yaml
    from builder.kernel.schema import _may_hold_lookalikes

    text = (
        "category: 重点攻坚\nassessments:\n  shige:\n    date: 2022-03-20\n"
        "    items:\n      a: {score: 4.5, evidence: 领导班子好，有台账、有记录。}\n"
    )
    assert not _may_hold_lookalikes(text)
    for found in ("phone: 1\n", "x: “引号”\n", "x: a\u200bb\n", "x:\n - a\n", "x: [a]\n", 'x: "\\u201c"\n'):
        assert _may_hold_lookalikes(text + found), found
    assert parse_yaml(text, "v.yml", Diagnostics()) is not None
