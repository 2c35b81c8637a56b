"""Photos: every referenced photo checked (check) and processed into web
derivatives (build), then published."""

from __future__ import annotations

from collections.abc import Iterable

from builder.kernel.build import GeneratedFile
from builder.kernel.feature import BaseFeature


class PhotosFeature(BaseFeature):
    name = "photos"

    def validate(self, content, diags) -> None:  # type: ignore[no-untyped-def]
        from builder.photos.validate import validate_photos

        validate_photos(content, diags)

    def derive(self, content, derived, diags) -> None:  # type: ignore[no-untyped-def]
        from builder.photos.produce import PhotoIndex, derive_photos

        if derived.build and derived.find(PhotoIndex) is None:  # check does not decode photos
            derived.put(derive_photos(content, derived.options, diags))

    def produce(self, ctx) -> Iterable[GeneratedFile]:  # type: ignore[no-untyped-def]
        from builder.photos.produce import produce

        yield from produce(ctx)

    def commands(self, sub, add_content) -> None:  # type: ignore[no-untyped-def]
        from builder.photos.cli import register

        register(sub, add_content)


FEATURE = PhotosFeature()
