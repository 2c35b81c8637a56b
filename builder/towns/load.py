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
    # a town listed twice (reported at towns.yml): one of them was probably
    # meant to be another town, so "not in towns.yml" is not said elsewhere
    broken: bool = False


def load_towns(content: ContentBase, diags: Diagnostics) -> TownsPart:
    content_dir, tree = content.content_dir, content.listing()
    # towns.yml ------------------------------------------------------------------
    towns: dict[str, Town] = {}
    towns_doc = None
    broken = False
    towns_path = content_dir / "towns.yml"
    if content.is_file("towns.yml", diags):
        towns_doc = load_yaml(towns_path, content.display(towns_path), diags)
        if towns_doc:
            tf = validate_model(TownsFile, towns_doc, diags, "乡镇列表")
            if tf:
                for i, t in enumerate(tf.towns):
                    _seat(towns_doc, i, t, diags)
                    if t.name in towns:
                        broken = True
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

    return TownsPart(towns, towns_doc, broken)


def _seat(doc: YamlDoc, i: int, t: Town, diags: Diagnostics) -> None:
    """A town seat is a pasted coordinate like a village's: the one rule."""
    from builder.kernel import geo

    if t.seat is None:
        return
    _, problem = geo.check_point(t.seat.system, t.seat.lat, t.seat.lng, f"{t.name}驻地")
    if problem:
        diags.emit(doc.loc(("towns", i, "seat", problem.field)), problem.code, problem.message, problem.hint)
