"""Rules of the framework files (content/frameworks/, the shipped defaults)."""

from __future__ import annotations

from builder.content import Content
from builder.kernel.diagnostics import Diagnostics
from builder.kernel.suggest import choices as _choices


def validate_frameworks(c: Content, diags: Diagnostics) -> None:
    for fid, fw in c.frameworks.items():
        doc = c.framework_docs[fid]
        seen = set()
        for i, item in enumerate(fw.items):
            if item.id in seen:
                diags.emit(
                    doc.loc(("items", i, "id")), "duplicate-id", f"条目编号“{item.id}”重复。", "每个条目用不同的编号。"
                )
            seen.add(item.id)
        if fw.rule.min_level and fw.rule.min_level not in c.settings.levels and "levels" not in c.settings_broken:
            if fid in c.builtin_frameworks and c.settings_doc is not None:
                # the editors' file is site.yml: the program's own files are never shown
                diags.emit(
                    c.settings_doc.loc(("levels",)),
                    "unknown-level",
                    f"内置的“{fw.name}”要求等次“{fw.rule.min_level}”，但 levels 里没有它。",
                    f"在 levels 里加上 {fw.rule.min_level}，或在 content/frameworks/{fid}.yml 写一套自己的标准。",
                )
            else:
                diags.emit(
                    doc.loc(("rule", "min_level")),
                    "unknown-level",
                    f"要求的等次“{fw.rule.min_level}”不在 site.yml 的 levels 中。",
                    _choices(c.settings.levels),
                )
        if fw.rule.min_item_score is not None and fw.scoring == "level":
            diags.emit(
                doc.loc(("rule", "min_item_score")),
                "framework-invalid",
                "只填等次（scoring: level）的体系不能要求最低得分。",
                "把 scoring 改为 score 或 both，或删掉 min_item_score。",
            )
