"""``python -m builder scores template|export|import`` and
``python -m builder assessment template|import``. Exit 0 when done, 1 when
the input has errors (diagnostics on stderr, nothing written), 2 for wrong
usage."""

from __future__ import annotations

import sys
from pathlib import Path

from builder.kernel.atomic import write_file as _write

USAGE = 2


def register(sub, add_content) -> None:
    p = sub.add_parser("scores", help="观摩评分工作簿：生成模板、从 .scores.yml 导出、导入为 .scores.yml")
    ss = p.add_subparsers(dest="scores_cmd", metavar="template|export|import", required=True)
    t = ss.add_parser("template", help="生成空白评分工作簿（每位评委一张表）")
    add_content(t)
    t.add_argument("tour", help="观摩文件，例如 content/tours/2025-q3-quanxian.yml")
    t.add_argument("--out", required=True, help="写到哪个 .xlsx 文件")
    t.add_argument(
        "--layout",
        choices=["per-judge", "single"],
        default=None,
        help="per-judge 每位评委一张表；single 全部评委一张表（默认取观摩文件的 scoring.workbook）",
    )
    t.set_defaults(func=cmd_scores_template)
    e = ss.add_parser("export", help="把 <观摩>.scores.yml 导出为评分工作簿")
    add_content(e)
    e.add_argument("tour", help="观摩文件（同一文件夹里要有 <编号>.scores.yml）")
    e.add_argument("--out", required=True, help="写到哪个 .xlsx 文件")
    e.set_defaults(func=cmd_scores_export)
    i = ss.add_parser("import", help="把填好的评分工作簿导入为 <观摩>.scores.yml")
    add_content(i)
    i.add_argument("file", help="填好的评分工作簿（.xlsx）")
    i.add_argument("--tour", default=None, help="观摩文件（默认按工作簿“说明”表里的观摩编号找）")
    i.add_argument("--out", default=None, help="写到哪个 .scores.yml（默认 content/tours/<编号>.scores.yml）")
    i.set_defaults(func=cmd_scores_import)

    p = sub.add_parser("assessment", help="自评表：生成某村的自评工作簿，把填好的自评表写回 village.yml")
    ss = p.add_subparsers(dest="assessment_cmd", metavar="template|import", required=True)
    t = ss.add_parser("template", help="生成某村某套标准的自评表（按现有自评预先填好）")
    add_content(t)
    t.add_argument("village", help="村的编号，例如 wangjiazhuang")
    t.add_argument("--framework", required=True, help="标准体系编号，例如 shitiao")
    t.add_argument("--out", required=True, help="写到哪个 .xlsx 文件")
    t.set_defaults(func=cmd_assessment_template)
    i = ss.add_parser("import", help="把填好的自评表写回该村的 village.yml（只改自评部分）")
    add_content(i)
    i.add_argument("file", help="填好的自评表（.xlsx）")
    i.set_defaults(func=cmd_assessment_import)


def _err(msg: str) -> None:
    print(msg, file=sys.stderr)


def _refuse(diags, what: str) -> int:
    """Print the diagnostics and why nothing was written; exit status 1."""
    if diags:
        _err(diags.format("text"))
    _err(what)
    return 1


def _input_file(args, cmd: str) -> Path | None:
    """The filled-in workbook named on the command line, or None (said why)."""
    src = Path(args.file)
    if not src.is_file():
        _err(f"python -m builder {cmd}：找不到文件 {src}。")
        return None
    return src


def _load(args):
    from builder.content import load_content
    from builder.kernel.diagnostics import Diagnostics
    from builder.pipeline import validate

    background = Diagnostics()  # problems of other files are `check`'s business
    content = load_content(Path(args.content), background, Path.cwd())
    validate(content, background)
    return content


def _tour(content, path: Path, cmd: str):
    from builder.kernel.diagnostics import Diagnostics
    from builder.tours.load import load_tour_file

    if not path.is_file() or path.suffix != ".yml" or path.name.endswith(".scores.yml"):
        _err(f"python -m builder {cmd}：用法错误：{path} 不是观摩文件（content/tours/ 下的 .yml 文件）。")
        return None, None
    diags = Diagnostics()
    entry = load_tour_file(path, content, diags)
    if entry is None or entry.framework is None or not entry.stops:
        if diags:
            _err(diags.format("text"))
        _err(f"{path} 有错误（或没有可用的标准体系、观摩点），没有生成工作簿。")
        return None, diags
    return entry, diags


def cmd_scores_template(args) -> int:
    from builder.office.scorebook import build_workbook

    content = _load(args)
    entry, _ = _tour(content, Path(args.tour), "scores template")
    if entry is None:
        return 1
    _write(Path(args.out), build_workbook(entry, layout=args.layout))
    _err(f"已生成评分工作簿 {args.out}：{len(entry.stops)} 个观摩点、{len(entry.model.scoring.judges) or 3} 位评委。")
    return 0


def cmd_scores_export(args) -> int:
    from builder.kernel.diagnostics import Diagnostics
    from builder.office.scorebook import build_workbook
    from builder.tours.scores import load_scores

    content = _load(args)
    path = Path(args.tour)
    entry, _ = _tour(content, path, "scores export")
    if entry is None:
        return 1
    sp = path.with_name(path.name[:-4] + ".scores.yml")
    if not sp.is_file():
        _err(f"没有找到评分文件 {sp}。")
        return USAGE
    diags = Diagnostics()
    se = load_scores(sp, content.display(sp), entry, content, diags)
    if se is None or diags.has_errors:
        return _refuse(diags, "评分文件有错误，没有导出。")
    _write(Path(args.out), build_workbook(entry, scores=se.model))
    _err(f"已把 {sp.name} 导出为 {args.out}。")
    return 0


def cmd_scores_import(args) -> int:
    from builder.kernel.diagnostics import Diagnostics
    from builder.office.scorebook import open_workbook, read_info, read_workbook, scores_yaml

    content = _load(args)
    src = _input_file(args, "scores import")
    if src is None:
        return USAGE
    diags = Diagnostics()
    shown = content.display(src)
    if args.tour:
        tour_path = Path(args.tour)
    else:
        wb = open_workbook(src, shown, diags)
        if wb is None:
            return _refuse(diags, "工作簿打不开，没有写入任何文件。")
        tid = str(read_info(wb).get("tour") or "").strip()
        if not tid:
            _err(f"{src} 的“说明”表里没有观摩编号；请用 --tour 指定观摩文件。")
            return USAGE
        tour_path = Path(args.content) / "tours" / f"{tid}.yml"
    entry, _ = _tour(content, tour_path, "scores import")
    if entry is None:
        return 1
    res = read_workbook(src, shown, entry, diags)
    if res.scores is not None:
        from builder.tours.scores import compute_results

        compute_results(entry, entry.framework, res.scores, res.scores.sheets, diags)
    if res.scores is None or diags.has_errors:
        return _refuse(diags, "工作簿有错误，没有写入任何文件。")
    if diags:  # warnings only
        _err(diags.format("text"))
    out = Path(args.out) if args.out else tour_path.with_name(f"{entry.id}.scores.yml")
    _write(out, scores_yaml(res.scores))
    _err(f"已写入 {out}（{len(res.scores.sheets)} 张评分表）。")
    if out.with_name(f"{entry.id}.scores.xlsx").is_file() and out.parent.resolve() == tour_path.parent.resolve():
        _err(f"注意：{out.parent}/{entry.id}.scores.xlsx 也在，检查时会报“同一次观摩有两个评分文件”，请删掉其中一个。")
    return 0


def cmd_assessment_template(args) -> int:
    from builder.kernel.suggest import suggest as _suggest
    from builder.office.assessbook import template

    content = _load(args)
    if args.village not in content.villages:
        _err(
            f"没有编号为“{args.village}”的村。{_suggest(args.village, content.villages)}"
            "村的编号就是 content/villages/ 下的文件夹名。"
        )
        return USAGE
    if args.framework not in content.frameworks:
        _err(f"没有编号为“{args.framework}”的标准体系。可选：{'、'.join(content.frameworks)}。")
        return USAGE
    _write(Path(args.out), template(content, args.village, args.framework))
    _err(f"已生成 {content.villages[args.village].name}的{content.frameworks[args.framework].name}自评表 {args.out}。")
    return 0


def cmd_assessment_import(args) -> int:
    from builder.kernel.diagnostics import Diagnostics
    from builder.office.assessbook import apply_to_text, read

    content = _load(args)
    src = _input_file(args, "assessment import")
    if src is None:
        return USAGE
    diags = Diagnostics()
    filled = read(src, content.display(src), content, diags)
    if filled is None or diags.has_errors:
        return _refuse(diags, "自评表有错误，village.yml 没有改动。")
    v = content.villages[filled.slug]
    vpath = Path(v.dir) / "village.yml"
    with open(vpath, encoding="utf-8", newline="") as fh:
        text = fh.read()
    new = apply_to_text(text, filled, content.frameworks[filled.fid])
    # the result must still be a valid village.yml
    check = _validate_village_text(new, vpath, content)
    if check:
        return _refuse(check, "写回后 village.yml 会出错，没有改动。")
    if new == text:
        _err(f"{content.display(vpath)} 的自评和自评表一致，没有改动。")
        return 0
    _write(vpath, new)
    _err(f"已把自评表写回 {content.display(vpath)}（只改了 assessments.{filled.fid}）。")
    return 0


def _validate_village_text(text: str, vpath: Path, content):
    import tempfile

    from builder.kernel.diagnostics import Diagnostics
    from builder.kernel.loading.yamlsrc import load_yaml
    from builder.kernel.schema import validate_model
    from builder.villages.model import Village

    diags = Diagnostics()
    with tempfile.TemporaryDirectory() as d:
        p = Path(d) / "village.yml"
        p.write_text(text, encoding="utf-8", newline="")
        doc = load_yaml(p, content.display(vpath), diags)
        if doc:
            validate_model(Village, doc, diags, "村")
    return diags if diags.has_errors else None
