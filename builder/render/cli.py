"""``python -m builder generate`` and ``python -m builder build``."""

from __future__ import annotations

import logging
import os
import sys
from pathlib import Path


def register(sub, add_content) -> None:
    p = sub.add_parser("generate", help="不经 MkDocs，把生成的页面（Markdown）和数据文件写到一个文件夹")
    add_content(p)
    p.add_argument("--out", required=True, help="输出文件夹")
    p.add_argument("--site-url", default="", help="网站地址（用于二维码），默认取 content/site.yml 的 site_url")
    p.add_argument("--no-directory-urls", action="store_true", help="链接写成 xxx.html（离线浏览用）")
    p.set_defaults(func=cmd_generate)

    p = sub.add_parser("build", help="检查内容并用 MkDocs 生成网站到 site/（出错时保留原来的 site/）")
    p.add_argument("--config", default="mkdocs.yml", help="MkDocs 配置文件（默认 mkdocs.yml）")
    p.add_argument("--site-dir", default=None, help="输出文件夹（默认取配置里的 site_dir，即 site/）")
    p.add_argument("--strict", action="store_true", help="有警告也算失败")
    p.set_defaults(func=cmd_build)


def _print_diags(diags) -> None:
    out = diags.format("text")
    if out:
        print(out, file=sys.stderr)


def cmd_generate(args) -> int:
    from builder.pipeline import check
    from builder.render.generate import run_producers
    from builder.render.model import BuildContext

    content, diags = check(Path(args.content), Path.cwd())
    if diags.has_errors:
        _print_diags(diags)
        print("内容有错误，没有生成页面。", file=sys.stderr)
        return 1
    ctx = BuildContext(content, diags, site_url=args.site_url,
                       options={"use_directory_urls": not args.no_directory_urls})
    files = run_producers(ctx)
    _print_diags(diags)
    if diags.has_errors:
        return 1
    out = Path(args.out)
    n = 0
    for gf in files:
        dest = out / gf.path
        dest.parent.mkdir(parents=True, exist_ok=True)
        dest.write_bytes(gf.read_bytes())
        n += 1
    print(f"已生成 {n} 个文件到 {out}/")
    return 0


class _Handler(logging.Handler):
    """Print MkDocs' log like the mkdocs command does (level + message)."""

    def emit(self, record):
        try:
            msg = record.getMessage()
            if record.levelno >= logging.WARNING:
                print(f"{record.levelname:<8}-  {msg}", file=sys.stderr)
            elif record.levelno >= logging.INFO:
                print(f"INFO    -  {msg}", file=sys.stderr)
        except Exception:  # never let logging crash the build
            pass


def cmd_build(args) -> int:
    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
    from mkdocs.commands.build import build
    from mkdocs.config import load_config
    from mkdocs.exceptions import Abort, ConfigurationError, MkDocsException, PluginError

    from builder.safety.atomic import BuildFailed, build_atomically

    logger = logging.getLogger("mkdocs")
    handler = _Handler()
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    logger.propagate = False
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
    except PluginError as exc:
        print(f"构建失败：{exc}", file=sys.stderr)
        return 1
    except Abort as exc:
        print(f"构建失败：{exc.message if hasattr(exc, 'message') else exc}", file=sys.stderr)
        print("（site/ 保持原样，没有被改动。）", file=sys.stderr)
        return 1
    except (MkDocsException, BuildFailed) as exc:
        print(f"构建失败：{exc}", file=sys.stderr)
        return 1
    finally:
        logger.removeHandler(handler)
    print(f"网站已生成到 {site_dir}/", file=sys.stderr)
    return 0
