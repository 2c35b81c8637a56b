"""content/site.yml → SettingsPart."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from builder.kernel import lookalike
from builder.kernel.content import ContentBase
from builder.kernel.diagnostics import Diagnostics, Location
from builder.kernel.loading.yamlsrc import YamlDoc, load_yaml
from builder.kernel.schema import validate_model
from builder.settings.identity import SiteImage, load_images
from builder.settings.model import SiteSettings


@dataclass
class SettingsPart:
    settings: SiteSettings
    doc: YamlDoc | None = None
    broken: frozenset[str] = field(default_factory=frozenset)  # lists with errors (see check_lists)
    images: dict[str, SiteImage] = field(default_factory=dict)  # logo, gov_mark: re-encoded PNG


# The lists other files are checked against: (key, what an editor calls it).
LISTS = (
    ("functions", "功能定位"),
    ("levels", "等次"),
    ("project_themes", "项目主题"),
    ("frameworks", "标准体系"),
)
_SEPARATORS = re.compile(r"[，、,；;]")


def check_lists(settings: SiteSettings, doc: YamlDoc, diags: Diagnostics) -> frozenset[str]:
    """site.yml's lists judged as configuration, at site.yml: items run
    together with a Chinese comma or 顿号, the same item twice, an empty list.
    Returns the keys of the wrong lists (checks against them are skipped)."""
    broken = set()
    data = doc.data if isinstance(doc.data, dict) else {}
    for key, what in LISTS:
        if key not in data:
            continue
        items = list(getattr(settings, key))
        if not items:
            diags.emit(
                doc.loc((key,)),
                "settings-list",
                f"{what}的列表（{key}）是空的。",
                f"至少写一项，例如 {key}: [甲, 乙]。",
            )
            broken.add(key)
            continue
        for i, item in enumerate(items):
            if _SEPARATORS.search(item):
                parts = [p.strip() for p in _SEPARATORS.split(item) if p.strip()]
                diags.emit(
                    doc.loc((key, i)),
                    "settings-list",
                    f"{what}的列表（{key}）第 {i + 1} 项“{item}”{lookalike.explain(item) or '里面有逗号'}，"
                    f"被当成了一项，而不是 {len(parts)} 项。改好之前，各文件里的{what}先不检查。",
                    f"各项之间用英文逗号加空格分隔：{key}: [{', '.join(parts)}]",
                )
                broken.add(key)
        seen: set[str] = set()
        for i, item in enumerate(items):
            if item in seen:
                diags.emit(
                    doc.loc((key, i)),
                    "settings-list",
                    f"{what}的列表（{key}）里“{item}”写了两次。",
                    "删掉重复的一项。",
                )
            seen.add(item)
    levels = list(settings.levels) if "levels" in data and "levels" not in broken else []
    for i, low in enumerate(levels):
        if "levels" in broken:
            break  # one message for the whole list
        for j, high in enumerate(levels):
            # 未达标/不合格/基本达标 written above 达标/合格: the order (high → low) decides
            # what passes, so a reversed list would silently pass the villages that fail
            if j > i and low in (f"未{high}", f"不{high}", f"基本{high}"):
                diags.emit(
                    doc.loc(("levels", i)),
                    "settings-list",
                    f"等次要从高到低写：“{low}”写在了“{high}”前面，这样“{low}”会被当成比“{high}”更好。",
                    f"改成从高到低的顺序，例如 levels: [{', '.join(sorted(levels, key=lambda x: _rank(x, levels)))}]",
                )
                broken.add("levels")
                break
    return frozenset(broken)


def _rank(level: str, levels: list[str]) -> int:
    """Sort key putting a level above its 基本/未/不 forms."""
    for base in levels:
        if level in (f"未{base}", f"不{base}"):
            return 2
        if level == f"基本{base}":
            return 1
    return 0


def load_settings(content: ContentBase, diags: Diagnostics) -> SettingsPart:
    content_dir, tree = content.content_dir, content.listing()
    # site.yml -----------------------------------------------------------------
    site_path = content_dir / "site.yml"
    settings_doc = None
    settings = None
    broken: frozenset[str] = frozenset()
    if content.is_file("site.yml", diags):
        settings_doc = load_yaml(site_path, content.display(site_path), diags)
        if settings_doc:
            settings = validate_model(SiteSettings, settings_doc, diags, "网站设置", list_separators=False)
            if settings is not None:
                broken = check_lists(settings, settings_doc, diags)
    elif tree.kind("site.yml") is None:
        diags.emit(
            Location(content.display(site_path), 1, 1),
            "io-error",
            "缺少网站设置文件 content/site.yml。",
            "从示例复制一份 site.yml 并修改县名和标题。",
        )
    if settings is None:
        settings = SiteSettings(county="（未设置）", title="（未设置）")
        return SettingsPart(settings, settings_doc, broken)
    images = load_images(content, settings, settings_doc, diags)
    return SettingsPart(settings, settings_doc, broken, images)
