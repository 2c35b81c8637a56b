"""``python -m builder photos prune|build``: manage the photo cache.

prune   removes cache entries that neither the latest build used nor the
        current content needs with the current settings (VILLAGES_PHOTOS_*
        environment variables).
build   processes every referenced photo into the cache and reports problems
        (what the site build does first), useful before a long build.
"""

from __future__ import annotations

import logging
import shutil
import sys
from pathlib import Path

from builder.photos.pipeline import SourceIndex, entry_key, read_last_build
from builder.photos.settings import PhotoSettings


def register(sub, add_content) -> None:
    p = sub.add_parser("photos", help="照片缓存：prune 清理不再使用的缓存，build 预先处理全部照片")
    psub = p.add_subparsers(dest="photos_command", metavar="子命令")
    pr = psub.add_parser("prune", help="删除不再被任何照片使用的缓存")
    add_content(pr)
    pr.add_argument("--cache", default=".cache", help="缓存文件夹（默认 .cache，照片在其下的 photos/）")
    pr.add_argument("--dry-run", action="store_true", help="只列出要删除的，不真删")
    pr.add_argument("--force", action="store_true", help="内容有错误时也清理（出错的村的缓存会被删掉）")
    pr.set_defaults(func=cmd_prune)
    pb = psub.add_parser("build", help="处理全部照片（生成各尺寸的 WebP/JPEG 到缓存），报告有问题的照片")
    add_content(pb)
    pb.add_argument("--cache", default=".cache", help="缓存文件夹（默认 .cache）")
    pb.set_defaults(func=cmd_build)
    p.set_defaults(func=lambda args: (p.print_help(sys.stderr), 2)[1])


def used_keys(content, s: PhotoSettings, root: Path) -> set[str]:
    from builder.photos.produce import format_problem
    from builder.photos.refs import all_published

    fp = s.fingerprint()
    index = SourceIndex(root)
    keys: set[str] = set()
    for slug, files in all_published(content).items():
        v = content.villages[slug]
        for f in files:
            p = v.dir / f
            if format_problem(s, f, None):
                continue
            try:
                keys.add(entry_key(fp, index.sha(p)))
            except OSError:
                continue
    index.save()
    return keys


def prune(content, s: PhotoSettings, root: Path, dry_run: bool = False) -> tuple[list[Path], int]:
    """Remove unused entries. Returns (removed entry dirs, entries kept)."""
    root = Path(root)
    if not root.is_dir():
        return [], 0
    # What the current content needs with these settings, plus whatever the
    # latest build used (it may have had other settings, e.g. from mkdocs.yml).
    keep = used_keys(content, s, root) | set(read_last_build(root))
    removed: list[Path] = []
    kept = 0
    for sub in sorted(root.iterdir()):
        if sub.is_dir() and (sub.name.startswith(".tmp-") or sub.name.startswith(".running-")):
            removed.append(sub)
            continue
        if not (sub.is_dir() and len(sub.name) == 2):
            continue
        for entry in sorted(sub.iterdir()):
            if entry.name in keep:
                kept += 1
            else:
                removed.append(entry)
    if not dry_run:
        for d in removed:
            shutil.rmtree(d, ignore_errors=True)
        for sub in root.iterdir():
            if sub.is_dir() and len(sub.name) == 2 and not any(sub.iterdir()):
                sub.rmdir()
        idx = SourceIndex(root)
        gone = [k for k in idx.data if not Path(k).exists()]
        for k in gone:
            del idx.data[k]
        idx.dirty = bool(gone)
        idx.save()
    return removed, kept


def _load(args):
    from builder.pipeline import check

    content, diags = check(Path(args.content), Path.cwd())
    return content, diags


def _settings() -> PhotoSettings | None:
    try:
        return PhotoSettings.from_options({})
    except ValueError as exc:
        print(f"错误：{exc}", file=sys.stderr)
        return None


def cmd_prune(args) -> int:
    s = _settings()
    if s is None:
        return 2
    content, diags = _load(args)
    if diags.has_errors and not args.force:
        print(diags.format("text"), file=sys.stderr)
        print(
            "内容有错误，没有清理照片缓存（出错的村的照片会被当成不再使用）。改正后再运行，或加 --force。",
            file=sys.stderr,
        )
        return 1
    root = Path(args.cache) / "photos"
    removed, kept = prune(content, s, root, dry_run=args.dry_run)
    verb = "将删除" if args.dry_run else "已删除"
    for d in removed:
        print(f"{verb} {d}")
    print(f"照片缓存：{verb} {len(removed)} 项，保留 {kept} 项（{root}）。")
    return 0


def cmd_build(args) -> int:
    from builder.kernel.build import Options
    from builder.photos.produce import derive_photos

    s = _settings()
    if s is None:
        return 2
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    content, diags = _load(args)
    index = derive_photos(content, Options(cache_dir=Path(args.cache), build=True), diags)
    if index.fault is not None:
        raise index.fault  # the cache cannot be written: one line from builder.cli
    st = index.stats
    n = sum(len(e.sources) for files in index.entries.values() for e in files.values())
    out = diags.format("text")
    if out:
        print(out)
    if st:
        print(
            f"照片：共 {st.total} 张，新处理 {st.processed} 张，来自缓存 {st.cached} 张，有问题 {st.failed} 张；"
            f"生成文件 {n} 个。"
        )
    return 1 if diags.has_errors else 0
