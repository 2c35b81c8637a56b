"""content/site.yml → SettingsPart."""

from __future__ import annotations

from dataclasses import dataclass, field

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
    images: dict[str, SiteImage] = field(default_factory=dict)  # logo, gov_mark: re-encoded PNG


def load_settings(content: ContentBase, diags: Diagnostics) -> SettingsPart:
    content_dir, tree = content.content_dir, content.listing()
    # site.yml -----------------------------------------------------------------
    site_path = content_dir / "site.yml"
    settings_doc = None
    settings = None
    if content.is_file("site.yml", diags):
        settings_doc = load_yaml(site_path, content.display(site_path), diags)
        if settings_doc:
            settings = validate_model(SiteSettings, settings_doc, diags, "网站设置")
    elif tree.kind("site.yml") is None:
        diags.emit(
            Location(content.display(site_path), 1, 1),
            "io-error",
            "缺少网站设置文件 content/site.yml。",
            "从示例复制一份 site.yml 并修改县名和标题。",
        )
    if settings is None:
        settings = SiteSettings(county="（未设置）", title="（未设置）")
        return SettingsPart(settings, settings_doc)
    return SettingsPart(settings, settings_doc, load_images(content, settings, settings_doc, diags))
