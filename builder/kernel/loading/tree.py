"""One walk of the content folder, never following a link.

Git stores symbolic links, so an editor (or anyone with push access) can put
``index.md -> /etc/passwd`` or ``photos -> /`` into the repository. Every
loader therefore asks this listing what is in content/ instead of calling
``exists``/``is_dir``/``glob``/``rglob``, which follow links. The walk uses
``os.scandir`` and classifies each entry without following it (lstat):

- real files and real folders are listed for the loaders;
- symbolic links (to anything, inside or outside content/) are reported with
  the code ``symlink`` and neither read nor walked into;
- FIFOs, sockets and device files are reported with ``special-file`` and never
  opened (opening a FIFO blocks until someone writes to it).

The listing is taken once; loaders still open files with O_NOFOLLOW and check
what they opened (builder/loading/textfile.py), so a link that appears after
the walk is refused as well.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from builder.kernel.diagnostics import Diagnostics, Location

FILE, DIR, LINK, SPECIAL = "file", "dir", "link", "special"

_SHOW_TARGET = 160  # characters of a link target shown in a message


@dataclass
class ContentTree:
    """What the content folder holds, by path relative to it ("villages/a/index.md").

    ``kinds`` maps every entry to FILE, DIR, LINK or SPECIAL; ``children``
    maps every real folder ("" is the content folder itself) to the sorted
    names of its entries."""

    root: Path
    kinds: dict[str, str] = field(default_factory=dict)
    children: dict[str, list[str]] = field(default_factory=dict)

    def path(self, rel: str) -> Path:
        return self.root / rel if rel else self.root

    def kind(self, rel: str) -> str | None:
        return DIR if rel == "" and "" in self.children else self.kinds.get(rel)

    def is_file(self, rel: str) -> bool:
        return self.kinds.get(rel) == FILE

    def is_dir(self, rel: str) -> bool:
        return rel in self.children

    def entries(self, rel: str) -> list[tuple[str, str]]:
        """(name, kind) of each entry of a real folder, sorted by name;
        empty when rel is not a real folder."""
        base = rel + "/" if rel else ""
        return [(name, self.kinds[base + name]) for name in self.children.get(rel, ())]

    def files_under(self, rel: str) -> list[str]:
        """Every real file below a real folder, as paths relative to that
        folder ("sub/a.jpg"), sorted; links and special files are left out."""
        if rel not in self.children:
            return []
        out: list[str] = []
        stack = [(rel, "")]
        while stack:
            d, prefix = stack.pop()
            for name in self.children.get(d, ()):
                full = f"{d}/{name}" if d else name
                kind = self.kinds[full]
                if kind == FILE:
                    out.append(prefix + name)
                elif kind == DIR:
                    stack.append((full, prefix + name + "/"))
        return sorted(out)


def special_kind(mode: int) -> str:
    """Chinese name of a file type that is neither a regular file nor a folder."""
    if stat.S_ISFIFO(mode):
        return "命名管道（FIFO）"
    if stat.S_ISSOCK(mode):
        return "套接字（socket）"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "设备文件"
    return "特殊文件"


def _link_target(link: str, root: Path) -> tuple[str, str]:
    """(target as written, where it leads in words)."""
    try:
        target = os.readlink(link)
    except OSError:
        target = "？"
    shown = target if len(target) <= _SHOW_TARGET else target[:_SHOW_TARGET] + "…"
    try:
        real = os.path.realpath(link)
        real_root = os.path.realpath(root)
        inside = os.path.commonpath([real, real_root]) == real_root
    except (OSError, ValueError):
        real, inside = "", False
    if not os.path.lexists(real) or not os.path.exists(link):
        where = "目标不存在"
    elif inside:
        rel = os.path.relpath(real, real_root).replace(os.sep, "/")
        where = f"在内容文件夹里（{rel}），但门户不跟随链接"
    else:
        where = "在内容文件夹以外"
    return shown, where


def report_link(shown: str, link: str, root: Path, diags: Diagnostics) -> None:
    target, where = _link_target(link, root)
    diags.emit(
        Location(shown, 1, 1),
        "symlink",
        f"{shown} 是一个符号链接（快捷方式），指向“{target}”（{where}）。门户不读取、不发布链接指向的任何内容。",
        "删掉这个链接，把真正的文件（或文件夹）复制到这里。门户只发布仓库里真实存在的文件，不跟随链接。",
    )


def report_special(shown: str, mode: int, diags: Diagnostics) -> None:
    diags.emit(
        Location(shown, 1, 1),
        "special-file",
        f"{shown} 不是普通文件，而是一个{special_kind(mode)}，门户不会打开它。",
        "删掉它；内容文件夹里只放普通的文本文件、照片和文件夹。",
    )


def scan_tree(root: Path, diags: Diagnostics | None, display: Callable[[Path], str]) -> ContentTree:
    """Walk root (which the caller has checked is a folder) without following
    links; report each link and special file to diags (when given)."""
    root = Path(root)
    tree = ContentTree(root)
    stack = [""]
    while stack:
        rel = stack.pop()
        here = tree.path(rel)
        names: list[str] = []
        try:
            with os.scandir(here) as it:
                found = list(it)
        except OSError as exc:
            if diags is not None:
                diags.emit(
                    Location(display(here), 0, 0),
                    "io-error",
                    f"文件夹 {display(here)} 无法打开：{os_reason(exc)}。",
                    "检查这个文件夹是否存在、是否有读取权限。",
                )
            tree.children[rel] = []
            continue
        for e in found:
            full = f"{rel}/{e.name}" if rel else e.name
            try:
                if e.is_symlink():
                    kind = LINK
                elif e.is_dir(follow_symlinks=False):
                    kind = DIR
                elif e.is_file(follow_symlinks=False):
                    kind = FILE
                else:
                    kind = SPECIAL
            except OSError:  # vanished while walking: as if never there
                continue
            names.append(e.name)
            tree.kinds[full] = kind
            if kind == DIR:
                stack.append(full)
            elif diags is not None and kind == LINK:
                report_link(display(Path(e.path)), e.path, root, diags)
            elif diags is not None and kind == SPECIAL:
                try:
                    mode = e.stat(follow_symlinks=False).st_mode
                except OSError:
                    mode = 0
                report_special(display(Path(e.path)), mode, diags)
        tree.children[rel] = sorted(names)
    return tree


def os_reason(exc: OSError) -> str:
    import errno

    return {
        errno.EACCES: "没有读取权限",
        errno.EPERM: "没有读取权限",
        errno.ENOENT: "不存在",
        errno.ENOTDIR: "不是文件夹",
        errno.ELOOP: "是符号链接",
        errno.EIO: "读写出错（磁盘可能有问题）",
    }.get(exc.errno or 0, exc.strerror or str(exc))
