"""The portal's content: the kernel's ContentBase with a name for each
built-in feature's part, so rules and pages read ``c.villages`` rather than
``c.get(VillagesPart).items``. A new content type needs no change here: its
feature keeps its own part (``content.put(NewsPart(...))`` / ``content.get(NewsPart)``)."""

from __future__ import annotations

from pathlib import Path
from typing import TypeVar

from builder.frameworks.load import FrameworksPart
from builder.frameworks.model import Framework
from builder.kernel.content import PLACEHOLDER, SLUG_RE, ContentBase
from builder.kernel.diagnostics import Diagnostics
from builder.kernel.loading.yamlsrc import YamlDoc
from builder.projects.load import ProjectEntry, ProjectsPart
from builder.settings.load import SettingsPart
from builder.settings.model import SiteSettings
from builder.towns.load import TownsPart
from builder.towns.model import Town
from builder.villages.load import PHOTO_SUFFIXES, VillageEntry, VillagesPart

__all__ = ["PHOTO_SUFFIXES", "PLACEHOLDER", "SLUG_RE", "Content", "ProjectEntry", "VillageEntry", "load_content"]

P = TypeVar("P")

UNSET = SiteSettings(county="（未设置）", title="（未设置）")


class Content(ContentBase):
    # -- site.yml ---------------------------------------------------------------
    @property
    def settings(self) -> SiteSettings:
        part = self.find(SettingsPart)
        return part.settings if part else UNSET

    @property
    def settings_doc(self) -> YamlDoc | None:
        part = self.find(SettingsPart)
        return part.doc if part else None

    @property
    def settings_broken(self) -> frozenset[str]:
        """site.yml lists that are wrong (reported at site.yml): what is
        checked against them is not reported again in every other file."""
        part = self.find(SettingsPart)
        return part.broken if part else frozenset()

    # -- frameworks ---------------------------------------------------------------
    @property
    def frameworks(self) -> dict[str, Framework]:
        return self._part(FrameworksPart).items

    @property
    def framework_docs(self) -> dict[str, YamlDoc]:
        return self._part(FrameworksPart).docs

    @property
    def builtin_frameworks(self) -> set[str]:
        return self._part(FrameworksPart).builtin

    def required_frameworks(self) -> list[Framework]:
        return [self.frameworks[f] for f in self.settings.frameworks if f in self.frameworks]

    # -- towns ------------------------------------------------------------------------
    @property
    def towns(self) -> dict[str, Town]:
        return self._part(TownsPart).items

    @property
    def towns_doc(self) -> YamlDoc | None:
        return self._part(TownsPart).doc

    @property
    def towns_broken(self) -> bool:
        return self._part(TownsPart).broken

    # -- villages -----------------------------------------------------------------------
    @property
    def villages(self) -> dict[str, VillageEntry]:
        return self._part(VillagesPart).items

    @villages.setter
    def villages(self, value: dict[str, VillageEntry]) -> None:
        self._part(VillagesPart).items = value

    @property
    def failed_villages(self) -> set[str]:
        return self._part(VillagesPart).failed

    @property
    def failed_village_towns(self) -> dict[str, str]:
        return self._part(VillagesPart).failed_towns

    def village_exists(self, slug: str) -> bool:
        return slug in self.villages or slug in self.failed_villages

    # -- projects -------------------------------------------------------------------------
    @property
    def projects(self) -> dict[str, ProjectEntry]:
        return self._part(ProjectsPart).items

    def _part(self, kind: type[P]) -> P:
        part = self.find(kind)
        return part if part is not None else self.put(kind())


def load_content(content_dir: Path, diags: Diagnostics, root: Path | None = None) -> Content:
    """Load every feature's files (no validation): see builder/pipeline.py."""
    from builder.pipeline import load

    return load(Path(content_dir), diags, root)
