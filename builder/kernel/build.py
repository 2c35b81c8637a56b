"""What the produce phase works with and returns: the build context (content,
derived data, options) and the generated files."""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Generic, TypeVar

from builder.kernel.feature import Parts

if TYPE_CHECKING:
    from builder.kernel.content import ContentBase
    from builder.kernel.diagnostics import Diagnostics

# Covariant: the context is read, never written (a BuildContext[Content] is a
# BuildContext[ContentBase]).
C_co = TypeVar("C_co", bound="ContentBase", covariant=True)


@dataclass(frozen=True)
class GeneratedFile:
    """A file of the site that does not exist under docs/.

    path: site-source path with '/', e.g. "villages/wangjiazhuang.md" or
    "assets/photos/wangjiazhuang/x-480.webp". Exactly one of content or
    abs_src_path is set (large binaries stay on disk, e.g. in the photo cache).
    """

    path: str
    content: str | bytes | None = None
    abs_src_path: str | None = None
    in_nav: bool = False

    def __post_init__(self) -> None:
        if (self.content is None) == (self.abs_src_path is None):
            raise ValueError("GeneratedFile needs exactly one of content or abs_src_path")

    def read_bytes(self) -> bytes:
        if self.content is not None:
            return self.content.encode("utf-8") if isinstance(self.content, str) else self.content
        assert self.abs_src_path is not None
        return Path(self.abs_src_path).read_bytes()


def build_date() -> dt.date:
    """'Today' for the build: SOURCE_DATE_EPOCH when set (reproducible builds)."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch and epoch.strip().isdigit():
        return dt.datetime.fromtimestamp(int(epoch), dt.UTC).date()
    return dt.date.today()


@dataclass
class Options:
    """What the adapter says about this run (from mkdocs.yml's plugin options
    or the command line): never a module global."""

    values: dict[str, Any] = field(default_factory=dict)
    site_url: str = ""
    cache_dir: Path = Path(".cache")
    build: bool = False  # a build (photos processed), not only `check`
    # A one-shot build (mkdocs build, generate): each file's YAML positions
    # are let go once it is validated (yamlsrc.YamlDoc.forget; read again
    # from the text for a later diagnostic). Never for the preview, which
    # validates again after every edit, nor for `check`.
    lean: bool = False
    today: dt.date = field(default_factory=build_date)

    def get(self, key: str, default: Any = None) -> Any:
        return self.values.get(key, default)


class Derived(Parts):
    """Typed results of the derive phase (evaluations, coordinates, plans,
    the photo index …), one part per type."""

    def __init__(self, options: Options | None = None) -> None:
        super().__init__()
        self.options = options or Options()

    @property
    def build(self) -> bool:
        return self.options.build


@dataclass
class BuildContext(Generic[C_co]):
    """The produce phase's only input: read, never written."""

    content: C_co
    diags: Diagnostics
    derived: Derived = field(default_factory=Derived)

    @property
    def options(self) -> dict[str, Any]:
        return self.derived.options.values

    @property
    def site_url(self) -> str:
        return self.derived.options.site_url

    @property
    def cache_dir(self) -> Path:
        return self.derived.options.cache_dir

    @property
    def today(self) -> dt.date:
        return self.derived.options.today
