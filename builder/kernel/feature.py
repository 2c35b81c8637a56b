"""The feature protocol: what a content type (villages, projects, tours …)
gives the pipeline. The kernel knows no content type; ``builder/features.py``
lists the features, in order, in one place.

Phases, in this order for every feature before the next phase starts:

``load(content, diags)``
    read the feature's files (from ``content.tree``, never following links)
    into a typed part: ``content.put(VillagesPart(...))``.
``validate(content, diags)``
    report problems; never changes ``content``.
``derive(content, derived, diags)``
    compute what pages need (evaluations, coordinates, plans, the photo
    index) into typed parts of ``derived``; may report problems that only
    derivation finds (a route that cannot be done in a day). ``derived.build``
    says whether this is a build (photos are processed) or only ``check``.
``produce(ctx)``
    pure: read ``ctx.content`` and ``ctx.derived``, return the site's files.
``commands(sub, add_content)``
    add ``python -m builder`` sub-commands.

For updates proportional to a change (the preview), ``builder/kernel/deps.py``:
``keys_of(rel)`` names the content a file under content/ feeds (load's
knowledge; ``refine`` may make it finer by comparing the two loads),
``reads`` the keys every produced file of the feature depends on (None:
anything), and produce may yield ``Later(path, deps, make)``.

``codes`` lists the feature's diagnostic codes (the editors' codes page is
made from all of them); ``schemas`` the JSON Schemas editors' YAML plug-ins
use ({file name: pydantic model}); ``templates`` the folder of its Jinja
templates (None when it has none).
"""

from __future__ import annotations

import argparse
from collections.abc import Callable, Iterable, Mapping, Sequence
from pathlib import Path
from typing import (
    TYPE_CHECKING,
    Any,
    ClassVar,
    Generic,
    Protocol,
    TypeVar,
    cast,
    runtime_checkable,
)

if TYPE_CHECKING:
    from builder.kernel.build import BuildContext, Derived, GeneratedFile
    from builder.kernel.content import ContentBase
    from builder.kernel.deps import Key, Later, LaterGroup
    from builder.kernel.diagnostics import Diagnostics
    from builder.kernel.diagnostics.codes import Code

T = TypeVar("T")
# The content a feature reads: the kernel's ContentBase or an application's
# subclass of it (builder/content.py's Content, with a name for each part).
C = TypeVar("C", bound="ContentBase")
# A feature that reads any ContentBase reads the application's content too.
C_contra = TypeVar("C_contra", bound="ContentBase", contravariant=True)


@runtime_checkable
class Feature(Protocol[C_contra]):
    # Read-only: a feature declares them as class attributes.
    @property
    def name(self) -> str: ...
    @property
    def codes(self) -> Sequence[Code]: ...
    @property
    def schemas(self) -> Mapping[str, Any]: ...
    @property
    def templates(self) -> Path | None: ...

    def load(self, content: C_contra, diags: Diagnostics) -> None: ...
    def validate(self, content: C_contra, diags: Diagnostics) -> None: ...
    def derive(self, content: C_contra, derived: Derived, diags: Diagnostics) -> None: ...
    def produce(self, ctx: BuildContext[C_contra]) -> Iterable[GeneratedFile | Later | LaterGroup]: ...
    def commands(
        self,
        sub: argparse._SubParsersAction[argparse.ArgumentParser],
        add_content: Callable[[argparse.ArgumentParser], None],
    ) -> None: ...


class BaseFeature(Generic[C]):
    """Every phase does nothing; a feature overrides what it needs.
    ``BaseFeature["Content"]`` is a feature of the portal's content."""

    name: ClassVar[str] = ""
    codes: ClassVar[Sequence[Code]] = ()
    schemas: ClassVar[Mapping[str, Any]] = {}
    templates: ClassVar[Path | None] = None  # the feature's Jinja templates folder
    # A module with ``register(sub, add_content)`` adding the feature's
    # sub-commands (imported only when the command line is built).
    cli: ClassVar[str | None] = None
    # What every produced file of the feature reads (builder/kernel/deps.py);
    # None: anything, the feature runs on every change.
    reads: ClassVar[frozenset[Key] | None] = None

    def keys_of(self, rel: str) -> frozenset[Key] | None:
        """The content keys the file ``rel`` (under content/) feeds, None when it is not this feature's."""
        return None

    def refine(self, keys: frozenset[Key], before: C, after: C) -> frozenset[Key]:
        """The changed keys made finer once both loads are known (``before``:
        the content the served pages were made from): e.g. which part of an
        entity changed. Must never drop a change; the default keeps them."""
        return keys

    def load(self, content: C, diags: Diagnostics) -> None:
        return None

    def validate(self, content: C, diags: Diagnostics) -> None:
        return None

    def derive(self, content: C, derived: Derived, diags: Diagnostics) -> None:
        return None

    def produce(self, ctx: BuildContext[C]) -> Iterable[GeneratedFile | Later | LaterGroup]:
        return ()

    def commands(
        self,
        sub: argparse._SubParsersAction[argparse.ArgumentParser],
        add_content: Callable[[argparse.ArgumentParser], None],
    ) -> None:
        if self.cli is not None:
            import importlib

            importlib.import_module(self.cli).register(sub, add_content)


class Parts:
    """A typed store: one value per type. ``put(x)`` keeps x under type(x);
    ``get(T)`` returns it (KeyError naming T when absent). Features keep
    their data here instead of in string-keyed dictionaries."""

    def __init__(self) -> None:
        self._parts: dict[type, Any] = {}

    def put(self, part: T) -> T:
        self._parts[type(part)] = part
        return part

    def get(self, kind: type[T]) -> T:
        try:
            return cast(T, self._parts[kind])
        except KeyError:
            raise KeyError(
                f"{kind.__name__} has not been loaded/derived (is its feature in builder/features.py?)"
            ) from None

    def find(self, kind: type[T]) -> T | None:
        return self._parts.get(kind)
