"""The standards frameworks: the shipped defaults (十条标准, 十个好), overridden
by content/frameworks/<id>.yml → FrameworksPart."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from builder.frameworks.model import Framework
from builder.kernel.content import ContentBase
from builder.kernel.diagnostics import Diagnostics
from builder.kernel.loading.yamlsrc import YamlDoc, load_yaml
from builder.kernel.schema import validate_model

DEFAULTS_DIR = Path(__file__).parent / "defaults"


@dataclass
class FrameworksPart:
    items: dict[str, Framework] = field(default_factory=dict)
    docs: dict[str, YamlDoc] = field(default_factory=dict)
    builtin: set[str] = field(default_factory=set)  # ids read from the shipped defaults (not the editors' files)


def load_frameworks(content: ContentBase, diags: Diagnostics) -> FrameworksPart:
    content_dir, tree = content.content_dir, content.listing()
    # frameworks: the shipped defaults, overridden by content/frameworks/<id>.yml
    frameworks: dict[str, Framework] = {}
    framework_docs: dict[str, YamlDoc] = {}
    fw_files = {p.stem: p for p in sorted(DEFAULTS_DIR.glob("*.yml"))}
    for name, _kind in tree.entries("frameworks"):
        if name.endswith(".yml") and not name.startswith(".") and content.is_file(f"frameworks/{name}", diags):
            fw_files[name[:-4]] = content_dir / "frameworks" / name
    for stem, p in sorted(fw_files.items()):
        shown = content.display(p)
        doc = load_yaml(p, shown, diags)
        if not doc:
            continue
        fw = validate_model(Framework, doc, diags, "标准体系")
        if fw is None:
            continue
        if fw.id != stem:
            diags.emit(
                doc.loc(("id",)),
                "framework-invalid",
                f"标准体系的 id “{fw.id}”与文件名“{p.name}”不一致。",
                f"把 id 改成 {stem}，或把文件改名为 {fw.id}.yml。",
            )
            continue
        frameworks[fw.id] = fw
        framework_docs[fw.id] = doc

    builtin = {fid for fid, p in fw_files.items() if p.parent == DEFAULTS_DIR and fid in frameworks}
    return FrameworksPart(frameworks, framework_docs, builtin)
