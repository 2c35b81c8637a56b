"""Command line: ``python -m builder <command>``.

Exit codes: 0 no errors, 1 the content has errors or the machine failed
(disk full, read-only or missing folder: one Chinese line naming the folder
and the cause, never a traceback), 2 wrong usage.

An unexpected exception (a bug) is shown as one Chinese "内部错误" line with
where it happened; the full traceback only with VILLAGE_DEBUG=1.
"""

from __future__ import annotations

import argparse
import errno
import os
import sys
from pathlib import Path

USAGE_EXIT = 2
FAULT_EXIT = 1
DEBUG_ENV = "VILLAGE_DEBUG"

# errno → (verb, cause, what to do), for the people who run the build.
_FAULTS: dict[int, tuple[str, str, str]] = {
    errno.ENOSPC: ("写入", "磁盘空间已满", "请清理磁盘空间（或换一块空间足够的磁盘）后重新运行。"),
    errno.EDQUOT: ("写入", "磁盘配额已用完", "请清理空间或请管理员调大配额后重新运行。"),
    errno.EROFS: ("写入", "所在的磁盘是只读的", "请把项目放到可写的磁盘上，或请管理员以可写方式重新挂载。"),
    errno.EACCES: ("访问", "没有权限", "请换一个有写入权限的文件夹，或请管理员开放权限。"),
    errno.EPERM: ("访问", "系统不允许这个操作（没有权限）", "请换一个有写入权限的文件夹，或请管理员开放权限。"),
    errno.ENOENT: ("使用", "文件夹不存在，也无法创建", "请检查路径是否写对了，上一级文件夹是否存在。"),
    errno.ENOTDIR: ("使用", "路径中有一部分是文件而不是文件夹", "请检查路径是否写对了。"),
    errno.EISDIR: ("写入", "这里已经有一个同名的文件夹", "请检查路径是否写对了。"),
    errno.EEXIST: ("创建", "这里已经有一个同名的文件", "请检查路径是否写对了。"),
    errno.EFBIG: ("写入", "文件超过了系统允许的大小", "请检查磁盘或请管理员放宽文件大小限制。"),
    errno.EMFILE: ("使用", "同时打开的文件太多", "请关闭其他程序后重新运行。"),
    errno.ENFILE: ("使用", "系统同时打开的文件太多", "请关闭其他程序后重新运行。"),
    errno.EIO: ("读写", "磁盘读写出错（磁盘或网络盘故障）", "请检查磁盘，或稍后重新运行。"),
    errno.ENAMETOOLONG: ("使用", "路径太长", "请换一个短一些的文件夹路径。"),
    errno.ELOOP: ("使用", "路径里的符号链接绕成了圈", "请检查路径里的符号链接。"),
}


def fault_cause(exc: OSError) -> str:
    """The cause of an OSError in a few Chinese words (“磁盘空间已满”)."""
    if exc.errno in _FAULTS:
        return _FAULTS[exc.errno][1]
    return f"系统错误 {exc.strerror or exc}"


def fault_message(exc: OSError, note: str = "") -> str:
    """One Chinese line for an OSError: the folder (and file) it concerns,
    the cause, what to do, then ``note`` (e.g. that site/ was left as it was)."""
    verb, cause, hint = _FAULTS.get(exc.errno or 0, ("读写", fault_cause(exc), "请检查这个文件夹后重新运行。"))
    path = exc.filename
    if exc.filename2 and _FAULTS.get(exc.errno or 0, ("",))[0] == "写入":
        path = exc.filename2  # a copy names its source first, its destination second
    if isinstance(path, bytes):
        path = os.fsdecode(path)
    if path is None or path == "":
        where = "文件"
    else:
        path = os.path.abspath(str(path))
        if os.path.isdir(path) or exc.errno in (errno.ENOENT, errno.EEXIST, errno.ENOTDIR):
            where = f"文件夹 {path}"
        elif os.path.lexists(path):
            folder, name = os.path.split(path)
            where = f"文件夹 {folder}（文件 {name}）"
        else:  # being created: a file or a folder
            where = f" {path}"
    return f"错误：无法{verb}{where}：{cause}。{hint}{note}"


def _internal_error(exc: BaseException) -> None:
    import traceback

    if os.environ.get(DEBUG_ENV, "") not in ("", "0"):
        traceback.print_exception(exc, file=sys.stderr)
    tb = traceback.extract_tb(exc.__traceback__)
    at = f"（位置：{Path(tb[-1].filename).name}:{tb[-1].lineno}）" if tb else ""
    print(
        f"内部错误：{type(exc).__name__}: {str(exc)[:300]}{at}。这是程序的问题，不是内容的问题；"
        f"请把这一行发给维护人员（设置环境变量 {DEBUG_ENV}=1 后重新运行可显示详细信息）。",
        file=sys.stderr,
    )


# argparse's own words (usage, help headings, usage errors) in Chinese.
# argparse looks each message up through its module-level gettext function
# ``_``; Python ships no Chinese catalogue for it, so the program supplies
# the strings here and installs the lookup once (build_parser).
_ARGPARSE_ZH = {
    "usage: ": "用法：",
    "options": "选项",
    "positional arguments": "命令和参数",
    "show this help message and exit": "显示这份帮助，然后退出",
    "invalid choice: %(value)r (choose from %(choices)s)": "没有“%(value)s”这一项。可选：%(choices)s",
    "the following arguments are required: %s": "缺少必填的参数：%s",
    "unrecognized arguments: %s": "不认识的参数：%s",
    "expected one argument": "后面要跟一个值",
    "expected at least one argument": "后面至少要跟一个值",
    "expected at most one argument": "后面最多跟一个值",
    "argument %(argument_name)s: %(message)s": "参数 %(argument_name)s：%(message)s",
    "invalid %(type)s value: %(value)r": "“%(value)s”不是有效的值",
    "ambiguous option: %(option)s could match %(matches)s": "选项 %(option)s 不明确，可能是 %(matches)s",
    "not allowed with argument %s": "不能和 %s 一起用",
    "one of the arguments %s is required": "需要 %s 中的一个",
    "can't open '%(filename)s': %(error)s": "打不开文件“%(filename)s”：%(error)s",
    "unknown parser %(parser_name)r (choices: %(choices)s)": "没有“%(parser_name)s”这个命令（可选：%(choices)s）",
    "ignored explicit argument %r": "这个选项不接受值：%r",
}


def _argparse_zh(message: str) -> str:
    return _ARGPARSE_ZH.get(message, message)


def _install_argparse_zh() -> None:
    argparse._ = _argparse_zh  # type: ignore[attr-defined]  # argparse's gettext hook (see above)


class _Parser(argparse.ArgumentParser):
    def error(self, message: str):  # Chinese usage errors, exit 2
        import re

        from builder.kernel.suggest import suggest

        m = re.search(r"没有“(.*?)”这一项。可选：(.*)$", message)
        if m:  # argparse lists the choices as Python reprs: 'check', 'build'
            choices = re.findall(r"'([^']*)'", m.group(2))
            message = (
                message[: m.start()]
                + f"没有“{m.group(1)}”这一项。{suggest(m.group(1), choices)}可选："
                + "、".join(choices)
            )
        self.print_usage(sys.stderr)
        self.exit(USAGE_EXIT, f"{self.prog}: 用法错误：{message}\n运行 {self.prog} --help 查看帮助。\n")


def _add_content(p: argparse.ArgumentParser) -> None:
    p.add_argument("--content", default="content", help="内容文件夹（默认 content）")


def build_parser() -> argparse.ArgumentParser:
    _install_argparse_zh()
    parser = _Parser(prog="python -m builder", description="示范村展示门户：检查内容、生成网站。")
    # Sub-commands are ArgumentParsers to the features (a _Parser each: Chinese usage errors).
    sub: argparse._SubParsersAction[argparse.ArgumentParser] = parser.add_subparsers(
        dest="command", metavar="命令", parser_class=_Parser
    )

    p = sub.add_parser("check", help="检查内容，列出所有问题")
    _add_content(p)
    p.add_argument("--format", choices=["text", "json", "github"], default="text", help="输出格式")
    p.set_defaults(func=cmd_check)

    from builder import cli_build
    from builder.pipeline import features

    cli_build.register(sub, _add_content)
    from builder.preview import cli as preview_cli

    preview_cli.register(sub, _add_content)
    for feature in features():  # each feature adds its own sub-commands
        feature.commands(sub, _add_content)
    return parser


def cmd_check(args) -> int:
    from builder.pipeline import check

    _, diags = check(Path(args.content), Path.cwd())
    out = diags.format(args.format)
    if out:
        print(out)
    return 1 if diags.has_errors else 0


def main(argv: list[str] | None = None) -> int:
    try:
        parser = build_parser()
    except ImportError as exc:
        # A feature listed in builder/features.py cannot be loaded: the
        # program is incomplete, and running without it would silently skip
        # its checks and pages.
        name = getattr(exc, "name", None) or str(exc)
        print(
            f"错误：程序不完整，功能模块 {name} 无法加载（{exc}）。没有检查也没有生成任何内容。"
            "请重新安装（make venv）或联系维护人员。",
            file=sys.stderr,
        )
        return 1
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
    except OSError as exc:  # the machine, not the content: disk full, read-only, no permission …
        print(fault_message(exc), file=sys.stderr)
        return FAULT_EXIT
    except MemoryError:
        print("错误：内存不足，没有完成。请关闭其他程序，或换一台内存更大的机器后重新运行。", file=sys.stderr)
        return FAULT_EXIT
    except Exception as exc:  # a bug: one readable line, the traceback only on request
        _internal_error(exc)
        return FAULT_EXIT
