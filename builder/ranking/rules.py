"""site.yml ``ranking:`` against the frameworks: located Chinese diagnostics
(the shape — numbers, the share in (0, 1] — is checked by the model when
site.yml is read, builder/settings/ranking.py)."""

from __future__ import annotations

from builder.content import Content
from builder.kernel.diagnostics import Diagnostics
from builder.kernel.diagnostics.codes import Code
from builder.kernel.diagnostics.model import Severity
from builder.kernel.suggest import suggest as _suggest

CODES = (
    Code(
        "ranking-rule",
        Severity.ERROR,
        "年度排名规则写得不对",
        "site.yml 的 ranking: 里计入排名的标准体系或观摩不存在，或所有项目的权重都是 0，年度排名无法计算。",
        "ranking:\n  frameworks: {shitiao: 1, shigehao: 1}",
        "ranking:\n  frameworks: {shitiao: 1, shige: 1}",
    ),
)


def validate_ranking(c: Content, diags: Diagnostics) -> None:
    doc = c.settings_doc
    rule = c.settings.ranking
    if doc is None or not isinstance(doc.data, dict) or "ranking" not in doc.data:
        return
    fws = rule.frameworks or {}
    for fid in fws:
        if fid not in c.frameworks:
            diags.emit(
                doc.key_loc(("ranking", "frameworks", fid)),
                "ranking-rule",
                f"年度排名规则里的标准体系“{fid}”不存在。",
                _suggest(fid, c.frameworks) + "可以用的标准体系有：" + "、".join(c.frameworks) + "。",
            )
    _check_tours(c, diags)
    known = [w for f, w in fws.items() if f in c.frameworks]
    if rule.frameworks is not None and len(known) == len(fws) and not any(w > 0 for w in known) and rule.tours <= 0:
        diags.emit(
            doc.key_loc(("ranking",)),
            "ranking-rule",
            "年度排名规则里所有项目的权重都是 0，没有可以计算的综合得分。",
            "至少给一个标准体系或观摩评分（tours）一个大于 0 的权重，例如 tours: 1。",
        )


def _check_tours(c: Content, diags: Diagnostics) -> None:
    """``only_tours`` names tour files (a file that exists but has errors is
    reported at that file, not again here)."""
    from builder.tours.load import TourFiles

    doc = c.settings_doc
    only = c.settings.ranking.only_tours
    if doc is None or not only:
        return
    files = c.find(TourFiles)
    known = set(files.tours) if files is not None else set()
    for i, tid in enumerate(only):
        if tid in known or (c.content_dir / "tours" / f"{tid}.yml").exists():
            continue
        diags.emit(
            doc.loc(("ranking", "only_tours", i)),
            "ranking-rule",
            f"年度排名规则里的观摩“{tid}”不存在。",
            _suggest(tid, known)
            + "观摩的编号是 content/tours/ 下观摩文件的文件名（不带 .yml）"
            + ("：" + "、".join(sorted(known)) + "。" if known else "。"),
        )
