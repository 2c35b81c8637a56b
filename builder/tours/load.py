"""Load content/tours/*.yml, resolve the stops against the villages, plan the
day and check it. Every problem becomes a located diagnostic; a tour whose
file has errors is still kept (with what could be planned) so nothing an
organiser wrote silently disappears from the output of ``tour``."""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from builder.content import Content, VillageEntry
from builder.frameworks.model import Framework
from builder.kernel import geo
from builder.kernel.content import SLUG_RE
from builder.kernel.diagnostics import Diagnostics, Location
from builder.kernel.loading.tree import FILE
from builder.kernel.loading.yamlsrc import YamlDoc, load_yaml
from builder.kernel.schema import validate_model
from builder.kernel.suggest import suggest as _suggest
from builder.tours import planner as pl
from builder.tours.model import Point, StopEntry, Tour, fmt_clock, parse_clock
from builder.villages.load import suggest_village, village_hinter

CLOCK_PATHS = [("depart",), ("return_by",), ("lunch", "earliest"), ("lunch", "latest")]
LONG_WAIT = 30  # minutes of waiting for lunch that deserve a warning


@dataclass
class Stop:
    slug: str
    village: VillageEntry
    dwell: int
    note: str
    path: tuple  # where it was named in the tour file
    wgs84: tuple[float, float]  # only villages with coordinates become stops

    @property
    def name(self) -> str:
        return self.village.model.name


@dataclass
class Row:
    kind: str  # start / stop / lunch / end
    name: str
    arrive: float
    depart: float
    slug: str | None = None
    leg_km: float = 0.0
    leg_minutes: float = 0.0
    measured: bool = False
    wait: float = 0.0
    dwell: float = 0.0
    note: str = ""
    number: int = 0  # 1-based stop number

    def to_dict(self) -> dict:
        return {
            "kind": self.kind,
            "number": self.number or None,
            "name": self.name,
            "village": self.slug,
            "arrive": fmt_clock(self.arrive),
            "depart": fmt_clock(self.depart),
            "leg_km": round(self.leg_km, 1),
            "leg_minutes": round(self.leg_minutes),
            "leg_measured": self.measured,
            "wait_minutes": round(self.wait),
            "dwell_minutes": round(self.dwell),
            "note": self.note,
        }


@dataclass
class RouteSuggestion:
    name: str
    stops: list[str]  # village names in order
    slugs: list[str]
    return_time: float


@dataclass
class TourPlan:
    rows: list[Row]
    method: str  # exact / heuristic / fixed
    depart: float
    return_time: float
    return_by: float
    total_km: float
    travel_minutes: float
    dwell_minutes: float
    lunch_minutes: float
    wait_minutes: float
    lunch_ok: bool = True
    split: list[RouteSuggestion] = field(default_factory=list)
    coords: dict[str, tuple[float, float]] = field(default_factory=dict)  # row key → WGS-84

    @property
    def overrun(self) -> float:
        return max(0.0, self.return_time - self.return_by)

    @property
    def stops(self) -> list[Row]:
        return [r for r in self.rows if r.kind == "stop"]

    def to_dict(self) -> dict:
        return {
            "method": self.method,
            "depart": fmt_clock(self.depart),
            "return": fmt_clock(self.return_time),
            "return_by": fmt_clock(self.return_by),
            "overrun_minutes": round(self.overrun),
            "total_km": round(self.total_km, 1),
            "travel_minutes": round(self.travel_minutes),
            "dwell_minutes": round(self.dwell_minutes),
            "lunch_minutes": round(self.lunch_minutes),
            "wait_minutes": round(self.wait_minutes),
            "lunch_ok": self.lunch_ok,
            "rows": [r.to_dict() for r in self.rows],
            "split": [{"name": s.name, "villages": s.slugs, "return": fmt_clock(s.return_time)} for s in self.split],
        }


@dataclass
class TourEntry:
    id: str
    file: str
    doc: YamlDoc | None
    model: Tour
    stops: list[Stop] = field(default_factory=list)
    plan: TourPlan | None = None
    framework: Framework | None = None
    scores: Any = None  # builder.tours.scores.ScoresEntry
    suggested_for: str | None = None  # town name for the generated 连点成线 routes
    start_wgs: tuple[float, float] | None = None
    end_wgs: tuple[float, float] | None = None
    lunch_wgs: tuple[float, float] | None = None
    # Stops naming a village whose village.yml has errors (reported there):
    # the tour is not planned, and nothing that names them is reported again.
    blocked: set[str] = field(default_factory=set)
    # Stops of the file that name no village or town (reported at the tour):
    # score rows naming an existing village may be meant for them.
    unresolved: set[str] = field(default_factory=set)

    @property
    def title(self) -> str:
        return self.model.title

    def loc(self, path: tuple = ()) -> Location:
        return self.doc.loc(path) if self.doc else Location(self.file, 0, 0)


# -- helpers ---------------------------------------------------------------------------------


def _raw_token(doc: YamlDoc, path: tuple) -> str | None:
    pos = doc.positions.get(path)
    if not pos:
        return None
    lines = doc.text.split("\n")
    line, col = pos
    if line - 1 >= len(lines):
        return None
    rest = lines[line - 1][col - 1 :]
    m = re.match(r"[^,}\]#]*", rest)
    return m.group(0).strip() if m else None


def _clock_texts(doc: YamlDoc) -> None:
    """YAML 1.1 reads 8:30 as the sexagesimal integer 510 and 8 as 8: put the
    text back so the model's clock parser sees what the organiser wrote."""
    data = doc.data
    if not isinstance(data, dict):
        return
    for path in CLOCK_PATHS:
        parent: Any = data
        for part in path[:-1]:
            parent = parent.get(part) if isinstance(parent, dict) else None
        if (
            isinstance(parent, dict)
            and isinstance(parent.get(path[-1]), (int, float))
            and not isinstance(parent.get(path[-1]), bool)
        ):
            raw = _raw_token(doc, path)
            parent[path[-1]] = raw if raw else str(parent[path[-1]])


def point_wgs(pt: Point, doc: YamlDoc | None, path: tuple, diags: Diagnostics | None) -> tuple[float, float] | None:
    wgs, problem = geo.check_point(pt.system, pt.lat, pt.lng, pt.name)
    if problem and diags is not None and doc is not None:
        diags.emit(doc.loc((*path, problem.field)), problem.code, problem.message, problem.hint)
    return wgs


def bearing(a: tuple[float, float], b: tuple[float, float]) -> float:
    """Compass bearing in degrees (0 = north, 90 = east) from a to b."""
    lat1, lat2 = math.radians(a[0]), math.radians(b[0])
    dl = math.radians(b[1] - a[1])
    x = math.sin(dl) * math.cos(lat2)
    y = math.cos(lat1) * math.sin(lat2) - math.sin(lat1) * math.cos(lat2) * math.cos(dl)
    return (math.degrees(math.atan2(x, y)) + 360) % 360


class Places:
    """Where the villages are (WGS-84, from the villages feature's derive
    phase) and each town's designated villages with coordinates, grouped once
    per run (asking town by town over all villages would make the build
    quadratic: towns grow with villages)."""

    def __init__(self, content: Content, coords: dict[str, tuple[float, float]] | None = None):
        if coords is None:
            from builder.villages.derive import coordinates

            coords = coordinates(content.villages).by_village
        self.coords = coords
        self.by_town: dict[str, list[VillageEntry]] = {}
        for v in sorted(content.villages.values(), key=lambda v: v.slug):
            if v.model.is_designated and v.slug in coords:
                self.by_town.setdefault(v.model.town, []).append(v)


def designated_in_town(places: Places, town: str) -> list[VillageEntry]:
    return list(places.by_town.get(town, ()))


# -- resolving ---------------------------------------------------------------------------------


def resolve_stops(entry: TourEntry, content: Content, diags: Diagnostics | None, places: Places) -> list[Stop]:
    t = entry.model

    def emit(path, code, msg, hint):
        if diags is not None:
            diags.emit(entry.loc(path), code, msg, hint)

    stops: list[Stop] = []
    index: dict[str, int] = {}
    for i, s in enumerate(t.stops):
        dwell = s.dwell if s.dwell is not None else t.dwell
        if s.village is not None:
            path = (
                ("stops", i)
                if entry.doc and ("stops", i, "village") not in entry.doc.positions
                else ("stops", i, "village")
            )
            v = content.villages.get(s.village)
            if v is None and s.village in content.failed_villages:
                entry.blocked.add(s.village)
                continue
            if v is None:
                entry.unresolved.add(s.village)
                emit(
                    path,
                    "unknown-village",
                    f"观摩点“{s.village}”不是已有的村。",
                    suggest_village(content.villages, s.village) + "村的编号就是 content/villages/ 下的文件夹名。",
                )
                continue
            candidates = [(v, path, True)]
        else:
            town = s.town
            assert town is not None  # a stop names either a village or a town (StopEntry)
            path = ("stops", i, "town")
            if content.towns and town not in content.towns and content.towns_broken:
                entry.blocked.add(town)  # towns.yml lists a town twice (reported there)
                continue
            if content.towns and town not in content.towns:
                emit(
                    path,
                    "unknown-town",
                    f"乡镇“{town}”不在 content/towns.yml 中。",
                    _suggest(town, content.towns) + "可选：" + "、".join(content.towns) + "。",
                )
                continue
            found = designated_in_town(places, town)
            if not found:
                emit(
                    path,
                    "tour-no-villages",
                    f"{town}还没有已命名的示范村，这一站没有可观摩的村。",
                    "改写具体村的编号（village: …），或删掉这一站。",
                )
                continue
            candidates = [(v, path, False) for v in found]
        for v, vpath, explicit in candidates:
            if v.slug not in places.coords:
                # its location is wrong and reported at its village.yml: the
                # route is planned once that is fixed
                entry.blocked.add(v.slug)
                continue
            if v.slug in index:
                prev = stops[index[v.slug]]
                if explicit:
                    emit(
                        vpath,
                        "tour-duplicate-stop",
                        f"{v.name}在观摩点里出现了两次，只安排一次。",
                        "删掉重复的一项（如果前面写了它所在的乡镇，这个村已经包含在内）。",
                    )
                    if s.dwell is not None or s.note:  # explicit entry's settings win over a town's
                        prev.dwell, prev.note, prev.path = dwell, s.note or prev.note, vpath
                continue
            index[v.slug] = len(stops)
            stops.append(Stop(v.slug, v, dwell, s.note, vpath, places.coords[v.slug]))
    return stops


# -- planning ----------------------------------------------------------------------------------


@dataclass
class Matrix:
    problem: pl.Problem
    km: list[list[float]]
    measured: list[list[bool]]
    keys: list[str]  # node index → key (slug, start, end, lunch)
    coords: list[tuple[float, float]]


def build_matrix(entry: TourEntry, diags: Diagnostics | None = None) -> Matrix:
    t = entry.model
    stops = entry.stops
    n = len(stops)
    start = entry.start_wgs
    assert start is not None  # plan_tour plans only tours with a start point
    coords = [*(s.wgs84 for s in stops), start, entry.end_wgs or start]
    keys = [s.slug for s in stops] + ["start", "end"]
    lunch_wgs = entry.lunch_wgs if t.lunch is not None and t.lunch.place is not None else None
    place = lunch_wgs is not None
    if lunch_wgs is not None:
        coords.append(lunch_wgs)
        keys.append("lunch")
    size = len(coords)
    km = [[0.0] * size for _ in range(size)]
    mins = [[0.0] * size for _ in range(size)]
    measured = [[False] * size for _ in range(size)]
    for a in range(size):
        for b in range(a + 1, size):
            d = geo.haversine_km(coords[a], coords[b]) * t.circuity
            m = max(1, round(d / t.speed_kmh * 60)) if d > 0.05 else 0
            km[a][b] = km[b][a] = d
            mins[a][b] = mins[b][a] = float(m)
    key_index = {k: i for i, k in enumerate(keys)}
    same_end = entry.end_wgs is None or t.end is None

    def nodes_of(idx: int) -> list[int]:
        # without an own end point the bus returns to the start: a measured
        # leg from/to the start also holds for the way back
        if same_end and idx in (n, n + 1):
            return [n, n + 1]
        return [idx]

    for li, leg in enumerate(t.legs):
        ends = []
        for fld, val in (("from", leg.from_), ("to", leg.to)):
            idx = key_index.get(val)
            if idx is None:
                if diags is not None and val not in entry.blocked and val not in entry.unresolved:
                    diags.emit(
                        entry.loc(("legs", li, fld)),
                        "tour-leg",
                        f"实测路段的“{val}”不是本次观摩的地点。",
                        _suggest(val, key_index)
                        + "写观摩点的村编号，或 start（出发地）、end（返回地）、lunch（就餐地点）。",
                    )
                break
            ends.append(idx)
        if len(ends) != 2:
            continue
        a0, b0 = ends
        if set(nodes_of(a0)) & set(nodes_of(b0)):
            if diags is not None:
                diags.emit(entry.loc(("legs", li, "to")), "tour-leg", "实测路段的起点和终点相同。", "检查 from 和 to。")
            continue
        for a in nodes_of(a0):
            for b in nodes_of(b0):
                if leg.km is not None:
                    km[a][b] = km[b][a] = float(leg.km)
                mm = leg.minutes if leg.minutes is not None else max(1, round(km[a][b] / t.speed_kmh * 60))
                mins[a][b] = mins[b][a] = float(mm)
                measured[a][b] = measured[b][a] = True
    lunch = None
    if t.lunch is not None:
        lunch = pl.Lunch(t.lunch.earliest, t.lunch.latest, t.lunch.duration, place)
    prob = pl.Problem(mins, [float(s.dwell) for s in stops], float(t.depart), lunch)
    return Matrix(prob, km, measured, keys, coords)


def _lunch_place(t: Tour) -> Point:
    """Where lunch is, for a plan with lunch at a place (only when the tour names one)."""
    assert t.lunch is not None and t.lunch.place is not None
    return t.lunch.place


def _rows(entry: TourEntry, mx: Matrix, sol: pl.Solution) -> list[Row]:
    t = entry.model
    p = mx.problem
    visits = pl.schedule(p, sol.order, sol.lunch_gap if sol.feasible else None)
    rows: list[Row] = []
    number = 0
    end_name = (t.end or t.start).name
    for v in visits:
        leg_km = mx.km[v.leg_from][v.node] if v.leg_from is not None else 0.0
        measured = mx.measured[v.leg_from][v.node] if v.leg_from is not None else False
        if v.kind == "start":
            rows.append(Row("start", t.start.name, v.arrive, v.depart))
        elif v.kind == "end":
            rows.append(Row("end", end_name, v.arrive, v.depart, None, leg_km, v.leg_minutes, measured))
        elif v.kind == "stop":
            number += 1
            s = entry.stops[v.node]
            rows.append(
                Row(
                    "stop",
                    s.name,
                    v.arrive,
                    v.depart,
                    s.slug,
                    leg_km,
                    v.leg_minutes,
                    measured,
                    dwell=v.dwell,
                    note=s.note,
                    number=number,
                )
            )
        else:
            assert p.lunch is not None  # a lunch visit: the problem has lunch
            name = _lunch_place(t).name if p.lunch.at_place else f"在{entry.stops[v.node].name}就餐"
            rows.append(
                Row(
                    "lunch", name, v.arrive, v.depart, None, leg_km, v.leg_minutes, measured, wait=v.wait, dwell=v.dwell
                )
            )
    return rows


def _plan_from(entry: TourEntry, mx: Matrix, sol: pl.Solution) -> TourPlan:
    t = entry.model
    rows = _rows(entry, mx, sol)
    total_km = sum(round(r.leg_km, 1) for r in rows)
    travel = sum(r.leg_minutes for r in rows)
    dwell = sum(r.dwell for r in rows if r.kind == "stop")
    lunch_m = sum(r.dwell for r in rows if r.kind == "lunch")
    wait = sum(r.wait for r in rows)
    coords = {}
    for i, k in enumerate(mx.keys):
        coords[k] = mx.coords[i]
    return TourPlan(
        rows,
        sol.method,
        float(t.depart),
        rows[-1].arrive,
        float(t.return_by),
        total_km,
        travel,
        dwell,
        lunch_m,
        wait,
        sol.feasible or t.lunch is None,
        coords=coords,
    )


def _direction_names(groups: list[list[int]], coords, start) -> list[str]:
    cents = []
    for g in groups:
        lat = sum(coords[i][0] for i in g) / len(g)
        lng = sum(coords[i][1] for i in g) / len(g)
        cents.append((lat - start[0], (lng - start[1]) * math.cos(math.radians(start[0]))))
    (a_lat, a_lng), (b_lat, b_lng) = cents
    if abs(a_lat - b_lat) >= abs(a_lng - b_lng):
        return ["北线", "南线"] if a_lat > b_lat else ["南线", "北线"]
    return ["东线", "西线"] if a_lng > b_lng else ["西线", "东线"]


def plan_tour(entry: TourEntry, diags: Diagnostics | None = None, quick: bool = False) -> TourPlan | None:
    """Plan the day and report its problems. quick (the generated per-town
    routes, one per town on every build): exact up to 8 stops, else a single
    local search, and no two-route split; so the build stays linear."""
    if not entry.stops or entry.start_wgs is None:
        return None
    t = entry.model
    mx = build_matrix(entry, diags)
    p = mx.problem
    sol = pl.plan(p, fixed=t.order == "fixed", exact_limit=8 if quick else pl.EXACT_LIMIT, quick=quick)
    plan = _plan_from(entry, mx, sol)

    def emit(path, code, msg, hint):
        if diags is not None:
            diags.emit(entry.loc(path), code, msg, hint)

    if t.lunch is not None and not sol.feasible:
        T = p.travel
        assert p.lunch is not None  # the problem has lunch when the tour has
        if p.lunch.at_place:
            soonest = p.depart + T[p.S][p.L]
            how = f"从{t.start.name}直接去{_lunch_place(t).name}也要到 {fmt_clock(soonest)}"
        else:
            soonest = p.depart + min(T[p.S][j] + p.dwell[j] for j in range(p.n))
            how = f"看完第一个观摩点最早也要到 {fmt_clock(soonest)}"
        emit(
            ("lunch", "latest"),
            "tour-lunch",
            f"午餐时间窗（{fmt_clock(t.lunch.earliest)}–{fmt_clock(t.lunch.latest)} 开始）赶不上：{how}。",
            f"把 latest 改到 {fmt_clock(soonest)} 或更晚，或者提前出发、缩短第一站的停留时间、换一个更近的就餐地点。",
        )
    elif t.lunch is not None and plan.wait_minutes > LONG_WAIT:
        emit(
            ("lunch", "earliest"),
            "tour-lunch-wait",
            f"按最优顺序，午餐前要空等 {int(plan.wait_minutes)} 分钟（{fmt_clock(t.lunch.earliest)} 才能开始）。",
            "可以把 earliest 提前、推迟出发，或者在上午多安排一个观摩点。",
        )
    if plan.overrun > 0.5 and not quick:
        over = math.ceil(plan.overrun)
        split = None
        per_stop = math.ceil(over / p.n)
        # shortening every stop is only a suggestion when it leaves a real visit (≥ 15 minutes)
        shorter = f"把每站停留时间减少约 {per_stop} 分钟" if min(p.dwell) - per_stop >= 15 else ""
        bearings = [bearing(entry.start_wgs, c) for c in mx.coords[: p.n]]
        split = pl.suggest_split(p, bearings, float(t.return_by), fixed=t.order == "fixed")
        if split:
            names = _direction_names(split.groups, mx.coords, entry.start_wgs)
            for name, g, end in sorted(zip(names, split.groups, split.ends, strict=True)):
                plan.split.append(
                    RouteSuggestion(name, [entry.stops[i].name for i in g], [entry.stops[i].slug for i in g], end)
                )
            hint = (
                "建议分成两条线、分两次观摩："
                + "；".join(f"{s.name}（{'、'.join(s.stops)}，约 {fmt_clock(s.return_time)} 返回）" for s in plan.split)
                + "。"
            )
            if shorter:
                hint += f"也可以{shorter}。"
        else:
            hint = (
                "分成两条线也排不下，请减少观摩点"
                + ("、" + shorter if shorter else "")
                + "，或提前出发、推迟返回时间。"
            )
        emit(
            ("return_by",),
            "tour-overrun",
            f"按{'写定的' if t.order == 'fixed' else '最优'}顺序 {fmt_clock(plan.return_time)} 才能返回，"
            f"比最晚返回时间 {fmt_clock(t.return_by)} 晚 {over} 分钟。",
            hint,
        )
    return plan


# -- loading files -----------------------------------------------------------------------------


def _check_times(entry: TourEntry, diags: Diagnostics) -> bool:
    t = entry.model
    ok = True
    if t.return_by <= t.depart:
        diags.emit(
            entry.loc(("return_by",)),
            "tour-time",
            f"最晚返回时间 {fmt_clock(t.return_by)} 不晚于出发时间 {fmt_clock(t.depart)}。",
            '检查 depart 和 return_by（24 小时制，例如 下午六点写 "18:00"）。',
        )
        ok = False
    if t.lunch is not None:
        lu = t.lunch
        if lu.latest < lu.earliest:
            diags.emit(
                entry.loc(("lunch", "latest")),
                "tour-time",
                f"午餐最晚开始时间 {fmt_clock(lu.latest)} 早于最早开始时间 {fmt_clock(lu.earliest)}。",
                "把 earliest 和 latest 对调，或改正其中一个。",
            )
            ok = False
        elif lu.latest < t.depart:
            diags.emit(
                entry.loc(("lunch", "latest")),
                "tour-lunch",
                f"午餐最晚开始时间 {fmt_clock(lu.latest)} 早于出发时间 {fmt_clock(t.depart)}，赶不上。",
                "检查午餐时间窗和出发时间（24 小时制）。",
            )
            ok = False
        elif ok and max(lu.earliest, t.depart) + lu.duration > t.return_by:
            diags.emit(
                entry.loc(("lunch", "earliest")),
                "tour-lunch",
                f"午餐最早 {fmt_clock(max(lu.earliest, t.depart))} 开始、用时 {lu.duration} 分钟，"
                f"已经超过最晚返回时间 {fmt_clock(t.return_by)}。",
                "提前午餐时间窗或推迟 return_by。",
            )
            ok = False
    return ok


@dataclass
class TourSource:
    """A tour file as read in the load phase: its YAML and validated model.
    Stops, coordinates and the plan come in the derive phase (TourEntry):
    they need the villages' derived coordinates."""

    id: str
    file: str
    doc: YamlDoc
    model: Tour
    framework: Framework | None


@dataclass
class TourFiles:
    """content/tours/ as read in the load phase (the tours feature's content part)."""

    tours: dict[str, TourSource] = field(default_factory=dict)
    scores_files: list[Path] = field(default_factory=list)  # <id>.scores.yml / .scores.xlsx


def read_tour_file(path: Path, content: Content, diags: Diagnostics) -> TourSource | None:
    """Load phase: one tour file's name, YAML, model and framework."""
    shown = content.display(path)
    tid = path.name[:-4]
    if not SLUG_RE.match(tid):
        diags.emit(
            Location(shown, 1, 1),
            "bad-slug",
            f"观摩文件名“{path.name}”不合规：只能用小写英文字母、数字和短横线。",
            "例如 2024-q2-qingshan.yml",
        )
        return None
    doc = load_yaml(path, shown, diags)
    if not doc:
        return None
    _clock_texts(doc)
    model = validate_model(Tour, doc, diags, "观摩拉练", hinter=village_hinter(content))
    if model is None:
        return None
    fid = model.framework or (content.settings.frameworks[0] if content.settings.frameworks else None)
    framework = content.frameworks.get(fid) if fid else None
    if model.framework and framework is None:
        diags.emit(
            doc.loc(("framework",)),
            "unknown-framework",
            f"评分表用的标准体系“{model.framework}”不存在。",
            _suggest(model.framework, content.frameworks) + "可选：" + "、".join(content.frameworks) + "。",
        )
    return TourSource(tid, shown, doc, model, framework)


def plan_source(src: TourSource, content: Content, diags: Diagnostics, places: Places) -> TourEntry:
    """Derive phase: a read tour with its coordinates, resolved stops and plan."""
    model, doc = src.model, src.doc
    entry = TourEntry(src.id, src.file, doc, model, framework=src.framework)
    entry.start_wgs = point_wgs(model.start, doc, ("start",), diags)
    if model.end is not None:
        entry.end_wgs = point_wgs(model.end, doc, ("end",), diags)
    if model.lunch is not None and model.lunch.place is not None:
        entry.lunch_wgs = point_wgs(model.lunch.place, doc, ("lunch", "place"), diags)
    entry.stops = resolve_stops(entry, content, diags, places)
    if (
        _check_times(entry, diags)
        and not entry.blocked
        and entry.start_wgs is not None
        and (model.end is None or entry.end_wgs is not None)
        and (model.lunch is None or model.lunch.place is None or entry.lunch_wgs is not None)
    ):
        entry.plan = plan_tour(entry, diags)
    return entry


def load_tour_file(path: Path, content: Content, diags: Diagnostics, places: Places | None = None) -> TourEntry | None:
    """One tour file read and planned (the office and tours commands)."""
    src = read_tour_file(path, content, diags)
    return None if src is None else plan_source(src, content, diags, places or Places(content))


def read_tours(content: Content, diags: Diagnostics) -> TourFiles:
    """Load phase: every file of content/tours/."""
    out = TourFiles()
    tdir = content.content_dir / "tours"
    # Only real files, from the content walk that never follows a link
    # (links and special files there are reported by the walk itself).
    listing = content.listing()
    if not listing.is_dir("tours"):
        return out
    files = [tdir / name for name, kind in listing.entries("tours") if kind == FILE and not name.startswith(".")]
    for p in files:
        if p.name.endswith((".scores.yml", ".scores.xlsx")):
            out.scores_files.append(p)
            continue
        if p.suffix == ".yaml":
            diags.emit(
                Location(content.display(p), 1, 1),
                "bad-file-name",
                f"观摩文件 {p.name} 的扩展名要写成 .yml。",
                f"把它改名为 {p.stem}.yml。",
            )
            continue
        if p.suffix != ".yml":
            if p.suffix.lower() != ".md":
                diags.emit(
                    Location(content.display(p), 1, 1),
                    "bad-file-name",
                    f"{p.name} 不是 .yml 文件，content/tours/ 里只放观摩拉练的 .yml 文件。",
                    "移走这个文件。",
                )
            continue
        src = read_tour_file(p, content, diags)
        if src:
            out.tours[src.id] = src
    return out


def plan_tours(
    files: TourFiles, content: Content, diags: Diagnostics, places: Places | None = None
) -> dict[str, TourEntry]:
    """Derive phase: every read tour planned, and its score file (which names
    the tour's stops) read against it."""
    from builder.tours.scores import load_scores  # avoid a cycle

    places = places or Places(content)
    tours = {tid: plan_source(src, content, diags, places) for tid, src in files.tours.items()}
    listing = content.listing()
    names = {p.name for p in files.scores_files}
    for p in files.scores_files:
        xlsx = p.name.endswith(".xlsx")
        tid = p.name[: -len(".scores.xlsx" if xlsx else ".scores.yml")]
        shown = content.display(p)
        if xlsx and f"{tid}.scores.yml" in names:
            diags.emit(
                Location(shown, 0, 0),
                "scores-both",
                f"观摩“{tid}”既有评分文件 {tid}.scores.yml，又有评分工作簿 {p.name}，不知道以哪个为准。",
                "只保留一个：用工作簿就删掉 .scores.yml，用 .scores.yml 就删掉工作簿。",
            )
            continue
        if tid not in tours:
            if listing.kind(f"tours/{tid}.yml") is not None:
                continue  # the tour itself has errors, already reported
            diags.emit(
                Location(shown, 1, 1),
                "tour-scores-orphan",
                f"评分文件 {p.name} 没有对应的观摩文件 {tid}.yml。",
                _suggest(tid, tours) + "评分文件名必须是“观摩文件名.scores.yml”（工作簿为“观摩文件名.scores.xlsx”）。",
            )
            continue
        if xlsx:
            from builder.office.scorebook import load_scores_xlsx

            tours[tid].scores = load_scores_xlsx(p, shown, tours[tid], content, diags)
        else:
            tours[tid].scores = load_scores(p, shown, tours[tid], content, diags)
    return tours


def load_tours(content: Content, diags: Diagnostics, places: Places | None = None) -> dict[str, TourEntry]:
    """read_tours + plan_tours in one go (benchmarks)."""
    return plan_tours(read_tours(content, diags), content, diags, places)


# -- suggested routes (连点成线) ----------------------------------------------------------------


def suggested_tours(content: Content, places: Places | None = None) -> list[TourEntry]:
    """One suggested route per town through its designated 示范村, starting and
    ending at the town seat (or the villages' centre when no seat is given)."""
    out = []
    places = places or Places(content)
    for town_name, town in content.towns.items():
        vs = designated_in_town(places, town_name)
        if not vs:
            continue
        if town.seat is not None:
            seat = Point(name=f"{town_name}政府", system=town.seat.system, lat=town.seat.lat, lng=town.seat.lng)
        else:
            lat = sum(v.model.location.lat for v in vs) / len(vs)
            lng = sum(v.model.location.lng for v in vs) / len(vs)
            seat = Point(name=f"{town_name}（示范村中心）", system=vs[0].model.location.system, lat=lat, lng=lng)
        model = Tour(
            title=f"{town_name}示范村连点成线建议路线",
            start=seat,
            depart=parse_clock("09:00"),
            return_by=parse_clock("17:30"),
            stops=[StopEntry(village=v.slug) for v in vs],
            dwell=30,
            notes="根据各示范村坐标自动生成的建议路线（直线距离 × 迂回系数 1.3、平均车速 40 公里/小时估算），"
            "供组织观摩时参考；正式观摩以组织部门印发的行程为准。",
        )
        from pypinyin import lazy_pinyin

        tid = "town-" + "".join(lazy_pinyin(town_name)).lower()
        tid = re.sub(r"[^a-z0-9\-]", "", tid)
        entry = TourEntry(tid, "", None, model, suggested_for=town_name)
        entry.start_wgs = point_wgs(seat, None, (), None)
        entry.stops = [Stop(v.slug, v, 30, "", (), places.coords[v.slug]) for v in vs]
        entry.framework = (
            content.frameworks.get(content.settings.frameworks[0]) if content.settings.frameworks else None
        )
        entry.plan = plan_tour(entry, None, quick=True)
        if entry.plan:
            out.append(entry)
    return out
