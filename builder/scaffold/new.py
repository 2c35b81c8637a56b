"""``python -m builder new village|project``: write a complete, commented
template that passes ``check`` once every 【待填写】 is replaced.

The templates are written as text (not dumped from data) so that every field
carries a Chinese comment saying what it means, and every item of every
required standards framework is listed in order.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from builder.content import PLACEHOLDER, SLUG_RE, load_content
from builder.frameworks.model import Framework
from builder.kernel.diagnostics import Diagnostics
from builder.kernel.suggest import suggest as _suggest

P = PLACEHOLDER


class ScaffoldError(Exception):
    def __init__(self, message: str, exit_code: int = 2):
        super().__init__(message)
        self.exit_code = exit_code


def _settings(content_dir: Path):
    if not content_dir.is_dir():
        raise ScaffoldError(f"内容文件夹 {content_dir} 不存在。用 --content 指定，例如 --content content。")
    diags = Diagnostics()
    # Loading never raises; problems elsewhere in the content do not stop a scaffold.
    return load_content(content_dir, diags)


def _width(s: str) -> int:
    import unicodedata

    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in s)


def _align(lines: list[str], column: int = 30) -> str:
    """Line up the trailing "# comment" of each line (CJK counts double)."""
    out = []
    for line in lines:
        code, sep, comment = line.partition(" # ")
        if sep and code.strip() and not code.lstrip().startswith("#") and '"' not in comment:
            code = code.rstrip()
            out.append(code + " " * max(2, column - _width(code)) + "# " + comment.strip())
        else:
            out.append(line)
    return "\n".join(out) + "\n"


def _schema_line(depth: int, name: str) -> str:
    return f"# yaml-language-server: $schema={'../' * depth}schemas/{name}.schema.json\n"


def _framework_block(fw: Framework, levels: list[str]) -> list[str]:
    out = [
        f"  {fw.id}:   # {fw.name}：{fw.description or ''}".rstrip(),
        f"    date: {P}          # 自评日期，写成 年-月-日，例如 2026-03-15",
        f"    assessor: {P}      # 自评人或单位，例如 某某村党支部",
        "    items:              # 逐条自评，每一条都要填，不要删除或改动条目编号",
    ]
    for n, item in enumerate(fw.items, 1):
        out.append(f"      # 第 {n} 条：{item.name}")
        if item.content:
            out.append(f"      #   测评内容：{item.content}")
        if item.method:
            out.append(f"      #   测评方法：{item.method}")
        out.append(f"      {item.id}:")
        if fw.scoring in ("level", "both"):
            out.append(f"        level: {P}      # 等次：{'、'.join(levels)}")
        if fw.scoring in ("score", "both"):
            extra = "（积分制，可超过满分）" if fw.allow_over_max else ""
            out.append(f"        score: {P}      # 得分，满分 {item.max_score:g} 分{extra}")
        out.append(f"        evidence: {P}   # 佐证说明：做了什么、有什么成效（最好有数字）")
        out.append("        photos: []          # 佐证照片（可不填），例如 [photos/dangqun.jpg]")
    return out


def village_template(
    slug: str,
    town: str,
    name: str | None,
    county: str,
    functions: list[str],
    levels: list[str],
    frameworks: list[Framework],
) -> str:
    lines = [
        _schema_line(3, "village").rstrip("\n"),
        f"# {slug} 的村信息。把每个“{P}”换成实际内容，然后运行 make check。",
        "# 写法：每行“字段: 值”，冒号是英文冒号，后面加一个空格；缩进只用空格（每层两个）。",
        f"name: {name or P}              # 村名，例如 王家庄村",
        f"town: {town}                   # 所属乡镇（必须在 content/towns.yml 中）",
        f"summary: {P}           # 一句话简介（用于列表和搜索结果）",
        "location:               # 位置：在地图上找到村委会，复制坐标",
        "  system: GCJ-02        # 坐标系：GCJ-02（高德、腾讯地图）、BD-09（百度地图）或 WGS-84（GPS、天地图）",
        f"  lat: {P}              # 纬度（中国约 18–54），例如 35.5712",
        f"  lng: {P}              # 经度（中国约 73–135），例如 104.6418",
        f"  address: {P}          # 地址，例如 {county}{town}某某村党群服务中心",
        f"function: {P}          # 功能定位，只能选一个：{'、'.join(functions)}",
        "brand:                  # 党建品牌",
        f"  name: {P}             # 品牌名称",
        f"  slogan: {P}           # 品牌口号",
        f"  meaning: {P}          # 品牌内涵：这个品牌讲的是什么、怎么做",
        "  # logo: photos/logo.png   # 品牌标识图片（可选，去掉行首的 # 再填）",
        f"tags: [{P}]             # 品牌主题标签，用英文逗号分隔，例如 [马铃薯, 合作社]",
        "highlights:             # 看点：观摩时看什么（可以写多项，每项以“- ”开头）",
        f"  - title: {P}          # 看点名称",
        f"    description: {P}    # 看点说明",
        "    # photo: photos/xxx.jpg   # 配图（可选）",
        "contacts:               # 讲解人和联系人",
        "  - role: 讲解人         # 角色：讲解人、联系人 或 讲解人兼联系人",
        f"    name: {P}           # 姓名",
        f"    title: {P}          # 职务，例如 村党支部书记",
        f'    phone: "{P}"        # 电话，请保留两边的英文引号',
        "    phone_public: false  # 电话是否公开到网站上：true 公开，false 不公开",
        "# 照片：把照片放进 photos/ 文件夹，再删掉下面几行开头的“# ”（连同 gallery: 这一行），逐张登记：",
        "# gallery:",
        "#   - file: photos/dangqun.jpg     # 照片文件（注意大小写和扩展名）",
        "#     caption: 党群服务中心        # 图片说明",
        "#     taken: 2026-03-15            # 拍摄日期",
        "#     standard: shitiao.venue      # 佐证的标准条目（可选）：体系编号.条目编号",
        "# cover: photos/dangqun.jpg      # 封面照片（可选）：gallery 里的一张；不写则用 gallery 的第一张",
        "assessments:            # 自评：每个标准体系逐条填写",
    ]
    for fw in frameworks:
        lines += _framework_block(fw, levels)
    lines += [
        "designation:            # 命名记录：按时间顺序，申报 → 考察 → 公示 → 命名 → 复核（或 撤销）",
        "  history:",
        "    - stage: 申报         # 环节：申报、考察、公示、命名、复核 或 撤销",
        f"      date: {P}          # 日期，例如 2026-03-10",
        f"      issuer: {P}        # 发文或负责单位，例如 {town}党委",
        "      # document: 示组发〔2026〕1号   # 文号（可选）",
        "      # batch: 第三批                 # 批次（可选）",
    ]
    return _align(lines)


def new_village(content_dir: Path, slug: str, town: str, name: str | None = None) -> Path:
    if not SLUG_RE.match(slug):
        raise ScaffoldError(f"村编号“{slug}”不合规：只能用小写英文字母、数字和短横线，例如 wangjiazhuang。")
    c = _settings(content_dir)
    if c.towns and town not in c.towns:
        raise ScaffoldError(
            f"乡镇“{town}”不在 content/towns.yml 中。{_suggest(town, c.towns)}可选：{'、'.join(c.towns)}。"
        )
    dest = content_dir / "villages" / slug
    clash = (
        [d.name for d in (content_dir / "villages").glob("*") if d.name.casefold().replace("_", "-") == slug]
        if (content_dir / "villages").is_dir()
        else []
    )
    if dest.exists() or clash:
        raise ScaffoldError(f"{dest} 已经存在，不会覆盖。换一个编号，或直接编辑已有的村。", exit_code=1)
    fws = c.required_frameworks()
    text = village_template(slug, town, name, c.settings.county, c.settings.functions, c.settings.levels, fws)
    (dest / "photos").mkdir(parents=True)
    (dest / "photos" / ".gitkeep").write_text("", encoding="utf-8")
    (dest / "village.yml").write_text(text, encoding="utf-8")
    (dest / "index.md").write_text(
        f"<!-- 村的介绍正文（Markdown）。可以分段、加小标题（## 标题）。-->\n\n{P}\n", encoding="utf-8"
    )
    return dest


def project_template(pid: str, village: str, year: int, themes: list[str]) -> str:
    lines = [
        _schema_line(2, "project").rstrip("\n"),
        f"# 书记党建项目 {pid}。把每个“{P}”换成实际内容，然后运行 make check。",
        f"title: {P}              # 项目名称，例如 打造千亩黑色全膜马铃薯示范片带",
        f"village: {village}      # 所在村的编号（content/villages/ 下的文件夹名）",
        f"year: {year}            # 年度",
        f"secretary: {P}          # 项目负责人（村党支部书记）姓名",
        f"theme: {P}              # 项目类别，只能选一个：{'、'.join(themes)}",
        f"summary: {P}            # 项目简介：为什么做、怎么做",
        "goals:                   # 目标：尽量写数量和单位（可以写多项）",
        f"  - what: {P}           # 目标内容，例如 马铃薯种植面积",
        f"    quantity: {P}       # 目标数量（数字），例如 1700",
        f"    unit: {P}           # 单位，例如 亩、户、人",
        "    # achieved: 1760     # 实际完成数量（完成后填写）",
        "milestones:              # 月度进度安排：month 写成 年-月（或用 date 写具体日期）",
        f"  - month: {P}          # 例如 {year}-02",
        f"    what: {P}           # 这个月要做什么，例如 组织合作社召开种植动员大会",
        "    done: false          # 是否已完成：true 或 false",
        "phases:                  # 实施阶段（调研摸底、项目实施、总结验收…）",
        "  - name: 调研摸底",
        f"    start: {P}          # 开始日期，例如 {year}-03-15",
        f"    end: {P}            # 结束日期，不能早于开始日期",
        "  - name: 项目实施",
        f"    start: {P}",
        f"    end: {P}",
        "  - name: 总结验收",
        f"    start: {P}",
        f"    end: {P}",
        "status: 谋划中           # 状态：谋划中、实施中、已完成、已验收 或 已终止",
        "# 月报告：按时间顺序逐月登记，删掉下面几行开头的“# ”（连同 reports: 这一行）再填写：",
        "# reports:",
        f"#   - date: {year}-03-31         # 报告日期",
        "#     progress: 完成动员和覆膜    # 进展情况",
        "#     percent: 20                 # 完成百分比（0–100）",
        "# acceptance:                    # 验收结果（状态为“已验收”时必填）",
        f"#   date: {year}-12-20",
        "#   result: 优秀                 # 优秀、良好、合格 或 不合格",
        "#   by: 某某镇党委",
    ]
    return _align(lines)


def new_project(content_dir: Path, pid: str, village: str, year: int | None = None) -> Path:
    if not SLUG_RE.match(pid):
        raise ScaffoldError(
            f"项目编号“{pid}”不合规：只能用小写英文字母、数字和短横线，例如 2026-wangjiazhuang-malingshu。"
        )
    c = _settings(content_dir)
    vdir = content_dir / "villages"
    slugs = sorted(d.name for d in vdir.iterdir() if d.is_dir()) if vdir.is_dir() else []
    if village not in slugs:
        raise ScaffoldError(f"村“{village}”不存在（content/villages/ 下没有这个文件夹）。{_suggest(village, slugs)}")
    dest = content_dir / "projects" / f"{pid}.yml"
    if (
        dest.exists() or any((content_dir / "projects").rglob(f"{pid}.y*ml"))
        if (content_dir / "projects").is_dir()
        else dest.exists()
    ):
        raise ScaffoldError(f"项目 {pid} 已经存在，不会覆盖。换一个编号，或直接编辑已有的文件。", exit_code=1)
    year = year or dt.date.today().year
    dest.parent.mkdir(parents=True, exist_ok=True)
    dest.write_text(project_template(pid, village, year, c.settings.project_themes), encoding="utf-8")
    return dest
