"""The front matter of a news item (content/news/<YYYY-MM-DD>-<slug>.md)."""

from __future__ import annotations

import datetime as dt

from builder.kernel.model import FileRef, Short, Slug, Strict, Title, desc


class NewsFront(Strict):
    """content/news/<日期>-<编号>.md 开头两行“---”之间的部分：一条党建动态。"""

    title: Title = desc("标题，例如 王家庄村召开马铃薯种植动员大会")
    date: dt.date = desc("发布日期，写成 年-月-日，要与文件名开头的日期相同，例如 2026-03-10")
    villages: list[Slug] = desc("这条动态讲的是哪些村（村的编号，content/villages/ 下的文件夹名）", min_length=1)
    photos: list[FileRef] = desc(
        "配图（可不填）：写这些村 gallery 里登记的照片，例如 [photos/piandai.jpg]；"
        "几个村有同名照片时在前面加村的编号，例如 liushuwan/photos/dangqun.jpg",
        default_factory=list,
    )
    summary: Short = desc("一两句话的摘要（用于列表、首页和订阅），不写则取正文开头", default="")
