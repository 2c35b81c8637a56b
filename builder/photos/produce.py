"""The photos feature's derive and produce steps: every referenced photo of
every village → derivatives.

:func:`derive_photos` (build only, not ``check``) processes the photos and
returns a :class:`PhotoIndex` ({slug: {file: PhotoEntry}} for
:func:`builder.photos.html.picture_html`, RunStats for logs and tests, and
the OSError when the cache folder cannot be written, which the commands
report as a fault of the machine); :func:`produce` yields the derivative
files from the cache.

Errors become diagnostics naming village.yml (or index.md), the line that
references the photo, the village and the file. By default they are errors
(the build stops); with ``photos_on_error: skip`` in the options (or the
environment variable VILLAGES_PHOTOS_ON_ERROR=skip) they are warnings and the
photo is left out.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from builder.content import Content
from builder.kernel.build import BuildContext, GeneratedFile, Options
from builder.kernel.diagnostics import Diagnostics, Location
from builder.photos.messages import SKIPPED, describe
from builder.photos.pipeline import RunStats, process_all, read_last_build, sniff, write_last_build
from builder.photos.refs import all_published, derivative_names, ref_location
from builder.photos.settings import HEIC_EXTS, PhotoSettings

# Under "mkdocs." so that MkDocs (and `python -m builder build`, which logs
# through the "mkdocs" logger) shows the progress in its build log.
log = logging.getLogger("mkdocs.plugins.villages.photos")


@dataclass(frozen=True)
class Derivative:
    width: int
    height: int
    webp: str  # site path, e.g. assets/photos/<slug>/<name>-480.webp
    jpg: str


@dataclass(frozen=True)
class PhotoEntry:
    slug: str
    file: str  # as written in village.yml, e.g. photos/a.jpg
    width: int  # of the (oriented) original
    height: int
    derivatives: tuple[Derivative, ...]  # ascending width
    color: str  # "#rrggbb" average colour
    lqip: str  # data:image/webp;base64,… (16 px wide preview)
    alpha: bool = False
    sources: dict = field(default_factory=dict, compare=False)  # site path → cache file

    @property
    def largest(self) -> Derivative:
        return self.derivatives[-1]


@dataclass
class PhotoIndex:
    """The derive phase's result: every published photo by village and file,
    the run's statistics, and the OSError when the cache could not be used
    (a fault of the machine, not of the content: the commands say so in one
    line, builder.cli.fault_message)."""

    entries: dict[str, dict[str, PhotoEntry]] = field(default_factory=dict)
    stats: RunStats = field(default_factory=RunStats)
    fault: OSError | None = None

    def lookup(self, slug: str, file: str) -> PhotoEntry | None:
        return self.entries.get(slug, {}).get(file)


def settings_for(options: Options) -> PhotoSettings:
    return PhotoSettings.from_options(options.values)


def cache_root(options: Options) -> Path:
    return Path(options.cache_dir) / "photos"


class _Progress:
    """'照片处理 12/340' in the build log, at most every 2 s (and at the end)."""

    def __init__(self, options: Options):
        self.cb = options.get("photos_progress")
        self.last = 0.0

    def __call__(self, done: int, total: int) -> None:
        if callable(self.cb):
            self.cb(done, total)
        now = time.monotonic()
        if done == total or now - self.last >= 2.0:
            self.last = now
            log.info("照片处理 %d/%d", done, total)


def report(diags: Diagnostics, s: PhotoSettings, loc: Location, kind: str, detail: str, who: str, file: str) -> None:
    code, msg, hint = describe(kind, detail, who, file, s)
    if any(d.file == loc.file and d.line == loc.line and d.code == code for d in diags):
        return  # already said by the check step (validate.py)
    if s.on_error == "skip":
        diags.warning(loc, code, msg + SKIPPED, hint)
    else:
        diags.error(loc, code, msg, hint)


def report_meta(diags: Diagnostics, s: PhotoSettings, loc: Location, meta: dict, who: str, file: str) -> None:
    """report() for a failed cache entry or check verdict ({"ok": False, "kind", "detail"})."""
    report(diags, s, loc, meta.get("kind", "corrupt"), meta.get("detail", ""), who, file)


def format_problem(s: PhotoSettings, file: str, head: bytes | None) -> tuple[str, str] | None:
    """(kind, detail) when the file is not a configured format, judged by
    extension and, when head is given, by its first bytes."""
    ext = Path(file).suffix.lower().lstrip(".")
    if ext in HEIC_EXTS and not s.heic:
        return "heic", ext
    if not s.accepts_ext(ext):
        return "format", ext or "unknown"
    real = sniff(head) if head else None
    if real == "heic" and not s.heic:
        return "heic", real
    if real and not s.accepts_real(real):
        return "format", real
    return None


def derive_photos(content: Content, options: Options, diags: Diagnostics) -> PhotoIndex:
    """Process every referenced photo (cached by content hash and settings)."""
    try:
        s = settings_for(options)
    except ValueError as exc:
        if not any(d.code == "bad-value" and d.message == str(exc) for d in diags):  # check said it already
            diags.error(Location("mkdocs.yml"), "bad-value", str(exc), "改正照片设置，或删掉它使用默认值。")
        return PhotoIndex()
    pub = all_published(content)
    root = cache_root(options)
    todo: list[Path] = []
    for slug, files in pub.items():
        v = content.villages[slug]
        for f, ypath in files.items():
            p = v.dir / f
            # By extension only: the content itself is sniffed by check
            # (validate.py) and again by the pipeline, whose verdict is cached.
            prob = format_problem(s, f, None)
            if prob:
                report(diags, s, ref_location(v, ypath), prob[0], prob[1], f"{v.name}（{v.slug}）", f)
                continue
            todo.append(p)
    site = _site_cover(content, s, diags)
    if site is not None:
        todo.append(site[1])
    try:
        known = read_last_build(root)
        results, stats = process_all(todo, s, root, progress=_Progress(options), known=known)
    except OSError as exc:  # the cache folder cannot be written (disk full, read-only…)
        from builder.cli import fault_cause

        # A fault of the machine, not of the content: the commands find it in
        # PhotoIndex.fault and say so in one line (builder.cli.fault_message).
        diags.error(
            Location(str(root)),
            "io-error",
            f"照片缓存文件夹 {root} 无法使用：{fault_cause(exc)}。",
            "检查这个文件夹的权限和磁盘空间，或在设置里换一个 cache_dir。",
        )
        return PhotoIndex(fault=exc)
    used = {k: m for k, m in results.values() if k and not m.get("transient")}
    if used != known:
        write_last_build(root, used)
    if stats.processed:
        log.info(
            "照片：%d 张，新处理 %d 张（其中 %d 张有问题），%d 张来自缓存 %s",
            stats.total,
            stats.processed,
            stats.failed,
            stats.cached,
            root,
        )
    index: dict[str, dict[str, PhotoEntry]] = {}
    root_s = str(Path(root).resolve())
    for slug, files in pub.items():
        v = content.villages[slug]
        names = derivative_names(list(files))
        for f, ypath in files.items():
            p = v.dir / f
            if p not in results:
                continue
            key, meta = results[p]
            if not meta.get("ok"):
                report_meta(diags, s, ref_location(v, ypath), meta, f"{v.name}（{v.slug}）", f)
                continue
            entry = photo_entry(slug, f, names[f], key, meta, root_s)
            index.setdefault(slug, {})[f] = entry
    if site is not None and site[1] in results:
        _add_site_cover(index, site, results[site[1]], root_s, s, diags)
    return PhotoIndex(index, stats)


def _site_cover(content: Content, s: PhotoSettings, diags: Diagnostics) -> tuple[str, Path, Location] | None:
    """The county's cover (site.yml cover:) when it is a real file of a
    configured format: (path as written, file, where it is written)."""
    cover = content.settings.cover
    doc = content.settings_doc
    if not cover or doc is None or not content.listing().is_file(cover):
        return None  # a missing file is reported by builder.photos.cover
    loc = doc.loc(("cover",))
    prob = format_problem(s, cover, None)
    if prob:
        report(diags, s, loc, prob[0], prob[1], "全县封面", cover)
        return None
    return cover, content.content_dir / cover, loc


def _add_site_cover(index: dict, site: tuple[str, Path, Location], result, root_s: str, s, diags) -> None:
    from builder.photos.cover import SITE, SITE_COVER_NAME

    cover, _, loc = site
    key, meta = result
    if not meta.get("ok"):
        report_meta(diags, s, loc, meta, "全县封面", cover)
        return
    index.setdefault(SITE, {})[cover] = photo_entry(SITE, cover, SITE_COVER_NAME, key, meta, root_s)


def photo_entry(slug: str, file: str, name: str, key: str, meta: dict, root_s: str) -> PhotoEntry:
    """A processed photo as published: its derivatives at
    assets/photos/<slug>/<name>-<width>.webp/.jpg, copied from the cache entry."""
    d = f"{root_s}/{key[:2]}/{key}/"
    derivs = []
    sources = {}
    for dv in meta["derivatives"]:
        w = dv["w"]
        webp = f"assets/photos/{slug}/{name}-{w}.webp"
        jpg = f"assets/photos/{slug}/{name}-{w}.jpg"
        sources[webp] = d + dv["webp"]
        sources[jpg] = d + dv["jpg"]
        derivs.append(Derivative(w, dv["h"], webp, jpg))
    return PhotoEntry(
        slug,
        file,
        meta["width"],
        meta["height"],
        tuple(derivs),
        meta["color"],
        meta["lqip"],
        bool(meta.get("alpha")),
        sources,
    )


def produce(ctx: BuildContext) -> Iterator[GeneratedFile]:
    """The derivatives of every published photo, from the cache."""
    index = ctx.derived.find(PhotoIndex)
    for files in (index.entries if index else {}).values():
        for entry in files.values():
            for site_path, src in entry.sources.items():
                yield GeneratedFile(path=site_path, abs_src_path=src)
