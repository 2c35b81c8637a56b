"""党建动态 (news): content/news/<YYYY-MM-DD>-<slug>.md → the news list, a page
per item, an Atom feed, and (through two partial templates) the latest items
on the home page and a 动态 section on each village page an item names."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

from builder.kernel.build import GeneratedFile
from builder.kernel.deps import ANY, Key, key
from builder.kernel.diagnostics.codes import Code
from builder.kernel.diagnostics.model import Severity
from builder.kernel.feature import BaseFeature
from builder.news.model import NewsFront

if TYPE_CHECKING:
    from builder.content import Content
    from builder.kernel.build import BuildContext, Derived
    from builder.kernel.diagnostics import Diagnostics

CODES: tuple[Code, ...] = (
    Code(
        "news-front-matter",
        Severity.ERROR,
        "动态文件开头的信息块写错了",
        "content/news/ 下的每个 .md 文件要以“---”开头，接着写 title、date、villages 等“字段: 值”，"
        "再用一行“---”结束，下面才是正文。缺了开头或结尾的“---”，或两行之间是空的，程序就不知道标题和日期。",
        "title: 王家庄村召开动员大会（第一行没有 ---）",
        "---\ntitle: 王家庄村召开动员大会\ndate: 2026-03-10\nvillages: [wangjiazhuang]\n---",
    ),
    Code(
        "news-date",
        Severity.ERROR,
        "动态的日期与文件名不一致",
        "动态文件名开头的日期（年-月-日）和信息块里的 date 必须是同一天：列表按 date 排序，网址和文件名按文件名。",
        "文件 2026-03-10-dongyuanhui.md 里写 date: 2026-03-01",
        "date: 2026-03-10（或把文件改名为 2026-03-01-dongyuanhui.md）",
    ),
    Code(
        "news-photo",
        Severity.ERROR,
        "动态的配图不在所写村的照片里",
        "动态的 photos 只能用 villages 里那些村已经登记在 gallery 里的照片"
        "（写法与 gallery 相同，例如 photos/piandai.jpg）。",
        "photos: [photos/piandai.jpg]（villages 写的村没有这张照片）",
        "villages: [wangjiazhuang]\nphotos: [photos/piandai.jpg]",
    ),
)


class NewsFeature(BaseFeature["Content"]):
    name = "news"
    reads: ClassVar[frozenset[Key] | None] = frozenset({key("news"), key("village", ANY, "data")})
    codes: ClassVar[Sequence[Code]] = CODES
    schemas: ClassVar[Mapping[str, Any]] = {"news": NewsFront}
    templates: ClassVar[Path | None] = Path(__file__).parent / "templates"

    def load(self, content: Content, diags: Diagnostics) -> None:
        from builder.news.load import load_news

        content.put(load_news(content, diags))

    def validate(self, content: Content, diags: Diagnostics) -> None:
        from builder.news.rules import validate_all

        validate_all(content, diags)

    def derive(self, content: Content, derived: Derived, diags: Diagnostics) -> None:
        from builder.kernel.render.templates import Templates
        from builder.news.derive import NewsIndex, build_index

        index = derived.find(NewsIndex)
        if index is None:
            index = derived.put(build_index(content, derived))
        # The home page and village pages include news_home.html and
        # news_village.html, which read the index from here.
        derived.get(Templates).env.globals["news_index"] = index

    def keys_of(self, rel: str) -> frozenset[Key] | None:
        """news/<YYYY-MM-DD>-<slug>.md feeds the news item <slug>."""
        if not rel.startswith("news/"):
            return None
        name = rel.removeprefix("news/")
        if "/" not in name and name.endswith(".md") and len(name) > 14 and name[10] == "-":
            return frozenset({key("news", name[11:-3])})
        return frozenset({key("news")})

    def produce(self, ctx: BuildContext[Content]) -> Iterable[GeneratedFile]:
        from builder.news.pages import news_pages

        yield from news_pages(ctx)


FEATURE = NewsFeature()
