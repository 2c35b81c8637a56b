"""Rules of site.yml that need the other files (frameworks, villages of a 示范带)."""

from __future__ import annotations

from builder.content import Content
from builder.kernel.diagnostics import Diagnostics
from builder.kernel.suggest import suggest as _suggest
from builder.settings.identity import validate_identity
from builder.villages.load import suggest_village


def validate_settings(c: Content, diags: Diagnostics) -> None:
    doc = c.settings_doc
    if doc is None:
        return
    validate_identity(c.settings, doc, diags)
    for i, fid in enumerate(c.settings.frameworks):
        if fid not in c.frameworks and "frameworks" not in c.settings_broken:
            diags.emit(
                doc.loc(("frameworks", i)),
                "unknown-framework",
                f"标准体系“{fid}”不存在。",
                _suggest(fid, c.frameworks) + "标准体系放在 content/frameworks/<id>.yml。",
            )
    for bi, belt in enumerate(c.settings.belts):
        for vi, slug in enumerate(belt.villages):
            if not c.village_exists(slug):
                diags.emit(
                    doc.loc(("belts", bi, "villages", vi)),
                    "unknown-village",
                    f"示范带里的村“{slug}”不存在。",
                    suggest_village(c.villages, slug) or "村编号是 content/villages/ 下的文件夹名。",
                )
