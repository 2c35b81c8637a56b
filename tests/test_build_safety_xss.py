"""Untrusted editor text: `check` flags unsafe prose; YAML fields can carry
every XSS payload and stay valid (the browser half is tests/e2e/test_xss.py)."""

from __future__ import annotations

import json
from pathlib import Path

from builder.pipeline import check
from testkit.xss import PAYLOADS, PROSE_SAFE, PROSE_UNSAFE, plant
from tests.conftest import run_cli


def first_village(content: Path) -> Path:
    return sorted(p for p in (content / "villages").iterdir() if (p / "village.yml").is_file())[0]


def _inert(payload: str) -> bool:
    """Markdown showed the payload as text: it stands escaped in the
    published prose and made no element with an event handler or a script URL."""
    from selectolax.lexbor import LexborHTMLParser

    from builder.villages.prose import render_prose

    out = render_prose(payload).html
    tree = LexborHTMLParser(out)
    for node in tree.root.traverse(include_text=False):
        for k, v in (node.attributes or {}).items():
            if k.startswith("on") or "script:" in (v or "").lower():
                return False
        if node.tag in ("script", "iframe", "object", "svg", "math"):
            return False
    return "&lt;" in out


def test_check_flags_every_unsafe_prose_payload(sample_copy):
    vdir = first_village(sample_copy)
    blocks = ["王家庄村是示例村。"]
    expect_flagged, expect_clean = [], []
    for payload in PROSE_UNSAFE + PROSE_SAFE:
        line = "\n\n".join(blocks).count("\n") + 3  # 1-based line where this block starts
        lines = set(range(line, line + payload.count("\n") + 1))
        (expect_flagged if payload in PROSE_UNSAFE else expect_clean).append((lines, payload))
        blocks.append(payload)
    (vdir / "index.md").write_text("\n\n".join(blocks) + "\n", encoding="utf-8")

    r = run_cli("check", "--content", str(sample_copy), "--format", "json")
    assert r.returncode == 1, r.stdout + r.stderr
    assert "Traceback" not in r.stderr
    diags = json.loads(r.stdout)
    unsafe = {d["line"] for d in diags if d["code"] == "unsafe-html" and d["file"].endswith("index.md")}
    # Each payload is either reported at its own line, or Markdown left it
    # as plain text (escaped, no element made from it): harmless as published.
    missed = [p for lines, p in expect_flagged if not lines & unsafe and not _inert(p)]
    assert not missed, f"check did not flag: {missed}"
    assert len([p for lines, p in expect_flagged if lines & unsafe]) >= len(expect_flagged) * 2 // 3
    wrongly = [p for lines, p in expect_clean if lines & unsafe]
    assert not wrongly, f"check flagged harmless prose: {wrongly}"
    for d in diags:
        if d["code"] == "unsafe-html":
            assert d["severity"] == "error" and d["message"] and d["hint"]


def _problems(content: Path):
    def problems():
        _, diags = check(content, content.parent)
        return [(d.file, d.line) for d in diags]

    return problems


def test_payloads_fit_into_every_free_text_field_and_stay_valid(sample_copy):
    """The planting used by the browser test keeps the content valid and
    reaches most fields: names, brand, slogan, highlights, evidence, …"""
    vdir = first_village(sample_copy)
    planted = plant(vdir / "village.yml", PAYLOADS, _problems(sample_copy))
    _, diags = check(sample_copy, sample_copy.parent)
    assert not diags.has_errors, diags.format("text")
    keys = {p[:2] if p[0] in ("brand", "location") else p[:1] for p in planted}
    for must in [
        ("name",),
        ("summary",),
        ("brand", "name"),
        ("brand", "slogan"),
        ("brand", "meaning"),
        ("highlights",),
        ("assessments",),
    ]:
        assert must in keys, f"no payload could be planted in {must}"
    missing = [p for p in PAYLOADS if not any(p in v for v in planted.values())]
    assert not missing, "every payload lands in at least one field"
    assert len(planted) >= 20
