"""The map pages: /map/ (Leaflet, with the SVG twin for print and no-JS and a
text list for screen readers), the village locator, the 科学选点 table, and
the map's assets (vendored Leaflet, our script and style, the data file).

The data reaches the browser as a script file (assets/javascripts/vp-map-data.js),
not fetched JSON: fetch() is refused on file:// (a USB stick), a <script src>
is not. Editor text in it is only ever set as textContent by vp-map.js."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from markupsafe import Markup

from builder.kernel.build import BuildContext, GeneratedFile
from builder.kernel.geo import haversine_km
from builder.kernel.render.svg import PALETTE, SHAPES, marker_el
from builder.kernel.render.svgdom import El, Node, Raw, el, render, svg_root
from builder.map import svgmap
from builder.map.geometry import label_point, nearest_on_lines, path_km
from builder.map.labels import Label, place
from builder.map.layers import MapData
from builder.map.model import KIND_ZH
from builder.map.nav import nav_links
from builder.map.vendor import vendored_files

HERE = Path(__file__).parent
DATA_JS = "assets/javascripts/vp-map-data.js"
MAP_JS = "assets/javascripts/vp-map.js"
MAP_CSS = "assets/stylesheets/vp-map.css"
BASEMAP = "assets/map/basemap.pmtiles"  # a local PMTiles basemap, when tiles.yml names one


@dataclass
class RoadDistance:
    km: float
    road: str


@dataclass
class MapState:
    data: MapData
    fn_style: dict[str, tuple[str, str]]
    roads: dict[str, RoadDistance] = field(default_factory=dict)
    belts: list[dict] = field(default_factory=list)
    town_shapes: dict[str, list] = field(default_factory=dict)  # town name -> rings (lat, lng)
    town_labels: dict[str, tuple[float, float]] = field(default_factory=dict)  # where each town's name goes
    locator_cache: dict[str, tuple] = field(default_factory=dict)


def map_state(st) -> MapState:
    """Computed once per build and kept on the portal State."""
    ms = getattr(st, "_map_state", None)
    if ms is not None:
        return ms
    c = st.c
    data = c.find(MapData) or MapData()
    fn_style = {f: (PALETTE[i % len(PALETTE)], SHAPES[i % len(SHAPES)]) for i, f in enumerate(c.settings.functions)}
    ms = MapState(data, fn_style)
    # 科学选点: distance from each village to the nearest main road.
    roads = []
    for layer in data.of_kind("roads"):
        main = set(layer.model.main_roads)
        for f in layer.features:
            if f.kind in ("LineString", "MultiLineString") and (
                not main or str(f.props.get(layer.model.road_class, "")) in main
            ):
                name = str(f.props.get("name") or f.props.get(layer.model.road_class) or layer.model.name)
                roads.append((name, f.lines()))
    if roads:
        for slug, v in c.villages.items():
            if not st.coords.get(v.slug):
                continue
            best = None
            for name, lines in roads:
                r = nearest_on_lines(st.coords.get(v.slug), lines)
                if r and (best is None or r[0] < best.km):
                    best = RoadDistance(r[0], name)
            if best:
                ms.roads[slug] = best
    # 示范带: along the listed villages, with their length.
    for b in c.settings.belts:
        pts = [(s, st.coords.get(s)) for s in b.villages if s in c.villages and st.coords.get(s)]
        ms.belts.append(
            {
                "name": b.name,
                "description": b.description,
                "km": path_km([p for _, p in pts]),
                "points": [p for _, p in pts],
                "villages": [(st.cards[s].name, st.cards[s].src) for s in b.villages if s in st.cards],
            }
        )
    for layer in data.of_kind("towns"):
        for f in layer.features:
            name = str(f.props.get(layer.model.label, ""))
            if name and f.rings():
                ms.town_shapes.setdefault(name, []).extend(r for poly in f.rings() for r in poly)
    # Town names: inside the town, away from its villages (markers never cover them).
    pts = [st.coords.get(v.slug) for v in c.villages.values() if st.coords.get(v.slug)]
    for name, rings in ms.town_shapes.items():
        ms.town_labels[name] = label_point(max(rings, key=len)[:-1], pts)
    st._map_state = ms
    return ms


def icon_svg(shape: str, colour: str, filled: bool, size: int = 28) -> str:
    """The marker of a function (shape and colour) and status (filled = designated)."""
    c = size / 2
    fill, stroke, width = (colour, "#fff", "1.5") if filled else ("#fff", colour, "2.5")
    body = marker_el(shape, c, c, size * 0.3, "vp-m-mark", fill, stroke=stroke, stroke_width=width)
    return render(
        el(
            "svg",
            {
                "xmlns": "http://www.w3.org/2000/svg",
                "width": size,
                "height": size,
                "viewBox": f"0 0 {size} {size}",
                "aria-hidden": "true",
            },
            body,
        )
    )


def km_text(km: float) -> str:
    return f"{km:.1f}" if km < 100 else f"{km:.0f}"


# --- the county SVG map (print / no-JS) ----------------------------------------


def county_svg(st, ms: MapState, L) -> str:
    c = st.c
    county = ms.data.of_kind("county")
    pts = [p for layer in county for f in layer.features for ln in f.lines() for p in ln]
    if not pts:
        pts = [st.coords.get(v.slug) for v in c.villages.values() if st.coords.get(v.slug)] + [
            (la, ln) for _, la, ln in st.town_points
        ]
    box = svgmap.bbox(pts)
    if box is None:
        return ""
    fr = svgmap.Frame(svgmap.grow(box, 0.04), 800, None, pad=24)
    n = len(st.cards)
    title = f"{c.settings.county}示范村分布图"
    desc = (
        f"{n} 个村按坐标绘制；形状和颜色表示功能定位，实心为已命名示范村，空心为其他；"
        "粗橙线为示范带；虚线为乡镇界。各村名称和位置见下方列表。"
    )
    # Whole numbers here (not svg_num's one decimal): the frame's size and the note's place.
    w, h = round(fr.w), round(fr.h)
    body: list[Node] = [el("rect", {"class": "vp-m-bg", "x": 0, "y": 0, "width": w, "height": h})]
    for layer in ms.data.layers:
        body += svgmap.layer_els(fr, layer, "vp-m-layer")
    for b in ms.belts:
        if len(b["points"]) >= 2:
            d = "M" + " ".join(f"{x:.1f} {y:.1f}" for x, y in (fr.xy(*p) for p in b["points"]))
            body.append(
                el(
                    "path",
                    {"class": "vp-m-belt", "d": d},
                    el("title", {}, f"{b['name']}（约 {km_text(b['km'])} 公里）"),
                )
            )
    r = 7 if n <= 100 else (4 if n <= 600 else 2.5)
    obstacles = []
    labels = []
    marks: list[Node] = []
    for slug in st.by_pinyin:
        v = c.villages[slug]
        if not st.coords.get(v.slug):
            continue
        card = st.cards[slug]
        x, y = fr.xy(*st.coords.get(v.slug))
        colour, shape = ms.fn_style.get(card.function, ("#555", "circle"))
        fill = colour if v.model.is_designated else "#fff"
        marks.append(
            el(
                "a",
                {"href": L.page(card.src)},
                el("title", {}, f"{card.name}（{card.town}，{card.function}，{card.status}）"),
                marker_el(shape, x, y, r, "vp-map-v", fill, stroke=colour, stroke_width="1.8"),
            )
        )
        obstacles.append(svgmap.marker_box(x, y, r))
        labels.append(
            (0 if v.model.is_designated else 1, card.key, Label(card.name, x, y, 14, r * 1.3 + 2, "vp-m-vname"))
        )
    # Town names first (larger), then designated villages, then the others.
    town_labels = []
    for name, la, ln in st.town_points:
        la, ln = ms.town_labels.get(name, (la, ln))
        x, y = fr.xy(la, ln)
        town_labels.append(Label(name, x, y, 18, 0, "vp-m-tname"))
    # town names centred on their area: tried at the centre, then around it
    for t in town_labels:
        t.x -= 0
    placed = place(
        town_labels + [lb for _, _, lb in sorted(labels, key=lambda t: (t[0], t[1]))] if n <= 400 else town_labels,
        fr.w,
        fr.h,
        obstacles,
    )
    body += marks
    # svgmap's pieces come as SVG text it built with svgdom (names escaped there).
    body.append(Raw(svgmap.labels_svg(placed)))
    body.append(Raw(svgmap.scale_bar(fr, 16, fr.h - 12)))
    body.append(Raw(svgmap.north_arrow(fr.w - 24, 30)))
    note = _map_note(ms)
    if note:
        body.append(
            el("text", {"class": "vp-m-note", "x": round(fr.w - 8), "y": round(fr.h - 8), "text-anchor": "end"}, note)
        )
    return render(svg_root("cmap", w, h, title, desc, "vp-svg vp-countymap2", *body, role="group"))


def _map_note(ms: MapState) -> str:
    parts = []
    if ms.data.approvals():
        parts.append("审图号：" + "、".join(ms.data.approvals()))
    if ms.data.sample:
        parts.append("示例：虚构的县界、乡镇界、道路和河流")
    elif ms.data.layers and not ms.data.approvals():
        parts.append("示意图，不作为权属界线依据")
    return "；".join(parts)


# --- the village locator -----------------------------------------------------------


def village_locator(st, v) -> Markup:
    """The village within its town and the county outline, with its neighbours
    (villages of the same town) labelled without overlaps; print-ready SVG;
    then the navigation links and the distance to the nearest main road."""
    if not st.coords.get(v.slug):
        return Markup("")
    ms = map_state(st)
    c = st.c
    m = v.model
    W, H = 360.0, 270.0
    town = m.town
    cached = ms.locator_cache.get(town)
    if cached is None:
        rings = ms.town_shapes.get(town)
        pts = (
            [p for r in rings for p in r]
            if rings
            else [st.coords.get(w.slug) for w in c.villages.values() if w.model.town == town and st.coords.get(w.slug)]
        )
        fr = svgmap.Frame(svgmap.grow(svgmap.bbox(pts), 0.12), W, H, pad=6)
        drawn: list[El] = [el("rect", {"class": "vp-m-bg", "x": 0, "y": 0, "width": W, "height": H})]
        for layer in ms.data.layers:
            drawn += svgmap.layer_els(fr, layer, "vp-m-layer", highlight=town)
        neigh = sorted(
            (w for w in c.villages.values() if w.model.town == town and st.coords.get(w.slug)),
            key=lambda w: st.cards[w.slug].key,
        )[:60]
        cached = (fr, Raw(render(*drawn)), neigh)  # drawn once per town, with svgdom
        ms.locator_cache[town] = cached
    fr, base, neigh = cached
    out: list[Node] = [base]
    hx, hy = fr.xy(*st.coords.get(v.slug))
    obstacles = [svgmap.marker_box(hx, hy, 7)]
    others = []
    for w in neigh:
        if w.slug == v.slug:
            continue
        x, y = fr.xy(*st.coords.get(w.slug))
        if not (0 <= x <= W and 0 <= y <= H):
            continue
        others.append((haversine_km(st.coords.get(v.slug), st.coords.get(w.slug)), w.model.name, x, y))
        obstacles.append(svgmap.marker_box(x, y, 4))
        out.append(el("circle", {"class": "vp-m-neigh", "cx": f"{x:.1f}", "cy": f"{y:.1f}", "r": 4}))
    out.append(el("circle", {"class": "vp-map-here", "cx": f"{hx:.1f}", "cy": f"{hy:.1f}", "r": 7}))
    labels = [Label(m.name, hx, hy, 15, 11, "vp-m-here-label")]
    labels += [Label(name, x, y, 12, 6.5, "vp-m-vname") for _, name, x, y in sorted(others)]
    placed = place(labels, W, H - 26, obstacles)
    out.append(Raw(svgmap.labels_svg(placed)))  # SVG text svgmap built with svgdom
    out.append(Raw(svgmap.scale_bar(fr, 10, H - 8, 90)))
    desc = f"{m.name}（红色圆点）在{town}（浅橙色区域）中的位置，灰点为同乡镇的其他村。"
    parts = [render(svg_root("locmap", W, H, f"{m.name}位置示意图", desc, "vp-svg vp-locmap2", *out))]
    links = nav_links(st.coords.get(v.slug), m.name, c.settings.county)
    rd = ms.roads.get(v.slug)
    parts.append(
        str(st.tpl("locator_extra.html").render(links=links, road=rd, km=km_text(rd.km) if rd else "", name=m.name))
    )
    return Markup("".join(parts))


# --- /map/ -------------------------------------------------------------------------------


def map_page(st) -> GeneratedFile:
    from builder.kernel.render.html import page_md, raw_block

    c = st.c
    ms = map_state(st)
    src = "map.md"
    L = st.linker(src)
    legend = []
    for f, (colour, shape) in ms.fn_style.items():
        legend.append((f, Markup(icon_svg(shape, colour, True, 20))))
    legend.append(("空心：尚未命名（申报、考察、公示中或未申报）", Markup(icon_svg("circle", "#555", False, 20))))
    rows = []
    for slug in st.by_pinyin:
        v = c.villages[slug]
        card = st.cards[slug]
        rd = ms.roads.get(slug)
        rows.append(
            {
                "name": card.name,
                "src": card.src,
                "town": card.town,
                "function": card.function,
                "status": card.status,
                "road": f"{km_text(rd.km)} 公里" if rd else "—",
                "nav": nav_links(st.coords.get(v.slug), card.name, c.settings.county),
            }
        )
    layers = [
        {
            "name": layer.model.name,
            "kind": KIND_ZH[layer.model.kind],
            "source": layer.model.source,
            "approval": layer.model.approval,
        }
        for layer in ms.data.layers
    ]
    tiles = ms.data.tiles if ms.data.tiles and ms.data.tiles.enabled else None
    pmtiles = ms.data.archive is not None
    html_ = st.tpl("map.html").render(
        L=L,
        county=c.settings.county,
        svg=Markup(county_svg(st, ms, L)),
        legend=legend,
        rows=rows,
        belts=[{**b, "km": km_text(b["km"])} for b in ms.belts],
        layers=layers,
        note=_map_note(ms),
        has_roads=bool(ms.roads),
        tiles=tiles,
        n=len(rows),
        pmtiles=ms.data.archive is not None,
        scripts=[L.asset(p) for p in (*[d for d, _ in vendored_files(pmtiles) if d.endswith(".js")], DATA_JS, MAP_JS)],
        styles=[L.asset(d) for d, _ in vendored_files(pmtiles) if d.endswith(".css")],
        base=L.asset(""),
    )
    return GeneratedFile(
        src, page_md({"title": "示范村地图", "search": {"exclude": True}, "hide": ["toc"]}, raw_block(html_))
    )


def map_data(st, ctx: BuildContext) -> dict:
    """What vp-map.js draws. Paths are relative to the site root."""
    from builder.kernel.render.urls import page_url
    from builder.photos.cover import Covers

    c = st.c
    covers = ctx.derived.get(Covers)
    ms = map_state(st)
    du = st.du
    fns = []
    index = {}
    for i, (f, (colour, shape)) in enumerate(ms.fn_style.items()):
        index[f] = i
        fns.append(
            {
                "name": f,
                "color": colour,
                "filled": icon_svg(shape, colour, True),
                "hollow": icon_svg(shape, colour, False),
            }
        )
    villages = []
    for slug in st.by_pinyin:
        v = c.villages[slug]
        if not st.coords.get(v.slug):
            continue
        card = st.cards[slug]
        m = v.model
        img = ""
        e = covers.entry(ctx.derived, slug)  # the village's cover (builder.photos.cover)
        if e is not None:
            img = e.derivatives[0].jpg
        rd = ms.roads.get(slug)
        villages.append(
            {
                "n": card.name,
                "t": card.town,
                "f": index.get(card.function, -1),
                "fn": card.function,
                "b": card.brand,
                "s": card.status,
                "d": 1 if m.is_designated else 0,
                "p": [round(st.coords.get(v.slug)[0], 6), round(st.coords.get(v.slug)[1], 6)],
                "u": page_url(card.src, du),
                "img": img,
                "nav": nav_links(st.coords.get(v.slug), card.name, c.settings.county),
                "road": km_text(rd.km) if rd else "",
            }
        )
    towns = []
    for name, la, ln in st.town_points:
        la, ln = ms.town_labels.get(name, (la, ln))
        towns.append({"n": name, "p": [round(la, 6), round(ln, 6)]})
    tiles = ms.data.tiles
    archive = ms.data.archive
    if tiles and tiles.enabled and archive:
        tiles_data: dict | None = {
            "name": tiles.name,
            "pmtiles": BASEMAP,
            "attribution": tiles.attribution,
            "maxZoom": tiles.max_zoom,
            "minNativeZoom": archive.min_zoom,
            "maxNativeZoom": archive.max_zoom,
            "bounds": [[archive.bounds[1], archive.bounds[0]], [archive.bounds[3], archive.bounds[2]]],
        }
    elif tiles and tiles.enabled:
        tiles_data = {
            "name": tiles.name,
            "url": tiles.url,
            "subdomains": tiles.subdomains,
            "attribution": tiles.attribution,
            "maxZoom": tiles.max_zoom,
        }
    else:
        tiles_data = None
    return {
        "county": c.settings.county,
        "functions": fns,
        "villages": villages,
        "towns": towns,
        "layers": [
            {
                "id": layer.id,
                "name": layer.model.name,
                "kind": layer.model.kind,
                "label": layer.model.label,
                "style": layer.model.style.model_dump(),
                "data": layer.geojson(),
            }
            for layer in ms.data.layers
        ],
        "belts": [
            {"name": b["name"], "km": km_text(b["km"]), "p": [[round(a, 6), round(o, 6)] for a, o in b["points"]]}
            for b in ms.belts
        ],
        "tiles": tiles_data,
        "note": _map_note(ms),
    }


COMPARE_ROWS = 30  # the compare page shows the nearest villages; the 选点 page lists all


def _xuandian_rows(st, ms) -> list[dict]:
    rows = []
    for slug, rd in ms.roads.items():
        card = st.cards[slug]
        rows.append(
            {
                "name": card.name,
                "src": card.src,
                "town": card.town,
                "status": card.status,
                "designated": st.c.villages[slug].model.is_designated,
                "km": rd.km,
                "km_text": km_text(rd.km),
                "road": rd.road,
            }
        )
    rows.sort(key=lambda r: (r["km"], r["src"]))
    return rows


def xuandian_section(st, L) -> Markup:
    """The 选点 table on the compare page (empty without a roads layer)."""
    ms = map_state(st)
    if not ms.roads:
        return Markup("")
    rows = _xuandian_rows(st, ms)
    return Markup(
        st.tpl("xuandian_section.html").render(
            L=L, rows=rows[:COMPARE_ROWS], total=len(rows), more=len(rows) > COMPARE_ROWS
        )
    )


def xuandian_page(st) -> GeneratedFile:
    from builder.kernel.render.html import page_md, raw_block

    ms = map_state(st)
    src = "compare/xuandian.md"
    L = st.linker(src)
    rows = _xuandian_rows(st, ms)
    html_ = st.tpl("xuandian.html").render(L=L, rows=rows, belts=[{**b, "km": km_text(b["km"])} for b in ms.belts])
    return GeneratedFile(
        src, page_md({"title": "科学选点：到主要道路的距离", "search": {"exclude": True}}, raw_block(html_))
    )


def produce_map(ctx: BuildContext):
    """The map's assets and data."""
    from builder.portal.state import State

    st = ctx.derived.get(State)
    archive = map_state(st).data.archive
    for dest, path in vendored_files(pmtiles=archive is not None):
        yield GeneratedFile(dest, abs_src_path=str(path))
    if archive is not None:
        yield GeneratedFile(BASEMAP, abs_src_path=str(archive.path))
    yield GeneratedFile(MAP_JS, abs_src_path=str(HERE / "assets" / "vp-map.js"))
    yield GeneratedFile(MAP_CSS, abs_src_path=str(HERE / "assets" / "vp-map.css"))
    data = json.dumps(map_data(st, ctx), ensure_ascii=False, separators=(",", ":"), sort_keys=True)
    # U+2028/2029 are valid in JSON but ended a JS string before ES2019; '<' escaped for good measure.
    data = data.replace("\u2028", "\\u2028").replace("\u2029", "\\u2029").replace("<", "\\u003c")
    yield GeneratedFile(
        DATA_JS, "/* generated: the county map's data (builder/map/page.py) */\nwindow.VP_MAP = " + data + ";\n"
    )
    if map_state(st).roads:
        yield xuandian_page(st)
