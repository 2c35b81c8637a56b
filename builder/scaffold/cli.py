"""Sub-commands: ``schema``, ``new village``, ``new project``, ``new news``, ``docs-codes``."""

from __future__ import annotations

import sys
from pathlib import Path


def register(sub, add_content) -> None:
    p = sub.add_parser("schema", help="生成 YAML 格式的 JSON Schema（schemas/*.schema.json）")
    p.add_argument("--out", default=None, help="输出文件夹（默认 schemas/）")
    p.set_defaults(func=cmd_schema)

    p = sub.add_parser("new", help="生成新村、新项目或新动态的模板")
    kinds = p.add_subparsers(dest="kind", metavar="类型")
    kinds.required = True
    pv = kinds.add_parser("village", help="新建一个村：content/villages/<编号>/")
    pv.add_argument("slug", help="村的编号（小写拼音，例如 wangjiazhuang）")
    pv.add_argument("--town", required=True, help="所属乡镇（必须在 content/towns.yml 中）")
    pv.add_argument("--name", default=None, help="村名（可选，例如 王家庄村）")
    add_content(pv)
    pv.set_defaults(func=cmd_new_village)
    pp = kinds.add_parser("project", help="新建一个书记党建项目：content/projects/<编号>.yml")
    pp.add_argument("id", help="项目编号，例如 2026-wangjiazhuang-malingshu")
    pp.add_argument("--village", required=True, help="所在村的编号")
    pp.add_argument("--year", type=int, default=None, help="年度（默认今年）")
    add_content(pp)
    pp.set_defaults(func=cmd_new_project)

    pn = kinds.add_parser("news", help="新建一条党建动态：content/news/<日期>-<编号>.md")
    pn.add_argument("slug", help="动态编号（小写拼音和短横线，例如 wangjiazhuang-dongyuanhui）")
    pn.add_argument("--village", required=True, action="append", help="讲的是哪个村（村的编号；几个村就写几次）")
    pn.add_argument("--date", default=None, help="发布日期，例如 2026-03-10（默认今天）")
    add_content(pn)
    pn.set_defaults(func=cmd_new_news)

    p = sub.add_parser("docs-codes", help="生成编辑指南中的“检查代码”页面（docs/editors/check-codes.md）")
    p.add_argument("--out", default=None, help="输出文件（默认 docs/editors/check-codes.md）")
    p.set_defaults(func=cmd_docs_codes)


def cmd_schema(args) -> int:
    from builder.scaffold.schema import write_schemas

    out = Path(args.out) if args.out else Path("schemas")
    for path in write_schemas(out):
        print(f"已写入 {path}")
    return 0


def cmd_new_village(args) -> int:
    from builder.scaffold.new import ScaffoldError, new_village

    try:
        path = new_village(Path(args.content), args.slug, args.town, name=args.name)
    except ScaffoldError as exc:
        print(f"错误：{exc}", file=sys.stderr)
        return exc.exit_code
    print(
        f"已生成 {path}/：请打开 village.yml，把所有“【待填写】”换成实际内容，把照片放进 photos/，然后运行 make check。"
    )
    return 0


def cmd_new_project(args) -> int:
    from builder.scaffold.new import ScaffoldError, new_project

    try:
        path = new_project(Path(args.content), args.id, args.village, year=args.year)
    except ScaffoldError as exc:
        print(f"错误：{exc}", file=sys.stderr)
        return exc.exit_code
    print(f"已生成 {path}：请把所有“【待填写】”换成实际内容，然后运行 make check。")
    return 0


def cmd_new_news(args) -> int:
    import datetime as dt

    from builder.news.scaffold import new_news
    from builder.scaffold.new import ScaffoldError

    try:
        date = dt.date.fromisoformat(args.date) if args.date else None
    except ValueError:
        print(f"错误：日期“{args.date}”看不懂，请写成 年-月-日，例如 2026-03-10。", file=sys.stderr)
        return 2
    try:
        path = new_news(Path(args.content), args.slug, args.village, date)
    except ScaffoldError as exc:
        print(f"错误：{exc}", file=sys.stderr)
        return exc.exit_code
    print(f"已生成 {path}：请把所有“【待填写】”换成实际内容（标题和正文），然后运行 make check。")
    return 0


def cmd_docs_codes(args) -> int:
    from builder.scaffold.codes_page import write_codes_page

    out = Path(args.out) if args.out else Path("docs/editors/check-codes.md")
    write_codes_page(out)
    print(f"已写入 {out}")
    return 0
