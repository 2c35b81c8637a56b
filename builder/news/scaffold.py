"""``python -m builder new news <编号> --village <村>``: a news file with its
front matter commented line by line; ``check`` passes once every 【待填写】 is
replaced."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from builder.kernel.content import PLACEHOLDER, SLUG_RE
from builder.news.load import NAME_RE, RESERVED
from builder.scaffold.new import ScaffoldError, _align, _settings
from builder.villages.load import suggest_village

P = PLACEHOLDER


def news_template(date: dt.date, villages: list[str], gallery: list[str]) -> str:
    example = gallery[0] if gallery else "photos/dangqun.jpg"
    lines = [
        "---",
        f"# 一条党建动态。把每个“{P}”换成实际内容，然后运行 make check。",
        "# 两行“---”之间是信息块（每行“字段: 值”，冒号后加空格），下面的“---”之后是正文（Markdown）。",
        f"title: {P}              # 标题，例如 王家庄村召开马铃薯种植动员大会",
        f"date: {date.isoformat()}            # 发布日期：要与文件名开头的日期相同",
        f"villages: [{', '.join(villages)}]   # 讲的是哪些村（村的编号），几个村用英文逗号分开",
        f"# photos: [{example}]   # 配图（可选，去掉行首的 # 再填）：这些村 gallery 里的照片",
        "# summary: 一两句话的摘要   # 摘要（可选）：列表和首页显示它，不写则取正文开头",
        "---",
    ]
    if gallery:
        lines.insert(-1, "# 可用的照片：" + "、".join(gallery))
    note = "<!-- 正文：可以分段、加小标题（## 标题）、列表和表格；照片写在上面的 photos 里。-->"
    return _align(lines) + f"\n{P}\n\n{note}\n"


def new_news(content_dir: Path, slug: str, villages: list[str], date: dt.date | None = None) -> Path:
    if not SLUG_RE.match(slug) or slug in RESERVED:
        raise ScaffoldError(
            f"动态编号“{slug}”不合规：只能用小写英文字母、数字和短横线（不能是 page、year、feed、index），"
            "例如 wangjiazhuang-dongyuanhui。"
        )
    c = _settings(content_dir)
    for v in villages:
        if v not in c.villages:
            raise ScaffoldError(
                f"村“{v}”不存在（content/villages/ 下没有这个文件夹）。{suggest_village(c.villages, v)}"
            )
    date = date or dt.date.today()
    folder = content_dir / "news"
    taken = folder.is_dir() and any(NAME_RE.match(p.name) and p.name[11:-3] == slug for p in folder.iterdir())
    if taken:
        raise ScaffoldError(f"动态编号 {slug} 已经有了，不会覆盖。换一个编号，或直接编辑已有的文件。", exit_code=1)
    dest = folder / f"{date.isoformat()}-{slug}.md"
    gallery = list(dict.fromkeys(g.file for v in villages[:1] for g in c.villages[v].model.gallery))
    folder.mkdir(parents=True, exist_ok=True)
    dest.write_text(news_template(date, list(dict.fromkeys(villages)), gallery), encoding="utf-8")
    return dest
