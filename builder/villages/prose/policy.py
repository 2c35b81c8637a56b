"""What editors' prose (a village's index.md) may contain once it is HTML.

An allowlist, applied to the HTML that Markdown produced (never a blocklist on
the Markdown source): the tags and attributes prose needs and nothing else.
The same tables configure the sanitizer (nh3) and decide which `check`
diagnostics the editor gets, so `check` and the build never disagree.
docs/editors/prose-html.md explains the rules to editors.
"""

from __future__ import annotations

import re

# Elements prose may keep (their text always stays).
TAGS: frozenset[str] = frozenset(
    {
        "p",
        "br",
        "hr",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "strong",
        "b",
        "em",
        "i",
        "u",
        "s",
        "del",
        "ins",
        "mark",
        "small",
        "sub",
        "sup",
        "blockquote",
        "q",
        "cite",
        "abbr",
        "code",
        "pre",
        "kbd",
        "ul",
        "ol",
        "li",
        "dl",
        "dt",
        "dd",
        "table",
        "caption",
        "thead",
        "tbody",
        "tfoot",
        "tr",
        "th",
        "td",
        "a",
        "img",
        "figure",
        "figcaption",
        "span",
    }
)

# Attributes per element ("*": on every allowed element). Anything else —
# event handlers, style, class, data-*, srcset … — is removed.
ATTRIBUTES: dict[str, frozenset[str]] = {
    "*": frozenset({"id"}),
    "a": frozenset({"href", "title"}),
    "img": frozenset({"src", "alt", "title"}),
    "abbr": frozenset({"title"}),
    "th": frozenset({"align", "colspan", "rowspan"}),
    "td": frozenset({"align", "colspan", "rowspan"}),
    "ol": frozenset({"start"}),
}

# Elements removed together with everything inside them: script and style,
# and the elements whose content the browser does not show as prose anyway
# (or that swallow the rest of the page: <plaintext>, <textarea>, <xmp>).
DROP_WITH_CONTENT: frozenset[str] = frozenset(
    {
        "script",
        "style",
        "template",
        "noscript",
        "noembed",
        "noframes",
        "plaintext",
        "xmp",
        "textarea",
        "select",
        "option",
        "iframe",
        "frame",
        "frameset",
        "object",
        "embed",
        "applet",
        "svg",
        "math",
        "title",
        "head",
        "video",
        "audio",
        "canvas",
        "portal",
    }
)

# Elements that are reported as errors (not just "tag removed, text kept"):
# they run script, load or embed something, submit data, or change the page.
DANGEROUS_TAGS: frozenset[str] = DROP_WITH_CONTENT | frozenset(
    {
        "form",
        "input",
        "button",
        "base",
        "meta",
        "link",
        "source",
        "track",
        "picture",
        "image",
        "param",
        "dialog",
        "keygen",
        "isindex",
        "body",
        "html",
        "frame",
        "animate",
        "set",
        "maction",
        "annotation-xml",
        "use",
        "foreignobject",
        "marquee",
        "bgsound",
        "layer",
        "ilayer",
    }
)

LINK_SCHEMES: frozenset[str] = frozenset({"http", "https", "mailto", "tel"})
# Schemes that run code or carry a whole document: never allowed anywhere.
SCRIPT_SCHEMES: frozenset[str] = frozenset({"javascript", "vbscript", "data", "livescript", "mocha", "jar"})

# Attributes that make the browser fetch something (or run a URL).
URL_ATTRIBUTES: frozenset[str] = frozenset(
    {
        "src",
        "srcset",
        "href",
        "poster",
        "data",
        "background",
        "action",
        "formaction",
        "xlink:href",
        "lowsrc",
        "dynsrc",
        "codebase",
        "cite",
        "longdesc",
        "profile",
        "usemap",
        "manifest",
        "ping",
        "archive",
        "classid",
        "icon",
        "imagesrcset",
    }
)

# ids: a letter first (so never Material's own "__search", "__drawer" …).
ID_RE = re.compile(r"^[A-Za-z][A-Za-z0-9_-]{0,63}$")

# A scheme at the start of a URL, after the browser has dropped ASCII
# whitespace and control characters (so "java\tscript:" is "javascript:").
_URL_NOISE = re.compile(r"[\x00-\x20\x7f]+")
_SCHEME = re.compile(r"^([a-zA-Z][a-zA-Z0-9+.\-]*):")


def clean_url(value: str) -> str:
    return _URL_NOISE.sub("", value or "")


def url_scheme(value: str) -> str | None:
    """The URL's scheme in lower case, or None for a relative URL."""
    m = _SCHEME.match(clean_url(value))
    return m.group(1).lower() if m else None


def is_outside(value: str) -> bool:
    """Would fetching this URL leave the site? (http:, https:, //host, any scheme)."""
    v = clean_url(value).replace("\\", "/")
    return v.startswith("//") or url_scheme(v) is not None


def allowed_attributes(tag: str) -> frozenset[str]:
    return ATTRIBUTES["*"] | ATTRIBUTES.get(tag, frozenset())
