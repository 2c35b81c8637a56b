"""The one SVG builder: elements are a tag, an attribute mapping and children,
and serialising them escapes every text child and every attribute value, so
editor text (a village name, a tour title) can never become markup.

- Tags come from a fixed list (`Tag`, checked by mypy and at run time) and
  attribute names must look like XML names: only code chooses them.
- Numbers are formatted one way (`svg_num`: one decimal at most, no trailing
  zeros); a caller that needs another format passes a string.
- Characters XML forbids (C0 controls but tab/newline/CR, U+FFFE/U+FFFF, lone
  surrogates) are dropped, so the output always parses as XML and as HTML.
- The only way to put markup in is `Raw`: an SVG fragment *already built* by
  this module (or by segno), never text from content.

Hand-written rather than xml.etree/lxml: the pieces are tiny (a few hundred
elements a page), the output must stay byte-identical to the strings the
producers wrote before (html.escape entities, `<x/>` without a space), and
ElementTree serialises `'` raw and writes `<x />`."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from html import escape
from typing import Literal, NamedTuple, TypeAlias, get_args

Tag: TypeAlias = Literal[
    "svg", "g", "title", "desc", "defs", "marker", "a", "path", "line", "rect", "circle", "polygon", "text"
]
TAGS: frozenset[str] = frozenset(get_args(Tag))

Value: TypeAlias = str | int | float
_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_.:-]*\Z")
# Not allowed in XML 1.0 documents, even as character references.
_FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")
# Anything escape() or _FORBIDDEN would change: most values (classes, paths) have none.
_SPECIAL = re.compile("[&<>\"'\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")
_NAMES_SEEN: set[str] = set()  # attribute names already checked against _NAME


def svg_num(x: float) -> str:
    """The one number format of the SVG: at most one decimal, no trailing zeros."""
    return f"{x:.1f}".rstrip("0").rstrip(".")


def text(s: object) -> str:
    """Text or an attribute value, escaped (quotes too) and XML-clean."""
    s = str(s)
    if _SPECIAL.search(s) is None:
        return s
    return escape(_FORBIDDEN.sub("", s), quote=True)


@dataclass(frozen=True, slots=True)
class Raw:
    """A trusted SVG fragment: only for markup this module (or segno) built.
    Never wrap text that came from content in it."""

    svg: str


class El(NamedTuple):
    """An element; make it with el(), which checks the names."""

    tag: Tag
    attrs: Mapping[str, Value | None]
    children: tuple[Node, ...]

    def __str__(self) -> str:
        return render(self)


Node: TypeAlias = El | Raw | str


def el(tag: Tag, attrs: Mapping[str, Value | None] | None = None, *children: Node) -> El:
    """An element. Attributes whose value is None are left out; text children
    are escaped when serialised. An element without children is written `<x/>`."""
    attrs = dict(attrs or {})
    _check(tag, attrs)
    return El(tag, attrs, children)


def _check(tag: str, attrs: Mapping[str, object]) -> None:
    if tag not in TAGS:
        raise ValueError(f"unknown SVG element {tag!r}")
    for name in attrs:
        if name not in _NAMES_SEEN:
            if not _NAME.match(name):
                raise ValueError(f"bad attribute name {name!r}")
            _NAMES_SEEN.add(name)


def _value(v: Value) -> str:
    if isinstance(v, str):
        return text(v)
    if isinstance(v, bool):
        raise TypeError("a boolean is not an SVG attribute value")
    if type(v) is int:
        return str(v)  # what svg_num() gives for an int, faster
    return svg_num(v)


def _write(node: Node, out: list[str]) -> None:
    if isinstance(node, str):  # text, escaped (a str subclass such as Markup too)
        out.append(text(node))
    elif isinstance(node, Raw):
        out.append(node.svg)
    elif isinstance(node, El):
        tag = node.tag
        _check(tag, node.attrs)  # an El made without el() is checked all the same
        out.append("<" + tag + "".join(f' {k}="{_value(v)}"' for k, v in node.attrs.items() if v is not None))
        if not node.children:
            out.append("/>")
            return
        out.append(">")
        for c in node.children:
            _write(c, out)
        out.append(f"</{tag}>")
    else:
        raise TypeError(f"not an SVG node: {type(node).__name__}")


def render(*nodes: Node) -> str:
    """The SVG text of the nodes, one after the other."""
    out: list[str] = []
    for n in nodes:
        _write(n, out)
    return "".join(out)


def points(pts: Iterable[tuple[float, float]]) -> str:
    """A polygon's points attribute: "x,y x,y …"."""
    return " ".join(f"{svg_num(x)},{svg_num(y)}" for x, y in pts)


def svg_root(uid: str, w: float, h: float, title: str, desc: str, cls: str, *children: Node, role: str = "img") -> El:
    """An accessible SVG root: viewBox, role, <title>/<desc> named by aria-labelledby."""
    return el(
        "svg",
        {
            "xmlns": "http://www.w3.org/2000/svg",
            "class": cls,
            "viewBox": f"0 0 {svg_num(w)} {svg_num(h)}",
            "role": role,
            "aria-labelledby": f"{uid}-t {uid}-d",
        },
        el("title", {"id": f"{uid}-t"}, title),
        el("desc", {"id": f"{uid}-d"}, desc),
        *children,
    )
