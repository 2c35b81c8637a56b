"""书记党建项目: content/projects/*.yml → project pages and their index."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

from builder.kernel.build import GeneratedFile
from builder.kernel.deps import ANY, Key, Later, key
from builder.kernel.feature import BaseFeature
from builder.projects.load import load_projects
from builder.projects.model import Project

if TYPE_CHECKING:
    from builder.content import Content
    from builder.kernel.build import BuildContext
    from builder.kernel.diagnostics import Diagnostics


class ProjectsFeature(BaseFeature["Content"]):
    name = "projects"
    reads: ClassVar[frozenset[Key] | None] = frozenset({key("project"), key("village", ANY, "data")})
    schemas: ClassVar[Mapping[str, Any]] = {"project": Project}
    templates: ClassVar[Path | None] = Path(__file__).parent / "templates"

    def load(self, content: Content, diags: Diagnostics) -> None:
        content.put(load_projects(content, diags))

    def validate(self, content: Content, diags: Diagnostics) -> None:
        from builder.projects.rules import validate_project

        for p in content.projects.values():
            validate_project(content, p, diags)

    def keys_of(self, rel: str) -> frozenset[Key] | None:
        if rel.startswith("projects/"):
            name = rel.removeprefix("projects/")
            return frozenset({key("project", name.removesuffix(".yml") if "/" not in name else ANY)})
        return None

    def produce(self, ctx: BuildContext[Content]) -> Iterable[GeneratedFile | Later]:
        from builder.portal.state import State
        from builder.projects.pages import project_files

        yield from project_files(ctx.derived.get(State))


FEATURE = ProjectsFeature()
