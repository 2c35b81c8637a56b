"""Runner for axe-core (npm package axe-core, pinned in package-lock.json),
injected into a Playwright page."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent.parent
AXE_JS = ROOT / "node_modules" / "axe-core" / "axe.min.js"

# axe rules switched off, each with a reason. Keep empty unless a finding is
# in mkdocs-material's own markup and cannot be changed from our templates.
DISABLED_RULES: dict[str, str] = {}

# Single findings in mkdocs-material's own markup: (rule id, regex on the
# node's CSS target, reason). Only those nodes are dropped; the same rule on
# any other element is still reported.
MATERIAL_ONLY: list[tuple[str, str, str]] = [
    # (none since issue 17: the search overlay is our own partial, named 搜索)
]


def available() -> str | None:
    if not AXE_JS.is_file():
        return f"{AXE_JS.relative_to(ROOT)} is missing (run: npm ci --ignore-scripts)"
    return None


def run_axe(page, impacts: tuple[str, ...] = ("serious", "critical")) -> list[dict]:
    """Violations of the given impact on the page as it is now."""
    page.add_script_tag(path=str(AXE_JS))
    rules = {r: {"enabled": False} for r in DISABLED_RULES}
    result = page.evaluate("async (rules) => await axe.run(document, {resultTypes: ['violations'], rules})", rules)
    out = []
    for v in result["violations"]:
        if v.get("impact") not in impacts:
            continue
        nodes = [n for n in v.get("nodes", []) if not _material_only(v["id"], n)]
        if nodes:
            out.append({**v, "nodes": nodes})
    return out


def _material_only(rule: str, node: dict) -> bool:
    target = " ".join(map(str, node.get("target", [])))
    return any(rule == r and re.search(rx, target) for r, rx, _ in MATERIAL_ONLY)


def describe(v: dict) -> str:
    nodes = "; ".join(
        " ".join(n.get("target", [])) if isinstance(n.get("target"), list) else str(n.get("target"))
        for n in v.get("nodes", [])[:5]
    )
    return f"[{v['impact']}] {v['id']}: {v['help']} ({len(v.get('nodes', []))} nodes: {nodes})"
