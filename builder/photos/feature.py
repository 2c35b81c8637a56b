"""Photos: every referenced photo checked (check) and processed into web
derivatives (build), then published."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, ClassVar

from builder.kernel.build import GeneratedFile
from builder.kernel.deps import Key, key
from builder.kernel.diagnostics.codes import Code
from builder.kernel.feature import BaseFeature
from builder.photos.cover import CODES

if TYPE_CHECKING:
    from builder.content import Content
    from builder.kernel.build import BuildContext, Derived
    from builder.kernel.diagnostics import Diagnostics


class PhotosFeature(BaseFeature["Content"]):
    name = "photos"
    reads: ClassVar[frozenset[Key] | None] = frozenset({key("village"), key("news")})
    cli = "builder.photos.cli"
    codes: ClassVar[Sequence[Code]] = CODES

    def validate(self, content: Content, diags: Diagnostics) -> None:
        from builder.photos.cover import validate_covers
        from builder.photos.validate import validate_photos

        validate_photos(content, diags)
        validate_covers(content, diags)

    def derive(self, content: Content, derived: Derived, diags: Diagnostics) -> None:
        from builder.photos.cover import Covers, derive_covers
        from builder.photos.produce import PhotoIndex, derive_photos

        if derived.find(Covers) is None:
            derived.put(derive_covers(content))

        if derived.build and derived.find(PhotoIndex) is None:  # check does not decode photos
            derived.put(derive_photos(content, derived.options, diags))

    def produce(self, ctx: BuildContext[Content]) -> Iterable[GeneratedFile]:
        from builder.photos.produce import produce
        from builder.photos.vendor import vendored_files

        yield from produce(ctx)
        for dest, path in vendored_files():
            yield GeneratedFile(dest, abs_src_path=str(path))


FEATURE = PhotosFeature()
