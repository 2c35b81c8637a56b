#!/usr/bin/env python3
"""Build the sample site at two commits and compare them byte for byte.

    .venv/bin/python scripts/compare-builds.py OLD_COMMIT [NEW_COMMIT]

NEW_COMMIT defaults to the work tree. Each build runs in a temporary git
worktree with SOURCE_DATE_EPOCH fixed (the builds are reproducible). The one
normalisation: sitemap.xml lists the same URLs in whatever order the pages
were produced, so its <url> entries are compared as a set. Exit 0 when the
sites are identical, 1 (listing the differing files) otherwise."""

from __future__ import annotations

import filecmp
import gzip
import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def build(tree: Path, out: Path) -> None:
    env = {
        **os.environ,
        "SOURCE_DATE_EPOCH": "1795132800",
        "PYTHONHASHSEED": "0",
        "PYTHONPATH": str(tree),
        "NO_MKDOCS_2_WARNING": "1",
    }
    env.pop("OFFLINE", None)
    env.pop("SITE_URL", None)
    subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "-q", "-f", str(tree / "mkdocs.yml"), "-d", str(out)],
        cwd=tree,
        env=env,
        check=True,
        capture_output=True,
    )


def urls(text: str) -> list[str]:
    return sorted(re.findall(r"<url>.*?</url>", text, re.S))


def same(a: Path, b: Path) -> bool:
    if a.name in ("sitemap.xml", "sitemap.xml.gz"):
        read = (lambda p: gzip.decompress(p.read_bytes()).decode()) if a.suffix == ".gz" else (lambda p: p.read_text())
        return urls(read(a)) == urls(read(b))
    return filecmp.cmp(a, b, shallow=False)


def main() -> int:
    old = sys.argv[1]
    new = sys.argv[2] if len(sys.argv) > 2 else None
    with tempfile.TemporaryDirectory() as tmp:
        t = Path(tmp)
        trees = []
        for name, rev in (("old", old), ("new", new)):
            if rev is None:
                trees.append(ROOT)
                continue
            subprocess.run(
                ["git", "-C", str(ROOT), "worktree", "add", "-q", "--detach", str(t / name), rev], check=True
            )
            trees.append(t / name)
        try:
            for name, tree in zip(("old", "new"), trees, strict=True):
                build(tree, t / f"site-{name}")
            a, b = t / "site-old", t / "site-new"
            fa = {p.relative_to(a) for p in a.rglob("*") if p.is_file()}
            fb = {p.relative_to(b) for p in b.rglob("*") if p.is_file()}
            diff = sorted(str(p) for p in fa ^ fb) + sorted(str(p) for p in fa & fb if not same(a / p, b / p))
        finally:
            for tree in trees:
                if tree != ROOT:
                    subprocess.run(["git", "-C", str(ROOT), "worktree", "remove", "--force", str(tree)], check=False)
    if diff:
        print("不同的文件：\n" + "\n".join(diff))
        return 1
    print(f"两次构建逐字节相同（{len(fa)} 个文件；sitemap 按网址集合比较）。")
    return 0


if __name__ == "__main__":
    sys.exit(main())
