"""``python -m builder build --engine zensical``: the same site, built by Zensical.

1. The core runs as for MkDocs (load → validate → derive → produce) with the
   options mkdocs.yml gives the ``villages`` plugin and the URL style of the
   build (directory URLs; ``.html`` with the offline plugin).
2. A working folder beside the output (``.site-tmp-<pid>-zensical-…``, removed
   by the next run if this one is killed) receives docs/ (the guides and the
   portal's CSS/JS), then every generated page and file (photos are hard-linked
   from the photo cache when they can be), and a ``mkdocs.yml`` derived from
   the project's (``config.py``).
3. Zensical builds it in its own process; its site is moved into the atomic
   output folder (``kernel/atomic.py``), so a failure leaves the previous site
   as it was.
"""

from __future__ import annotations

import os
import posixpath
import re
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from builder.zensical_engine.config import (
    ConfigError,
    directory_urls,
    read_mkdocs_yml,
    villages_options,
    zensical_config,
)

# Zensical's own progress lines, not worth repeating.
_CHATTER = ("Build started", "Build finished", "No issues found")


class EngineFailed(Exception):
    """Zensical is missing or did not build the site (a Chinese sentence)."""


class ContentErrors(Exception):
    """The content has errors (already printed)."""


@dataclass
class Result:
    pages: int
    files: int


def zensical_version() -> str | None:
    try:
        from importlib.metadata import version

        return version("zensical")
    except Exception:
        return None


def _place(src: str | None, data: bytes | None, dest: Path) -> None:
    dest.parent.mkdir(parents=True, exist_ok=True)
    if dest.exists():
        dest.unlink()
    if src is not None:
        try:
            os.link(src, dest)  # the photo cache: no copy when on the same disk
        except OSError:
            shutil.copyfile(src, dest)
    else:
        assert data is not None
        dest.write_bytes(data)


def _as_index(path: str) -> str:
    """``villages/x.md`` → ``villages/x/index.md`` (the same URL, villages/x/)."""
    if path == "index.md" or path.endswith("/index.md"):
        return path
    return path[: -len(".md")] + "/index.md"


_MD_LINK = re.compile(r"(\]\(\s*<?|^\s*\[[^\]]+\]:\s*<?)([^\s()<>#]+\.md)(?=[#)>\s]|$)", re.M)


def _relinked(text: str, page: str, moved: dict[str, str]) -> str:
    """A hand-written page's Markdown links to generated pages that were
    moved (``../map.md`` → ``../map/index.md``): the same URLs, no warnings."""
    folder = posixpath.dirname(page)

    def repl(m: re.Match[str]) -> str:
        target = posixpath.normpath(posixpath.join(folder, m.group(2)))
        if target not in moved:
            return m.group(0)
        return m.group(1) + posixpath.relpath(moved[target], folder or ".")

    return _MD_LINK.sub(repl, text)


def _renamed(nav: Any, moved: dict[str, str]) -> Any:
    """The nav with the generated pages' new source paths."""
    if isinstance(nav, str):
        return moved.get(nav, nav)
    if isinstance(nav, list):
        return [_renamed(x, moved) for x in nav]
    if isinstance(nav, dict):
        return {k: _renamed(v, moved) for k, v in nav.items()}
    return nav


def prepare(config_file: Path, work: Path, *, strict: bool = False) -> Result:
    """Run the core and write Zensical's project into ``work`` (docs/ and mkdocs.yml)."""
    from builder.kernel.build import Options
    from builder.nav import add_generated, add_guides
    from builder.photos.produce import PhotoIndex
    from builder.pipeline import produce, run
    from builder.settings.identity import footer_data
    from builder.settings.load import SettingsPart

    root = config_file.resolve().parent
    mk = read_mkdocs_yml(config_file)
    vopts = villages_options(mk)
    options = Options(
        {"use_directory_urls": directory_urls(mk), **dict(vopts["options"])},
        site_url=str(mk.get("site_url") or ""),
        cache_dir=root / vopts["cache_dir"],
        build=True,
        lean=True,  # one-shot: positions let go once validated (Options.lean)
    )
    content, derived, diags = run(root / vopts["content_dir"], root, options)
    index = derived.find(PhotoIndex)
    if index is not None and index.fault is not None:
        raise index.fault  # disk full, read-only cache…: one line from builder.cli
    files = [] if diags.has_errors else produce(content, derived, diags)
    out = diags.format("text")
    if out:
        print(out, file=sys.stderr)
    if diags.has_errors or (strict and diags.warnings):
        raise ContentErrors()

    docs_src = root / str(mk.get("docs_dir") or "docs")
    docs = work / "docs"
    if docs_src.is_dir():
        shutil.copytree(docs_src, docs, symlinks=False)
    docs.mkdir(exist_ok=True)
    # Zensical resolves relative URLs in raw HTML against the page's source
    # file (MkDocs leaves them as written); the core writes them relative to
    # the page's URL. A page published as villages/x/ is therefore placed at
    # villages/x/index.md, where both agree.
    moved = {gf.path: _as_index(gf.path) for gf in files if gf.path.endswith(".md")} if directory_urls(mk) else {}
    if moved:
        for md in docs.rglob("*.md"):
            rel = md.relative_to(docs).as_posix()
            text = md.read_text(encoding="utf-8")
            new = _relinked(text, rel, moved)
            if new != text:
                md.write_text(new, encoding="utf-8")
    pages = 0
    for gf in files:
        dest = docs / moved.get(gf.path, gf.path)
        if dest.exists() and (docs_src / gf.path).exists():
            print(
                f"WARNING -  docs/{gf.path} 与生成的页面同名，使用生成的版本。请改名或删除 docs/{gf.path}。",
                file=sys.stderr,
            )
        data = None if gf.abs_src_path is not None else gf.read_bytes()
        try:
            _place(gf.abs_src_path, data, dest)
        except OSError as exc:
            if not exc.filename:
                exc.filename = str(dest)
            raise
        pages += gf.path.endswith(".md")

    nav = mk.get("nav")
    if isinstance(nav, list):
        nav = _renamed(nav, moved)
        if vopts["enabled"]:
            add_guides(nav, docs, vopts["doc_sections"], vopts["guides_title"])
        add_generated(nav, [moved.get(gf.path, gf.path) for gf in files if gf.in_nav])
    part = content.find(SettingsPart)
    identity = footer_data(content.settings, part.images if part else {})
    cfg = zensical_config(
        mk,
        root=root,
        docs_dir="docs",
        site_dir="site",
        nav=nav if isinstance(nav, list) else None,
        extra={"villages_sample": bool(content.settings.sample), "villages_site": identity},
        logo=str(identity["logo"] or ""),
    )
    # Zensical's theme fetches GLightbox (script and stylesheet) from unpkg.com
    # for a page with photo links unless GLightbox is already there: the
    # core's copy (photos/vendor.py) goes into every page's head.
    from builder.photos.vendor import vendored_files

    viewer = [dest for dest, _ in vendored_files()]
    cfg["extra"]["polyfills"] = [*cfg["extra"].get("polyfills", []), *[d for d in viewer if d.endswith(".js")]]
    cfg["extra_css"] = [*[d for d in viewer if d.endswith(".css")], *cfg.get("extra_css", [])]
    (work / "mkdocs.yml").write_text(yaml.safe_dump(cfg, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return Result(pages=pages, files=len(files))


def run_zensical(work: Path, *, strict: bool = False) -> None:
    """Zensical's build of ``work/mkdocs.yml`` into ``work/site`` (its own process:
    its Rust runtime, its output and its failures stay out of ours)."""
    if zensical_version() is None:
        raise EngineFailed("没有安装 Zensical（重新运行 make venv，或 pip install -e '.[test]'）")
    cmd = [sys.executable, "-m", "zensical", "build", "--config-file", str(work / "mkdocs.yml")]
    if strict:
        cmd.append("--strict")
    env = dict(os.environ)
    env.pop("OFFLINE", None)  # already resolved into the derived config
    env["NO_COLOR"] = "1"  # its messages are passed on as text
    # Zensical imports builder.zensical_engine.mdx (its Markdown extension).
    here = str(Path(__file__).resolve().parent.parent.parent)
    env["PYTHONPATH"] = os.pathsep.join(p for p in (here, env.get("PYTHONPATH", "")) if p)
    from builder.photos.pipeline import die_with_parent

    parent = os.getpid()
    r = subprocess.run(
        cmd,
        cwd=work,
        env=env,
        capture_output=True,
        text=True,
        encoding="utf-8",
        errors="replace",
        # A build killed with SIGKILL takes Zensical with it (Linux): nothing
        # goes on writing into a folder the next run removes.
        preexec_fn=lambda: die_with_parent(parent) and None,
    )
    lines = [ln for ln in (r.stdout + r.stderr).splitlines() if ln.strip() and not ln.startswith(_CHATTER)]
    if r.returncode != 0 or not (work / "site" / "index.html").is_file():
        last = next((ln.strip() for ln in reversed(lines) if ln.strip()), "") or f"退出码 {r.returncode}"
        if os.environ.get("VILLAGE_DEBUG", "") not in ("", "0"):
            print("\n".join(lines), file=sys.stderr)
        raise EngineFailed(f"Zensical 没有生成网站（{last[:300]}）")
    for ln in lines:  # its warnings (a broken link in a guide …)
        print(ln, file=sys.stderr)


def build(config_file: Path, site_dir: Path, *, strict: bool = False) -> Result:
    """The whole build, published atomically to ``site_dir``."""
    from builder.kernel.atomic import atomic_output

    site_dir = Path(site_dir).absolute()
    with atomic_output(site_dir) as tmp:
        # Beside the output and named like its temporary folder: on the same
        # disk (the result is moved, not copied), and a killed run's folder is
        # removed by the next one (kernel/atomic.py: clean_stale).
        work = Path(tempfile.mkdtemp(prefix=f".{site_dir.name}-tmp-{os.getpid()}-zensical-", dir=site_dir.parent))
        try:
            result = prepare(config_file, work, strict=strict)
            run_zensical(work, strict=strict)
            os.rmdir(tmp)
            os.rename(work / "site", tmp)
        finally:
            shutil.rmtree(work, ignore_errors=True)
    return result


__all__ = ["ConfigError", "ContentErrors", "EngineFailed", "Result", "build", "prepare", "run_zensical"]
