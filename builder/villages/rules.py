"""Rules of a village: references, configured lists, coordinates, dates,
designations, photos and the prose. Each rule adds diagnostics; none stops
and none changes the content."""

from __future__ import annotations

import datetime as dt
import difflib
from pathlib import PurePosixPath

from builder.content import Content
from builder.frameworks.scores import evaluate, rule_text
from builder.kernel import geo
from builder.kernel.diagnostics import Diagnostics, Location
from builder.kernel.loading.tree import LINK, SPECIAL
from builder.kernel.suggest import choices as _choices
from builder.kernel.suggest import suggest as _suggest
from builder.villages.load import PHOTO_SUFFIXES, VillageEntry
from builder.villages.model import DESIGNATION_STAGES
from builder.years.load import has_history


def validate_villages(c: Content, diags: Diagnostics) -> None:
    names: dict[tuple[str, str], VillageEntry] = {}
    lower: dict[str, VillageEntry] = {}
    for v in c.villages.values():
        _village(c, v, diags)
        key = (v.model.town, v.model.name)
        if key in names:
            diags.emit(
                v.doc.loc(("name",)),
                "duplicate-name",
                f"{v.model.town}已有一个“{v.model.name}”（{names[key].file}）。",
                "同一个村只能有一个文件夹；如果是两个不同的村，请核对村名。",
            )
        else:
            names[key] = v
        if v.slug.lower() in lower:
            diags.emit(
                Location(v.file, 1, 1),
                "duplicate-slug",
                f"村编号“{v.slug}”与“{lower[v.slug.lower()].slug}”重复。",
                "给其中一个文件夹换一个编号。",
            )
        lower[v.slug.lower()] = v


def _village(c: Content, v: VillageEntry, diags: Diagnostics) -> None:
    m, doc = v.model, v.doc
    if c.towns and m.town not in c.towns and not c.towns_broken:
        diags.emit(
            doc.loc(("town",)),
            "unknown-town",
            f"乡镇“{m.town}”不在 content/towns.yml 中。",
            _suggest(m.town, c.towns) + _choices(c.towns),
        )
    if m.function not in c.settings.functions and "functions" not in c.settings_broken:
        diags.emit(
            doc.loc(("function",)),
            "unknown-function",
            f"功能定位“{m.function}”不在配置的列表中。",
            _suggest(m.function, c.settings.functions) + _choices(c.settings.functions),
        )
    _location(v, diags)
    photos = set(v.photo_files)
    used: set[str] = set()

    def rejected(ref: str) -> bool:
        # A symlink or special file on the way was reported by the tree walk
        # already: one mistake, one message.
        if c.tree is None:
            return False
        parts = f"villages/{v.slug}/{ref}".split("/")
        return any(c.tree.kind("/".join(parts[:i])) in (LINK, SPECIAL) for i in range(3, len(parts) + 1))

    def photo_ref(path: tuple, ref: str) -> None:
        used.add(ref)
        if ref not in photos and not rejected(ref):
            diags.emit(
                doc.loc(path),
                "missing-photo",
                f"照片“{ref}”在 {v.slug}/ 里找不到。",
                (_suggest(ref, photos) or "把照片放进 photos/ 文件夹，") + "注意文件名大小写和扩展名要完全一致。",
            )

    if m.brand.logo:
        photo_ref(("brand", "logo"), m.brand.logo)
    for i, h in enumerate(m.highlights):
        if h.photo:
            photo_ref(("highlights", i, "photo"), h.photo)
    seen_files: dict[str, int] = {}
    for i, ph in enumerate(m.gallery):
        photo_ref(("gallery", i, "file"), ph.file)
        if ph.file in seen_files:
            diags.emit(
                doc.loc(("gallery", i, "file")),
                "duplicate-id",
                f"照片“{ph.file}”在 gallery 里出现了两次（另一次在第 {seen_files[ph.file] + 1} 项）。",
                "删掉重复的一项。",
            )
        seen_files[ph.file] = i
        if ph.standard:
            _standard_ref(c, doc, ("gallery", i, "standard"), ph.standard, diags)
    check_assessments(c, v.doc, v.model.assessments, diags, photo_ref, v.is_broken)
    _designation(c, v, diags)
    _no_future_dates(v, diags)
    if v.prose:
        used.update(v.rendered_prose.photos)
    for f in sorted(photos - used):
        if PurePosixPath(f).suffix.lower() in PHOTO_SUFFIXES:
            diags.emit(
                Location(f"{v.file.rsplit('/', 1)[0]}/{f}", 1, 1),
                "unreferenced-photo",
                f"照片 {f} 没有写进 village.yml，不会出现在网站上。",
                f"在 gallery 里加一项：- file: {f}，并写上 caption；不需要的话把它移出 photos/ 文件夹。",
            )
    if v.prose:
        _prose(c, v, diags)


def _location(v: VillageEntry, diags: Diagnostics) -> None:
    loc = v.model.location
    _, problem = geo.check_point(loc.system, loc.lat, loc.lng)
    if problem:
        diags.emit(v.doc.loc(("location", problem.field)), problem.code, problem.message, problem.hint)


def _standard_ref(c: Content, doc, path: tuple, ref: str, diags: Diagnostics) -> None:
    fid, _, iid = ref.partition(".")
    fw = c.frameworks.get(fid)
    if fw is None or not any(i.id == iid for i in fw.items):
        options = [f"{f.id}.{i.id}" for f in c.frameworks.values() for i in f.items]
        diags.emit(
            doc.loc(path),
            "unknown-standard",
            f"标准条目“{ref}”不存在。",
            (_suggest(ref, options) or "") + "写法是 体系编号.条目编号，例如 shitiao.core。",
        )


def check_assessments(c: Content, doc, assessments: dict, diags: Diagnostics, photo_ref, is_broken) -> None:
    """The assessments block of village.yml or of a year's file
    (villages/<slug>/assessments/<year>.yml, builder.years): every required
    framework, every item, known 等次, scores in range, photos that exist.
    ``is_broken(*path)``: a value left out as wrong (already reported)."""
    levels = c.settings.levels
    for fid in c.settings.frameworks:
        if fid in c.frameworks and fid not in assessments and not is_broken("assessments", fid):
            diags.emit(
                doc.key_loc(("assessments",)) if "assessments" in (doc.data or {}) else doc.loc(()),
                "missing-assessment",
                f"缺少“{c.frameworks[fid].name}”（{fid}）的自评。",
                f"在 assessments 下加上 {fid}:，逐条填写。可用 python -m builder new village 生成的模板参考。",
            )
    for fid, a in assessments.items():
        fw = c.frameworks.get(fid)
        base = ("assessments", fid)
        if fw is None:
            diags.emit(
                doc.key_loc(base),
                "unknown-framework",
                f"标准体系“{fid}”不存在。",
                _suggest(fid, c.frameworks) + _choices(c.frameworks),
            )
            continue
        ids = [i.id for i in fw.items]
        extra = [k for k in a.items if k not in ids]
        # `cor:` for `core:` is one mistake: reported as the unknown id (with
        # "是不是想写 core"), not also as a missing core
        typos = {m for k in extra for m in difflib.get_close_matches(k, ids, n=1, cutoff=0.4)}
        for iid in ids:
            if iid not in a.items and iid not in typos:
                name = next(i.name for i in fw.items if i.id == iid)
                diags.emit(
                    doc.key_loc((*base, "items")),
                    "missing-item",
                    f"“{fw.name}”自评缺少第 {ids.index(iid) + 1} 条“{name}”（{iid}）。",
                    f"在 items 下加上 {iid}:，填写 level/score 和 evidence。",
                )
        for iid, ia in a.items.items():
            ipath = (*base, "items", iid)
            if iid not in ids:
                diags.emit(
                    doc.key_loc(ipath),
                    "extra-item",
                    f"“{fw.name}”里没有编号为“{iid}”的条目。",
                    (_suggest(iid, ids) or "") + _choices(ids),
                )
                continue
            item = fw.items[ids.index(iid)]
            if ia.level is not None and ia.level not in levels and "levels" not in c.settings_broken:
                diags.emit(
                    doc.loc((*ipath, "level")),
                    "unknown-level",
                    f"等次“{ia.level}”不在配置的列表中。",
                    _suggest(ia.level, levels) + _choices(levels),
                )
            if fw.scoring in ("level", "both") and ia.level is None:
                diags.emit(doc.loc(ipath), "missing-score", f"“{item.name}”没有填等次（level）。", _choices(levels))
            if fw.scoring in ("score", "both") and ia.score is None:
                diags.emit(
                    doc.loc(ipath),
                    "missing-score",
                    f"“{item.name}”没有填得分（score）。",
                    f"满分 {item.max_score:g} 分。",
                )
            if ia.score is not None and (ia.score < 0 or (ia.score > item.max_score and not fw.allow_over_max)):
                diags.emit(
                    doc.loc((*ipath, "score")),
                    "score-range",
                    f"“{item.name}”得分 {ia.score:g} 超出范围（0–{item.max_score:g}）。",
                    "检查得分；如果该体系是积分制，请在体系文件里设置 allow_over_max: true。",
                )
            for k, ref in enumerate(ia.photos):
                photo_ref((*ipath, "photos", k), ref)


def _no_future_dates(v: VillageEntry, diags: Diagnostics, today: dt.date | None = None) -> None:
    """A photo taken, a self-assessment made or a designation step recorded
    after today is impossible: almost always a typo in the year."""
    today = today or dt.date.today()
    m, doc = v.model, v.doc
    found: list[tuple[tuple, str, dt.date]] = []
    for i, ph in enumerate(m.gallery):
        if ph.taken:
            found.append((("gallery", i, "taken"), "拍摄日期", ph.taken))
    for fid, a in m.assessments.items():
        found.append((("assessments", fid, "date"), "自评日期", a.date))
    if m.designation:
        for i, e in enumerate(m.designation.history):
            found.append((("designation", "history", i, "date"), f"“{e.stage}”的日期", e.date))
    for path, what, value in found:
        if value > today:
            diags.emit(
                doc.loc(path),
                "bad-date",
                f"{what} {value} 在今天（{today}）之后，不可能已经发生。",
                "检查年份、月份是否写错，例如 2062 应为 2026。",
            )


def _designation(c: Content, v: VillageEntry, diags: Diagnostics) -> None:
    d, doc = v.model.designation, v.doc
    if d is None:
        return
    prev_stage, prev_date = None, None
    revoked = False
    for i, e in enumerate(d.history):
        path = ("designation", "history", i)
        order = DESIGNATION_STAGES.index(e.stage)
        if revoked:
            diags.emit(
                doc.loc((*path, "stage")),
                "designation-order",
                "撤销之后不能再有其他环节。",
                "如果重新申报，请从“申报”开始写一条新的记录，并确认撤销记录是否有误。",
            )
        elif prev_stage is not None and e.stage != "撤销":
            p = DESIGNATION_STAGES.index(prev_stage)
            ok = order == p + 1 or (e.stage == "复核" and prev_stage == "复核")
            if not ok:
                diags.emit(
                    doc.loc((*path, "stage")),
                    "designation-order",
                    f"“{e.stage}”不能直接接在“{prev_stage}”之后。",
                    "顺序是 申报 → 考察 → 公示 → 命名 → 复核（可多次）；撤销可在任一环节之后。",
                )
        elif prev_stage is None and e.stage not in ("申报",):
            diags.emit(
                doc.loc((*path, "stage")),
                "designation-order",
                f"命名记录应从“申报”开始，这里是“{e.stage}”。",
                "补上申报记录（日期、单位）。",
            )
        if prev_date is not None and e.date < prev_date:
            diags.emit(
                doc.loc((*path, "date")),
                "date-order",
                f"“{e.stage}”的日期 {e.date} 早于上一环节“{prev_stage}”的日期 {prev_date}。",
                "核对两个日期。",
            )
        if e.stage == "撤销":
            revoked = True
        prev_stage, prev_date = e.stage, e.date
    if d.is_designated and not has_history(c, v.slug):  # with earlier/later years: builder.years.rules
        for fw in c.required_frameworks():
            a = v.model.assessments.get(fw.id)
            if a is None or assessment_has_own_errors(c, v.is_broken, fw, a):
                continue  # judged once its own mistakes (reported above) are fixed
            r = evaluate(fw, a, c.settings.levels)
            if not r.meets:
                names = "、".join(i.item.name for i in r.shortfalls[:4]) + ("等" if len(r.shortfalls) > 4 else "")
                diags.emit(
                    doc.loc(("designation", "history", len(d.history) - 1, "stage")),
                    "designation-unmet",
                    f"已{d.status}为示范村，但“{fw.name}”未达到要求（{rule_text(fw)}）：{names or '总分不足'}。",
                    "核实自评是否填错；若确实未达标，把命名记录改为实际环节，或加一条“撤销”。",
                )


def assessment_has_own_errors(c: Content, is_broken, fw, a) -> bool:
    """An unknown 等次 or item id, or a value left out as wrong (``is_broken``
    of village.yml or of a year's file): whether the village meets the
    framework cannot be said yet."""
    ids = {i.id for i in fw.items}
    return (
        "levels" in c.settings_broken
        or is_broken("assessments", fw.id)
        or any(iid not in ids for iid in a.items)
        or any(ia.level is not None and ia.level not in c.settings.levels for ia in a.items.values())
    )


# Pages every site has, as directories from the site root (the village lists,
# comparison, map, projects, tours, tags and home).
_SITE_PAGES = frozenset(
    {"", "villages/", "villages/by-town/", "villages/by-function/", "compare/", "map/", "projects/", "tours/", "tags/"}
)


def _prose_links(c: Content, v: VillageEntry, diags: Diagnostics) -> None:
    """Links inside the site that index.md makes: they are raw HTML on the
    published page, so no engine checks them; check does (the page is
    villages/<slug>/, so ../liushuwan/ is another village's page)."""
    import posixpath
    from urllib.parse import unquote

    prose = v.rendered_prose
    if not prose.local_links:
        return
    pages = set(_SITE_PAGES)
    pages.update(f"villages/{s}/" for s in c.villages)
    pages.update(f"projects/{p}/" for p in c.projects)
    assert v.prose_file is not None
    for href, line, col in prose.local_links:
        path, _, anchor = href.partition("#")
        path = unquote(path.split("?", 1)[0])
        where = Location(v.prose_file, line, col)
        if not path:
            if anchor and anchor not in prose.ids:
                diags.emit(
                    where,
                    "prose-link",
                    f"正文里的链接“#{anchor}”找不到这一页上对应的小标题。",
                    "链接到小标题时，# 后面写小标题的编号（在网页上把鼠标放在小标题上可以看到），或删掉这个链接。",
                )
            continue
        if path.startswith("/"):
            diags.emit(
                where,
                "prose-link",
                f"正文里的链接“{href}”从网站根目录写起，网站放在子目录或 U 盘上时会打不开。",
                "写成相对地址，例如别的村写成 ../cun-bian-hao/，项目写成 ../../projects/项目编号/。",
            )
            continue
        target = posixpath.normpath(posixpath.join(f"villages/{v.slug}/", path))
        target = target.removesuffix("/index.md").removesuffix(".md").removesuffix("/index.html")
        target = "" if target in (".", "") else target.strip("/") + "/"
        if target not in pages:
            near = [p for p in pages if p.rstrip("/").rsplit("/", 1)[-1] == target.rstrip("/").rsplit("/", 1)[-1]]
            diags.emit(
                where,
                "prose-link",
                f"正文里的链接“{href}”指向的页面不存在，访问者点了会看到“找不到页面”。",
                (f"是不是想链接到 {near[0]}？" if near else "")
                + "别的村写成 ../村的编号/，项目写成 ../../projects/项目编号/；外部网站写完整地址 https://…。",
            )


def _prose(c: Content, v: VillageEntry, diags: Diagnostics) -> None:
    """What the sanitizer removes or changes in index.md,
    located (the same function renders the published HTML: builder.villages.prose)."""
    assert v.prose_file is not None  # the loader sets it together with the prose
    _prose_links(c, v, diags)
    for f in v.rendered_prose.findings:
        emit = diags.error if f.error else diags.warning
        emit(Location(v.prose_file, f.line, f.column), f.code, f.message, f.hint)
