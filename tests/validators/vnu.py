"""Runner for the W3C Nu HTML Checker (npm package vnu-jar, pinned in
package-lock.json, installed by `make test` via `npm ci`)."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent.parent
VNU_JAR = ROOT / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"

# Findings that come from mkdocs-material's own markup, which we cannot change
# from the project's templates. Each entry: (regex on the message, reason).
# Keep this list short and specific; anything from our templates gets fixed.
MATERIAL_ONLY: list[tuple[str, str]] = [
]


def available() -> str | None:
    """None if the checker can run, else what is missing."""
    if not VNU_JAR.is_file():
        return f"{VNU_JAR.relative_to(ROOT)} is missing (run: npm ci --ignore-scripts)"
    if not shutil.which("java"):
        return "java is not installed (run: make system-deps)"
    return None


def run_vnu(files: list[Path]) -> list[dict]:
    """All error messages vnu reports for these HTML files."""
    proc = subprocess.run(["java", "-Xss1m", "-jar", str(VNU_JAR), "--errors-only", "--format", "json",
                           *map(str, files)], capture_output=True, text=True, timeout=600)
    # vnu writes its JSON report to stderr; exit code 1 just means "errors found".
    try:
        report = json.loads(proc.stderr)
    except json.JSONDecodeError as exc:
        raise RuntimeError(f"vnu did not produce JSON (exit {proc.returncode}): {proc.stderr[:2000]}") from exc
    return [m for m in report.get("messages", []) if m.get("type") in ("error", "non-document-error")]


def split_ignored(messages: list[dict]) -> tuple[list[dict], list[dict]]:
    """(kept, ignored-by-MATERIAL_ONLY)."""
    kept, ignored = [], []
    for m in messages:
        if any(re.search(rx, m.get("message", "")) for rx, _ in MATERIAL_ONLY):
            ignored.append(m)
        else:
            kept.append(m)
    return kept, ignored


def describe(m: dict) -> str:
    url = m.get("url", "").rsplit("/site/", 1)[-1]
    return f"{url}:{m.get('lastLine', '?')}:{m.get('firstColumn', '?')}: {m.get('message')}  «{m.get('extract', '')}»"
