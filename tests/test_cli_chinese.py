"""Every usage message an editor can meet is Chinese (issue 12): argparse's
own words (usage, headings, errors) included."""

from __future__ import annotations

import re

import pytest

from tests.conftest import run_cli

ENGLISH = re.compile(
    r"usage:|options:|positional arguments|show this help|invalid choice|the following arguments are required|"
    r"unrecognized arguments|expected one argument|error:|argument "
)


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (["chek"], ["没有“chek”这一项", "是不是想写“check”", "check、generate"]),
        (["check", "--format", "xml"], ["参数 --format", "没有“xml”这一项", "text、json、github"]),
        (["check", "--formt", "json"], ["不认识的参数：--formt"]),
        (["scores", "template"], ["缺少必填的参数"]),
        (["check", "--content"], ["后面要跟一个值"]),
    ],
)
def test_usage_errors_are_chinese(tmp_path, args, words):
    r = run_cli(*args, cwd=tmp_path)
    assert r.returncode == 2
    assert "用法：" in r.stderr and "用法错误" in r.stderr
    assert not ENGLISH.search(r.stderr), r.stderr
    for w in words:
        assert w in r.stderr, r.stderr


@pytest.mark.parametrize("args", [["--help"], ["check", "--help"], ["scores", "import", "--help"]])
def test_help_is_chinese(tmp_path, args):
    r = run_cli(*args, cwd=tmp_path)
    assert r.returncode == 0
    assert "显示这份帮助" in r.stdout and "用法：" in r.stdout
    assert not ENGLISH.search(r.stdout), r.stdout
