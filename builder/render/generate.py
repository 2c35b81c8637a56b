"""Run every registered producer and collect the generated files.

Shared by the MkDocs plugin and ``python -m builder generate``. Producers see
what ran before them in ``ctx.shared["generated"]`` (e.g. the home page links
tour pages produced earlier)."""

from __future__ import annotations

from builder.kernel.diagnostics import Location
from builder.kernel.build import BuildContext, GeneratedFile, producers


def run_producers(ctx: BuildContext) -> list[GeneratedFile]:
    out: list[GeneratedFile] = []
    seen: dict[str, str] = {}
    ctx.shared.setdefault("generated", out)
    for name, fn in producers():
        for gf in fn(ctx) or ():
            if gf.path in seen:
                ctx.diags.error(Location(""), "io-error",
                                f"两个生成步骤（{seen[gf.path]}、{name}）都要生成 {gf.path}。",
                                "这是程序问题，请报告给维护人员。")
                continue
            seen[gf.path] = name
            out.append(gf)
    return out
