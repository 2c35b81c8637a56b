"""The kernel's SVG builder (builder/kernel/render/svgdom.py) and every SVG
producer on it: hostile editor text stays text (the output is parsed with a
strict XML parser), element and attribute names are fixed by code, and raw
markup enters only through Raw, for fragments the builder itself made."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any

import pytest
from lxml import etree
from markupsafe import Markup

from builder.kernel.render import svg
from builder.kernel.render.svgdom import TAGS, El, Raw, el, render, svg_num, svg_root
from builder.map.labels import Label
from builder.map.svgmap import labels_svg
from builder.tours.svgmap import route_svg

ROOT = Path(__file__).resolve().parent.parent
NS = "{http://www.w3.org/2000/svg}"
HOSTILE = [
    "</text><script>alert(1)</script>",
    '" onload="alert(1)',
    "' onmouseover='alert(1)",
    "]]><![CDATA[<script>x</script>]]>",
    "<!-- x --><?xml-stylesheet href='evil'?>",
    "&amp;&lt;&#60;&nbsp;",
    "a\x00b\x01c\x08d\x0be\x1bf\ufffeg\uffffh",
    "普通村名",
]


def clean(s: str) -> str:
    """What XML can carry of s: the characters XML 1.0 forbids are dropped."""
    return re.sub("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]", "", s)


def parse(svg_text: str) -> etree._Element:
    root = etree.fromstring(svg_text.encode("utf-8"), etree.XMLParser(resolve_entities=False, no_network=True))
    for node in root.iter():
        assert isinstance(node.tag, str), f"not an element: {node!r}"  # no comment, no processing instruction
        assert node.tag.removeprefix(NS) in TAGS, node.tag
        for name in node.attrib:
            assert not name.lower().startswith("on"), name
    return root


def texts(root: etree._Element, tag: str) -> list[str]:
    return ["".join(n.itertext()) for n in root.iter(NS + tag)]


@pytest.mark.parametrize("bad", HOSTILE)
def test_text_and_attribute_values_stay_text(bad):
    out = render(el("g", {"class": bad, "data-x": bad}, el("text", {"x": 1.25}, bad), el("title", {}, bad)))
    root = parse('<svg xmlns="http://www.w3.org/2000/svg">' + out + "</svg>")
    g = root[0]
    assert g.get("class") == clean(bad) and g.get("data-x") == clean(bad)
    assert [c.tag for c in g] == [NS + "text", NS + "title"]  # nothing injected between them
    assert g[0].text == clean(bad) and g[1].text == clean(bad)
    assert g[0].get("x") == "1.2"  # the one number format


def test_names_are_fixed_by_code():
    for tag in ("script", "foreignObject", "style", "text onload", "a><script"):
        with pytest.raises(ValueError, match="unknown SVG element"):
            el(tag, {})  # type: ignore[arg-type]
    for name in ('onload="x"', "a b", "x>", "", "1x", "a=b"):
        with pytest.raises(ValueError, match="bad attribute name"):
            el("text", {name: "1"})
    with pytest.raises(TypeError):
        render(el("text", {"x": True}))
    # an element made without el() is checked when written
    with pytest.raises(ValueError, match="unknown SVG element"):
        render(El("script", {}, ()))  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="bad attribute name"):
        render(El("g", {"onload=x y": "1"}, ()))
    with pytest.raises(TypeError, match="not an SVG node"):
        render(el("g", {}, 3))  # type: ignore[arg-type]
    # Markup (trusted in Jinja) is still text here
    assert render(el("text", {}, Markup("<b>"))) == "<text>&lt;b&gt;</text>"


def test_numbers_and_empty_elements():
    assert [svg_num(x) for x in (3, 3.0, 2.25, 2.04, -0.04, 1e3)] == ["3", "3", "2.2", "2", "-0", "1000"]
    assert render(el("circle", {"cx": 1.5, "skip": None})) == '<circle cx="1.5"/>'
    assert render(el("text", {}, "")) == "<text></text>"
    assert render(Raw("<g/>"), "<b>") == "<g/>&lt;b&gt;"


def test_raw_is_used_only_for_svg_the_program_built():
    """Raw is the one way to put markup in; its uses are few and reviewed."""
    users = sorted(
        str(p.relative_to(ROOT))
        for p in (ROOT / "builder").rglob("*.py")
        if re.search(r"\bRaw\(", p.read_text(encoding="utf-8"))
    )
    # the county layers drawn under a route; on the map pages, svgmap's labels,
    # scale bar and north arrow (svgmap's own svgdom output) and a town's layers drawn once
    assert users == ["builder/map/page.py", "builder/tours/svgmap.py"]
    page = (ROOT / "builder/map/page.py").read_text(encoding="utf-8")
    assert sorted(re.findall(r"\bRaw\((\w+(?:\.\w+)?)\(", page)) == [
        "render",
        "svgmap.labels_svg",
        "svgmap.labels_svg",
        "svgmap.north_arrow",
        "svgmap.scale_bar",
        "svgmap.scale_bar",
    ]


@pytest.mark.parametrize("bad", HOSTILE)
def test_charts_keep_hostile_text_as_text(bad):
    root = parse(svg.radar("r1", bad, [bad, bad, bad], [0.5, None, 1.0], bad))
    assert texts(root, "title") == [clean(bad)] and texts(root, "desc") == [clean(bad)]
    assert texts(root, "text") == [clean(bad)] * 3  # the axes are named by the items
    d = dt.date
    g = svg.gantt(
        "g1", bad, [(bad, d(2025, 1, 3), d(2025, 4, 1))], [(bad, d(2025, 3, 1), False, True)], d(2025, 2, 1), bad
    )
    root = parse(g)
    assert texts(root, "title") == [clean(bad)]
    labels = [n for n in root.iter(NS + "text") if n.get("class") == "vp-gantt-label"]
    assert [n.text for n in labels] == [clean(svg._clip(bad))] * 2


@pytest.mark.parametrize("bad", HOSTILE)
def test_tour_route_map_keeps_hostile_names_as_text(bad):
    pts = [
        {"kind": "start", "label": "起", "name": bad, "lat": 36.0, "lng": 103.8},
        {"kind": "stop", "label": "1", "name": bad, "lat": 36.05, "lng": 103.9},
        {"kind": "stop", "label": "2", "name": "二村", "lat": 36.1, "lng": 103.85},
        {"kind": "end", "label": "终", "name": bad, "lat": 36.0, "lng": 103.8},
    ]
    under = lambda project: render(el("path", {"class": "vp-m-layer", "d": "M0 0L1 1"}))  # noqa: E731
    root = parse(route_svg(pts, "map-x", bad, underlay=under))
    assert texts(root, "title") == [clean(bad)]
    assert texts(root, "desc") == [clean("路线图：按顺序经过 " + bad + "、二村")]
    names = [n.text or "" for n in root.iter(NS + "text") if n.get("class") == "tour-map-name"]
    assert set(names) <= {clean(bad), "二村"}


@pytest.mark.parametrize("bad", HOSTILE)
def test_map_labels_keep_hostile_names_as_text(bad):
    lb = Label(bad, 10, 10, 12, 5, "vp-m-vname")
    lb.tx, lb.ty = 20, 15
    root = parse(render(svg_root("m", 100, 100, bad, bad, "vp-svg", Raw(labels_svg([lb])))))
    assert texts(root, "text") == [clean(bad)]
    assert texts(root, "title") == [clean(bad)]


def _hostile_sample(tmp: Path, bad: str) -> tuple[Any, Any]:
    """The sample content (tours left out: they name the town too) with 白水村,
    白水乡 (everywhere: villages, towns.yml, the towns layer), the towns layer
    and the first belt renamed to hostile text; (content, State)."""
    import json
    import shutil

    import yaml

    from builder.kernel.build import Options
    from builder.pipeline import run
    from builder.portal.state import State

    content = tmp / "content"
    shutil.copytree(ROOT / "content", content)
    shutil.rmtree(content / "tours")

    def edit(p: Path, f) -> None:
        d = yaml.safe_load(p.read_text(encoding="utf-8"))
        f(d)
        p.write_text(yaml.safe_dump(d, allow_unicode=True), encoding="utf-8")

    def village(d: dict) -> None:
        d["town"] = "乡" + bad if d["town"] == "白水乡" else d["town"]
        d["name"] = "村" + bad if d["name"] == "白水村" else d["name"]

    for p in content.glob("villages/*/village.yml"):
        edit(p, village)
    edit(content / "towns.yml", lambda d: [t.update(name="乡" + bad) for t in d["towns"] if t["name"] == "白水乡"])
    gj = content / "map/towns.geojson"
    g = json.loads(gj.read_text(encoding="utf-8"))
    for ft in g["features"]:
        if ft["properties"]["name"] == "白水乡":
            ft["properties"]["name"] = "乡" + bad
    gj.write_text(json.dumps(g, ensure_ascii=False), encoding="utf-8")
    edit(content / "map/towns.yml", lambda d: d.update(name="界" + bad))
    edit(content / "site.yml", lambda d: d["belts"][0].update(name="带" + bad))
    c, derived, diags = run(content, tmp, Options(cache_dir=tmp / ".cache"))
    assert not diags.has_errors, diags.format("text")
    assert c.villages["baishui"].model.name == "村" + bad
    return c, State(c, derived)


@pytest.mark.parametrize("bad", HOSTILE[:4])  # </text><script>, both quotes, ]]>
def test_map_page_svgs_keep_hostile_names_as_text(bad, tmp_path):
    from builder.map.page import county_svg, icon_svg, map_state, village_locator

    c, st = _hostile_sample(tmp_path, bad)
    v, t = clean("村" + bad), clean("乡" + bad)
    ms = map_state(st)
    root = parse(county_svg(st, ms, st.linker("map.md")))  # st: the portal State
    assert not list(root.iter(NS + "script")) and not list(root.iter("script"))
    titles = texts(root, "title")
    assert any(x.startswith(f"{v}（{t}，") for x in titles), titles  # the village's marker
    assert any(x.startswith(clean("带" + bad) + "（约 ") for x in titles), titles  # the belt
    for n in root.iter(NS + "text"):  # a hostile name is one whole text, never split into markup
        assert "alert" not in (n.text or "") or n.text in (v, t), n.text
    assert t in texts(root, "text") or v in texts(root, "text")  # placed as a label too
    locators = {slug: str(village_locator(st, w)) for slug, w in c.villages.items()}
    for html in locators.values():
        svg_text = html[: html.index("</svg>") + len("</svg>")]  # then the links (HTML, from a template)
        root = parse(svg_text)
        assert not list(root.iter(NS + "script")) and not list(root.iter("script"))
        for n in root.iter(NS + "text"):
            assert "alert" not in (n.text or "") or n.text in (v, t), n.text
    root = parse(locators["baishui"][: locators["baishui"].index("</svg>") + 6])
    assert texts(root, "title") == [v + "位置示意图"]
    assert texts(root, "desc")[0].startswith(f"{v}（红色圆点）在{t}（")
    for shape in svg.SHAPES:  # the legend's icons carry no editor text, and parse
        for filled in (True, False):
            parse(icon_svg(shape, "#1b5e20", filled))
