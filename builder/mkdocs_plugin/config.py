from mkdocs.config import config_options as c
from mkdocs.config.base import Config


class VillagesConfig(Config):
    """Options of the ``villages`` plugin in mkdocs.yml."""

    enabled = c.Type(bool, default=True)
    # Content folder, relative to mkdocs.yml.
    content_dir = c.Type(str, default="content")
    # Cache folder (photo derivatives, QR codes), relative to mkdocs.yml.
    cache_dir = c.Type(str, default=".cache")
    # Nav sections appended for hand-written folders under docs/ when they exist:
    # folder -> section title.
    doc_sections = c.Type(dict, default={"editors": "编辑指南", "organisers": "观摩组织"})
    # The one section (the last tab) those folders are put under; "" puts each
    # at the top level.
    guides_title = c.Type(str, default="工作指南")
    # Render Material's navigation and tabs once per view of the links for pages
    # outside the nav (theme_cache.py); off only to compare against.
    theme_cache = c.Type(bool, default=True)
    # Generated pages outside the nav skip MkDocs' Markdown pass (htmlpage.py);
    # off only to compare against.
    html_pages = c.Type(bool, default=True)
    # Generated files are kept in memory up to this many MB, the rest in a
    # temporary folder until MkDocs writes them (spool.py); 0 spools all.
    spool_after_mb = c.Type(int, default=128)
    # Extra options handed to producers (e.g. photo settings: photos_widths …).
    options = c.Type(dict, default={})
