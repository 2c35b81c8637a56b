"""content/villages/<slug>/ (village.yml, index.md, photos/) → VillagesPart."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING

from builder.kernel.content import PLACEHOLDER, SLUG_RE, ContentBase, display, has_placeholders, is_real_file, slug_key
from builder.kernel.diagnostics import Diagnostics, Location
from builder.kernel.loading import memo
from builder.kernel.loading.textfile import MAX_PROSE_BYTES, read_text
from builder.kernel.loading.tree import DIR, FILE, LINK, ContentTree, scan_tree
from builder.kernel.loading.yamlsrc import YamlDoc, load_yaml
from builder.kernel.schema import Hinter, Loc, broken_under, validate_partial
from builder.villages.model import Village

if TYPE_CHECKING:
    from builder.villages.prose.render import Prose

PHOTO_SUFFIXES = {".jpg", ".jpeg", ".png", ".webp", ".gif", ".tif", ".tiff", ".bmp", ".heic", ".heif", ".avif"}


@dataclass
class VillageEntry:
    slug: str
    dir: Path
    file: str  # display path of village.yml
    doc: YamlDoc
    model: Village
    prose: str | None = None  # index.md text
    prose_file: str | None = None
    photo_files: list[str] = field(default_factory=list)  # "photos/x.jpg", sorted
    # Paths of values left out of the model because they were wrong (already
    # reported at village.yml): rules that depend on them stay silent.
    broken: frozenset[Loc] = frozenset()

    def is_broken(self, *prefix: int | str) -> bool:
        """Whether a value at or under ``prefix`` of village.yml was wrong (``()``: any)."""
        return broken_under(self.broken, prefix)

    @property
    def name(self) -> str:
        return self.model.name

    @cached_property
    def rendered_prose(self) -> Prose:
        """index.md rendered and sanitized (builder.villages.prose), once per
        run: check's rules, the photo references and the village page all read
        this one result. An empty text when the village has no index.md."""
        from builder.kernel.loading import memo
        from builder.villages.prose import render_prose

        text, photos = self.prose or "", tuple(self.photo_files)
        return memo.pure(("prose", text, photos), lambda: render_prose(text, list(photos)))


@dataclass
class VillagesPart:
    items: dict[str, VillageEntry] = field(default_factory=dict)
    # Slugs of village folders that exist but could not be loaded (their errors
    # are already reported): references to them are not "unknown" as well.
    failed: set[str] = field(default_factory=set)
    # Town (as written) of each failed village whose village.yml names one:
    # that town's statistics are incomplete, so they are not judged.
    failed_towns: dict[str, str] = field(default_factory=dict)


def village_hinter(content: ContentBase) -> Hinter:
    """For files loaded after the villages (projects, tours, scores): where a
    village's folder name belongs but its Chinese name ("王家庄村" or "王家庄")
    was written, say which folder name is meant."""
    part = content.find(VillagesPart)

    def hint(path: Loc, value: object) -> str:
        text = str(value).strip()
        if part is None or not text:
            return ""
        for slug, v in part.items.items():
            name = v.model.name
            if text in (name, name.removesuffix("村"), name + "村"):
                return f"是不是想写“{slug}”（{name}的文件夹名）？"
        return ""

    return hint


def suggest_village(villages: dict[str, VillageEntry], value: str) -> str:
    """ "是不是想写…" for a village folder name that does not exist: a close
    folder name, else the village whose name sounds like it (a folder renamed
    from wangjiazhuang to wjz is still found from 王家庄村's pinyin)."""
    import difflib

    from pypinyin import lazy_pinyin

    from builder.kernel.suggest import suggest

    key = value.replace("-", "").lower()
    sounds: dict[str, str] = {}
    for slug, v in villages.items():
        name = v.model.name
        for form in (name, name.removesuffix("村")):
            sounds["".join(lazy_pinyin(form)).lower()] = slug
    hit = difflib.get_close_matches(key, list(sounds), n=1, cutoff=0.8)
    if hit:
        slug = sounds[hit[0]]
        if slug != value:
            return f"是不是想写“{slug}”（{villages[slug].model.name}的文件夹名，可能改过名）？"
    return suggest(value, villages)


def load_villages(content: ContentBase, diags: Diagnostics) -> VillagesPart:
    content_dir, tree, root = content.content_dir, content.listing(), content.root
    # villages --------------------------------------------------------------------
    villages: dict[str, VillageEntry] = {}
    failed: set[str] = set()
    failed_towns: dict[str, str] = {}
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
            diags.emit(
                Location(content.display(d), 1, 1),
                "bad-file-name",
                f"文件 {d.name} 放在了 content/villages/ 下，但每个村应是一个文件夹。",
                "新建文件夹 content/villages/<村编号>/，把文件移进去并命名为 village.yml。",
            )
        if kind != DIR:
            continue
        folders.append(d)
    # Two folders whose names differ only in case (or _ vs -) are the same
    # village on Windows/macOS checkouts and the same URL: keep the valid one.
    by_key: dict[str, list[Path]] = {}
    for d in folders:
        by_key.setdefault(slug_key(d.name), []).append(d)
    for d in folders:
        group = by_key[slug_key(d.name)]
        keep = next((g for g in group if SLUG_RE.match(g.name)), group[0])
        if d is not keep:
            diags.emit(
                Location(content.display(d / "village.yml"), 1, 1),
                "duplicate-slug",
                f"村文件夹“{d.name}”与“{keep.name}”是同一个编号（只差大小写或 _ 与 -）。",
                f"这两个文件夹在 Windows 上会变成同一个，网址也会冲突：把内容合并到 {keep.name}/，删掉 {d.name}/。",
            )
            continue
        entry = _load_village_memo(d, root, diags, tree, failed_towns)
        if entry:
            villages[entry.slug] = entry
            if content.options.lean:
                # validated (Options.lean): most of a village's memory; the
                # contacts' stay, the privacy check places every phone number
                entry.doc.forget(keep=_contacts)
        elif SLUG_RE.match(d.name):
            failed.add(d.name)
            failed_towns.setdefault(d.name, "")  # town not known (e.g. village.yml unreadable)

    return VillagesPart(villages, failed, failed_towns)


_is_file = is_real_file


def _contacts(path: Loc) -> bool:
    return path[:1] == ("contacts",)


def _load_village_memo(
    d: Path, root: Path, diags: Diagnostics, tree: ContentTree, failed_towns: dict[str, str]
) -> VillageEntry | None:
    """load_village, through the preview's memo (builder/kernel/loading/memo.py):
    a village whose village.yml, index.md and folder listing are unchanged is
    not read, parsed and modelled again."""
    if not memo.enabled():
        return load_village(d, root, diags, tree, failed_towns)
    rel = d.relative_to(tree.root).as_posix() if d.is_relative_to(tree.root) else None
    listing = tuple(tree.entries(rel)) if rel is not None and tree.is_dir(rel) else ()
    photos = tuple(tree.files_under(f"{rel}/photos")) if rel is not None and tree.is_dir(f"{rel}/photos") else ()
    sig = memo.signature([d / "village.yml", d / "index.md"], listing, photos)

    def load(sub: Diagnostics) -> tuple[VillageEntry | None, dict[str, str]]:
        towns: dict[str, str] = {}
        return load_village(d, root, sub, tree, towns), towns

    entry, towns = memo.loaded(("village", str(d), str(root)), sig, diags, load, _copy_loaded, scope=d)
    failed_towns.update(towns)
    return entry


def _copy_loaded(v: tuple[VillageEntry | None, dict[str, str]]) -> tuple[VillageEntry | None, dict[str, str]]:
    """A run's own entry; what it holds is shared (never changed after loading)."""
    entry, towns = v
    if entry is None:
        return None, dict(towns)
    d = entry.doc  # values and positions are never changed after loading (shared); the sets are the run's own
    doc = YamlDoc(d.file, d.data, d.positions, d.key_positions, d.text, set(d.reported))
    fresh = dataclasses.replace(entry, doc=doc)
    return fresh, dict(towns)


def _display(path: Path, root: Path) -> str:
    return display(path, root)


def _prose_placeholders(text: str | None, shown: str, diags: Diagnostics) -> bool:
    if text is None:
        return False
    found = False
    for n, line in enumerate(text.splitlines(), 1):
        if PLACEHOLDER in line:
            found = True
            diags.emit(
                Location(shown, n, line.index(PLACEHOLDER) + 1),
                "placeholder",
                f"正文第 {n} 行还没有填写（仍是{PLACEHOLDER}）。",
                "把“【待填写】”换成介绍这个村的文字。",
            )
    return found


def load_village(
    d: Path,
    root: Path,
    diags: Diagnostics,
    tree: ContentTree | None = None,
    failed_towns: dict[str, str] | None = None,
) -> VillageEntry | None:
    """Load one village folder. Only real files and folders listed by the
    content walk are used (tree; walked here when not given). When village.yml
    is read but a required value is wrong, the town it names (if any) goes
    into ``failed_towns``."""
    slug = d.name
    vfile = d / "village.yml"
    shown = _display(vfile, root)
    if not SLUG_RE.match(slug):
        diags.emit(
            Location(_display(d, root), 1, 1),
            "bad-slug",
            f"村文件夹名“{slug}”不合规：只能用小写英文字母、数字和短横线。",
            "用村名拼音，例如 wangjiazhuang。",
        )
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
        return None  # a link or special file: reported by the walk
    kinds = dict(tree.entries(rel))
    if "village.yml" not in kinds:
        diags.emit(
            Location(shown, 1, 1),
            "io-error",
            f"村文件夹 {slug}/ 里没有 village.yml。"
            + ("（找到了 village.yaml，请改名为 village.yml）" if kinds.get("village.yaml") == FILE else ""),
            f"运行 python -m builder new village {slug} --town <乡镇> 生成模板。",
        )
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
    town = doc.data.get("town") if isinstance(doc.data, dict) else None
    if failed_towns is not None:  # until the village is loaded: its town, as written ("" unknown)
        failed_towns[slug] = town.strip() if isinstance(town, str) else ""
    if has_placeholders(doc, diags) | _prose_placeholders(prose, prose_file, diags):
        return None
    partial = validate_partial(Village, doc, diags, "村信息")
    if partial.model is None:
        return None
    if failed_towns is not None:
        failed_towns.pop(slug, None)
    entry = VillageEntry(slug, d, shown, doc, partial.model, broken=partial.broken)
    if prose is not None:
        entry.prose_file = prose_file
        entry.prose = prose
    for name, kind in kinds.items():
        if name.startswith(".") or name in ("village.yml", "index.md", "photos") or kind not in (FILE, DIR):
            continue
        if name == "assessments" and kind == DIR:  # earlier and later years: builder.years
            continue
        extra = d / name
        is_photo = extra.suffix.lower() in PHOTO_SUFFIXES
        diags.emit(
            Location(_display(extra, root), 1, 1),
            "stray-file",
            f"{slug}/ 里的{'文件夹' if kind == DIR else '文件'}“{extra.name}”不会被使用。",
            f"照片请移到 {slug}/photos/ 并在 gallery 里登记。"
            if is_photo
            else "村文件夹里只放 village.yml、index.md 和 photos/；不需要的文件请移走。",
        )
    if tree.is_dir(f"{rel}/photos"):
        entry.photo_files = [
            "photos/" + f for f in tree.files_under(f"{rel}/photos") if not f.rsplit("/", 1)[-1].startswith(".")
        ]
    return entry
