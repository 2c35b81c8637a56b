"""The loaded content, as the kernel sees it: where it lives, the one walk of
its folder, and one typed part per feature (``content.get(VillagesPart)``).
The kernel knows no content type; builder/content.py gives the portal's
parts names."""

from __future__ import annotations

import os
import re
from functools import lru_cache
from pathlib import Path
from typing import Any

from builder.kernel.build import Options
from builder.kernel.diagnostics import Diagnostics, Location
from builder.kernel.diagnostics.model import relpath
from builder.kernel.feature import Parts
from builder.kernel.loading.tree import DIR, FILE, ContentTree, scan_tree
from builder.kernel.loading.yamlsrc import Path_, YamlDoc

SLUG_RE = re.compile(r"^[a-z0-9][a-z0-9\-]*$")
PLACEHOLDER = "【待填写】"  # what `python -m builder new` leaves in every blank


class ContentBase(Parts):
    def __init__(
        self, root: Path, content_dir: Path, tree: ContentTree | None = None, options: Options | None = None
    ) -> None:
        super().__init__()
        self.options = options or Options()  # what this run was asked (never a module global)
        self.root = root  # repository root (paths in diagnostics are relative to it)
        self.content_dir = content_dir
        # What content/ holds, taken in one walk that never follows a link
        # (builder/kernel/loading/tree.py).
        self.tree = tree

    def listing(self) -> ContentTree:
        """The content folder's listing; walked now (without reporting) when
        the loader did not walk it."""
        if self.tree is None:
            self.tree = (
                scan_tree(self.content_dir, None, self.display)
                if self.content_dir.is_dir()
                else ContentTree(self.content_dir)
            )
        return self.tree

    def display(self, path: Path) -> str:
        return display(path, self.root)

    def is_file(self, rel: str, diags: Diagnostics) -> bool:
        return is_real_file(self.listing(), rel, self.root, diags)


def is_real_file(tree: ContentTree, rel: str, root: Path, diags: Diagnostics) -> bool:
    """True when content/<rel> is a real file. A folder where a file is
    expected is a located error here; a link or special file was reported
    by the walk."""
    kind = tree.kind(rel)
    if kind == DIR:
        shown = display(tree.path(rel), root)
        name = rel.rsplit("/", 1)[-1]
        diags.emit(
            Location(shown, 1, 1),
            "io-error",
            f"{shown} 应该是一个文件，但这里是一个文件夹。",
            f"把文件夹 {name} 改名或移走，在这里放同名的文本文件。",
        )
    return kind == FILE


@lru_cache(maxsize=16)
def _abs_root(root: Path) -> Path:
    return Path(os.path.abspath(root))


def display(path: Path, root: Path) -> str:
    # Textual (no symlink resolution, no syscalls per component): this runs
    # for every file and dominated load time at 1,000+ villages.
    try:
        return Path(os.path.abspath(path)).relative_to(_abs_root(root)).as_posix()
    except ValueError:
        return relpath(path, root)


def slug_key(name: str) -> str:
    """Two names that are the same folder on Windows/macOS and the same URL."""
    return name.casefold().replace("_", "-")


def has_placeholders(doc: YamlDoc, diags: Diagnostics) -> bool:
    """Report every blank of a scaffold that is still unfilled. A file with
    blanks is not checked further: the other errors would only be noise."""
    if doc.text and PLACEHOLDER not in doc.text and "\\" not in doc.text:
        return False  # no value can hold it (an escape like \u3010 could spell it: then look)
    found = False

    def walk(value: Any, path: Path_) -> None:
        nonlocal found
        if isinstance(value, dict):
            for k, v in value.items():
                walk(v, (*path, k))
        elif isinstance(value, list):
            for i, v in enumerate(value):
                walk(v, (*path, i))
        elif isinstance(value, str) and PLACEHOLDER in value:
            found = True
            field = ".".join(str(p) for p in path)
            diags.emit(
                doc.loc(path),
                "placeholder",
                f"“{field}”还没有填写（仍是{PLACEHOLDER}）。",
                "把“【待填写】”换成实际内容；这一行后面的注释说明了要填什么。不需要的可选项可以整行删掉。",
            )

    walk(doc.data, ())
    return found
