"""The loaded content of a portal: every file read, parsed and checked
against its schema, with each entry remembering its source document so any
later rule can point at the exact line."""

from __future__ import annotations

import gc
import os
import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from builder.kernel.diagnostics import Diagnostics, Location
from builder.kernel.diagnostics.model import relpath
from builder.kernel.loading.textfile import MAX_PROSE_BYTES, read_text
from builder.kernel.loading.tree import DIR, FILE, LINK, ContentTree, scan_tree
from builder.kernel.loading.yamlsrc import YamlDoc, load_yaml
from builder.model import Framework, Project, SiteSettings, TownsFile, Town, Village
from builder.kernel.schema import validate_model

DEFAULTS_DIR = Path(__file__).parent / "defaults"
SLUG_RE = re.compile(r"^[a-z0-9][a-z0-9\-]*$")
PLACEHOLDER = "【待填写】"   # what `python -m builder new` leaves in every blank
PHOTO_SUFFIXES = {".jpg", ".jpeg", ".png", ".webp", ".gif", ".tif", ".tiff", ".bmp", ".heic", ".heif", ".avif"}


@dataclass
class VillageEntry:
    slug: str
    dir: Path
    file: str                 # display path of village.yml
    doc: YamlDoc
    model: Village
    prose: str | None = None  # index.md text
    prose_file: str | None = None
    photo_files: list[str] = field(default_factory=list)  # "photos/x.jpg", sorted
    wgs84: tuple[float, float] | None = None

    @property
    def name(self) -> str:
        return self.model.name


@dataclass
class ProjectEntry:
    id: str
    file: str
    doc: YamlDoc
    model: Project


@dataclass
class Content:
    root: Path                # repository root (paths in diagnostics are relative to it)
    content_dir: Path
    settings: SiteSettings
    settings_doc: YamlDoc | None
    frameworks: dict[str, Framework]
    framework_docs: dict[str, YamlDoc]
    towns: dict[str, Town]
    towns_doc: YamlDoc | None
    villages: dict[str, VillageEntry]
    projects: dict[str, ProjectEntry]
    extras: dict[str, Any] = field(default_factory=dict)  # for other concerns (tours …)
    # Slugs of village folders that exist but could not be loaded (their errors
    # are already reported): references to them are not "unknown" as well.
    failed_villages: set[str] = field(default_factory=set)
    # What content/ holds, taken in one walk that never follows a link
    # (builder/loading/tree.py); None for a Content built by hand.
    tree: ContentTree | None = None

    def listing(self) -> ContentTree:
        """The content folder's listing; walked now (without reporting) when
        this Content was not made by load_content."""
        if self.tree is None:
            self.tree = scan_tree(self.content_dir, None, self.display) if self.content_dir.is_dir() \
                else ContentTree(self.content_dir)
        return self.tree

    def village_exists(self, slug: str) -> bool:
        return slug in self.villages or slug in self.failed_villages

    def display(self, path: Path) -> str:
        return relpath(path, self.root)

    def required_frameworks(self) -> list[Framework]:
        return [self.frameworks[f] for f in self.settings.frameworks if f in self.frameworks]


@lru_cache(maxsize=16)
def _abs_root(root: Path) -> Path:
    return Path(os.path.abspath(root))


def _display(path: Path, root: Path) -> str:
    # Textual (no symlink resolution, no syscalls per component): this runs
    # for every file and dominated load time at 1,000+ villages.
    try:
        return Path(os.path.abspath(path)).relative_to(_abs_root(root)).as_posix()
    except ValueError:
        return relpath(path, root)


def load_content(content_dir: Path, diags: Diagnostics, root: Path | None = None) -> Content:
    """Read every content file (see _load_content).

    The cyclic garbage collector is paused while loading: loading allocates
    many small, long-lived, acyclic objects, and CPython's full collections
    rescan everything alive, so with the collector on the cost per village
    grew with the number of villages (measured 1.17x per village at 2,000 vs
    1,000; 0.98x with it paused). Collection resumes right after.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        return _load_content(content_dir, diags, root)
    finally:
        if was_enabled:
            gc.enable()


def _load_content(content_dir: Path, diags: Diagnostics, root: Path | None = None) -> Content:
    """Read every content file. Files that fail to parse or validate add
    diagnostics and are left out of the returned Content (never silently:
    each one has at least one error)."""
    content_dir = Path(content_dir)
    root = Path(root) if root else content_dir.resolve().parent
    if not content_dir.is_dir():
        diags.emit(Location(_display(content_dir, root), 0, 0), "io-error",
                   f"内容文件夹 {content_dir} 不存在。", "用 --content 指定正确的文件夹。")
        return Content(root, content_dir, SiteSettings(county="（未设置）", title="（未设置）"), None,
                       {}, {}, {}, None, {}, {})

    tree = scan_tree(content_dir, diags, lambda p: _display(p, root))

    # site.yml -----------------------------------------------------------------
    site_path = content_dir / "site.yml"
    settings_doc = None
    settings = None
    if _is_file(tree, "site.yml", root, diags):
        settings_doc = load_yaml(site_path, _display(site_path, root), diags)
        if settings_doc:
            settings = validate_model(SiteSettings, settings_doc, diags, "网站设置")
    elif tree.kind("site.yml") is None:
        diags.emit(Location(_display(site_path, root), 1, 1), "io-error", "缺少网站设置文件 content/site.yml。",
                   "从示例复制一份 site.yml 并修改县名和标题。")
    if settings is None:
        settings = SiteSettings(county="（未设置）", title="（未设置）")

    # frameworks: the shipped defaults, overridden by content/frameworks/<id>.yml
    frameworks: dict[str, Framework] = {}
    framework_docs: dict[str, YamlDoc] = {}
    fw_files = {p.stem: p for p in sorted((DEFAULTS_DIR / "frameworks").glob("*.yml"))}
    for name, _kind in tree.entries("frameworks"):
        if name.endswith(".yml") and not name.startswith(".") and _is_file(tree, f"frameworks/{name}", root, diags):
            fw_files[name[:-4]] = content_dir / "frameworks" / name
    for stem, p in sorted(fw_files.items()):
        shown = _display(p, root)
        doc = load_yaml(p, shown, diags)
        if not doc:
            continue
        fw = validate_model(Framework, doc, diags, "标准体系")
        if fw is None:
            continue
        if fw.id != stem:
            diags.emit(doc.loc(("id",)), "framework-invalid",
                       f"标准体系的 id “{fw.id}”与文件名“{p.name}”不一致。", f"把 id 改成 {stem}，或把文件改名为 {fw.id}.yml。")
            continue
        frameworks[fw.id] = fw
        framework_docs[fw.id] = doc

    # towns.yml ------------------------------------------------------------------
    towns: dict[str, Town] = {}
    towns_doc = None
    towns_path = content_dir / "towns.yml"
    if _is_file(tree, "towns.yml", root, diags):
        towns_doc = load_yaml(towns_path, _display(towns_path, root), diags)
        if towns_doc:
            tf = validate_model(TownsFile, towns_doc, diags, "乡镇列表")
            if tf:
                for i, t in enumerate(tf.towns):
                    if t.name in towns:
                        diags.emit(towns_doc.loc(("towns", i, "name")), "duplicate-name",
                                   f"乡镇“{t.name}”重复列出。", "删掉重复的一项。")
                    towns[t.name] = t
    elif tree.kind("towns.yml") is None:
        diags.emit(Location(_display(towns_path, root), 1, 1), "io-error", "缺少乡镇列表 content/towns.yml。",
                   "新建 towns.yml，列出每个乡镇的名称和行政村数量。")

    # villages --------------------------------------------------------------------
    villages: dict[str, VillageEntry] = {}
    failed: set[str] = set()
    vdir = content_dir / "villages"
    folders = []
    for name, kind in tree.entries("villages"):
        d = vdir / name
        if name.startswith("."):
            continue
        if kind == LINK:
            # Reported by the walk (symlink) and never loaded: a linked
            # folder may lead anywhere. References to it do not cascade.
            if SLUG_RE.match(name):
                failed.add(name)
            continue
        if kind == FILE:
            diags.emit(Location(_display(d, root), 1, 1), "bad-file-name",
                       f"文件 {d.name} 放在了 content/villages/ 下，但每个村应是一个文件夹。",
                       f"新建文件夹 content/villages/<村编号>/，把文件移进去并命名为 village.yml。")
        if kind != DIR:
            continue
        folders.append(d)
    # Two folders whose names differ only in case (or _ vs -) are the same
    # village on Windows/macOS checkouts and the same URL: keep the valid one.
    by_key: dict[str, list[Path]] = {}
    for d in folders:
        by_key.setdefault(_slug_key(d.name), []).append(d)
    for d in folders:
        group = by_key[_slug_key(d.name)]
        keep = next((g for g in group if SLUG_RE.match(g.name)), group[0])
        if d is not keep:
            diags.emit(Location(_display(d / "village.yml", root), 1, 1), "duplicate-slug",
                       f"村文件夹“{d.name}”与“{keep.name}”是同一个编号（只差大小写或 _ 与 -）。",
                       f"这两个文件夹在 Windows 上会变成同一个，网址也会冲突：把内容合并到 {keep.name}/，删掉 {d.name}/。")
            continue
        entry = load_village(d, root, diags, tree)
        if entry:
            villages[entry.slug] = entry
        elif SLUG_RE.match(d.name):
            failed.add(d.name)

    # projects ---------------------------------------------------------------------
    projects: dict[str, ProjectEntry] = {}
    pdir = content_dir / "projects"
    for rel in sorted(tree.files_under("projects"), key=lambda q: (q.count("/"), q)):
        p = pdir / rel
        if p.name.startswith("."):
            continue
        shown = _display(p, root)
        if p.suffix not in (".yml", ".yaml"):
            if p.suffix != ".md":
                diags.emit(Location(shown, 1, 1), "bad-file-name", f"{p.name} 不是 .yml 文件，项目文件夹里只放项目的 .yml 文件。",
                           "把文件扩展名改为 .yml，或移走这个文件。")
            continue
        doc = load_yaml(p, shown, diags)
        if not doc or has_placeholders(doc, diags):
            continue
        model = validate_model(Project, doc, diags, "书记党建项目")
        if model:
            pid = p.stem
            if not SLUG_RE.match(pid):
                diags.emit(Location(shown, 1, 1), "bad-slug",
                           f"项目文件名“{p.name}”不合规：只能用小写英文字母、数字和短横线。",
                           "例如 2022-wangjiazhuang-malingshu.yml")
                continue
            if pid in projects:
                diags.emit(Location(shown, 1, 1), "duplicate-id",
                           f"项目编号“{pid}”重复：{projects[pid].file} 也用了这个文件名。",
                           "项目编号就是文件名（不含扩展名），给其中一个文件换个名字。")
                continue
            projects[pid] = ProjectEntry(pid, shown, doc, model)

    return Content(root, content_dir, settings, settings_doc, frameworks, framework_docs,
                   towns, towns_doc, villages, projects, failed_villages=failed, tree=tree)


def _is_file(tree: ContentTree, rel: str, root: Path, diags: Diagnostics) -> bool:
    """True when rel is a real file. A folder where a file is expected is a
    located error here; a link or special file was reported by the walk."""
    kind = tree.kind(rel)
    if kind == DIR:
        shown = _display(tree.path(rel), root)
        name = rel.rsplit("/", 1)[-1]
        diags.emit(Location(shown, 1, 1), "io-error", f"{shown} 应该是一个文件，但这里是一个文件夹。",
                   f"把文件夹 {name} 改名或移走，在这里放同名的文本文件。")
    return kind == FILE


def has_placeholders(doc: YamlDoc, diags: Diagnostics) -> bool:
    """Report every blank of a scaffold that is still unfilled. A file with
    blanks is not checked further: the other errors would only be noise."""
    found = False

    def walk(value, path: tuple) -> None:
        nonlocal found
        if isinstance(value, dict):
            for k, v in value.items():
                walk(v, path + (k,))
        elif isinstance(value, list):
            for i, v in enumerate(value):
                walk(v, path + (i,))
        elif isinstance(value, str) and PLACEHOLDER in value:
            found = True
            field = ".".join(str(p) for p in path)
            diags.emit(doc.loc(path), "placeholder", f"“{field}”还没有填写（仍是{PLACEHOLDER}）。",
                       "把“【待填写】”换成实际内容；这一行后面的注释说明了要填什么。不需要的可选项可以整行删掉。")

    walk(doc.data, ())
    return found


def _prose_placeholders(text: str | None, shown: str, diags: Diagnostics) -> bool:
    if text is None:
        return False
    found = False
    for n, line in enumerate(text.splitlines(), 1):
        if PLACEHOLDER in line:
            found = True
            diags.emit(Location(shown, n, line.index(PLACEHOLDER) + 1), "placeholder",
                       f"正文第 {n} 行还没有填写（仍是{PLACEHOLDER}）。", "把“【待填写】”换成介绍这个村的文字。")
    return found


def _slug_key(name: str) -> str:
    return name.casefold().replace("_", "-")


def load_village(d: Path, root: Path, diags: Diagnostics, tree: ContentTree | None = None) -> VillageEntry | None:
    """Load one village folder. Only real files and folders listed by the
    content walk are used (tree; walked here when not given)."""
    slug = d.name
    vfile = d / "village.yml"
    shown = _display(vfile, root)
    if not SLUG_RE.match(slug):
        diags.emit(Location(_display(d, root), 1, 1), "bad-slug",
                   f"村文件夹名“{slug}”不合规：只能用小写英文字母、数字和短横线。",
                   "用村名拼音，例如 wangjiazhuang。")
        return None
    if tree is None:
        tree = scan_tree(d.parent, diags, lambda p: _display(p, root))
        rel = slug
    else:
        try:
            rel = d.relative_to(tree.root).as_posix()
        except ValueError:
            tree, rel = scan_tree(d.parent, diags, lambda p: _display(p, root)), slug
    if not tree.is_dir(rel):
        return None   # a link or special file: reported by the walk
    kinds = dict(tree.entries(rel))
    if "village.yml" not in kinds:
        diags.emit(Location(shown, 1, 1), "io-error",
                   f"村文件夹 {slug}/ 里没有 village.yml。" + ("（找到了 village.yaml，请改名为 village.yml）"
                                                             if kinds.get("village.yaml") == FILE else ""),
                   f"运行 python -m builder new village {slug} --town <乡镇> 生成模板。")
        return None
    if not _is_file(tree, f"{rel}/village.yml", root, diags):
        return None
    doc = load_yaml(vfile, shown, diags)
    if not doc:
        return None
    index = d / "index.md"
    prose_file = _display(index, root)
    prose = None
    if _is_file(tree, f"{rel}/index.md", root, diags):
        prose = read_text(index, prose_file, diags, MAX_PROSE_BYTES)
    if has_placeholders(doc, diags) | _prose_placeholders(prose, prose_file, diags):
        return None
    model = validate_model(Village, doc, diags, "村信息")
    if model is None:
        return None
    entry = VillageEntry(slug, d, shown, doc, model)
    if prose is not None:
        entry.prose_file = prose_file
        entry.prose = prose
    for name, kind in kinds.items():
        if name.startswith(".") or name in ("village.yml", "index.md", "photos") or kind not in (FILE, DIR):
            continue
        extra = d / name
        is_photo = extra.suffix.lower() in PHOTO_SUFFIXES
        diags.emit(Location(_display(extra, root), 1, 1), "stray-file",
                   f"{slug}/ 里的{'文件夹' if kind == DIR else '文件'}“{extra.name}”不会被使用。",
                   f"照片请移到 {slug}/photos/ 并在 gallery 里登记。" if is_photo else
                   "村文件夹里只放 village.yml、index.md 和 photos/；不需要的文件请移走。")
    if tree.is_dir(f"{rel}/photos"):
        entry.photo_files = ["photos/" + f for f in tree.files_under(f"{rel}/photos")
                             if not f.rsplit("/", 1)[-1].startswith(".")]
    return entry
