"""Command line: ``python -m builder <command>``.

Exit codes: 0 no errors, 1 the content has errors, 2 wrong usage.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

USAGE_EXIT = 2


class _Parser(argparse.ArgumentParser):
    def error(self, message: str):  # Chinese usage errors, exit 2
        self.print_usage(sys.stderr)
        self.exit(USAGE_EXIT, f"{self.prog}: 用法错误：{message}\n运行 {self.prog} --help 查看帮助。\n")


def _add_content(p: argparse.ArgumentParser) -> None:
    p.add_argument("--content", default="content", help="内容文件夹（默认 content）")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="python -m builder", description="示范村展示门户：检查内容、生成网站。")
    sub = parser.add_subparsers(dest="command", metavar="命令", parser_class=_Parser)

    p = sub.add_parser("check", help="检查内容，列出所有问题")
    _add_content(p)
    p.add_argument("--format", choices=["text", "json", "github"], default="text", help="输出格式")
    p.set_defaults(func=cmd_check)

    from builder import commands  # each concern adds its own sub-commands

    commands.register(sub, _add_content)
    return parser


def cmd_check(args) -> int:
    from builder.pipeline import check

    _, diags = check(Path(args.content), Path.cwd())
    out = diags.format(args.format)
    if out:
        print(out)
    return 1 if diags.has_errors else 0


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "func", None):
        parser.print_help(sys.stderr)
        return USAGE_EXIT
    try:
        return int(args.func(args) or 0)
    except KeyboardInterrupt:
        print("已中断。", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 0
