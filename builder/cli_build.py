"""``python -m builder generate`` and ``python -m builder build``."""

from __future__ import annotations

import logging
import os
import re
import sys
from pathlib import Path


def register(sub, add_content) -> None:
    p = sub.add_parser("generate", help="不经 MkDocs，把生成的页面（Markdown）和数据文件写到一个文件夹")
    add_content(p)
    p.add_argument("--out", required=True, help="输出文件夹（生成成功后整个替换）")
    p.add_argument("--site-url", default="", help="网站地址（用于二维码），默认取 content/site.yml 的 site_url")
    p.add_argument("--no-directory-urls", action="store_true", help="链接写成 xxx.html（离线浏览用）")
    p.set_defaults(func=cmd_generate)

    p = sub.add_parser("build", help="检查内容并生成网站到 site/（出错时保留原来的 site/）")
    p.add_argument("--config", default="mkdocs.yml", help="MkDocs 配置文件（默认 mkdocs.yml）")
    p.add_argument("--site-dir", "--out", default=None, help="输出文件夹（默认取配置里的 site_dir，即 site/）")
    p.add_argument("--strict", action="store_true", help="有警告也算失败")
    p.add_argument(
        "--engine",
        choices=["mkdocs", "zensical"],
        default="mkdocs",
        help="用哪个引擎生成网站：mkdocs（默认）或 zensical（Material for MkDocs 停止维护后的接替者）",
    )
    p.set_defaults(func=cmd_build)


def _print_diags(diags) -> None:
    out = diags.format("text")
    if out:
        print(out, file=sys.stderr)


def _unsafe_out(out: Path, content: Path) -> str | None:
    """Why --out must not be this folder (it is replaced as a whole), or None."""
    o = out.absolute().resolve()
    for name, d in (("内容文件夹", content), ("当前文件夹", Path.cwd())):
        d = d.absolute().resolve()
        if o == d or o in d.parents:
            return f"输出文件夹 {out} 包含{name} {d}"
        if d in o.parents and name == "内容文件夹":
            return f"输出文件夹 {out} 在内容文件夹 {d} 里面"
    return None


def cmd_generate(args) -> int:
    from builder.cli import USAGE_EXIT, fault_message
    from builder.kernel.atomic import atomic_output
    from builder.kernel.build import Options
    from builder.photos.produce import PhotoIndex
    from builder.pipeline import produce, run

    out = Path(args.out)
    why = _unsafe_out(out, Path(args.content))
    if why:
        print(f"{why}；生成时会整个替换输出文件夹，请换一个单独的文件夹。", file=sys.stderr)
        return USAGE_EXIT
    options = Options({"use_directory_urls": not args.no_directory_urls}, site_url=args.site_url, build=True, lean=True)
    content, derived, diags = run(Path(args.content), Path.cwd(), options)
    index = derived.find(PhotoIndex)
    if index is not None and index.fault is not None:
        raise index.fault  # e.g. the photo cache: one line from builder.cli
    if diags.has_errors:
        _print_diags(diags)
        print("内容有错误，没有生成页面。", file=sys.stderr)
        return 1
    try:
        files = produce(content, derived, diags)
    except OSError as exc:  # e.g. a library's temporary file on a full disk
        kept = f"（输出文件夹 {out} 保持原样，没有被改动。）" if out.exists() else ""
        print(fault_message(exc, kept), file=sys.stderr)
        return 1
    _print_diags(diags)
    if diags.has_errors:
        return 1
    # Written into a temporary folder beside the output and swapped in when
    # complete: a full disk or a killed run never leaves half a result.
    n = 0
    try:
        with atomic_output(out) as tmp:
            for gf in files:
                dest = tmp / gf.path
                dest.parent.mkdir(parents=True, exist_ok=True)
                try:
                    dest.write_bytes(gf.read_bytes())
                except OSError as exc:
                    if not exc.filename:
                        exc.filename = str(dest)
                    raise
                n += 1
    except OSError as exc:
        kept = f"（输出文件夹 {out} 保持原样，没有被改动。）" if out.exists() else ""
        print(fault_message(exc, kept), file=sys.stderr)
        return 1
    print(f"已生成 {n} 个文件到 {out}/")
    return 0


class _Handler(logging.Handler):
    """Print MkDocs' log like the mkdocs command does (level + message).

    ERROR records are held back until the build ends: when it ended in a
    fault of the machine (disk full, read-only folder…) MkDocs' English
    "Error building page …: [Errno 28] …" lines are dropped for the one
    Chinese line that names the folder; otherwise they are printed."""

    def __init__(self):
        super().__init__()
        self.held: list[str] = []

    def emit(self, record):
        try:
            msg = record.getMessage()
            if record.levelno >= logging.ERROR:
                self.held.append(f"{record.levelname:<8}-  {msg}")
            elif record.levelno >= logging.WARNING:
                print(f"{record.levelname:<8}-  {msg}", file=sys.stderr)
            elif record.levelno >= logging.INFO:
                print(f"INFO    -  {msg}", file=sys.stderr)
        except Exception:  # never let logging crash the build
            pass

    def flush_held(self) -> None:
        for line in self.held:
            print(line, file=sys.stderr)
        self.held = []


def _os_fault(exc: BaseException | None) -> OSError | None:
    """The OSError behind an exception (MkDocs wraps plugin errors in Abort)."""
    from mkdocs.exceptions import Abort

    for _ in range(8):
        if exc is None:
            return None
        if isinstance(exc, OSError) and not isinstance(exc, BrokenPipeError):
            return exc
        # MkDocs raises Abort while handling the plugin's error; the plugin
        # raises PluginError from the OSError.
        exc = exc.__cause__ or (exc.__context__ if isinstance(exc, Abort) else None)
    return None


KEPT = "（site/ 保持原样，没有被改动。）"


def cmd_build(args) -> int:
    if args.engine == "zensical":
        return cmd_build_zensical(args)
    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
    from mkdocs.commands.build import build
    from mkdocs.config import load_config
    from mkdocs.exceptions import Abort, ConfigurationError, MkDocsException, PluginError

    from builder.kernel.atomic import BuildFailed, build_atomically

    logger = logging.getLogger("mkdocs")
    handler = _Handler()
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    logger.propagate = False
    site_dir = Path(args.site_dir or "site")
    try:
        cfg_path = Path(args.config)
        if not cfg_path.is_file():
            print(f"找不到 MkDocs 配置文件 {cfg_path}。", file=sys.stderr)
            return 2
        try:
            probe = load_config(config_file=str(cfg_path))
            site_dir = Path(args.site_dir or probe.site_dir)
        except ConfigurationError as exc:
            print(f"mkdocs.yml 配置有误：{exc}", file=sys.stderr)
            return 1

        def run(tmp: Path):
            cfg = load_config(config_file=str(cfg_path), site_dir=str(tmp), strict=args.strict or None)
            build(cfg)
            return 0

        build_atomically(run, site_dir)
    except Exception as exc:
        fault = _os_fault(exc)
        if fault is not None:
            from builder.cli import fault_message

            # MkDocs' English lines about the same error are dropped; the page
            # they name is worth saying (a write error carries no file name).
            page = next(
                (
                    m.group(1)
                    for ln in handler.held
                    if (m := re.search(r"Error (?:building|reading) page '([^']+)'", ln))
                ),
                None,
            )
            handler.held = []
            note = KEPT.replace("site/", f"{site_dir}/")
            if page:
                note = f"（出错时正在生成页面 {page}）" + note
            print(fault_message(fault, note), file=sys.stderr)
            return 1
        handler.flush_held()
        if isinstance(exc, PluginError):
            print(f"构建失败：{exc}", file=sys.stderr)
            return 1
        if isinstance(exc, Abort):
            msg = str(getattr(exc, "message", "") or exc)
            if msg.startswith("Aborted with a BuildError"):
                msg = "见上面的错误说明"
            print(f"构建失败：{msg}", file=sys.stderr)
            print(KEPT, file=sys.stderr)
            return 1
        if isinstance(exc, (MkDocsException, BuildFailed)):
            print(f"构建失败：{exc}", file=sys.stderr)
            return 1
        raise
    finally:
        handler.flush_held()
        logger.removeHandler(handler)
    print(f"网站已生成到 {site_dir}/", file=sys.stderr)
    return 0


def cmd_build_zensical(args) -> int:
    """The same site built by Zensical (builder/zensical_engine)."""
    from builder.cli import fault_message
    from builder.zensical_engine.build import ConfigError, ContentErrors, EngineFailed, build
    from builder.zensical_engine.config import read_mkdocs_yml

    cfg_path = Path(args.config)
    if not cfg_path.is_file():
        print(f"找不到 MkDocs 配置文件 {cfg_path}。", file=sys.stderr)
        return 2
    try:
        site_dir = Path(args.site_dir or read_mkdocs_yml(cfg_path).get("site_dir") or "site")
        if not site_dir.is_absolute():
            site_dir = (cfg_path.resolve().parent / site_dir) if not args.site_dir else site_dir
        result = build(cfg_path, site_dir, strict=args.strict)
    except ConfigError as exc:
        print(f"mkdocs.yml 配置有误：{exc}", file=sys.stderr)
        return 1
    except ContentErrors:
        print(f"内容有错误，网站没有生成。{KEPT.replace('site/', f'{site_dir}/')}", file=sys.stderr)
        return 1
    except EngineFailed as exc:
        print(f"构建失败：{exc}。{KEPT.replace('site/', f'{site_dir}/')}", file=sys.stderr)
        return 1
    except OSError as exc:
        print(fault_message(exc, KEPT.replace("site/", f"{site_dir}/")), file=sys.stderr)
        return 1
    print(f"网站已由 Zensical 生成到 {site_dir}/（{result.pages} 个生成的页面）", file=sys.stderr)
    return 0
