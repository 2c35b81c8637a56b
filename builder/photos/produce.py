"""The photo producer: every referenced photo of every village → derivatives.

Registered as producer "photos" (order 10, before the pages). It fills
``ctx.shared["photos"]`` = {slug: {file: PhotoEntry}} for
:func:`builder.photos.html.picture_html`, and ``ctx.shared["photos_stats"]``
(a RunStats: total / cached / processed / failed) for logs and tests.

Errors become diagnostics in ``ctx.diags`` naming village.yml, the line that
references the photo, the village and the file. By default they are errors
(the build stops); with ``photos_on_error: skip`` in ctx.options (or the
environment variable VILLAGES_PHOTOS_ON_ERROR=skip) they are warnings and the
photo is left out. A photo cache that cannot be written is an io-error
diagnostic, and the OSError (naming the cache folder) is kept in
``ctx.shared["fault"]`` so the commands report it as a fault of the machine.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterator

from builder.kernel.diagnostics import Diagnostics, Location
from builder.photos.messages import SKIPPED, describe
from builder.photos.pipeline import RunStats, process_all, read_last_build, sniff, write_last_build
from builder.photos.refs import all_published, derivative_names, ref_location
from builder.photos.settings import HEIC_EXTS, PhotoSettings
from builder.kernel.build import BuildContext, GeneratedFile, register_producer

# Under "mkdocs." so that MkDocs (and `python -m builder build`, which logs
# through the "mkdocs" logger) shows the progress in its build log.
log = logging.getLogger("mkdocs.plugins.villages.photos")


@dataclass(frozen=True)
class Derivative:
    width: int
    height: int
    webp: str          # site path, e.g. assets/photos/<slug>/<name>-480.webp
    jpg: str


@dataclass(frozen=True)
class PhotoEntry:
    slug: str
    file: str                      # as written in village.yml, e.g. photos/a.jpg
    width: int                     # of the (oriented) original
    height: int
    derivatives: tuple[Derivative, ...]   # ascending width
    color: str                     # "#rrggbb" average colour
    lqip: str                      # data:image/webp;base64,… (16 px wide preview)
    alpha: bool = False
    sources: dict = field(default_factory=dict, compare=False)  # site path → cache file

    @property
    def largest(self) -> Derivative:
        return self.derivatives[-1]


def settings_for(ctx: BuildContext) -> PhotoSettings:
    return PhotoSettings.from_options(ctx.options)


def cache_root(ctx: BuildContext) -> Path:
    return Path(ctx.cache_dir) / "photos"


class _Progress:
    """'照片处理 12/340' in the build log, at most every 2 s (and at the end)."""

    def __init__(self, ctx: BuildContext):
        self.cb = ctx.options.get("photos_progress")
        self.last = 0.0

    def __call__(self, done: int, total: int) -> None:
        if callable(self.cb):
            self.cb(done, total)
        now = time.monotonic()
        if done == total or now - self.last >= 2.0:
            self.last = now
            log.info("照片处理 %d/%d", done, total)


def report(diags: Diagnostics, s: PhotoSettings, loc: Location, kind: str, detail: str, who: str,
           file: str) -> None:
    code, msg, hint = describe(kind, detail, who, file, s)
    if any(d.file == loc.file and d.line == loc.line and d.code == code for d in diags):
        return  # already said by the check step (validate.py)
    if s.on_error == "skip":
        diags.warning(loc, code, msg + SKIPPED, hint)
    else:
        diags.error(loc, code, msg, hint)


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


@register_producer("photos", order=10)
def produce(ctx: BuildContext) -> Iterator[GeneratedFile]:
    try:
        s = settings_for(ctx)
    except ValueError as exc:
        ctx.diags.error(Location("mkdocs.yml"), "bad-value", str(exc), "改正照片设置，或删掉它使用默认值。")
        ctx.shared["photos"] = {}
        ctx.shared["photos_stats"] = RunStats()
        return
    content = ctx.content
    pub = all_published(content)
    root = cache_root(ctx)
    todo: list[Path] = []
    for slug, files in pub.items():
        v = content.villages[slug]
        for f, ypath in files.items():
            p = v.dir / f
            # By extension only: the content itself is sniffed by check
            # (validate.py) and again by the pipeline, whose verdict is cached.
            prob = format_problem(s, f, None)
            if prob:
                report(ctx.diags, s, ref_location(v, ypath), prob[0], prob[1], f"{v.name}（{v.slug}）", f)
                continue
            todo.append(p)
    try:
        known = read_last_build(root)
        results, stats = process_all(todo, s, root, progress=_Progress(ctx), known=known)
    except OSError as exc:  # the cache folder cannot be written (disk full, read-only…)
        from builder.cli import fault_cause

        # A fault of the machine, not of the content: the commands find it in
        # ctx.shared["fault"] and say so in one line (builder.cli.fault_message).
        ctx.shared["fault"] = exc
        ctx.diags.error(Location(str(root)), "io-error",
                        f"照片缓存文件夹 {root} 无法使用：{fault_cause(exc)}。",
                        "检查这个文件夹的权限和磁盘空间，或在设置里换一个 cache_dir。")
        ctx.shared["photos"] = {}
        ctx.shared["photos_stats"] = RunStats()
        return
    used = {k: m for k, m in results.values() if k and not m.get("transient")}
    if used != known:
        write_last_build(root, used)
    if stats.processed:
        log.info("照片：%d 张，新处理 %d 张（其中 %d 张有问题），%d 张来自缓存 %s",
                 stats.total, stats.processed, stats.failed, stats.cached, root)
    index: dict[str, dict[str, PhotoEntry]] = {}
    out: list[GeneratedFile] = []
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
                report(ctx.diags, s, ref_location(v, ypath), meta.get("kind", "corrupt"), meta.get("detail", ""),
                       f"{v.name}（{v.slug}）", f)
                continue
            d = f"{root_s}/{key[:2]}/{key}/"
            derivs = []
            sources = {}
            for dv in meta["derivatives"]:
                w = dv["w"]
                webp = f"assets/photos/{slug}/{names[f]}-{w}.webp"
                jpg = f"assets/photos/{slug}/{names[f]}-{w}.jpg"
                sources[webp] = d + dv["webp"]
                sources[jpg] = d + dv["jpg"]
                derivs.append(Derivative(w, dv["h"], webp, jpg))
            entry = PhotoEntry(slug, f, meta["width"], meta["height"], tuple(derivs), meta["color"],
                               meta["lqip"], bool(meta.get("alpha")), sources)
            index.setdefault(slug, {})[f] = entry
            for site_path, src in sources.items():
                out.append(GeneratedFile(path=site_path, abs_src_path=src))
    ctx.shared["photos"] = index
    ctx.shared["photos_stats"] = stats
    yield from out
