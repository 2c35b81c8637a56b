"""Route planning for a 观摩拉练 day: the order of the stops that makes the day
shortest, with a fixed start and end, and lunch inside its time window.

The problem (pure numbers, no content types here):

* nodes 0..n-1 are the stops, n is the start, n+1 the end and n+2 the lunch
  place (only when lunch is at a named place);
* ``travel[i][j]`` is the driving time in whole minutes; ``dwell[i]`` the
  minutes spent at stop i;
* lunch may start between ``earliest`` and ``latest``; arriving before
  ``earliest`` means waiting. Lunch either happens at a named place (a detour
  between two consecutive points) or, without a place, as a pause at the
  village where the break falls.

Objective: the shortest day, i.e. driving minutes + minutes waiting for lunch
(dwell and lunch duration are the same for every order). Without any waiting
this is exactly the shortest total driving time.

* ``held_karp``: exact dynamic programming over subsets (Held–Karp 1962),
  extended with a "lunch taken" layer. Entering lunch is allowed when the
  arrival time is not after ``latest``; the cost after lunch is a monotone
  function of the cost before it (max(c + t, earliest − k)), so keeping the
  minimum per (subset, last stop) stays optimal. O(2^n · n²) time; used up to
  EXACT_LIMIT = 13 stops (≈ 0.1 M states).
* ``heuristic``: nearest neighbour and cheapest insertion starts, plus a few
  seeded random starts, each improved by 2-opt and Or-opt on the driving time
  (delta evaluation), then polished with the same moves on the full objective.
  Quality is measured against ``held_karp`` in tests/test_tours_planner.py and
  benchmarks/bench_tours.py.

Hand-written: the lunch window and the fixed, different start and end make
this a small custom variant that no maintained pure-Python TSP library covers
(OR-Tools would be a 30 MB native dependency for a 10-node problem).
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass, field

INF = math.inf
EPS = 1e-9
EXACT_LIMIT = 13
LATE_PENALTY = 1000.0  # per minute of lunch started after the window (search only)


@dataclass(frozen=True)
class Lunch:
    earliest: float  # minutes since midnight
    latest: float  # lunch must START by this time
    duration: float
    at_place: bool  # True: node n+2 is the lunch place


@dataclass
class Problem:
    travel: list[list[float]]  # (n+2 or n+3) square matrix of minutes
    dwell: list[float]  # per stop
    depart: float  # minutes since midnight
    lunch: Lunch | None = None

    @property
    def n(self) -> int:
        return len(self.dwell)

    @property
    def S(self) -> int:
        return self.n

    @property
    def E(self) -> int:
        return self.n + 1

    @property
    def L(self) -> int:
        return self.n + 2


@dataclass
class Solution:
    order: list[int]
    lunch_gap: int | None  # lunch after this many stops (0 = before the first); None = no lunch
    cost: float  # driving + waiting minutes (INF when the lunch window cannot be met)
    travel: float
    wait: float
    method: str  # "exact", "heuristic" or "fixed"
    feasible: bool = True

    @property
    def exact(self) -> bool:
        return self.method == "exact"


# -- evaluation of one order -------------------------------------------------------------


def lunch_options(p: Problem, order: list[int], penalty: float | None = None) -> list[tuple[float, int, float, float]]:
    """Every feasible lunch gap for this order: (cost, gap, travel, wait).
    With `penalty`, late gaps are kept too, costing `penalty` per minute late
    (the heuristic's search needs a slope across infeasible orders)."""
    T, S, E = p.travel, p.S, p.E
    prev, clock, tr = S, p.depart, 0.0
    pre = [(S, clock)]
    for j in order:
        tr += T[prev][j]
        clock += T[prev][j] + p.dwell[j]
        prev = j
        pre.append((j, clock))
    base = tr + T[prev][E]
    lu = p.lunch
    if lu is None:
        return [(base, -1, base, 0.0)]
    out = []
    n = len(order)
    for k in range(0 if lu.at_place else 1, n + 1):
        node, clock = pre[k]
        if lu.at_place:
            nxt = order[k] if k < n else E
            L = p.L
            a = clock + T[node][L]
            extra = T[node][L] + T[L][nxt] - T[node][nxt]
        else:
            a = clock
            extra = 0.0
        late = a - lu.latest
        if late > EPS:
            if penalty is None:
                continue
            late_cost = penalty * late
        else:
            late_cost = 0.0
        wait = max(0.0, lu.earliest - a)
        out.append((base + extra + wait + late_cost, k, base + extra, wait))
    return out


def evaluate(p: Problem, order: list[int], gap: int | None = None) -> tuple[float, int | None, float, float]:
    """(cost, lunch gap, travel, wait) for an order, with the best lunch gap
    (or the given one). cost is INF when lunch cannot be placed."""
    opts = lunch_options(p, order)
    if p.lunch is None:
        c, _, tr, w = opts[0]
        return c, None, tr, w
    if gap is not None:
        opts = [o for o in opts if o[1] == gap]
    if not opts:
        return INF, None, INF, 0.0
    # prefer, among equal costs, less waiting, then the earlier gap
    best = min(opts, key=lambda o: (round(o[0], 6), round(o[3], 6), o[1]))
    return best[0], best[1], best[2], best[3]


def _solution(p: Problem, order: list[int], method: str, gap: int | None = None) -> Solution:
    c, g, tr, w = evaluate(p, order, gap)
    return Solution(list(order), g, c, tr, w, method, feasible=c < INF)


# -- exact: Held–Karp with a lunch layer -----------------------------------------------------


def held_karp(p: Problem) -> Solution:
    n, T, S, E = p.n, p.travel, p.S, p.E
    if n == 0:
        return _solution(p, [], "exact")
    lu = p.lunch
    place = bool(lu and lu.at_place)
    L = p.L
    N = 1 << n
    full = N - 1
    dw = p.dwell
    dws = [0.0] * N
    for m in range(1, N):
        low = m & -m
        dws[m] = dws[m ^ low] + dw[low.bit_length() - 1]
    size = N * n
    f0 = [INF] * size
    par0 = [-1] * size
    # the lunch layers stay empty (and are never read) without lunch / without a place
    f1: list[float] = [INF] * size if place else []  # lunch just taken at the place, standing there
    f2: list[float] = [INF] * size if lu else []  # lunch taken earlier, standing at stop
    par2: list[int] = [-1] * size if lu else []  # layer * (n + 1) + previous node
    W = n + 1
    for j in range(n):
        f0[(1 << j) * n + j] = T[S][j]
        par0[(1 << j) * n + j] = S
    earliest = lu.earliest if lu else 0.0
    latest = lu.latest + EPS if lu else 0.0
    if place:
        a = p.depart + T[S][L]
        if a <= latest:
            c1 = T[S][L] + max(0.0, earliest - a)
            for j in range(n):
                idx = (1 << j) * n + j
                v = c1 + T[L][j]
                if v < f2[idx]:
                    f2[idx] = v
                    par2[idx] = 1 * W + S
    depart = p.depart
    bits = [1 << j for j in range(n)]
    for m in range(1, N):
        base = m * n
        rest = [j for j in range(n) if not m & bits[j]]
        members = [i for i in range(n) if m & bits[i]]
        for i in members:
            bi = base + i
            Ti = T[i]
            c0 = f0[bi]
            if c0 < INF:
                for j in rest:
                    v = c0 + Ti[j]
                    idx = (m | bits[j]) * n + j
                    if v < f0[idx]:
                        f0[idx] = v
                        par0[idx] = i
                if lu is not None:
                    clock = depart + dws[m] + c0
                    if place:
                        a = clock + Ti[L]
                        if a <= latest:
                            c1 = c0 + Ti[L] + (earliest - a if a < earliest else 0.0)
                            if c1 < f1[bi]:
                                f1[bi] = c1
                    elif clock <= latest:
                        c2 = c0 + (earliest - clock if clock < earliest else 0.0)
                        if c2 < f2[bi]:
                            f2[bi] = c2
                            par2[bi] = 0 * W + i
            if place:
                c1 = f1[bi]
                if c1 < INF:
                    TL = T[L]
                    for j in rest:
                        v = c1 + TL[j]
                        idx = (m | bits[j]) * n + j
                        if v < f2[idx]:
                            f2[idx] = v
                            par2[idx] = 1 * W + i
            if lu is not None:
                c2 = f2[bi]
                if c2 < INF:
                    for j in rest:
                        v = c2 + Ti[j]
                        idx = (m | bits[j]) * n + j
                        if v < f2[idx]:
                            f2[idx] = v
                            par2[idx] = 2 * W + i
    # close the path at the end point
    best, state = INF, None
    base = full * n
    for i in range(n):
        if lu is None:
            v = f0[base + i] + T[i][E]
            if v < best - EPS:
                best, state = v, (0, i)
        else:
            v = f2[base + i] + T[i][E]
            if v < best - EPS:
                best, state = v, (2, i)
            if place:
                v = f1[base + i] + T[L][E]
                if v < best - EPS:
                    best, state = v, (1, i)
    if state is None:
        # the lunch window cannot be met by any order: report the driving-optimal order
        sol = held_karp(Problem(p.travel, p.dwell, p.depart, None))
        _, _, tr, w = evaluate(Problem(p.travel, p.dwell, p.depart, None), sol.order)
        return Solution(sol.order, None, INF, tr, w, "exact", feasible=False)
    # walk back
    layer, i = state
    m = full
    rev: list[int] = []
    gap = None
    if layer == 1:
        gap = n
        layer = 0
    while True:
        idx = m * n + i
        if layer == 0:
            rev.append(i)
            prev = par0[idx]
            if prev == S:
                break
            m ^= bits[i]
            i = prev
        else:
            lp, k = divmod(par2[idx], W)
            if lp == 0:  # pause lunch at i, same subset
                gap = bin(m).count("1")
                layer = 0
                continue
            rev.append(i)
            m ^= bits[i]
            if lp == 1:  # came from the lunch place, lunch after subset m at k
                gap = bin(m).count("1")
                if k == S:
                    break
                layer, i = 0, k
            else:
                i = k
    order = rev[::-1]
    return _solution(p, order, "exact", gap)


# -- heuristic ---------------------------------------------------------------------------


def _path_len(T, S, E, order) -> float:
    prev, tot = S, 0.0
    for j in order:
        tot += T[prev][j]
        prev = j
    return tot + T[prev][E]


def nearest_neighbour(p: Problem) -> list[int]:
    T, left, cur, out = p.travel, set(range(p.n)), p.S, []
    while left:
        j = min(left, key=lambda k: (T[cur][k], k))
        out.append(j)
        left.remove(j)
        cur = j
    return out


def cheapest_insertion(p: Problem) -> list[int]:
    T, S, E = p.travel, p.S, p.E
    seq = [S, E]
    left = set(range(p.n))
    while left:
        best = None
        for j in sorted(left):
            for k in range(len(seq) - 1):
                a, b = seq[k], seq[k + 1]
                d = T[a][j] + T[j][b] - T[a][b]
                if best is None or d < best[0] - EPS:
                    best = (d, j, k)
        assert best is not None  # seq always has a gap (start → end)
        _, j, k = best
        seq.insert(k + 1, j)
        left.remove(j)
    return seq[1:-1]


def local_search_travel(p: Problem, order: list[int], max_rounds: int = 1000) -> list[int]:
    """2-opt and Or-opt (segments of 1–3, either direction) on the driving time
    of the path start → order → end, first improvement, until no move helps."""
    T = p.travel
    seq = [p.S, *order, p.E]
    n = len(order)
    for _ in range(max_rounds):
        improved = False
        # 2-opt: reverse seq[i..k]
        for i in range(1, n):
            a, b = seq[i - 1], seq[i]
            for k in range(i + 1, n + 1):
                c, d = seq[k], seq[k + 1]
                delta = T[a][c] + T[b][d] - T[a][b] - T[c][d]
                if delta < -EPS:
                    seq[i : k + 1] = seq[i : k + 1][::-1]
                    improved = True
                    break
            if improved:
                break
        if improved:
            continue
        # Or-opt: move seq[i..i+s-1] between seq[j] and seq[j+1]
        for s in (1, 2, 3):
            for i in range(1, n - s + 2):
                seg = seq[i : i + s]
                a, b = seq[i - 1], seq[i + s]
                remove_gain = T[a][seg[0]] + T[seg[-1]][b] - T[a][b]
                rest = seq[:i] + seq[i + s :]
                for j in range(len(rest) - 1):
                    if j == i - 1:
                        continue
                    x, y = rest[j], rest[j + 1]
                    for sg in (seg, seg[::-1]):
                        add = T[x][sg[0]] + T[sg[-1]][y] - T[x][y]
                        if add - remove_gain < -EPS:
                            seq = rest[: j + 1] + sg + rest[j + 1 :]
                            improved = True
                            break
                    if improved:
                        break
                if improved:
                    break
            if improved:
                break
        if not improved:
            break
    return seq[1:-1]


def _neighbours(order: list, segs=(1, 2, 3)):
    """2-opt (reverse a segment) and Or-opt (move a segment of 1–3, either
    direction) neighbours of a sequence."""
    n = len(order)
    for i in range(n - 1):
        for k in range(i + 1, n):
            yield order[:i] + order[i : k + 1][::-1] + order[k + 1 :]
    for s in segs:
        for i in range(n - s + 1):
            seg = order[i : i + s]
            rest = order[:i] + order[i + s :]
            for j in range(len(rest) + 1):
                if j == i:
                    continue
                yield rest[:j] + seg + rest[j:]
                if s > 1:
                    yield rest[:j] + seg[::-1] + rest[j:]


def _descend(seq: list, cost, max_rounds: int = 500) -> tuple[list, float]:
    """First-improvement local search on any sequence cost function."""
    best = cost(seq)
    for _ in range(max_rounds):
        for cand in _neighbours(seq):
            c = cost(cand)
            if c < best - EPS:
                seq, best = cand, c
                break
        else:
            break
    return seq, best


class _Search:
    """The heuristic's view of a problem: sequences of stops, judged by the
    full objective with lunch at its best gap (late lunches penalised by
    LATE_PENALTY per minute so the search can cross infeasible orders). With
    lunch at a named place, the driving-time phase treats the place as one
    more node (``self.q``) so the starts already pass by it."""

    def __init__(self, p: Problem):
        self.p = p
        n = p.n
        self.place = bool(p.lunch and p.lunch.at_place)
        if self.place:
            keep = [*range(n), p.L, p.S, p.E]
            T = [[p.travel[a][b] for b in keep] for a in keep]
            self.q = Problem(T, [*p.dwell, 0.0], p.depart, None)
        else:
            self.q = Problem(p.travel, p.dwell, p.depart, None)

    def cost(self, seq: list) -> float:
        """Same value as min(lunch_options(p, seq, LATE_PENALTY)), in one
        pass without building the option list (the search's hot path)."""
        p = self.p
        T, dw, lu = p.travel, p.dwell, p.lunch
        prev, clock, tr = p.S, p.depart, 0.0
        n = len(seq)
        if lu is None:
            for j in seq:
                tr += T[prev][j]
                prev = j
            return tr + T[prev][p.E]
        E, L, place = p.E, p.L, lu.at_place
        earliest, latest = lu.earliest, lu.latest
        best = INF
        TL: list[float] = T[L] if place else []  # read only with a place
        for k in range(n + 1):
            if place:
                nxt = seq[k] if k < n else E
                Tp = T[prev]
                a = clock + Tp[L]
                extra = Tp[L] + TL[nxt] - Tp[nxt]
            elif k:
                a = clock
                extra = 0.0
            else:
                a = None
            if a is not None:
                if a < earliest:
                    extra += earliest - a
                elif a > latest + EPS:
                    extra += LATE_PENALTY * (a - latest)
                if extra < best:
                    best = extra
            if k < n:
                j = seq[k]
                t = T[prev][j]
                tr += t
                clock += t + dw[j]
                prev = j
        return tr + T[prev][E] + best

    def strip(self, seq: list) -> list:
        n = self.p.n
        return [j for j in seq if j < n]

    def to_solution(self, seq: list) -> Solution:
        return _solution(self.p, self.strip(seq), "heuristic")

    def starts(self, rng: random.Random, restarts: int) -> list[list]:
        q = self.q
        out = [nearest_neighbour(q), cheapest_insertion(q)]
        for _ in range(restarts):
            o = list(range(q.n))
            rng.shuffle(o)
            out.append(o)
        return out

    def improve(self, seq: list, travel_first: bool = True) -> tuple[list, float]:
        if travel_first:
            seq = local_search_travel(self.q, seq)
        seq = self.strip(seq)
        if self.p.lunch is None:
            return seq, self.cost(seq)
        return _descend(seq, self.cost)


def _kick(order: list, rng: random.Random) -> list:
    """Double-bridge perturbation (Martin, Otto & Felten 1991), or a random
    segment reversal for short sequences."""
    n = len(order)
    if n < 8:
        i, k = sorted(rng.sample(range(n), 2))
        return order[:i] + order[i : k + 1][::-1] + order[k + 1 :]
    a, b, c = sorted(rng.sample(range(1, n), 3))
    return order[:a] + order[b:c] + order[a:b] + order[c:]


def heuristic(p: Problem, restarts: int = 4, seed: int = 1, kicks: int | None = None) -> Solution:
    """Several starts (nearest neighbour, cheapest insertion, seeded random),
    each improved by 2-opt + Or-opt on driving time and then on the full
    objective; with a lunch window, an iterated local search follows (kick,
    improve on the full objective, keep if better)."""
    if p.n == 0:
        return _solution(p, [], "heuristic")
    rng = random.Random(seed)
    search = _Search(p)
    best_seq, best = None, INF
    for s in search.starts(rng, restarts):
        seq, c = search.improve(s)
        if best_seq is None or c < best - EPS:
            best_seq, best = seq, c
    assert best_seq is not None  # there are always starts (nearest neighbour, cheapest insertion)
    if p.lunch is not None and p.n >= 3:
        for _ in range(min(2 * p.n, 30) if kicks is None else kicks):
            seq, c = search.improve(_kick(best_seq, rng), travel_first=False)
            if c < best - EPS:
                best_seq, best = seq, c
    sol = search.to_solution(best_seq)
    if not sol.feasible:
        _, _, tr, w = evaluate(Problem(p.travel, p.dwell, p.depart, None), sol.order)
        sol.travel, sol.wait = tr, w
    return sol


def random_restarts(p: Problem, runs: int, seed: int = 7) -> Solution:
    """Best of `runs` random starts, each improved by the same local search
    (the yardstick for the heuristic where exact DP is out of reach)."""
    rng = random.Random(seed)
    search = _Search(p)
    best_seq, best = None, INF
    for _ in range(runs):
        o = list(range(search.q.n))
        rng.shuffle(o)
        seq, c = search.improve(o)
        if best_seq is None or c < best - EPS:
            best_seq, best = seq, c
    assert best_seq is not None, "random_restarts needs runs >= 1"
    sol = search.to_solution(best_seq)
    sol.method = "random-restarts"
    return sol


def plan(p: Problem, fixed: bool = False, exact_limit: int = EXACT_LIMIT, quick: bool = False) -> Solution:
    if fixed:
        sol = _solution(p, list(range(p.n)), "fixed")
        if not sol.feasible:
            _, _, tr, w = evaluate(Problem(p.travel, p.dwell, p.depart, None), sol.order)
            sol.travel, sol.wait = tr, w
        return sol
    if p.n <= exact_limit:
        return held_karp(p)
    return heuristic(p, restarts=0, kicks=0) if quick else heuristic(p)


# -- the timetable ----------------------------------------------------------------------------


@dataclass
class Visit:
    node: int  # stop index, or S / E / L
    kind: str  # "start", "stop", "lunch", "end"
    arrive: float
    depart: float
    leg_from: int | None  # previous node (None for the start)
    leg_minutes: float = 0.0
    wait: float = 0.0  # minutes waited before lunch
    dwell: float = 0.0


def schedule(p: Problem, order: list[int], gap: int | None) -> list[Visit]:
    """Clock times for an order with lunch after `gap` stops. Arrival = previous
    departure + leg; departure = arrival + dwell (+ waiting and lunch)."""
    T, S, E, L = p.travel, p.S, p.E, p.L
    lu = p.lunch
    out = [Visit(S, "start", p.depart, p.depart, None)]
    prev, clock = S, p.depart

    def lunch_here(lu: Lunch) -> None:
        nonlocal prev, clock
        if lu.at_place:
            leg = T[prev][L]
            arrive = clock + leg
            wait = max(0.0, lu.earliest - arrive)
            dep = arrive + wait + lu.duration
            out.append(Visit(L, "lunch", arrive, dep, prev, leg, wait, lu.duration))
            prev, clock = L, dep
        else:
            # pause at the current stop: its departure moves by wait + duration
            wait = max(0.0, lu.earliest - clock)
            out.append(Visit(prev, "lunch", clock, clock + wait + lu.duration, None, 0.0, wait, lu.duration))
            clock = clock + wait + lu.duration

    if lu is not None and gap == 0:
        lunch_here(lu)
    for k, j in enumerate(order, start=1):
        leg = T[prev][j]
        arrive = clock + leg
        dep = arrive + p.dwell[j]
        out.append(Visit(j, "stop", arrive, dep, prev, leg, 0.0, p.dwell[j]))
        prev, clock = j, dep
        if lu is not None and gap == k:
            lunch_here(lu)
    leg = T[prev][E]
    out.append(Visit(E, "end", clock + leg, clock + leg, prev, leg))
    return out


# -- splitting an overlong day -----------------------------------------------------------------


@dataclass
class Split:
    groups: list[list[int]]  # stop indices of each route
    solutions: list[Solution]
    ends: list[float]  # return time of each route
    names: list[str] = field(default_factory=list)


def sub_problem(p: Problem, stops: list[int]) -> Problem:
    keep = list(stops) + [p.S, p.E] + ([p.L] if p.lunch and p.lunch.at_place else [])
    T = [[p.travel[a][b] for b in keep] for a in keep]
    return Problem(T, [p.dwell[i] for i in stops], p.depart, p.lunch)


def return_time(p: Problem, sol: Solution) -> float:
    if not sol.feasible:
        return INF
    extra = p.lunch.duration if p.lunch else 0.0
    return p.depart + sol.cost + sum(p.dwell) + extra


def suggest_split(p: Problem, bearings: list[float], return_by: float, fixed: bool = False) -> Split | None:
    """Split the stops into two routes that each fit the day.

    Candidates are the contiguous sectors around the start point (sorted by
    compass bearing from it), so each route covers one side of the county
    (e.g. 南线 and 北线). Each candidate is planned (exact for small groups);
    the split whose later return is earliest wins. None when no split fits."""
    n = p.n
    if n < 2:
        return None
    ring = sorted(range(n), key=lambda i: (bearings[i], i))
    best: Split | None = None
    seen = set()
    sizes = range(1, n) if n <= 12 else range(max(1, n // 3), n - n // 3 + 1)
    for c in range(n):
        for k in sizes:
            a = tuple(sorted(ring[(c + t) % n] for t in range(k)))
            b = tuple(sorted(set(range(n)) - set(a)))
            key = frozenset([a, b])
            if key in seen:
                continue
            seen.add(key)
            sols, ends = [], []
            for g in (a, b):
                sp = sub_problem(p, list(g))
                s = plan(sp, fixed=fixed, exact_limit=8, quick=True)
                sols.append(s)
                ends.append(return_time(sp, s))
            worst = max(ends)
            if worst > return_by + EPS:
                continue
            score = (worst, sum(ends))
            if best is None or score < (max(best.ends), sum(best.ends)):
                best = Split([[g[i] for i in s.order] for g, s in zip((a, b), sols, strict=True)], sols, ends)
    return best
