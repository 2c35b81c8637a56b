"""content/towns.yml → TownsPart."""

from __future__ import annotations

from dataclasses import dataclass, field

from builder.kernel.content import ContentBase
from builder.kernel.diagnostics import Diagnostics, Location
from builder.kernel.loading.yamlsrc import YamlDoc, load_yaml
from builder.kernel.schema import validate_model
from builder.towns.model import Town, TownsFile


@dataclass
class TownsPart:
    items: dict[str, Town] = field(default_factory=dict)
    doc: YamlDoc | None = None


def load_towns(content: ContentBase, diags: Diagnostics) -> TownsPart:
    content_dir, tree = content.content_dir, content.listing()
    # towns.yml ------------------------------------------------------------------
    towns: dict[str, Town] = {}
    towns_doc = None
    towns_path = content_dir / "towns.yml"
    if content.is_file("towns.yml", diags):
        towns_doc = load_yaml(towns_path, content.display(towns_path), diags)
        if towns_doc:
            tf = validate_model(TownsFile, towns_doc, diags, "乡镇列表")
            if tf:
                for i, t in enumerate(tf.towns):
                    if t.name in towns:
                        diags.emit(
                            towns_doc.loc(("towns", i, "name")),
                            "duplicate-name",
                            f"乡镇“{t.name}”重复列出。",
                            "删掉重复的一项。",
                        )
                    towns[t.name] = t
    elif tree.kind("towns.yml") is None:
        diags.emit(
            Location(content.display(towns_path), 1, 1),
            "io-error",
            "缺少乡镇列表 content/towns.yml。",
            "新建 towns.yml，列出每个乡镇的名称和行政村数量。",
        )

    return TownsPart(towns, towns_doc)
