"""The site's identity and compliance fields of site.yml (主办单位, 备案号,
网站标识码, contact, logo, 党政机关网站标识): their formats, checked with
located Chinese diagnostics, and the two images, read from content/ and
re-encoded as plain PNG files (never an outside URL)."""

from __future__ import annotations

import io
import re
import unicodedata
from dataclasses import dataclass
from typing import TYPE_CHECKING

from builder.kernel.diagnostics import Code, Diagnostics, Location, Severity

if TYPE_CHECKING:
    from builder.kernel.content import ContentBase
    from builder.kernel.loading.yamlsrc import YamlDoc
    from builder.settings.model import SiteSettings

# The one-character abbreviations of the provinces (ICP and 公安 numbers start with one).
PROVINCES = "京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼"
# 工信部 ICP 备案号: 京ICP备12345678号, optionally the site's number: 京ICP备12345678号-1
# (older numbers have 6–8 digits, newer ones 10: 京ICP备2021012345号).
ICP_RE = re.compile(rf"^[{PROVINCES}]ICP备\d{{6,10}}号(?:-\d{{1,3}})?$")
# 公安机关互联网站安全管理服务平台: 京公网安备 11010502030143号 (14 digits, the first six the county's code).
POLICE_RE = re.compile(rf"^[{PROVINCES}]公网安备 ?(\d{{14}})号$")
# 政府网站标识码 (《政府网站发展指引》): 10 characters: the 6-digit area code and 4 digits
# (1101000001), or "bm" with 8 digits for a central department.
SITE_CODE_RE = re.compile(r"^(?:\d{10}|bm\d{8})$", re.I)
PHONE_RE = re.compile(r"^[0-9+\-()（）、 ,，转]{5,40}$")
EMAIL_RE = re.compile(r"^[^@\s]+@[^@\s]+\.[A-Za-z]{2,}$")
LINK_RE = re.compile(r"^https://[^\s\"'<>]+$")
POLICE_QUERY = "https://beian.mps.gov.cn/#/query/webSearch?code="
ICP_QUERY = "https://beian.miit.gov.cn/"

IMAGE_MAX_BYTES = 2 * 1024 * 1024
IMAGE_MAX_SIDE = 4000  # pixels of the source (a logo is far smaller)
IMAGE_OUT_SIDE = 480  # longest side of the published copy
IMAGE_FORMATS = {"png", "jpg", "webp"}

CODES = (
    Code(
        "site-filing",
        Severity.ERROR,
        "备案号、网站标识码或联系方式的格式不对",
        "site.yml 里的 ICP 备案号、公安备案号、网站标识码、电话、邮箱要按规定格式填写，"
        "数字和字母用半角（英文输入法）。",
        "icp_filing: 京ICP备１２３４５６７８号",
        "icp_filing: 京ICP备12345678号",
    ),
    Code(
        "site-image",
        Severity.ERROR,
        "网站标志图片有问题",
        "site.yml 里 logo 或 gov_mark 指向的图片不存在、不是 PNG/JPEG/WebP，或者太大。",
        "logo: https://example.org/logo.png",
        "logo: county/logo.png",
    ),
)


def _fullwidth(value: str) -> str:
    """A message naming the first full-width letter, digit or sign, or ""."""
    for i, ch in enumerate(value, 1):
        if "\uff01" <= ch <= "\uff5e" and ch not in "（），":
            half = unicodedata.normalize("NFKC", ch)
            kind = "数字" if half.isdigit() else ("字母" if half.isalpha() else "符号")
            return f"第 {i} 个字符“{ch}”是全角{kind}，请改成半角“{half}”（切换到英文输入法再输入）。"
        if ch == "\u3000":
            return f"第 {i} 个字符是全角空格，请删掉或改成半角空格。"
    return ""


@dataclass(frozen=True)
class _Rule:
    path: tuple[str, ...]
    what: str
    pattern: re.Pattern[str]
    example: str


RULES = (
    _Rule(
        ("icp_filing",),
        "ICP 备案号",
        ICP_RE,
        "京ICP备12345678号 或 京ICP备12345678号-1（省份简称 + ICP备 + 数字 + 号）",
    ),
    _Rule(
        ("police_filing",),
        "公安备案号",
        POLICE_RE,
        "京公网安备 11010502030143号（省份简称 + 公网安备 + 14 位数字 + 号）",
    ),
    _Rule(("site_code",), "网站标识码", SITE_CODE_RE, "1101000001（10 位，在全国政府网站信息报送系统中查看）"),
    _Rule(("contact", "phone"), "联系电话", PHONE_RE, "0931-1234567 或 0931-1234567、13800000000"),
    _Rule(("contact", "email"), "电子邮箱", EMAIL_RE, "dangjian@example.gov.cn"),
    _Rule(("gov_mark", "link"), "党政机关网站标识的链接", LINK_RE, "https://bszs.conac.cn/sitename?method=show&id=…"),
)


def _value(s: SiteSettings, path: tuple[str, ...]) -> str:
    obj: object = s
    for k in path:
        obj = getattr(obj, k, None)
        if obj is None:
            return ""
    return obj if isinstance(obj, str) else ""


def validate_identity(s: SiteSettings, doc: YamlDoc, diags: Diagnostics) -> None:
    """Formats of the 备案 numbers, 网站标识码 and contact (never changes s)."""
    for rule in RULES:
        value = _value(s, rule.path)
        if not value:
            continue
        where = doc.loc(rule.path)
        wide = _fullwidth(value)
        if wide:
            diags.emit(where, "site-filing", f"{rule.what}“{value}”里有全角字符：{wide}", f"正确写法：{rule.example}。")
        elif not rule.pattern.match(value):
            diags.emit(where, "site-filing", f"{rule.what}“{value}”的格式不对。", f"正确写法：{rule.example}。")


def police_number(value: str) -> str:
    """The 14 digits of a valid 公安备案号 (for the link to its record), or ""."""
    m = POLICE_RE.match(value)
    return m.group(1) if m else ""


@dataclass(frozen=True)
class SiteImage:
    """A published copy of one of site.yml's images."""

    key: str  # "logo" or "gov_mark"
    png: bytes
    width: int
    height: int

    @property
    def path(self) -> str:
        return f"assets/site/{self.key}.png"


def load_images(content: ContentBase, s: SiteSettings, doc: YamlDoc | None, diags: Diagnostics) -> dict[str, SiteImage]:
    """Read, check and re-encode the logo and the 党政机关网站标识."""
    out: dict[str, SiteImage] = {}
    wanted: list[tuple[str, str, tuple[str, ...], str]] = [("logo", s.logo, ("logo",), "县的标志（logo）")]
    if s.gov_mark is not None:
        wanted.append(("gov_mark", s.gov_mark.image, ("gov_mark", "image"), "党政机关网站标识（gov_mark）"))
    for key, ref, path, what in wanted:
        if not ref:
            continue
        where = doc.loc(path) if doc is not None else Location(content.display(content.content_dir / "site.yml"), 1, 1)
        image = _load_image(content, key, ref, what, where, diags)
        if image is not None:
            out[key] = image
    return out


def _load_image(
    content: ContentBase, key: str, ref: str, what: str, where: Location, diags: Diagnostics
) -> SiteImage | None:
    from builder.kernel.loading.textfile import read_bytes, size_text
    from builder.photos.pipeline import sniff

    hint = "图片放在 content/ 下（例如 content/county/logo.png），这里写相对 content/ 的路径 county/logo.png。"
    if re.match(r"^[a-z][a-z0-9+.\-]*:", ref, re.I) or ref.startswith("//"):
        diags.emit(where, "site-image", f"{what}不能是网址“{ref}”：网站不从别处加载任何文件。", hint)
        return None
    rel = ref.replace("\\", "/")
    while rel.startswith("./"):
        rel = rel[2:]
    if ".." in rel.split("/") or rel.startswith("/"):
        diags.emit(where, "site-image", f"{what}的路径“{ref}”必须在 content/ 里面。", hint)
        return None
    tree = content.listing()
    if tree.kind(rel) is None:
        diags.emit(where, "site-image", f"{what}的图片文件 content/{rel} 不存在。", hint)
        return None
    if not content.is_file(rel, diags):
        return None
    path = content.content_dir / rel
    data = read_bytes(path, content.display(path), diags, IMAGE_MAX_BYTES)
    if data is None:
        return None
    real = sniff(data[:64])
    if real not in IMAGE_FORMATS:
        shown = f"是 {real.upper()} 格式" if real else "不是图片"
        diags.emit(
            where, "site-image", f"{what}的文件 content/{rel} {shown}。", "请另存为 PNG（推荐，可透明）或 JPEG。"
        )
        return None
    from PIL import Image

    try:
        with Image.open(io.BytesIO(data)) as im:
            w, h = im.size
            if w > IMAGE_MAX_SIDE or h > IMAGE_MAX_SIDE:
                diags.emit(
                    where,
                    "site-image",
                    f"{what}的图片 {w}×{h} 像素，太大（最长边不超过 {IMAGE_MAX_SIDE}）。",
                    f"缩小到 {IMAGE_OUT_SIDE} 像素左右再放进来（文件不超过 {size_text(IMAGE_MAX_BYTES)}）。",
                )
                return None
            im.load()
            rgba = im.convert("RGBA")
            rgba.thumbnail((IMAGE_OUT_SIDE, IMAGE_OUT_SIDE))
            buf = io.BytesIO()
            rgba.save(buf, "PNG", optimize=True)
            return SiteImage(key, buf.getvalue(), rgba.width, rgba.height)
    except (OSError, ValueError, Image.DecompressionBombError) as exc:
        diags.emit(
            where,
            "site-image",
            f"{what}的图片 content/{rel} 打不开："
            + (
                "像素太多，可能是恶意构造的文件"
                if isinstance(exc, Image.DecompressionBombError)
                else "数据不完整或已损坏"
            )
            + "。",
            "用看图软件打开确认，另存为 PNG。",
        )
        return None


def footer_data(s: SiteSettings, images: dict[str, SiteImage]) -> dict[str, object]:
    """What the theme's footer and header show (config.extra.villages_site):
    plain strings (the templates escape them) and site paths of the images."""
    c = s.contact
    mark = images.get("gov_mark")
    return {
        "county": s.county,
        "title": s.title,
        "sample": s.sample,
        "sponsor": s.sponsor,
        "operator": s.operator,
        "address": c.address,
        "phone": c.phone,
        # links only for what is surely one number / one address
        "phone_tel": re.sub(r"[^0-9+]", "", c.phone) if re.fullmatch(r"[0-9+\-() ]{5,30}", c.phone) else "",
        "email": c.email,
        "email_link": c.email if EMAIL_RE.match(c.email) else "",
        "icp_filing": s.icp_filing,
        "icp_link": ICP_QUERY if ICP_RE.match(s.icp_filing) else "",
        "police_filing": s.police_filing,
        "police_link": POLICE_QUERY + police_number(s.police_filing) if police_number(s.police_filing) else "",
        "site_code": s.site_code,
        "logo": images["logo"].path if "logo" in images else "",
        "gov_mark": mark.path if mark else "",
        "gov_mark_size": (mark.width, mark.height) if mark else (0, 0),
        "gov_mark_link": s.gov_mark.link if mark and s.gov_mark and LINK_RE.match(s.gov_mark.link) else "",
    }
