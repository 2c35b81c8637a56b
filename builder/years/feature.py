"""Years, not a snapshot: each village's earlier and later self-assessments
(content/villages/<slug>/assessments/<year>.yml) and its 分类 per year."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

from builder.kernel.deps import ANY, Key, key
from builder.kernel.diagnostics.codes import Code
from builder.kernel.diagnostics.model import Severity
from builder.kernel.feature import BaseFeature
from builder.years.model import YearAssessments

if TYPE_CHECKING:
    from builder.content import Content
    from builder.kernel.build import BuildContext, Derived, GeneratedFile
    from builder.kernel.diagnostics import Diagnostics

E, W = Severity.ERROR, Severity.WARNING

CODES = (
    Code(
        "bad-year-file",
        E,
        "历年自评文件名不是年份",
        "村文件夹的 assessments/ 里每年一个文件，文件名就是年份（半角数字），例如 2024.yml。",
        "assessments/２０２４.yml",
        "assessments/2024.yml",
    ),
    Code(
        "duplicate-year",
        E,
        "同一年的自评写了两份",
        "一年只能有一份自评：village.yml 的 assessments 是最新一年的，assessments/<年份>.yml 是其他年份的。",
        "village.yml 写 2025 年的自评，又有 assessments/2025.yml",
        "删掉或合并其中一份",
    ),
    Code(
        "year-date",
        E,
        "自评日期不在它所属的年份",
        "assessments/2024.yml 里的自评日期必须在 2024 年内；village.yml 里各体系的自评日期要在同一年。",
        "（2024.yml 里）date: 2023-12-20",
        "date: 2024-03-20",
    ),
    Code(
        "year-gap",
        W,
        "历年自评中间缺了一年",
        "示范村每年复核自评：第一年到最新一年之间缺了某一年。页面上的“比上一年”会与最近的一年比较。",
        "有 2023.yml 和 village.yml（2025 年），没有 2024.yml",
        "补上 assessments/2024.yml",
    ),
    Code(
        "unknown-category",
        E,
        "分类不在配置的列表中",
        "village.yml 或 assessments/<年份>.yml 的 category 必须是 site.yml categories 中的一个"
        "（默认：先行示范、巩固提升、重点攻坚）。",
        "category: 先行",
        "category: 先行示范",
    ),
    Code(
        "review-due",
        W,
        "示范村最新一年未达标，应当复核",
        "已命名（或复核）的示范村，以前的年份达到了各标准体系的要求，最新一年的自评却没有达到：应当组织复核。"
        "这是提醒，不妨碍生成网站。",
        "（assessments/2026.yml）leadership: {score: 6.5}",
        "核实后整改；复核后在 village.yml 的 designation.history 加一条 {stage: 复核, date: …}",
    ),
)


class YearsFeature(BaseFeature["Content"]):
    name = "years"
    reads: ClassVar[frozenset[Key] | None] = frozenset({key("village", ANY, "data")})
    codes: ClassVar[tuple[Code, ...]] = CODES
    schemas: ClassVar[Mapping[str, Any]] = {"year-assessments": YearAssessments}
    templates: ClassVar[Path | None] = Path(__file__).parent / "templates"

    def load(self, content: Content, diags: Diagnostics) -> None:
        from builder.years.load import load_years

        content.put(load_years(content, diags))

    def validate(self, content: Content, diags: Diagnostics) -> None:
        from builder.years.rules import validate_years

        validate_years(content, diags)

    def derive(self, content: Content, derived: Derived, diags: Diagnostics) -> None:
        from builder.frameworks.derive import Evaluations
        from builder.years.history import AssessmentHistory, build_history

        if derived.find(AssessmentHistory) is None:
            derived.put(build_history(content, derived.find(Evaluations)))

    def produce(self, ctx: BuildContext[Content]) -> Iterable[GeneratedFile]:
        from builder.portal.state import State
        from builder.years.pages import year_pages

        yield from year_pages(ctx.derived.get(State))


FEATURE = YearsFeature()
