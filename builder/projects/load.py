"""content/projects/*.yml → ProjectsPart (one 书记党建项目 per file)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from builder.kernel.content import SLUG_RE, ContentBase, has_placeholders
from builder.kernel.diagnostics import Diagnostics, Location
from builder.kernel.loading import memo
from builder.kernel.loading.yamlsrc import YamlDoc, load_yaml
from builder.kernel.schema import validate_model
from builder.projects.model import Project
from builder.villages.load import village_hinter


@dataclass
class ProjectEntry:
    id: str
    file: str
    doc: YamlDoc
    model: Project


@dataclass
class ProjectsPart:
    items: dict[str, ProjectEntry] = field(default_factory=dict)


def _load_project(
    content: ContentBase, p: Path, shown: str, diags: Diagnostics
) -> tuple[YamlDoc | None, Project | None]:
    """One project file read and modelled; through the preview's memo
    (builder/kernel/loading/memo.py) when it is on: an unchanged file without
    findings is not read again."""

    def load(sub: Diagnostics) -> tuple[YamlDoc | None, Project | None]:
        doc = load_yaml(p, shown, sub)
        if not doc or has_placeholders(doc, sub):
            return None, None
        return doc, validate_model(Project, doc, sub, "书记党建项目", hinter=village_hinter(content))

    if not memo.enabled():
        return load(diags)
    return memo.loaded(("project", str(p)), memo.signature([p]), diags, load, _own_doc, only_clean=True, scope=p)


def _own_doc(v: tuple[YamlDoc | None, Project | None]) -> tuple[YamlDoc | None, Project | None]:
    doc, model = v
    if doc is None:
        return v
    return YamlDoc(doc.file, doc.data, doc.positions, doc.key_positions, doc.text, set(doc.reported)), model


def load_projects(content: ContentBase, diags: Diagnostics) -> ProjectsPart:
    content_dir, tree = content.content_dir, content.listing()
    # projects ---------------------------------------------------------------------
    projects: dict[str, ProjectEntry] = {}
    pdir = content_dir / "projects"
    for rel in sorted(tree.files_under("projects"), key=lambda q: (q.count("/"), q)):
        p = pdir / rel
        if p.name.startswith("."):
            continue
        shown = content.display(p)
        if p.suffix not in (".yml", ".yaml"):
            if p.suffix != ".md":
                diags.emit(
                    Location(shown, 1, 1),
                    "bad-file-name",
                    f"{p.name} 不是 .yml 文件，项目文件夹里只放项目的 .yml 文件。",
                    "把文件扩展名改为 .yml，或移走这个文件。",
                )
            continue
        doc, model = _load_project(content, p, shown, diags)
        if doc is not None and model:
            pid = p.stem
            if not SLUG_RE.match(pid):
                diags.emit(
                    Location(shown, 1, 1),
                    "bad-slug",
                    f"项目文件名“{p.name}”不合规：只能用小写英文字母、数字和短横线。",
                    "例如 2022-wangjiazhuang-malingshu.yml",
                )
                continue
            if pid in projects:
                diags.emit(
                    Location(shown, 1, 1),
                    "duplicate-id",
                    f"项目编号“{pid}”重复：{projects[pid].file} 也用了这个文件名。",
                    "项目编号就是文件名（不含扩展名），给其中一个文件换个名字。",
                )
                continue
            projects[pid] = ProjectEntry(pid, shown, doc, model)

    return ProjectsPart(projects)
