"""The located YAML loader: positions of values and keys, duplicate keys,
YAML 1.2 booleans, unsafe tags, alias bombs, and text-file decoding."""

from __future__ import annotations

import datetime as dt

import pytest

from builder.kernel.diagnostics import Diagnostics
from builder.kernel.loading.textfile import read_text
from builder.kernel.loading.yamlsrc import parse_yaml

SRC = """name: 王家庄村
brand:
  name: 薯香红旗
tags: [马铃薯, 合作社]
gallery:
  - file: photos/a.jpg
    taken: 2024-05-10
flag: yes
ok: true
"""


def parse(text: str):
    d = Diagnostics()
    return parse_yaml(text, "f.yml", d), d


def test_positions_of_values_and_keys():
    doc, d = parse(SRC)
    assert not len(d)
    assert doc.loc(("brand", "name")).line == 3 and doc.loc(("brand", "name")).column == 9
    assert doc.key_loc(("brand", "name")).column == 3
    assert (doc.loc(("tags", 1)).line, doc.loc(("tags", 1)).column) == (4, 13)
    assert doc.loc(("gallery", 0, "taken")).line == 7
    # a path that does not exist points at the nearest enclosing value
    assert doc.loc(("gallery", 0, "caption")).line == 6


def test_values_are_plain_data_yaml12_booleans():
    doc, _ = parse(SRC)
    assert doc.data["gallery"][0]["taken"] == dt.date(2024, 5, 10)
    assert doc.data["flag"] == "yes"  # not a boolean (YAML 1.1 surprise)
    assert doc.data["ok"] is True


def test_duplicate_key_keeps_first_and_reports_both_lines():
    doc, d = parse("a: 1\nb: 2\na: 3\n")
    assert doc.data["a"] == 1
    (diag,) = d.errors
    assert diag.code == "duplicate-key" and diag.line == 3 and "第 1 行" in diag.message


def test_unsafe_tag_is_refused():
    _doc, d = parse("a: !!python/object/apply:os.system [echo hi]\n")
    assert "yaml-tag" in d.codes() or "yaml-syntax" in d.codes()


def test_alias_bomb_is_bounded():
    lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    for i in range(1, 12):
        lines.append(f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 10) + "]")
    _doc, d = parse("\n".join(lines) + "\n")
    assert d.has_errors and "yaml-syntax" in d.codes()


def test_multiple_documents_and_empty_file():
    _, d = parse("a: 1\n---\nb: 2\n")
    assert d.codes() == {"multiple-documents"} and d.errors[0].line == 2
    _, d = parse("# only a comment\n")
    assert d.codes() == {"empty-file"}


def test_merge_key_is_refused():
    _, d = parse("base: &b {x: 1}\nother:\n  <<: *b\n")
    assert "unknown-key" in d.codes()


def test_read_text_crlf_and_bom(tmp_path):
    p = tmp_path / "a.yml"
    p.write_bytes(b"\xef\xbb\xbfa: 1\r\nb: 2\r\n")
    d = Diagnostics()
    assert read_text(p, "a.yml", d) == "a: 1\nb: 2\n" and not len(d)


def test_read_text_nul_bytes(tmp_path):
    p = tmp_path / "a.yml"
    p.write_bytes(b"a: 1\nb: \x00\n")
    d = Diagnostics()
    assert read_text(p, "a.yml", d) is None
    assert d.errors[0].code == "encoding" and d.errors[0].line == 2


@pytest.mark.parametrize(
    "text",
    [
        "0",
        "12",
        "-3",
        "007",
        "0o17",
        "0x1F",
        "1_000",
        "+4",
        "8.5",
        "-0.5",
        ".5",
        "5.",
        "0.10",
        "00.5",
        "9.0",
        "1.5e3",
        "1.0e+3",
        ".inf",
        "-.Inf",
        ".nan",
        "1:30",
        "190:20:30.15",
        "10",
        "3.14159",
    ],
)
def test_numbers_read_as_pyyaml_reads_them(text):
    """The loader's shortcut for plain decimal numbers gives exactly what
    PyYAML's safe loader gives for every number form YAML 1.1 knows."""
    import math

    import yaml

    from builder.kernel.diagnostics import Diagnostics
    from builder.kernel.loading.yamlsrc import parse_yaml

    doc = parse_yaml(f"value: {text}\n", "x.yml", Diagnostics())
    assert doc is not None
    got, want = doc.data["value"], yaml.safe_load(f"value: {text}\n")["value"]
    assert type(got) is type(want), (text, got, want)
    assert got == want or (isinstance(want, float) and math.isnan(want) and math.isnan(got)), (text, got, want)


@pytest.mark.parametrize(
    "text",
    [
        "name: 【待填写】\n",
        'name: "\\u3010待填写\\u3011"\n',  # spelled with escapes: the text never shows it
        "items:\n  - a\n  - {brand: 【待填写】}\n",
    ],
)
def test_a_blank_left_unfilled_is_found_however_it_is_written(text):
    from builder.kernel.content import has_placeholders

    diags = Diagnostics()
    doc = parse_yaml(text, "v.yml", diags)
    assert doc is not None
    assert has_placeholders(doc, diags)
    assert [d.code for d in diags] == ["placeholder"]


def test_a_file_without_blanks_has_no_placeholder_diagnostic():
    from builder.kernel.content import has_placeholders

    diags = Diagnostics()
    doc = parse_yaml('name: 待填写\nnote: "\\u3010"\n', "v.yml", diags)
    assert doc is not None
    assert not has_placeholders(doc, diags)
    assert list(diags) == []


def test_forgotten_positions_are_read_again_from_the_text():
    """A one-shot build lets the positions go once the content is validated
    (yamlsrc.forget_positions); a diagnostic made later is still placed at
    the same line and column, read again from the document's own text."""
    from builder.kernel.loading.yamlsrc import forget_positions

    text = "name: 白水村\nitems:\n  - {score: 4.5, evidence: 有台账}\n  - {score: 9}\ntext: |\n  第一行\n"
    doc = parse_yaml(text, "v.yml", Diagnostics())
    assert doc is not None
    paths = [(), ("name",), ("items", 0, "score"), ("items", 1), ("text",), ("items", 1, "nope")]
    before = [doc.loc(p) for p in paths] + [doc.key_loc(("items", 0, "evidence"))]
    assert (before[2].line, before[2].column) == (3, 13)
    assert forget_positions() >= 1
    assert doc._positions == {} and doc._key_positions == {}  # gone until asked
    after = [doc.loc(p) for p in paths] + [doc.key_loc(("items", 0, "evidence"))]
    assert after == before
    assert doc.data["items"][0] == {"score": 4.5, "evidence": "有台账"}  # the values stay
