"""Editors' prose (index.md) → safe HTML, and what `check` says about it.

One function, :func:`render_prose`, does both, so `check` and the build never
disagree:

1. Markdown with a fixed, documented extension set (:data:`EXTENSIONS`);
   the editor's headings move one level down to nest under the page's
   "村情介绍" (line for line, so line numbers stay true).
2. The HTML Markdown produced is parsed as a browser would (lexbor, an HTML5
   parser) and every element and attribute is judged against the allowlist
   in :mod:`builder.villages.prose.policy`: each one that will be removed or changed
   becomes a :class:`Finding` located in the Markdown source.
3. nh3 (the Rust sanitizer ammonia) enforces the same allowlist on the HTML:
   its output is all that is published. Links get rel="noopener noreferrer";
   images survive only when they are the village's own photos (the page then
   puts the published derivative in their place, see :meth:`Prose.with_photos`).

Pure: no file access, no global state; results are cached by input.
"""

from __future__ import annotations

import html as htmllib
import posixpath
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import lru_cache

import markdown
import nh3
from selectolax.lexbor import LexborHTMLParser

from builder.villages.prose import policy

# Python-Markdown extensions editors' prose is rendered with. attr_list stays
# (so "{#id}" works) but only the attributes of the policy survive it.
EXTENSIONS = ["tables", "fenced_code", "sane_lists", "attr_list", "toc"]


@dataclass(frozen=True)
class Finding:
    line: int
    column: int
    code: str  # unsafe-html | outside-resource | missing-photo | html-removed
    error: bool
    message: str
    hint: str


@dataclass(frozen=True)
class Prose:
    html: str  # sanitized; own photos still as <img src="photos/…">
    findings: tuple[Finding, ...] = ()
    photos: tuple[str, ...] = ()  # village photo files the prose shows, in order
    photo_lines: dict[str, tuple[int, int]] = field(default_factory=dict, compare=False)  # file → (line, column)
    # links within the site (not http(s)/mailto/tel): (href, line, column), for check
    local_links: tuple[tuple[str, int, int], ...] = ()
    ids: frozenset[str] = frozenset()  # element ids of the sanitized HTML (headings)

    @property
    def errors(self) -> tuple[Finding, ...]:
        return tuple(f for f in self.findings if f.error)

    def with_photos(self, picture: Callable[[str, str], str]) -> str:
        """The HTML with each own-photo <img> replaced by ``picture(file, alt)``
        (trusted markup made by the photo pipeline, which escapes alt); an
        image whose photo was not published becomes its alt text."""

        def sub(m: re.Match[str]) -> str:
            attrs = {k: htmllib.unescape(v) for k, v in _ATTR.findall(m.group(0))}
            alt = attrs.get("alt", "")
            file = _photo_path(attrs.get("src", ""))
            out = picture(file, alt) if file else ""
            return out or htmllib.escape(alt)

        return _IMG.sub(sub, self.html)


# nh3's output is normalised: lower-case names, every value double-quoted
# with '"' escaped, so these simple patterns read it reliably.
_IMG = re.compile(r"<img\b[^>]*>")
_ATTR = re.compile(r'\s([a-z][a-z0-9:_-]*)="([^"]*)"')


def _photo_path(src: str) -> str | None:
    """'photos/a.jpg', './photos/a.jpg' → 'photos/a.jpg'; anything else → None."""
    v = policy.clean_url(src)
    if not v or policy.is_outside(v) or v.startswith("/"):
        return None
    v = v.split("#", 1)[0].split("?", 1)[0]
    try:
        from urllib.parse import unquote

        v = unquote(v)
    except ValueError:
        return None
    norm = posixpath.normpath(v)
    return norm if norm.startswith("photos/") else None


def _slugify(value: str, separator: str) -> str:
    from pypinyin import lazy_pinyin

    key = re.sub(r"[^a-z0-9]+", "-", "".join(lazy_pinyin(value)).lower()).strip("-")
    return "s-" + (key[:48] or "x")


_MD = None


def _markdown(text: str) -> str:
    global _MD
    if _MD is None:
        _MD = markdown.Markdown(
            extensions=EXTENSIONS,
            extension_configs={
                "tables": {"use_align_attribute": True},
                "toc": {"slugify": _slugify, "permalink": False},
            },
        )
    _MD.reset()
    return _MD.convert(text)


# --- judging -----------------------------------------------------------------------


@dataclass
class _Issue:
    code: str
    error: bool
    message: str
    hint: str
    needles: tuple[str, ...]  # what to look for in the source, best first


_HINT_HTML = (
    "删掉这段 HTML，用普通文字或 Markdown 写法：链接写成 [文字](https://…)，照片写成 ![说明](photos/文件名.jpg)。"
)
_HINT_OUTSIDE = (
    "网站只显示本站的文件（很多访问者在政务内网，外部图片打不开，还会泄露访问记录）："
    "把图片下载下来放进本村的 photos/ 文件夹，在 village.yml 的 gallery 里登记，"
    "再在正文里写 ![说明](photos/文件名.jpg)。"
)


def _judge(tag: str, attrs: dict[str, str | None], photos: frozenset[str], used: list[str]) -> list[_Issue]:
    out: list[_Issue] = []
    allowed = policy.allowed_attributes(tag)
    tag_ok = tag in policy.TAGS
    outside = [
        (k, v)
        for k, v in attrs.items()
        if v and (k in policy.URL_ATTRIBUTES and not (tag == "a" and k == "href")) and _has_outside(k, v)
    ]
    styles = [v for k, v in attrs.items() if k == "style" and v]
    css_outside = any(_css_outside(v) for v in styles)
    handlers = [k for k in attrs if k.startswith("on")]
    if not tag_ok:
        if outside or css_outside:
            k, v = outside[0] if outside else ("style", styles[0])
            out.append(
                _Issue(
                    "outside-resource",
                    True,
                    f"正文里的 <{tag}> 会从外部网站加载内容（{k}={_short(v)}），已被删除。",
                    _HINT_OUTSIDE,
                    (v or "", f"<{tag}", k),
                )
            )
        elif tag in policy.DANGEROUS_TAGS or handlers:
            what = f"事件属性 {handlers[0]}=" if handlers else "内容"
            gone = "连同里面的文字一起" if tag in policy.DROP_WITH_CONTENT else ""
            out.append(
                _Issue(
                    "unsafe-html",
                    True,
                    f"正文里的 <{tag}> 标签（可能运行脚本、嵌入别的网页或改变整个页面）{gone}被删除了"
                    + (f"；它还带有{what}" if handlers else "")
                    + "。",
                    _HINT_HTML,
                    (f"<{tag}", *handlers),
                )
            )
        else:
            out.append(
                _Issue(
                    "html-removed",
                    False,
                    f"正文里的 <{tag}> 标签网站不支持，标签被去掉了（文字保留）。",
                    "用 Markdown 写法代替，例如 **加粗**、## 小标题、- 列表；或删掉这个标签。",
                    (f"<{tag}",),
                )
            )
        return out
    for k, value in attrs.items():
        v = value or ""
        if k.startswith("on"):
            out.append(
                _Issue(
                    "unsafe-html",
                    True,
                    f"正文里 <{tag}> 的事件属性 {k}= 会在访问者的浏览器里运行脚本，已被删除。",
                    _HINT_HTML,
                    (k, v),
                )
            )
        elif k == "style":
            if _css_outside(v):
                out.append(
                    _Issue(
                        "outside-resource",
                        True,
                        f"正文里 <{tag}> 的 style 会从外部网站加载图片（{_short(v)}），已被删除。",
                        _HINT_OUTSIDE,
                        (v, "style"),
                    )
                )
            elif re.search(r"url\s*\(|expression\s*\(|@import|behavior\s*:", v, re.I):
                out.append(
                    _Issue(
                        "unsafe-html", True, f"正文里 <{tag}> 的 style 写法不安全，已被删除。", _HINT_HTML, (v, "style")
                    )
                )
            else:
                out.append(
                    _Issue(
                        "html-removed",
                        False,
                        f"正文里 <{tag}> 的 style 属性（样式）网站不支持，已被去掉。",
                        "删掉 style=…；版式由网站统一设置。",
                        ("style", v),
                    )
                )
        elif tag == "a" and k == "href":
            scheme = policy.url_scheme(v)
            if scheme is not None and scheme not in policy.LINK_SCHEMES:
                out.append(
                    _Issue(
                        "unsafe-html",
                        True,
                        f"正文里的链接地址以“{scheme}:”开头（{_short(v)}），可能运行脚本，已被删除。",
                        "链接只能是 https://、http://、mailto: 或 tel: 开头的地址，或本站的页面。",
                        (v, "href", scheme),
                    )
                )
        elif tag == "img" and k == "src":
            if policy.url_scheme(v) in policy.SCRIPT_SCHEMES:
                out.append(
                    _Issue(
                        "unsafe-html",
                        True,
                        f"正文里的图片地址以“{policy.url_scheme(v)}:”开头，可能运行脚本，已被删除。",
                        _HINT_HTML,
                        (v, "src"),
                    )
                )
            elif policy.is_outside(v):
                out.append(
                    _Issue(
                        "outside-resource",
                        True,
                        f"正文里的图片来自外部网站（{_short(v)}），网站不会显示。",
                        _HINT_OUTSIDE,
                        (v,),
                    )
                )
            else:
                p = _photo_path(v)
                if p is None or p not in photos:
                    from difflib import get_close_matches

                    close = get_close_matches(p or v, sorted(photos), n=1, cutoff=0.5)
                    out.append(
                        _Issue(
                            "missing-photo",
                            True,
                            f"正文里的图片“{v}”不是本村 photos/ 文件夹里的照片，网站不会显示。",
                            (f"是不是想写“{close[0]}”？" if close else "")
                            + "把照片放进本村的 photos/ 文件夹，写成 ![说明](photos/文件名.jpg)，注意大小写和扩展名。",
                            (v, "src", "<img"),
                        )
                    )
                else:
                    used.append(p)
        elif k in policy.URL_ATTRIBUTES and k not in allowed:
            if _has_outside(k, v):
                out.append(
                    _Issue(
                        "outside-resource",
                        True,
                        f"正文里 <{tag}> 的 {k}= 会从外部网站加载内容（{_short(v)}），已被删除。",
                        _HINT_OUTSIDE,
                        (v, k),
                    )
                )
            else:
                out.append(
                    _Issue(
                        "unsafe-html", True, f"正文里 <{tag}> 的 {k}= 属性网站不允许，已被删除。", _HINT_HTML, (k, v)
                    )
                )
        elif k == "id":
            if not policy.ID_RE.match(v):
                out.append(
                    _Issue(
                        "html-removed",
                        False,
                        f"正文里的 id=“{_short(v)}”不合规，已被去掉。",
                        "id 用英文字母开头，只含字母、数字、- 和 _。",
                        (v, "id"),
                    )
                )
        elif k not in allowed:
            out.append(
                _Issue(
                    "html-removed",
                    False,
                    f"正文里 <{tag}> 的属性 {k}= 网站不支持，已被去掉（文字保留）。",
                    "删掉这个属性；版式由网站统一设置。",
                    (k, v),
                )
            )
    return out


def _has_outside(name: str, value: str) -> bool:
    if policy.url_scheme(value) in policy.SCRIPT_SCHEMES:
        return False
    if name in ("srcset", "imagesrcset"):
        return any(policy.is_outside(part.strip().split(" ")[0]) for part in value.split(","))
    return policy.is_outside(value)


_CSS_URL = re.compile(r"url\s*\(\s*['\"]?([^'\")]*)|@import\s*['\"]([^'\"]*)", re.I)


def _css_outside(css: str) -> bool:
    css = re.sub(r"\\([0-9a-fA-F]{1,6})\s?", lambda m: chr(int(m.group(1), 16)), css)
    return any(policy.is_outside(a or b) for a, b in _CSS_URL.findall(css))


def _short(v: str, n: int = 40) -> str:
    v = " ".join((v or "").split())
    return v if len(v) <= n else v[: n - 1] + "…"


# --- locating ------------------------------------------------------------------------

_NOISE = r"(?:[\t\n\r ]|&#0*(?:9|10|13);|&#x0*(?:9|a|d);|&tab;|&newline;)*"


def _fuzzy(value: str) -> str:
    """A pattern for value as it may stand in the source: any character may be
    written as a character reference, and the browser drops tabs and newlines
    inside URLs (so "&#106;avascript:" and "java&#x09;script:" are found)."""
    parts = []
    for ch in value:
        if ch.isspace():
            parts.append(_NOISE)
            continue
        alts = [re.escape(ch), f"&#0*{ord(ch)};?", f"&#x0*{ord(ch):x};?"]
        parts.append("(?:" + "|".join(alts) + ")" + _NOISE)
    return "".join(parts)


class _Locator:
    """Finds where in the Markdown source an element or attribute came from.
    Markdown keeps no positions, so we search the source for what the issue
    names (a URL, an attribute, "<tag"), preferring places after the last
    one found (issues come in document order)."""

    def __init__(self, text: str):
        self.text = text
        self.low = text.lower()
        self.pos = 0

    def find(self, needles: tuple[str, ...]) -> tuple[int, int]:
        rxs = []
        for needle in needles:
            if not needle or (len(needle) < 2 and not needle.startswith("<")):
                continue
            n = needle.lower()
            if re.fullmatch(r"[a-z][a-z0-9:_-]*", n):  # an attribute name: "onerror ="
                rxs.append(re.compile(r"(?<![a-z0-9_-])" + re.escape(n) + r"\s*="))
            elif n.startswith("<"):
                rxs.append(re.compile(re.escape(n)))
            else:  # a value, maybe written with entities
                rxs.append(re.compile(_fuzzy(n[:32])))
        for start in (self.pos, 0):  # after the last place found, else anywhere
            for rx in rxs:
                m = rx.search(self.low, start)
                if m:
                    self.pos = m.start() + 1
                    return self._line_col(m.start())
        return self._line_col(max(self.pos - 1, 0))

    def _line_col(self, i: int) -> tuple[int, int]:
        line = self.text.count("\n", 0, i) + 1
        return line, i - (self.text.rfind("\n", 0, i) + 1) + 1


# --- the one entry point ---------------------------------------------------------------


def _nh3_filter(photos: frozenset[str]):
    def attribute_filter(tag: str, attr: str, value: str) -> str | None:
        if tag == "img" and attr == "src":
            p = _photo_path(value)
            return p if p in photos else None
        if attr == "id":
            return value if policy.ID_RE.match(value) else None
        return value

    return attribute_filter


def render_prose(text: str, photos: Iterable[str] = ()) -> Prose:
    """Render and sanitize a village's prose. ``photos``: the village's photo
    files ("photos/x.jpg") that exist."""
    return _render(text, frozenset(photos))


# Large enough for every village of a county: the preview (builder.preview)
# reruns the pipeline after each edit, and only the edited prose is rendered again.
@lru_cache(maxsize=4096)
def _render(text: str, photos: frozenset[str]) -> Prose:
    from builder.villages.prose.headings import nest_headings

    raw = _markdown(nest_headings(text))
    issues: list[_Issue] = []
    used: list[str] = []
    hrefs: list[str] = []
    root = LexborHTMLParser(raw).root
    assert root is not None  # the parser always makes the <html> element, even for empty input
    for node in root.traverse(include_text=False):
        tag = (node.tag or "").lower()
        attrs = {str(k).lower(): v for k, v in (node.attributes or {}).items()}
        if tag in ("html", "head", "body") and not attrs:
            continue  # the parser's own document frame
        if tag.startswith("-") or tag == "_comment":
            continue
        href = attrs.get("href") or ""
        if tag == "a" and href and not policy.is_outside(href):
            hrefs.append(href)  # within the site: check verifies where it leads
        found = _judge(tag, attrs, photos, used)
        if any(i.code in ("unsafe-html", "outside-resource") for i in found):
            # one mistake, one message: the dangerous part of this element
            found = [i for i in found if i.code in ("unsafe-html", "outside-resource")]
        issues.extend(found)
    loc = _Locator(text)
    findings = []
    seen = set()
    for it in issues:
        line, col = loc.find(it.needles)
        key = (line, col, it.code, it.message)
        if key not in seen:
            seen.add(key)
            findings.append(Finding(line, col, it.code, it.error, it.message, it.hint))
    findings.sort(key=lambda f: (f.line, f.column))
    photo_lines: dict[str, tuple[int, int]] = {}
    ploc = _Locator(text)
    for p in used:
        photo_lines.setdefault(p, ploc.find((p,)))
    clean = nh3.clean(
        raw,
        tags=set(policy.TAGS),
        clean_content_tags=set(policy.DROP_WITH_CONTENT),
        attributes={k: set(v) for k, v in policy.ATTRIBUTES.items()},
        attribute_filter=_nh3_filter(photos),
        url_schemes=set(policy.LINK_SCHEMES),
        link_rel="noopener noreferrer",
        strip_comments=True,
    )
    lloc = _Locator(text)
    links = tuple((h, *lloc.find((h,))) for h in hrefs)
    ids = frozenset(re.findall(r'\sid="([^"]*)"', clean))
    return Prose(clean, tuple(findings), tuple(dict.fromkeys(used)), photo_lines, links, ids)
