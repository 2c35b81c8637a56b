"""site.yml's identity and compliance fields: formats checked with located
Chinese diagnostics, images checked and re-encoded, never an outside URL."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from PIL import Image

from builder.pipeline import check
from builder.settings.identity import ICP_RE, POLICE_RE, SITE_CODE_RE, footer_data, police_number
from builder.settings.load import SettingsPart
from tests.test_check_diagnostics import assert_diag, edit, line_of, run

SITE = "content/site.yml"


@pytest.mark.parametrize(
    "value",
    ["京ICP备12345678号", "京ICP备12345678号-1", "浙ICP备2021012345号-12", "粤ICP备05000000号"],
)
def test_real_icp_numbers_pass(value):
    assert ICP_RE.match(value)


@pytest.mark.parametrize(
    "value",
    ["ICP备12345678号", "京ICP证030173号", "京ICP备12345678", "京icp备12345678号", "示ICP备12345678号", "京ICP备123号"],
)
def test_malformed_icp_numbers_fail(value):
    assert not ICP_RE.match(value)


def test_police_and_site_code_formats():
    assert POLICE_RE.match("京公网安备 11010502030143号")
    assert POLICE_RE.match("京公网安备11010502030143号")
    assert police_number("京公网安备 11010502030143号") == "11010502030143"
    assert not POLICE_RE.match("京公网安备 1101050203014号")  # 13 digits
    assert not POLICE_RE.match("公网安备 11010502030143号")
    assert SITE_CODE_RE.match("1101000001") and SITE_CODE_RE.match("bm09000001")
    assert not SITE_CODE_RE.match("110100000") and not SITE_CODE_RE.match("11010000012")


@pytest.mark.parametrize(
    ("old", "new", "words"),
    [
        ("京ICP备00000000号-1", "京ICP备１２345678号", ["ICP 备案号", "第 6 个字符“１”是全角数字", "半角“1”"]),
        ("京ICP备00000000号-1", "ICP备12345678号", ["ICP 备案号", "格式不对"]),
        ("京公网安备 00000000000000号", "京公网安备 0000000000000号", ["公安备案号", "格式不对"]),
        ("京公网安备 00000000000000号", "京公网安备　00000000000000号", ["公安备案号", "全角空格"]),
        ('"0000000000"', '"00000"', ["网站标识码", "格式不对"]),
        ('"0000000000"', "０000000000", ["网站标识码", "全角数字"]),
        ("0000-0000000", "电话 0000", ["联系电话", "格式不对"]),
        ("dangjian@example.org", "dangjian＠example.org", ["电子邮箱", "“＠”是全角符号", "半角“@”"]),
    ],
)
def test_a_bad_value_is_located_with_a_chinese_message(sample_copy, old, new, words):
    line = edit(sample_copy, SITE, old, new)
    d = assert_diag(run(sample_copy), "site-filing", SITE, line)
    for w in words:
        assert w in d.message, d.message
    assert "正确写法" in d.hint


def test_gov_mark_link_must_be_https(sample_copy):
    line = edit(
        sample_copy,
        SITE,
        "  image: county/gov-mark.png\n",
        "  image: county/gov-mark.png\n  link: javascript:alert(1)\n",
    )
    assert_diag(run(sample_copy), "site-filing", SITE, line + 1)


def test_the_sample_is_clean_and_its_images_are_png(sample_copy):
    content, diags = check(sample_copy, sample_copy.parent)
    assert not [d for d in diags if d.code in ("site-filing", "site-image")], diags.format("text")
    part = content.find(SettingsPart)
    assert part is not None and set(part.images) == {"logo", "gov_mark"}
    for img in part.images.values():
        assert img.png.startswith(b"\x89PNG") and max(img.width, img.height) <= 480
    data = footer_data(content.settings, part.images)
    assert data["logo"] == "assets/site/logo.png" and data["gov_mark"] == "assets/site/gov_mark.png"
    assert data["police_link"] == "https://beian.mps.gov.cn/#/query/webSearch?code=00000000000000"


@pytest.mark.parametrize(
    ("ref", "words"),
    [
        ("https://example.org/logo.png", "不能是网址"),
        ("//example.org/logo.png", "不能是网址"),
        ("../secret.png", "必须在 content/ 里面"),
        ("county/nothere.png", "不存在"),
        ("towns.yml", "不是图片"),
    ],
)
def test_a_bad_logo_is_located(sample_copy, ref, words):
    line = line_of(sample_copy, SITE, "logo: county/logo.png")
    edit(sample_copy, SITE, "logo: county/logo.png", f'logo: "{ref}"')
    d = assert_diag(run(sample_copy), "site-image", SITE, line)
    assert words in d.message, d.message


def test_an_svg_or_gif_logo_is_refused_and_a_jpeg_is_re_encoded(sample_copy):
    logo = sample_copy / "county/logo.png"
    logo.write_bytes(b"<svg xmlns='http://www.w3.org/2000/svg' onload='alert(1)'/>")
    line = line_of(sample_copy, SITE, "logo: county/logo.png")
    assert_diag(run(sample_copy), "site-image", SITE, line)
    buf = io.BytesIO()
    Image.new("RGB", (1200, 600), (200, 0, 0)).save(buf, "JPEG")
    logo.write_bytes(buf.getvalue())
    content, diags = check(sample_copy, sample_copy.parent)
    assert not [d for d in diags if d.code == "site-image"]
    img = content.find(SettingsPart).images["logo"]
    assert img.png.startswith(b"\x89PNG") and (img.width, img.height) == (480, 240)


def test_a_huge_image_is_refused_before_decoding(sample_copy):
    buf = io.BytesIO()
    Image.new("1", (5000, 100)).save(buf, "PNG")
    (sample_copy / "county/logo.png").write_bytes(buf.getvalue())
    line = line_of(sample_copy, SITE, "logo: county/logo.png")
    d = assert_diag(run(sample_copy), "site-image", SITE, line)
    assert "5000×100" in d.message


def test_no_identity_fields_means_an_empty_footer(tmp_path: Path):
    from builder.settings.model import SiteSettings

    data = footer_data(SiteSettings(county="甲县", title="甲县门户"), {})
    assert data["sponsor"] == "" and data["logo"] == "" and data["icp_link"] == "" and data["police_link"] == ""
