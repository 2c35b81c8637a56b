"""The Zensical configuration derived from the project's mkdocs.yml.

mkdocs.yml stays the one configuration: site name and URL, nav, theme
(custom_dir, palette, features), Markdown extensions, extra CSS/JS, the
built-in plugins both engines have (search, tags, offline).
What the ``villages`` plugin does inside MkDocs is done here instead, from the
same core: the identity fields for the footer and header, the logo, the sample
banner, the guides' 工作指南 section and the generated pages."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import yaml

# The ``villages`` plugin's options and their defaults
# (builder/mkdocs_plugin/config.py: VillagesConfig; a test keeps them equal).
VILLAGES_DEFAULTS: dict[str, Any] = {
    "enabled": True,
    "content_dir": "content",
    "cache_dir": ".cache",
    "doc_sections": {"editors": "编辑指南", "organisers": "观摩组织"},
    "guides_title": "工作指南",
    "options": {},
    # MkDocs-only shortcuts of the plugin (theme_cache.py, htmlpage.py, spool.py): nothing to do here
    "theme_cache": True,
    "html_pages": True,
    "spool_after_mb": 128,
}

# Top-level mkdocs.yml settings handed to Zensical as they are.
PASSED = (
    "site_name",
    "site_url",
    "site_description",
    "site_author",
    "copyright",
    "use_directory_urls",
    "markdown_extensions",
    "extra_css",
    "extra_javascript",
    "extra",
)


class ConfigError(Exception):
    """mkdocs.yml cannot be read (one Chinese sentence)."""


class _Loader(yaml.SafeLoader):
    """YAML with MkDocs' ``!ENV`` tag (``!ENV VAR`` or ``!ENV [VAR, …, default]``)."""


def _env(loader: yaml.SafeLoader, node: yaml.Node) -> Any:
    if isinstance(node, yaml.ScalarNode):
        names, default = [loader.construct_scalar(node)], None
    elif isinstance(node, yaml.SequenceNode):
        items = loader.construct_sequence(node, deep=True)
        names, default = items[:-1] if len(items) > 1 else items, items[-1] if len(items) > 1 else None
    else:
        raise yaml.constructor.ConstructorError(None, None, "!ENV 后面要写变量名或 [变量名, 默认值]", node.start_mark)
    for name in names:
        if isinstance(name, str) and name in os.environ:
            value = os.environ[name]
            return yaml.safe_load(value) if value else value  # "true" → True, as MkDocs reads it
    return default


_Loader.add_constructor("!ENV", _env)
_Loader.add_constructor("!relative", lambda loader, node: loader.construct_scalar(node))  # type: ignore[arg-type]


def read_mkdocs_yml(path: Path) -> dict[str, Any]:
    try:
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=_Loader)  # a SafeLoader with !ENV
    except yaml.YAMLError as exc:
        raise ConfigError(f"{path} 不是有效的 YAML：{str(exc).splitlines()[0]}") from exc
    if not isinstance(data, dict):
        raise ConfigError(f"{path} 里没有 MkDocs 配置。")
    return data


def plugins(mk: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """mkdocs.yml's plugins as name → options (a list of names or mappings)."""
    out: dict[str, dict[str, Any]] = {}
    raw = mk.get("plugins") or []
    if isinstance(raw, dict):
        raw = [{name: opts} for name, opts in raw.items()]
    for item in raw:
        if isinstance(item, str):
            out[item] = {}
        else:
            for name, opts in item.items():
                out[str(name)] = dict(opts or {})
    return out


def villages_options(mk: dict[str, Any]) -> dict[str, Any]:
    return {**VILLAGES_DEFAULTS, **plugins(mk).get("villages", {})}


def offline(mk: dict[str, Any]) -> bool:
    opts = plugins(mk).get("offline")
    return opts is not None and bool(opts.get("enabled", True))


def directory_urls(mk: dict[str, Any]) -> bool:
    """What URLs the pages get: the offline plugin (both engines) turns
    directory URLs off so that file:// links work."""
    return bool(mk.get("use_directory_urls", True)) and not offline(mk)


def zensical_config(
    mk: dict[str, Any],
    *,
    root: Path,
    docs_dir: str,
    site_dir: str,
    nav: list[Any] | None,
    extra: dict[str, Any],
    logo: str,
) -> dict[str, Any]:
    """The configuration Zensical reads (mkdocs.yml format), for a project
    whose pages are already written to ``docs_dir``."""
    cfg: dict[str, Any] = {k: mk[k] for k in PASSED if k in mk}
    cfg["docs_dir"] = docs_dir
    cfg["site_dir"] = site_dir
    cfg["use_directory_urls"] = bool(mk.get("use_directory_urls", True))
    theme = dict(mk.get("theme") or {})
    if isinstance(mk.get("theme"), str):
        theme = {"name": mk["theme"]}
    # Material's look (Zensical's "modern" variant is its own design, and
    # frame.css is written against Material's).
    theme.setdefault("variant", "classic")
    theme.setdefault("font", False)  # never Google Fonts
    if theme.get("custom_dir"):
        theme["custom_dir"] = str((root / theme["custom_dir"]).resolve())
    if logo:
        theme["logo"] = logo
        theme["favicon"] = logo
    cfg["theme"] = theme
    if nav is not None:
        cfg["nav"] = nav
    cfg["extra"] = {**(mk.get("extra") or {}), **extra}
    # The generated pages' table of contents, as the villages plugin gives it (mdx.py).
    cfg["markdown_extensions"] = [*list(mk.get("markdown_extensions") or []), "builder.zensical_engine.mdx"]
    # The villages plugin's work is done by the adapter; the other plugins
    # Zensical implements itself (others it would skip without a word).
    cfg["plugins"] = [{name: opts} for name, opts in plugins(mk).items() if name != "villages"]
    if "search" not in plugins(mk):  # the search as mkdocs.yml has it: none, or the core's own
        cfg["plugins"].append({"search": {"enabled": False}})
    return cfg
