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

``codes`` lists the feature's diagnostic codes (the editors' codes page is
made from all of them); ``schemas`` the JSON Schemas editors' YAML plug-ins
use ({file name: pydantic model}).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import (
    TYPE_CHECKING,
    Any,
    ClassVar,
    Protocol,
    TypeVar,
    runtime_checkable,
)

if TYPE_CHECKING:
    from builder.kernel.build import BuildContext, Derived, GeneratedFile
    from builder.kernel.content import Content
    from builder.kernel.diagnostics import Diagnostics
    from builder.kernel.diagnostics.codes import Code

T = TypeVar("T")


@runtime_checkable
class Feature(Protocol):
    name: str
    codes: Sequence[Code]
    schemas: Mapping[str, Any]

    def load(self, content: Content, diags: Diagnostics) -> None: ...
    def validate(self, content: Content, diags: Diagnostics) -> None: ...
    def derive(self, content: Content, derived: Derived, diags: Diagnostics) -> None: ...
    def produce(self, ctx: BuildContext) -> Iterable[GeneratedFile]: ...
    def commands(self, sub: Any, add_content: Callable[[Any], None]) -> None: ...


class BaseFeature:
    """Every phase does nothing; a feature overrides what it needs."""

    name: ClassVar[str] = ""
    codes: ClassVar[Sequence[Code]] = ()
    schemas: ClassVar[Mapping[str, Any]] = {}

    def load(self, content: Content, diags: Diagnostics) -> None:
        return None

    def validate(self, content: Content, diags: Diagnostics) -> None:
        return None

    def derive(self, content: Content, derived: Derived, diags: Diagnostics) -> None:
        return None

    def produce(self, ctx: BuildContext) -> Iterable[GeneratedFile]:
        return ()

    def commands(self, sub: Any, add_content: Callable[[Any], None]) -> None:
        return None


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
            return self._parts[kind]  # type: ignore[no-any-return]
        except KeyError:
            raise KeyError(
                f"{kind.__name__} has not been loaded/derived (is its feature in builder/features.py?)"
            ) from None

    def find(self, kind: type[T]) -> T | None:
        return self._parts.get(kind)
