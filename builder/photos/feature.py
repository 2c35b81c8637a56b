"""Photos: every referenced photo checked (check) and processed into web
derivatives (build), then published."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from builder.kernel.build import GeneratedFile
from builder.kernel.feature import BaseFeature

if TYPE_CHECKING:
    from builder.content import Content
    from builder.kernel.build import BuildContext, Derived
    from builder.kernel.diagnostics import Diagnostics


class PhotosFeature(BaseFeature["Content"]):
    name = "photos"
    cli = "builder.photos.cli"

    def validate(self, content: Content, diags: Diagnostics) -> None:
        from builder.photos.validate import validate_photos

        validate_photos(content, diags)

    def derive(self, content: Content, derived: Derived, diags: Diagnostics) -> None:
        from builder.photos.produce import PhotoIndex, derive_photos

        if derived.build and derived.find(PhotoIndex) is None:  # check does not decode photos
            derived.put(derive_photos(content, derived.options, diags))

    def produce(self, ctx: BuildContext[Content]) -> Iterable[GeneratedFile]:
        from builder.photos.produce import produce

        yield from produce(ctx)


FEATURE = PhotosFeature()
