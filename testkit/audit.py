"""Static audit of published HTML: proof that nothing editors wrote can run
script or make a visitor's browser fetch from another host.

``audit_html(text)`` checks one page, ``audit_site(folder)`` every page (.html,
.htm, .xhtml, .svg) of a built site. Each problem is a :class:`Finding`; a safe
site gives none. The checks, on the tree an HTML5 parser builds (lexbor, as a
browser would):

* ``event-handler``: any attribute whose name starts with ``on`` (and SVG
  ``<set>``/``<animate>`` whose ``attributeName`` does), on any element: the
  theme and our templates use none.
* ``script-url``: a ``javascript:``, ``vbscript:``, ``livescript:`` URL, or a
  ``data:`` URL other than ``data:image/…`` (``data:image/svg+xml`` only where
  images are sandboxed), in any URL attribute (href, src, action, formaction,
  xlink:href, data, poster, background, srcset, SVG animation values, meta
  refresh …) or CSS. Before the test the value is entity-decoded once more,
  stripped of all white space and control characters, lower-cased, ``\\`` made
  ``/``; CSS is unescaped and stripped of comments. ``expression(``,
  ``-moz-binding`` and ``behavior:`` in CSS count as script too.
* ``outside-resource``: a URL that the browser fetches by itself and that does
  not stay on the site: src, srcset, poster, data, background, codebase, lowsrc,
  dynsrc, ping, action, formaction, ``<link href>`` (rel other than canonical,
  alternate …), SVG ``href``/``xlink:href`` of image, feImage, use, script,
  ``<meta http-equiv>`` refresh/link, CSS ``url()``/``@import``/``image-set()``
  in style attributes and ``<style>``. Local means relative (no scheme, not
  ``//``) or ``data:image/…``; ``http:``, ``https:``, ``//`` and every other
  scheme are outside.
* ``script``: a ``<script>`` that is not the site's own: allowed are scripts
  with a relative ``src`` under ``assets/javascripts/`` (and, for
  ``audit_site``, naming a file that exists in the site), JSON data blocks
  (``application/json``, parsable), and exactly the inline scripts of
  Material and our templates (known by content hash, or by a strict pattern
  where only the base path or the JSON options vary).
* ``marker-in-script``: the XSS test marker anywhere inside a script element
  (code or data) or its src.
* ``forbidden-element``: ``<iframe>``, ``<frame>``, ``<frameset>``,
  ``<object>``, ``<embed>``, ``<applet>``, ``<portal>``, ``<base>``, ``<meta
  http-equiv>`` other than content-type, ``srcdoc`` attributes, anywhere; and in
  the content area (``.md-content``; the body when there is none)
  ``<form>``, ``<textarea>``, ``<template>``, ``<noscript>``, ``<plaintext>``,
  ``<xmp>``, ``<listing>``, ``<noembed>``, ``<noframes>``, ``<isindex>``,
  ``<keygen>``, ``<style>``, ``<title>``, ``<dialog>``, form controls (except
  SVG ``<title>``, and our filter form with its controls: class ``vp-filters``,
  no action/method/target, no submit control; and the radio buttons of our
  content tabs: ``<input type="radio">`` with only id/name/type/checked, a
  direct child of ``div.tabbed-set.vp-tabs``).
"""

from __future__ import annotations

import hashlib
import html
import json
import re
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urljoin, urlsplit

from selectolax.lexbor import LexborHTMLParser

from testkit.xss import MARKER

PAGE_SUFFIXES = (".html", ".htm", ".xhtml", ".svg")


@dataclass(frozen=True)
class Finding:
    file: str  # path relative to the site folder ("" for audit_html)
    code: str  # event-handler | script-url | outside-resource | script | marker-in-script | forbidden-element
    tag: str
    attribute: str  # "" when the element itself is the problem
    value: str  # the offending value (shortened)
    snippet: str  # the start tag, plus the text of script/style/a elements (shortened)

    def __str__(self) -> str:
        where = f"{self.file}: " if self.file else ""
        attr = f" {self.attribute}" if self.attribute else ""
        return f"{where}{self.code}: <{self.tag}{attr}> {self.value!r} in {self.snippet!r}"


# -- URLs ----------------------------------------------------------------------------------
_WS_CTRL = re.compile(r"[\x00-\x20\x7f-\x9f\u00a0\u1680\u2000-\u200f\u2028\u2029\u202f\u205f\u3000\ufeff]+")
_SCHEME = re.compile(r"^([a-z][a-z0-9+.\-]*):")
SCRIPT_SCHEMES = {"javascript", "vbscript", "livescript", "mocha"}
# data: images that browsers render without running script in <img>/CSS.
_DATA_IMAGE = re.compile(r"^data:image/(png|jpe?g|gif|webp|avif|bmp|x-icon|vnd\.microsoft\.icon)[;,]")
_DATA_SVG = re.compile(r"^data:image/svg\+xml[;,]")


def normalize_url(value: str) -> str:
    """What a browser would see as the URL's start: entities decoded (once more
    than the parser did), white space and control characters removed, lower
    case, backslashes as slashes."""
    v = html.unescape(value)
    v = _WS_CTRL.sub("", v)
    return v.replace("\\", "/").lower()


def is_script_url(value: str, *, image_context: bool = False) -> bool:
    v = normalize_url(value)
    m = _SCHEME.match(v)
    if not m:
        return False
    scheme = m.group(1)
    if scheme in SCRIPT_SCHEMES:
        return True
    if scheme == "data":
        if _DATA_IMAGE.match(v):
            return False
        return not (_DATA_SVG.match(v) and image_context)
    return False


def is_outside(value: str) -> bool:
    """True when fetching this URL leaves the site (anything but a relative URL,
    a fragment, about:blank or a data: image)."""
    v = normalize_url(value)
    if not v:
        return False
    if v.startswith("//"):
        return True
    m = _SCHEME.match(v)
    if not m:
        return False
    if m.group(1) == "data":
        return not (_DATA_IMAGE.match(v) or _DATA_SVG.match(v))
    return v != "about:blank"


def srcset_urls(value: str) -> list[str]:
    """The URLs of a srcset/imagesrcset value (comma-separated "url descriptor")."""
    out = []
    for part in value.split(","):
        part = part.strip()
        if part:
            out.append(part.split()[0])
    return out


# -- CSS -------------------------------------------------------------------------------------
_CSS_COMMENT = re.compile(r"/\*.*?(\*/|$)", re.S)
_CSS_HEX = re.compile(r"\\([0-9a-fA-F]{1,6})[ \t\n\r\f]?")
_CSS_CHAR = re.compile(r"\\(.)", re.S)
_CSS_URL = re.compile(r"url\(\s*(?:\"([^\"]*)\"|'([^']*)'|([^)]*))\s*\)", re.I)
_CSS_STRING = re.compile(r"\"([^\"]*)\"|'([^']*)'")
_CSS_SCRIPT = re.compile(r"expression\s*\(|-moz-binding|behavior\s*:|javascript:|vbscript:", re.I)


def css_unescape(text: str) -> str:
    text = _CSS_COMMENT.sub("", text)

    def hexchar(m):
        n = int(m.group(1), 16)
        return chr(n) if 0 < n <= 0x10FFFF else "\ufffd"

    text = _CSS_HEX.sub(hexchar, text)
    return _CSS_CHAR.sub(lambda m: "" if m.group(1) == "\n" else m.group(1), text)


def css_urls(text: str) -> list[str]:
    """Every URL the CSS may fetch: url(...), and every quoted string (the
    argument of @import, image-set(), src() …); callers test each with
    is_outside, so a quoted font name is harmless."""
    t = css_unescape(text)
    urls = [next(g for g in m.groups() if g is not None) for m in _CSS_URL.finditer(t)]
    urls += [m.group(1) if m.group(1) is not None else m.group(2) for m in _CSS_STRING.finditer(t)]
    return [u.strip() for u in urls]


def css_runs_script(text: str) -> bool:
    t = css_unescape(text)
    return bool(_CSS_SCRIPT.search(_WS_CTRL.sub("", t))) or any(
        is_script_url(u, image_context=True) for u in css_urls(t)
    )


# -- The theme's own scripts -------------------------------------------------------------
def _sha(text: str) -> str:
    return hashlib.sha256(text.strip().encode()).hexdigest()


# Material's inline scripts, with the relative base path replaced by BASE.
_MD_SCOPE = (
    '__md_scope=new URL("BASE",location),__md_hash=e=>[...e].reduce(((e,_)=>(e<<5)-e+_.charCodeAt(0)),0),'
    '__md_get=(e,_=localStorage,t=__md_scope)=>JSON.parse(_.getItem(t.pathname+"."+e)),'
    '__md_set=(e,_,t=localStorage,a=__md_scope)=>{try{t.setItem(a.pathname+"."+e,JSON.stringify(_))}catch(e){}}'
)
_MD_TABS = (
    "var target=document.getElementById(location.hash.slice(1));"
    'target&&target.name&&(target.checked=target.name.startsWith("__tabbed_"))'
)
# Zensical's theme (python -m builder build --engine zensical): its scope line
# and the palette restore (tests/e2e/test_zensical.py audits that site too).
_ZS_SCOPE = (
    '__md_scope=new URL("BASE",location),__md_scope.pathname.endsWith("/")||'
    '(__md_scope=new URL(__md_scope.pathname+"/",location)),'
    "__md_hash=e=>[...e].reduce(((e,t)=>(e<<5)-e+t.charCodeAt(0)),0),"
    '__md_get=(e,t=localStorage,_=__md_scope)=>JSON.parse(t.getItem(_.pathname+"."+e)),'
    '__md_set=(e,t,_=localStorage,a=__md_scope)=>{try{_.setItem(a.pathname+"."+e,JSON.stringify(t))}catch(e){}},'
    'document.documentElement.setAttribute("data-platform",navigator.platform)'
)
_ZS_PALETTE = (
    'var palette=__md_get("__palette");if(palette&&palette.color){if("(prefers-color-scheme)"===palette.color.media)'
    '{var media=matchMedia("(prefers-color-scheme: light)"),input=document.querySelector(media.matches?'
    "\"[data-md-color-media='(prefers-color-scheme: light)']\":"
    "\"[data-md-color-media='(prefers-color-scheme: dark)']\");"
    'palette.color.media=input.getAttribute("data-md-color-media"),'
    'palette.color.scheme=input.getAttribute("data-md-color-scheme"),'
    'palette.color.primary=input.getAttribute("data-md-color-primary"),'
    'palette.color.accent=input.getAttribute("data-md-color-accent")}'
    'for(var[key,value]of Object.entries(palette.color))document.body.setAttribute("data-md-color-"+key,value)}'
)
KNOWN_INLINE = {_sha(_MD_SCOPE), _sha(_MD_TABS), _sha(_ZS_SCOPE), _sha(_ZS_PALETTE)}
_BASE_ARG = re.compile(r'new URL\("(/|\.|\.\.(?:/\.\.)*)",location\)')


def known_inline_script(text: str) -> bool:
    """Material's own inline scripts, nothing else (the photo viewer is
    started from a file, docs/assets/javascripts/lightbox.js)."""
    t = text.strip()
    return _sha(_BASE_ARG.sub('new URL("BASE",location)', t, count=1)) in KNOWN_INLINE


# -- Elements and attributes ---------------------------------------------------------------
FORBIDDEN_ANYWHERE = {"iframe", "frame", "frameset", "object", "embed", "applet", "portal", "base"}
FORBIDDEN_IN_CONTENT = {
    "form",
    "textarea",
    "template",
    "noscript",
    "plaintext",
    "xmp",
    "listing",
    "noembed",
    "noframes",
    "isindex",
    "keygen",
    "style",
    "title",
    "select",
    "input",
    "button",
    "option",
    "optgroup",
    "datalist",
    "output",
    "fieldset",
    "dialog",
}
FORM_CONTROLS = {"select", "input", "button", "option", "optgroup", "datalist", "output", "fieldset"}
SCRIPT_URL_ATTRS = {
    "href",
    "src",
    "action",
    "formaction",
    "xlink:href",
    "data",
    "poster",
    "background",
    "cite",
    "longdesc",
    "lowsrc",
    "dynsrc",
    "codebase",
    "manifest",
    "ping",
    "icon",
    "profile",
    "usemap",
    "archive",
    "classid",
    "code",
    "itemtype",
    "content-url",
}
RESOURCE_ATTRS = {
    "src",
    "poster",
    "data",
    "background",
    "codebase",
    "lowsrc",
    "dynsrc",
    "action",
    "formaction",
    "manifest",
    "icon",
    "archive",
    "classid",
}
IMAGE_CONTEXT_ATTRS = {"src", "srcset", "poster", "background", "lowsrc", "dynsrc"}
SVG_HREF_FETCH = {
    "image",
    "feimage",
    "use",
    "script",
    "tref",
    "mglyph",
    "cursor",
    "font-face-uri",
    "pattern",
    "filter",
    "lineargradient",
    "radialgradient",
    "textpath",
}
SVG_ANIMATION = {"animate", "set", "animatemotion", "animatetransform", "animatecolor"}
# <link rel> values that make the browser fetch nothing.
LINK_NO_FETCH = {
    "canonical",
    "alternate",
    "next",
    "prev",
    "author",
    "license",
    "help",
    "bookmark",
    "me",
    "nofollow",
    "noopener",
    "noreferrer",
    "external",
    "tag",
    "search",
}
_META_OK = {"content-type", "x-ua-compatible", "content-language", "default-style"}
_REFRESH_URL = re.compile(r"url\s*=\s*['\"]?(.*)", re.I | re.S)


def _short(s: str, n: int = 160) -> str:
    s = s.replace("\n", "\\n")
    return s if len(s) <= n else s[: n - 1] + "…"


def _start_tag(node) -> str:
    attrs = "".join(f' {k}="{v}"' if v is not None else f" {k}" for k, v in (node.attributes or {}).items())
    tag = f"<{node.tag}{attrs}>"
    if node.tag in ("script", "style", "a", "title"):
        tag += (node.text(deep=True) or "")[:200]
    return _short(tag, 400)


def _in_content(node, content_ids: set[int] | None) -> bool:
    return content_ids is None or node.mem_id in content_ids


def audit_html(
    text: str, *, file: str = "", site: Path | None = None, page: Path | None = None, marker: str = MARKER
) -> list[Finding]:
    """Every problem in one HTML (or SVG) document. With `site` and `page`
    (the page's path inside the site), script src must name a file of the site."""
    tree = LexborHTMLParser(text)
    out: list[Finding] = []

    def add(node, code: str, attr: str = "", value: str = "") -> None:
        out.append(Finding(file, code, node.tag, attr, _short(value or ""), _start_tag(node)))

    content_ids: set[int] | None = None
    areas = tree.css(".md-content") or ([tree.body] if tree.body is not None else [])
    if areas:
        content_ids = set()
        for area in areas:
            for n in area.traverse(include_text=False):
                content_ids.add(n.mem_id)

    root = tree.root
    if root is None:
        return out
    for node in root.traverse(include_text=False):
        tag = (node.tag or "").lower()
        if tag.startswith("-"):
            continue
        attrs = {(k or "").lower(): (v or "") for k, v in (node.attributes or {}).items()}

        # Elements.
        if tag == "script":
            _audit_script(node, attrs, add, site, page, marker)
        elif tag == "style":
            if css_runs_script(node.text(deep=True) or ""):
                add(node, "script-url", "", node.text(deep=True) or "")
            for u in css_urls(node.text(deep=True) or ""):
                if is_outside(u):
                    add(node, "outside-resource", "", u)
        if tag in FORBIDDEN_ANYWHERE or (
            tag in FORBIDDEN_IN_CONTENT and _in_content(node, content_ids) and not _allowed_in_content(node, tag, attrs)
        ):
            add(node, "forbidden-element")
        elif tag == "meta" and "http-equiv" in attrs and attrs["http-equiv"].strip().lower() not in _META_OK:
            add(node, "forbidden-element", "http-equiv", attrs["http-equiv"])
            content = attrs.get("content", "")
            m = _REFRESH_URL.search(content)
            if m and is_script_url(m.group(1)):
                add(node, "script-url", "content", content)
            for u in ([m.group(1)] if m else []) + re.findall(r"<([^>]*)>", content):
                if is_outside(u):
                    add(node, "outside-resource", "content", u)

        # Attributes.
        for k, v in attrs.items():
            if k.startswith("on"):
                add(node, "event-handler", k, v)
            elif k == "srcdoc":
                add(node, "forbidden-element", k, v)
            elif k == "style":
                if css_runs_script(v):
                    add(node, "script-url", k, v)
                for u in css_urls(v):
                    if is_outside(u):
                        add(node, "outside-resource", k, u)
            elif k in ("srcset", "imagesrcset"):
                for u in srcset_urls(v):
                    if is_script_url(u, image_context=True):
                        add(node, "script-url", k, u)
                    elif is_outside(u):
                        add(node, "outside-resource", k, u)
            elif k == "ping":
                for u in v.split():
                    if is_script_url(u) or is_outside(u):
                        add(node, "outside-resource", k, u)
            elif k in SCRIPT_URL_ATTRS:
                image_ctx = k in IMAGE_CONTEXT_ATTRS and tag not in ("iframe", "frame", "embed", "object", "script")
                if is_script_url(v, image_context=image_ctx):
                    add(node, "script-url", k, v)
                elif _fetches(tag, k, attrs) and is_outside(v):
                    add(node, "outside-resource", k, v)

        if tag in SVG_ANIMATION:
            name = attrs.get("attributename", "").strip().lower()
            if name.startswith("on"):
                add(node, "event-handler", "attributeName", name)
            for k in ("values", "to", "from", "by"):
                for part in attrs.get(k, "").split(";"):
                    if is_script_url(part):
                        add(node, "script-url", k, part)
    return out


def _in_svg(node) -> bool:
    p = node.parent
    while p is not None:
        if (p.tag or "").lower() in ("svg", "math"):
            return True
        p = p.parent
    return False


def _allowed_in_content(node, tag: str, attrs: dict) -> bool:
    """Our templates' own uses: SVG <title> (chart and map labels), and the
    filter form of the list pages (no action, no method: never submitted)."""
    if tag == "title":
        return _in_svg(node)
    if tag == "form":
        return (
            "vp-filters" in attrs.get("class", "").split()
            and not {"action", "method", "target"} & set(attrs)
            and not node.css("[formaction], [type=submit], [type=image]")
        )
    if tag == "input" and attrs.get("type") == "radio" and set(attrs) <= {"type", "id", "name", "checked"}:
        p = node.parent
        classes = set(((p.attributes.get("class") or "") if p is not None else "").split())
        if p is not None and (p.tag or "").lower() == "div" and {"tabbed-set", "vp-tabs"} <= classes:
            return True
    if tag in FORM_CONTROLS:
        p = node.parent
        while p is not None:
            if (p.tag or "").lower() == "form":
                return _allowed_in_content(p, "form", {(k or "").lower(): (v or "") for k, v in p.attributes.items()})
            p = p.parent
    return False


def _fetches(tag: str, attr: str, attrs: dict) -> bool:
    """Whether the browser fetches this URL attribute by itself (or on a click
    that submits a form)."""
    if attr in RESOURCE_ATTRS:
        return True
    if attr in ("href", "xlink:href"):
        if tag == "link":
            rels = set(attrs.get("rel", "").lower().split())
            return not rels or not rels <= LINK_NO_FETCH
        return tag in SVG_HREF_FETCH
    return False


def _audit_script(node, attrs: dict, add, site: Path | None, page: Path | None, marker: str) -> None:
    text = node.text(deep=True) or ""
    src = attrs.get("src") or attrs.get("href") or attrs.get("xlink:href")
    if marker in text or (src and marker in src):
        add(node, "marker-in-script", "", text or src or "")
    typ = attrs.get("type", "").strip().lower()
    if src is not None and src != "":
        if is_outside(src) or is_script_url(src) or "assets/javascripts/" not in src:
            add(node, "script", "src", src)
        elif site is not None and page is not None:
            target = Path(urlsplit(urljoin("http://site/" + page.as_posix(), src)).path.lstrip("/"))
            resolved = (site / target).resolve()
            if not (resolved.is_file() and resolved.is_relative_to(site.resolve())):
                add(node, "script", "src", src)
        if text.strip():
            add(node, "script", "", text)
        return
    if typ in ("application/json", "application/ld+json"):
        try:
            json.loads(text)
        except ValueError:
            add(node, "script", "type", typ)
        return
    if not known_inline_script(text):
        add(node, "script", "", text)


def site_pages(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*") if p.suffix.lower() in PAGE_SUFFIXES and p.is_file())


def audit_site(folder: Path, *, marker: str = MARKER) -> list[Finding]:
    """audit_html over every page of a built site."""
    folder = Path(folder)
    out: list[Finding] = []
    for f in site_pages(folder):
        rel = f.relative_to(folder)
        out += audit_html(
            f.read_text(encoding="utf-8", errors="replace"), file=rel.as_posix(), site=folder, page=rel, marker=marker
        )
    return out
