"""书记党建项目: content/projects/*.yml → project pages and their index."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from builder.kernel.build import GeneratedFile
from builder.kernel.feature import BaseFeature
from builder.projects.load import load_projects
from builder.projects.model import Project


class ProjectsFeature(BaseFeature):
    name = "projects"
    schemas = {"project": Project}
    templates = Path(__file__).parent / "templates"

    def load(self, content, diags) -> None:  # type: ignore[no-untyped-def]
        content.put(load_projects(content, diags))

    def validate(self, content, diags) -> None:  # type: ignore[no-untyped-def]
        from builder.projects.rules import validate_project

        for p in content.projects.values():
            validate_project(content, p, diags)

    def produce(self, ctx) -> Iterable[GeneratedFile]:  # type: ignore[no-untyped-def]
        from builder.portal.state import State
        from builder.projects.pages import project_pages

        yield from project_pages(ctx.derived.get(State))


FEATURE = ProjectsFeature()
