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
# from the project's templates. Each entry: (regex on the message, regex on the
# markup extract vnu quotes, reason). Both must match, so the same mistake in
# our own templates is still reported. Keep this list short and specific.
MATERIAL_ONLY: list[tuple[str, str, str]] = [
    (
        r"Attribute “autocomplete” is only allowed when the input type is",
        r'<input class="md-toggle" data-md-toggle="(drawer|search)" type="checkbox"',
        "mkdocs-material base.html puts autocomplete=off on its drawer/search toggle checkboxes "
        "(to stop Firefox restoring their state); harmless, and not changeable without forking base.html.",
    ),
    (
        r"Bad value “” for attribute “tabindex” on element “label”",
        r'<label class="md-nav__link[^"]*" for="__nav_\d+[^"]*" id="__nav_[\d_]+label" tabindex="',
        'mkdocs-material partials/nav-item.html renders tabindex="" on section labels when '
        "navigation.sections is on; browsers treat it as absent.",
    ),
    (
        r"The value of the “for” attribute of the “label” element must be the ID of a non-hidden form control",
        r'<label class="md-nav__title" for="__toc">',
        "mkdocs-material partials/toc.html always links its title to the #__toc toggle, which Material only "
        "renders for pages in the navigation; village, project and tour pages are deliberately out of the nav.",
    ),
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
    proc = subprocess.run(
        ["java", "-Xss1m", "-jar", str(VNU_JAR), "--errors-only", "--format", "json", *map(str, files)],
        capture_output=True,
        text=True,
        timeout=600,
    )
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
        if any(
            re.search(rx, m.get("message", "")) and re.search(ex, m.get("extract", "")) for rx, ex, _ in MATERIAL_ONLY
        ):
            ignored.append(m)
        else:
            kept.append(m)
    return kept, ignored


def describe(m: dict) -> str:
    url = m.get("url", "").rsplit("/site/", 1)[-1]
    return f"{url}:{m.get('lastLine', '?')}:{m.get('firstColumn', '?')}: {m.get('message')}  «{m.get('extract', '')}»"
