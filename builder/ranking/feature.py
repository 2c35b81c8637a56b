"""年度综合排名与拟推荐: per year, the villages ranked in the county and in
each town on the rule of site.yml ``ranking:`` (which frameworks' self-
assessments and the year's tour results count, with what weights; the top
share marked 拟推荐); a page per year, an A4 print version and a CSV."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar

from builder.kernel.deps import Key, Later, LaterGroup
from builder.kernel.feature import BaseFeature
from builder.ranking.pages import READS
from builder.ranking.rules import CODES

if TYPE_CHECKING:
    from builder.content import Content
    from builder.kernel.build import BuildContext, GeneratedFile
    from builder.kernel.diagnostics import Diagnostics
    from builder.kernel.diagnostics.codes import Code


class RankingFeature(BaseFeature["Content"]):
    name = "ranking"
    reads: ClassVar[frozenset[Key] | None] = READS
    templates: ClassVar[Path | None] = Path(__file__).parent / "templates"
    codes: ClassVar[Sequence[Code]] = CODES

    def validate(self, content: Content, diags: Diagnostics) -> None:
        from builder.ranking.rules import validate_ranking

        validate_ranking(content, diags)

    def produce(self, ctx: BuildContext[Content]) -> Iterable[GeneratedFile | Later | LaterGroup]:
        from builder.ranking.pages import ranking_files

        yield from ranking_files(ctx)


FEATURE = RankingFeature()
