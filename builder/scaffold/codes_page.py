"""docs/editors/check-codes.md, generated from builder/diagnostics/codes.py
(``python -m builder docs-codes``), so the guide never drifts from the codes
the check really emits."""

from __future__ import annotations

import html
import re
from pathlib import Path

from builder.kernel.diagnostics.codes import Code, catalogue
from builder.kernel.diagnostics.model import Severity


def _codes() -> dict[str, Code]:
    from builder.pipeline import features

    return catalogue(features())


HEADER = """# 检查代码一览

<!-- 本页由 python -m builder docs-codes 根据 builder/diagnostics/codes.py 生成，请勿手工修改。 -->

运行 `make check`（或 `python -m builder check`）时，每个问题都会这样显示：

```text
content/villages/wangjiazhuang/village.yml:14:3: 错误 [unknown-key] 不认识的字段“slogen”。
    修改建议：是不是想写“slogan”？
```

依次是：**文件:行:列**、**错误/警告**、方括号里的**检查代码**、问题说明，下一行是修改建议。
有“错误”时检查不通过（网站不会更新）；“警告”不影响发布，但请尽量处理。

下表列出所有检查代码。点代码可跳到它的说明、错误写法和正确写法。

"""


# Examples for codes whose entry in codes.py has none (the page must show,
# for every code, a bad example and its fix). codes.py wins when it has one.
EXTRA_EXAMPLES: dict[str, tuple[str, str]] = {
    "empty-file": ("（village.yml 里什么都没写，或只有 # 注释）", "name: 王家庄村\ntown: 青山镇\n…"),
    "missing-key": (
        "brand:\n  slogan: 支部建在产业链  # 缺少 name",
        "brand:\n  name: 薯香红旗\n  slogan: 支部建在产业链",
    ),
    "missing-item": (
        "shitiao:\n  items:\n    core: {level: 达标, score: 9}\n    # 漏了 secretary 等条目",
        "shitiao:\n  items:\n    core: {level: 达标, score: 9}\n"
        "    secretary: {level: 达标, score: 9}\n    …（十条逐条填写）",
    ),
    "extra-item": ("items:\n  cadre: {level: 达标}   # 条目编号写错", "items:\n  cadres: {level: 达标}"),
    "missing-assessment": (
        "assessments:\n  shitiao: {…}\n  # 缺少 shige（十个好）",
        "assessments:\n  shitiao: {…}\n  shige: {…}",
    ),
    "missing-score": (
        "shige:\n  items:\n    leadership: {evidence: 班子团结}   # “十个好”要打分",
        "shige:\n  items:\n    leadership: {score: 9, evidence: 班子团结}",
    ),
    "framework-invalid": ("# content/frameworks/shige.yml\nid: shige2", "# content/frameworks/shige.yml\nid: shige"),
    "unreferenced-photo": (
        "# photos/ 里有 xinzhao.jpg，但 gallery 里没有登记",
        "gallery:\n  - file: photos/xinzhao.jpg\n    caption: 新建的文化广场",
    ),
    "duplicate-slug": (
        "content/villages/wangjiazhuang/\ncontent/villages/WangJiaZhuang/",
        "content/villages/wangjiazhuang/",
    ),
    "duplicate-name": (
        "# 两个文件夹都写了\nname: 王家庄村\ntown: 青山镇",
        "# 同一个村只保留一个文件夹；不同的村核对村名",
    ),
    "duplicate-id": (
        "gallery:\n  - file: photos/a.jpg\n    caption: 甲\n  - file: photos/a.jpg\n    caption: 乙",
        "gallery:\n  - file: photos/a.jpg\n    caption: 甲",
    ),
    "designation-unmet": (
        "history:\n  - {stage: 命名, date: 2024-05-30}\n# 但自评里 core: {level: 基本达标}",
        "history:\n  - {stage: 考察, date: 2024-04-17}\n# 整改达标后再走公示、命名",
    ),
    "designation-order": (
        "history:\n  - {stage: 申报, date: 2024-02-28}\n  - {stage: 命名, date: 2024-05-30}",
        "history:\n  - {stage: 申报, date: 2024-02-28}\n  - {stage: 考察, date: 2024-04-17}\n"
        "  - {stage: 公示, date: 2024-05-06}\n  - {stage: 命名, date: 2024-05-30}",
    ),
    "town-share": (
        "# 红柳镇 22 个行政村，只命名了 2 个示范村（9%），目标 10%",
        "# 再培育、命名 1 个示范村；或在 towns.yml 里为该乡镇设 share_target",
    ),
    "percent-order": (
        "reports:\n  - {date: 2026-05-31, progress: …, percent: 60}\n  - {date: 2026-06-30, progress: …, percent: 40}",
        "reports:\n  - {date: 2026-05-31, progress: …, percent: 40}\n  - {date: 2026-06-30, progress: …, percent: 60}",
    ),
    "bad-file-name": ("content/projects/项目.docx", "content/projects/2026-wangjiazhuang-malingshu.yml"),
    "io-error": (
        "content/villages/wangjiazhuang/  # 文件夹里没有 village.yml",
        "content/villages/wangjiazhuang/village.yml",
    ),
    "photo-bomb": (
        "file: photos/quanjing-50000x50000.jpg",
        "file: photos/quanjing.jpg   # 缩小到 8000 像素宽以内再放入",
    ),
    "photo-corrupt": (
        "file: photos/dangqun.jpg   # 只拷贝了一半的文件",
        "file: photos/dangqun.jpg   # 重新从相机或手机拷贝完整的文件",
    ),
    "tour-lunch-wait": (
        'lunch: {earliest: "12:30", latest: "13:00"}   # 11:10 就到了就餐点',
        'lunch: {earliest: "11:15", latest: "13:00"}   # 或在上午多安排一个观摩点',
    ),
    "score-incomplete": (
        "sheets:\n  - {judge: 张三, stop: wangjiazhuang, scores: {core: 9}}   # 少打了其他条目",
        "sheets:\n  - {judge: 张三, stop: wangjiazhuang, scores: {core: 9, secretary: 8, …}}",
    ),
    "photo-timeout": (
        "file: photos/xxx.jpg   # 来历不明、处理不了的文件",
        "file: photos/xxx.jpg   # 用手机或相机原图重新导出为 JPG",
    ),
}


def examples(code) -> tuple[str, str]:
    extra = EXTRA_EXAMPLES.get(code.code, ("", ""))
    return code.bad or extra[0], code.good or extra[1]


def _block(text: str) -> list[str]:
    fence = "```"
    while fence in text:
        fence += "`"
    return [fence, text, fence]


def _text(s: str) -> str:
    """Plain text for Markdown: a "<script>" in a message is shown, not parsed
    as a tag (it would swallow the rest of the page), nor are * and _ emphasis."""
    return re.sub(r"([\\`*_\[\]|])", r"\\\1", html.escape(s, quote=False))


def render_codes_page() -> str:
    lines = [HEADER.rstrip("\n"), "", "| 代码 | 级别 | 含义 |", "|---|---|---|"]
    for c in _codes().values():
        lines.append(f"| [`{c.code}`](#{c.code}) | {c.severity.label} | {_text(c.title)} |")
    lines.append("")
    for c in _codes().values():
        # The heading gets its own id: MkDocs' toc would slugify it to the code
        # itself and duplicate the anchor's id (W3C Nu checker: duplicate ID).
        lines += [
            f'<a id="{c.code}"></a>',
            "",
            f"## `{c.code}`：{_text(c.title)} {{#code-{c.code}}}",
            "",
            f"**级别：**{c.severity.label}"
            + ("（检查不通过，必须修改）" if c.severity is Severity.ERROR else "（不影响发布，建议处理）"),
            "",
            _text(c.explain),
            "",
        ]
        bad, good = examples(c)
        if bad:
            lines += ["错误的写法：", "", *_block(bad), ""]
        if good:
            lines += ["改正后：" if bad else "应该这样写：", "", *_block(good), ""]
        if not bad and not good:
            lines += ["没有固定的写法：请按检查输出里的具体说明和修改建议处理。", ""]
    return "\n".join(lines).rstrip("\n") + "\n"


def write_codes_page(path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    text = render_codes_page()
    if not path.exists() or path.read_text(encoding="utf-8") != text:
        path.write_text(text, encoding="utf-8")
    return path
