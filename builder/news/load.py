"""content/news/<YYYY-MM-DD>-<slug>.md → NewsPart.

The front matter (between the first two "---" lines) is read with the
kernel's located YAML, padded so that every position is the line of the .md
file; the body is padded the same way before it goes through the village
prose pipeline (builder.villages.prose), so its findings are located in the
file too."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING

from builder.kernel.content import PLACEHOLDER, SLUG_RE, ContentBase, has_placeholders, slug_key
from builder.kernel.diagnostics import Diagnostics, Location
from builder.kernel.loading.textfile import MAX_PROSE_BYTES, read_text
from builder.kernel.loading.yamlsrc import YamlDoc, parse_yaml
from builder.kernel.schema import Loc, broken_under, validate_partial
from builder.news.model import NewsFront
from builder.villages.load import village_hinter

if TYPE_CHECKING:
    from builder.villages.prose.render import Prose

FOLDER = "news"
NAME_RE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})-(.+)\.md$")
# Page names the news list uses itself (news/page/2/, news/year/2026/), and "feed", "index".
RESERVED = frozenset({"page", "year", "feed", "index"})
EXAMPLE_NAME = "2026-03-10-wangjiazhuang-dongyuanhui.md"


@dataclass
class NewsEntry:
    slug: str  # the file name after the date: the page is news/<slug>/
    file: str  # display path
    name_date: dt.date  # the date the file name starts with
    doc: YamlDoc  # the front matter, positions as lines of the .md file
    model: NewsFront
    body: str  # Markdown, padded with empty lines so its line numbers are the file's
    broken: frozenset[Loc] = frozenset()

    def is_broken(self, *prefix: int | str) -> bool:
        return broken_under(self.broken, prefix)

    @cached_property
    def rendered(self) -> Prose:
        """The body rendered and sanitized exactly like a village's index.md
        (the same function, the same allowlist), once per run."""
        from builder.villages.prose import render_prose

        return render_prose(self.body)


@dataclass
class NewsPart:
    items: dict[str, NewsEntry] = field(default_factory=dict)
    # Slugs of news files that exist but could not be read (already reported).
    failed: set[str] = field(default_factory=set)


def split_front_matter(text: str) -> tuple[str, int] | None:
    """(front matter text padded to its lines in the file, index of the closing
    line), or None when the text does not start with a front matter block."""
    lines = text.split("\n")
    if not lines or lines[0].strip() != "---":
        return None
    for i in range(1, len(lines)):
        if lines[i].rstrip() in ("---", "..."):
            return "\n" + "\n".join(lines[1:i]), i
    return None


def _bad_front_matter(diags: Diagnostics, shown: str, line: int, message: str) -> None:
    diags.emit(
        Location(shown, line, 1),
        "news-front-matter",
        message,
        "文件开头写成：第一行“---”，然后 title、date、villages 等“字段: 值”，再一行“---”，下面是正文。"
        "可以用 python -m builder new news 生成一份模板。",
    )


def load_news(content: ContentBase, diags: Diagnostics) -> NewsPart:
    tree = content.listing()
    part = NewsPart()
    seen: dict[str, NewsEntry | str] = {}
    folder = content.content_dir / FOLDER
    for name, kind in tree.entries(FOLDER):
        if name.startswith("."):
            continue
        path = folder / name
        shown = content.display(path)
        if kind != "file":
            if kind == "dir":
                diags.emit(
                    Location(shown, 1, 1),
                    "bad-file-name",
                    f"{shown} 是一个文件夹，动态文件夹里只放 .md 文件。",
                    "把里面的文件移到 content/news/ 下，或删掉这个文件夹；配图放在村的 photos/ 里。",
                )
            continue
        m = NAME_RE.match(name)
        date = None
        if m:
            try:
                date = dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
            except ValueError:
                date = None
        if m is None or date is None:
            diags.emit(
                Location(shown, 1, 1),
                "bad-file-name",
                f"动态文件名“{name}”不合规：要写成“年-月-日-编号.md”，日期要是真实存在的日期。",
                f"例如 {EXAMPLE_NAME}（编号只用小写英文字母、数字和短横线）。",
            )
            continue
        slug = m.group(4)
        if not SLUG_RE.match(slug) or slug in RESERVED:
            why = f"“{slug}”是网站自己用的名字" if slug in RESERVED else "只能用小写英文字母、数字和短横线"
            diags.emit(
                Location(shown, 1, 1),
                "bad-slug",
                f"动态文件名里日期后面的编号“{slug}”不合规：{why}。",
                f"例如 {EXAMPLE_NAME}；编号就是网址的一部分（news/编号/）。",
            )
            continue
        key = slug_key(slug)
        if key in seen:
            other = seen[key]
            first = other.file if isinstance(other, NewsEntry) else other
            diags.emit(
                Location(shown, 1, 1),
                "duplicate-id",
                f"动态编号“{slug}”重复：{first} 也用了它，两条动态会是同一个网址。",
                "编号是文件名里日期后面的部分，给其中一个换个编号（例如加上村名或事由）。",
            )
            part.failed.add(slug)
            continue
        seen[key] = shown
        text = read_text(path, shown, diags, MAX_PROSE_BYTES)
        if text is None:
            part.failed.add(slug)
            continue
        if text.startswith("\ufeff"):
            text = text[1:]
        split = split_front_matter(text)
        if split is None:
            first = text.split("\n", 1)[0].strip()
            _bad_front_matter(
                diags,
                shown,
                1,
                "文件开头没有以“---”开始的信息块（标题、日期、村）。"
                if first != "---"
                else "开头的“---”信息块没有结束：找不到第二行“---”。",
            )
            part.failed.add(slug)
            continue
        front, close = split
        if not front.strip():
            _bad_front_matter(diags, shown, 2, "开头两行“---”之间是空的：没有标题、日期和村。")
            part.failed.add(slug)
            continue
        doc = parse_yaml(front, shown, diags)
        if doc is None:
            part.failed.add(slug)
            continue
        blanks = has_placeholders(doc, diags)
        body = "\n" * (close + 1) + "\n".join(text.split("\n")[close + 1 :])
        if PLACEHOLDER in body:
            blanks = True
            line = body.count("\n", 0, body.index(PLACEHOLDER)) + 1
            diags.emit(
                Location(shown, line, 1),
                "placeholder",
                f"正文还没有填写（仍是{PLACEHOLDER}）。",
                "把“【待填写】”换成这条动态的正文。",
            )
        if blanks:
            part.failed.add(slug)
            continue
        result = validate_partial(NewsFront, doc, diags, "动态的信息块", hinter=village_hinter(content))
        if result.model is None:
            part.failed.add(slug)
            continue
        entry = NewsEntry(slug, shown, date, doc, result.model, body, result.broken)
        seen[key] = entry
        part.items[slug] = entry
    return part
